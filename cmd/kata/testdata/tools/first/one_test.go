package first

import "testing"

func TestOne(t *testing.T) {
	if got := One(); got != 1 {
		t.Errorf("One() = %d, want 1", got)
	}
}

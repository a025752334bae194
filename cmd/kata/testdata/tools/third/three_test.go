package third

import "testing"

func TestThree(t *testing.T) {
	if got := Three(); got != 3 {
		t.Errorf("Three() = %d, want 3", got)
	}
}

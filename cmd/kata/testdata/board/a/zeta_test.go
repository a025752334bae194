package a

import "testing"

func TestZeta(t *testing.T) {
	if got := Zeta(); got != 26 {
		t.Errorf("Zeta() = %d, want 26", got)
	}
}

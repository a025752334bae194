package orphan

import "testing"

func TestLost(t *testing.T) {
	if Mul(1, 1) != 1 {
		t.Error("Mul(1, 1) != 1")
	}
}

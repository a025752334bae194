package b

import "testing"

func TestBroken(t *testing.T) {
	if Broken() != 2 {
		t.Error("Broken() != 2")
	}
}

package panicky

import "testing"

func TestBoom(t *testing.T) {
	if Boom() != 1 {
		t.Error("Boom() != 1")
	}
}

func TestAfterBoom(t *testing.T) {
	if Boom() != 1 {
		t.Error("Boom() != 1")
	}
}

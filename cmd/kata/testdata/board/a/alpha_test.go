package a

import "testing"

func TestAlpha(t *testing.T) {
	for _, name := range []string{"first", "second"} {
		t.Run(name, func(t *testing.T) {
			if got := Alpha(); got != 1 {
				t.Errorf("Alpha() = %d, want 1: return one", got)
			}
		})
	}
}

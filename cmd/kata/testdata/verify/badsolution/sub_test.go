package badsolution

import (
	"fmt"
	"testing"
)

func TestSub(t *testing.T) {
	if got := Sub(5, 3); got != 2 {
		t.Errorf("Sub(5, 3) = %d, want 2", got)
	}
}

func ExampleSub() {
	fmt.Println(Sub(5, 3))
	// Output: 2
}

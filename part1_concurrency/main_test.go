package concurrency_test

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the run if goroutines are left running after all tests passed.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

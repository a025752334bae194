package gather_test

import (
	"testing"

	"github.com/go-async-katas/katas/internal/katatest"
	"github.com/go-async-katas/katas/internal/tasktest"
)

// TestMain fails the run if goroutines are left running after all tests passed.
func TestMain(m *testing.M) { katatest.Main(m) }

// cleanup is how long a test task (tasktest.Probe) takes to tidy up after its context ends:
// a function that returns before its cancelled tasks have finished returns cleanup too early.
const cleanup = tasktest.DefaultCleanup

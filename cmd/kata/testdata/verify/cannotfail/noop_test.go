package cannotfail

import "testing"

func TestNoop(t *testing.T) { Noop() }

package cannotfail

// Noop does nothing.
func Noop() int { return 0 }

package badsolution

// Sub returns a - b.
func Sub(a, b int) int { return 0 }

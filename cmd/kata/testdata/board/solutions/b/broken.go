package b

// Broken returns 2.
func Broken() int { return 2 }

package panicky

// Boom returns 1.
func Boom() int { return 1 }

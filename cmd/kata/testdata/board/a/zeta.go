package a

// Zeta returns 26.
func Zeta() int { return 26 }

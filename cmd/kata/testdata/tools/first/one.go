package first

// One returns 1.
func One() int {
	// TODO: return one.
	return 0
}

package first

// One returns 1.
func One() int {
	return 1
}

package second

// Sum returns a + b.
func Sum(a, b int) int {
	return a + b
}

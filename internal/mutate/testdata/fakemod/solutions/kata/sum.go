// Package kata is a kata for the mutation check's own test.
package kata

// Sum returns the sum of xs, each added on a goroutine of its own.
func Sum(xs []int) int {
	results := make(chan int, len(xs))
	for _, x := range xs {
		go func() { results <- x }()
	}
	total := 0
	for range xs {
		total += <-results
	}
	return total
}

package panicky

// Boom returns 1.
func Boom() int {
	done := make(chan int)
	go func() { panic("stub exploded") }()
	return <-done
}

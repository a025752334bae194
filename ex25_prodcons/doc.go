// Package prodcons is exercise 25: wait for the goroutines you start, and run producers and
// consumers over a channel. Read README.md in this folder for the lesson, then make the tests
// pass: go test ./ex25_prodcons
package prodcons

// Package concurrency is part 1 of the katas: run independent tasks at the same time and
// collect their results. Read README.md in this folder for the lesson, then make the tests
// pass: go test ./part1_concurrency
package concurrency

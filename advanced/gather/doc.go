// Package gather is an advanced kata: run tasks at once, collect their results in the order
// the tasks were given, and stop everything on the first failure. Read README.md in this
// folder for the lesson, then make the tests pass: go test ./advanced/gather
package gather

// Package chain is the advanced kata on chaining: a task that runs callbacks when it
// completes, and a chain of tasks composed from those callbacks and a one-shot event, in the
// order main → task1 → callback1 → task2 → callback2 → main. Read README.md in this folder
// for the lesson, then make the tests pass: go test ./advanced/chain
package chain

// Package ascompleted is an advanced kata: run tasks at once and hand over each result as
// soon as its task finishes, through an iterator the caller can leave early. Read README.md in
// this folder for the lesson, then make the tests pass: go test ./advanced/ascompleted
package ascompleted

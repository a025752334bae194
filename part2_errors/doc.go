// Package errs is part 2 of the katas: catch, tell apart and gather the errors of work that
// runs in sequence or at the same time. Read README.md in this folder for the lesson, then
// make the tests pass: go test ./part2_errors
package errs

// Package wait is an advanced kata: wait for a set of tasks and get back the ones that are
// done and the ones still pending (Python's asyncio.wait), then build loops on that — handle
// each task as it finishes, start new work as old work finishes, and an evented loop that
// ticks, takes work injected from outside and may see nothing finish in a tick. Read
// README.md in this folder for the lesson, then make the tests pass: go test ./advanced/wait
package wait

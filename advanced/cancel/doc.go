// Package cancellation is an advanced kata: cancel a running task, see why it stopped
// (context.Canceled and the cancellation's cause), and make its cleanup run however it
// ends. Read README.md in this folder for the lesson, then make the tests pass:
// go test ./advanced/cancel
package cancellation

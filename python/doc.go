// Package python holds no Go code: its test runs the asyncio scripts beside it (one folder
// per lesson) and checks that their output shows what the lessons say Python does.
package python

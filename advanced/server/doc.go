// Package server is an advanced kata beyond the seeds: a small HTTP server that handles
// requests concurrently and shuts down gracefully when its context ends. Read README.md in
// this folder for the lesson, then make the tests pass: go test ./advanced/server
package server

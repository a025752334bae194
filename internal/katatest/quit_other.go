//go:build !unix

package katatest

import "os"

// quit ends a child process. Without SIGQUIT, it cannot ask the child for its goroutines.
func quit(p *os.Process) error { return p.Kill() }

//go:build unix

package katatest

import (
	"os"
	"syscall"
)

// quit ends a child process with SIGQUIT, on which Go prints every goroutine's stack.
func quit(p *os.Process) error { return p.Signal(syscall.SIGQUIT) }

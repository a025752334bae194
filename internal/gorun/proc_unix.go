//go:build unix

package gorun

import (
	"os/exec"
	"syscall"
)

// killGroup makes cmd start in a process group of its own and, when its context ends, kills
// the whole group: go test's test binaries too, which would otherwise run on (a hung one for
// as long as its hang bound) after the go command is gone.
func killGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
}

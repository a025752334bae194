//go:build windows

package gorun

import (
	"os/exec"
	"strconv"
)

// killGroup makes ending cmd's context end its whole process tree, with taskkill /T (Windows
// has no process groups to signal): go test's test binaries too, which would otherwise run
// on (a hung one for as long as its hang bound) after the go command is gone.
func killGroup(cmd *exec.Cmd) {
	cmd.Cancel = func() error {
		tree := exec.Command("taskkill", "/T", "/F", "/PID", strconv.Itoa(cmd.Process.Pid))
		if err := tree.Run(); err != nil {
			return cmd.Process.Kill() // taskkill missing or refused: the go command at least
		}
		return nil
	}
}

//go:build !unix && !windows

package gorun

import "os/exec"

// killGroup leaves cmd as it is: where there are neither process groups nor taskkill, ending
// cmd's context kills the go command alone, and a test binary it started ends by its own hang bound or
// -timeout.
func killGroup(cmd *exec.Cmd) {}

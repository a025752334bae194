//go:build !unix

package mutate

import "os/exec"

func processGroup(cmd *exec.Cmd) {}

func killGroup(cmd *exec.Cmd) {}

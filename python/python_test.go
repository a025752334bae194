package python_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// scale is the --scale every script runs with: one seed second takes 0.1 s of real time.
// The scripts print times in seed seconds rounded to the nearest half, so a run is late by
// up to a quarter of a seed second (25 ms) before its output changes.
const scale = "0.1"

// scriptTimeout bounds one script's real running time. It is a subprocess, not a kata's
// timing: generous, and only there so that a script that hangs fails instead of blocking.
const scriptTimeout = 30 * time.Second

// A run is one script run with its arguments, and the facts a lesson states about its output.
type run struct {
	script string   // path below python/
	args   []string // after --scale
	// claim is the lesson's sentence the output backs, said in the failure message.
	claim string
	// want are lines the output must hold, each a whole line, in this order (other lines
	// may come between them); "*x" is a line ending in x, "x*" one starting with x. stdout and stderr are read as one
	// stream (python -u).
	want []string
	// absent are texts that must appear nowhere in the output.
	absent []string
	// exit is the wanted exit status.
	exit int
	// since and before bound the Python 3 minor versions the facts hold for: since <= minor
	// < before (0 for no bound).
	since, before int
}

// python finds the interpreter: $KATA_PYTHON, else python3, else python (Windows), and
// returns it with its 3.x minor version. It skips the test when there is none, and fails
// it when CI=true: CI must run the Python side.
func python(t *testing.T) (string, int) {
	t.Helper()
	var names []string
	if p := os.Getenv("KATA_PYTHON"); p != "" {
		names = append(names, p)
	}
	names = append(names, "python3", "python")
	for _, name := range names {
		path, err := exec.LookPath(name)
		if err != nil {
			continue
		}
		out, err := exec.Command(path, "-c", "import sys; print(*sys.version_info[:2])").Output()
		if err != nil {
			continue
		}
		var major, minor int
		if _, err := fmt.Sscan(string(out), &major, &minor); err != nil || major != 3 || minor < 11 {
			continue
		}
		return path, minor
	}
	msg := "no Python 3.11 or later on PATH (looked for $KATA_PYTHON, python3, python): the asyncio scripts in python/ did not run"
	if os.Getenv("CI") == "true" {
		t.Fatal(msg + "; CI=true, so this is a failure: set up Python in the workflow")
	}
	t.Skip(msg)
	return "", 0
}

func TestScripts(t *testing.T) {
	py, minor := python(t)
	t.Logf("%s is Python 3.%d", py, minor)
	for _, r := range runs {
		name := strings.TrimSuffix(r.script, ".py")
		if len(r.args) > 0 {
			name += " " + strings.Join(r.args, " ")
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if r.since > 0 && minor < r.since || r.before > 0 && minor >= r.before {
				t.Skipf("these facts hold for Python 3.%d to 3.%d; this is 3.%d", r.since, r.before-1, minor)
			}
			check(t, py, r)
		})
	}
}

func check(t *testing.T, py string, r run) {
	ctx, cancel := context.WithTimeout(t.Context(), scriptTimeout)
	defer cancel()
	args := append([]string{"-u", filepath.FromSlash(r.script), "--scale", scale}, r.args...)
	cmd := exec.CommandContext(ctx, py, args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.Env = append(os.Environ(), "PYTHONIOENCODING=utf-8", "PYTHONWARNINGS=")
	err := cmd.Run()
	call := "python3 python/" + strings.Join(append([]string{r.script, "--scale", scale}, r.args...), " ")
	text := strings.ReplaceAll(out.String(), "\r\n", "\n")
	if ctx.Err() != nil {
		t.Fatalf("%s still ran after %v: a script that hangs is a bug in the script. Output so far:\n%s", call, scriptTimeout, text)
	}
	exit := 0
	if ee := (*exec.ExitError)(nil); errors.As(err, &ee) {
		exit = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("%s: %v", call, err)
	}
	if exit != r.exit {
		t.Errorf("%s exited with status %d, want %d. Output:\n%s", call, exit, r.exit, text)
	}
	lines := strings.Split(text, "\n")
	next := 0
	for _, w := range r.want {
		found := false
		for next < len(lines) {
			next++
			line := strings.TrimRight(lines[next-1], " ")
			if line == w || strings.HasPrefix(w, "*") && strings.HasSuffix(line, w[1:]) ||
				strings.HasSuffix(w, "*") && strings.HasPrefix(line, w[:len(w)-1]) {
				found = true
				break
			}
		}
		if !found {
			t.Errorf("%s printed no line %s after the lines before it in the list.\nThe lesson says: %s\nIf Python changed, change the lesson and this test together. Output:\n%s",
				call, strconv.Quote(w), r.claim, text)
			return
		}
	}
	for _, a := range r.absent {
		if strings.Contains(text, a) {
			t.Errorf("%s printed %s, which the lesson says it does not.\nThe lesson says: %s\nOutput:\n%s", call, strconv.Quote(a), r.claim, text)
		}
	}
}

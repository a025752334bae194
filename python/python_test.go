package python_test

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// scales are the --scale values a script runs with, one after the other until its output
// shows every fact: at 0.1, one seed second takes 0.1 s of real time. The scripts print
// times in seed seconds rounded to the nearest half, so a run late by a quarter of a seed
// second (25 ms at 0.1) prints another time. On a busy machine that happens; a slower run
// shows whether it was the machine or the facts. A fact that is wrong fails at every scale.
var scales = []string{"0.1", "0.3", "0.6"}

// scriptTimeout bounds one script's real running time. It is a subprocess, not a kata's
// timing: generous, and only there so that a script that hangs fails instead of blocking.
const scriptTimeout = 30 * time.Second

// A run is one script run with its arguments, and the facts the lessons state about its
// output.
type run struct {
	script string   // path below python/
	args   []string // after --scale
	exit   int      // the wanted exit status
	facts  []fact
}

// A fact is one thing a lesson says the output shows.
type fact struct {
	// claim is the lesson's sentence the output backs, said in the failure message.
	claim string
	// want are lines the output must hold, each a whole line, in this order (other lines
	// may come between them); "*x" is a line ending in x, "x*" one starting with x. stdout
	// and stderr are read as one stream (python -u).
	want []string
	// absent are texts that must appear nowhere in the output.
	absent []string
	// since and before bound the Python 3 minor versions the fact holds for: since <= minor
	// < before (0 for no bound).
	since, before int
}

// versions says which Python versions the fact is about.
func (f fact) versions() string {
	switch {
	case f.since > 0 && f.before > 0:
		return fmt.Sprintf("it is about 3.%d to 3.%d", f.since, f.before-1)
	case f.since > 0:
		return fmt.Sprintf("it is about 3.%d and later", f.since)
	case f.before > 0:
		return fmt.Sprintf("it is about versions before 3.%d", f.before)
	}
	return "it is about every version"
}

// holds reports whether the fact is about Python 3.minor.
func (f fact) holds(minor int) bool {
	return (f.since == 0 || minor >= f.since) && (f.before == 0 || minor < f.before)
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

// TestMain runs the scripts eight at a time, unless -parallel says otherwise: they mostly
// sleep, so more of them than cores can run at once (go test's default is one per core).
func TestMain(m *testing.M) {
	flag.Parse()
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == "test.parallel" })
	if !set {
		flag.Set("test.parallel", "8")
	}
	os.Exit(m.Run())
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
			var facts []fact
			for _, f := range r.facts {
				if f.holds(minor) {
					facts = append(facts, f)
				} else {
					t.Logf("not checked on Python 3.%d (%s): %s", minor, f.versions(), f.claim)
				}
			}
			check(t, py, r, facts)
		})
	}
}

func check(t *testing.T, py string, r run, facts []fact) {
	var problems []string
	for i, scale := range scales {
		problems = attempt(t, py, r, facts, scale)
		if len(problems) == 0 {
			if i > 0 {
				t.Logf("passed at --scale %s, after a mismatch at %s (a busy machine?)", scale, scales[i-1])
			}
			return
		}
	}
	for _, p := range problems {
		t.Error(p)
	}
}

// attempt runs the script once at scale and returns what is wrong with its output.
func attempt(t *testing.T, py string, r run, facts []fact, scale string) []string {
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
		return []string{fmt.Sprintf("%s still ran after %v: a script that hangs is a bug in the script. Output so far:\n%s", call, scriptTimeout, text)}
	}
	var problems []string
	exit := 0
	if ee := (*exec.ExitError)(nil); errors.As(err, &ee) {
		exit = ee.ExitCode()
	} else if err != nil {
		return []string{fmt.Sprintf("%s: %v", call, err)}
	}
	if exit != r.exit {
		problems = append(problems, fmt.Sprintf("%s exited with status %d, want %d. Output:\n%s", call, exit, r.exit, text))
	}
	lines := strings.Split(text, "\n")
	for _, f := range facts {
		if p := f.check(lines, text); p != "" {
			problems = append(problems, fmt.Sprintf("%s %s\nThe lesson says: %s\nIf Python changed, change the lesson and this test together. Output:\n%s",
				call, p, f.claim, text))
		}
	}
	return problems
}

// check returns what the output does not show of f, or "".
func (f fact) check(lines []string, text string) string {
	next := 0
	for _, w := range f.want {
		found := false
		for next < len(lines) && !found {
			line := strings.TrimRight(lines[next], " ")
			next++
			found = line == w || strings.HasPrefix(w, "*") && strings.HasSuffix(line, w[1:]) ||
				strings.HasSuffix(w, "*") && strings.HasPrefix(line, w[:len(w)-1])
		}
		if !found {
			return fmt.Sprintf("printed no line %s after the lines before it in the list.", strconv.Quote(w))
		}
	}
	for _, a := range f.absent {
		if strings.Contains(text, a) {
			return fmt.Sprintf("printed %s, which the lesson says it does not.", strconv.Quote(a))
		}
	}
	return ""
}

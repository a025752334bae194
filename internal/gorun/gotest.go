package gorun

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-async-katas/katas/internal/gotrace"
)

// An Event is one line of `go test -json` (cmd/test2json).
type Event struct {
	Action      string
	Package     string
	Test        string
	Output      string
	ImportPath  string // build-output and build-fail events
	FailedBuild string
	Elapsed     float64 // seconds, on pass and fail events
}

// A TestResult is what happened to one top-level test.
type TestResult struct {
	Status string      // "pass", "fail", "skip", or "run" while it has not ended
	Output []string    // its lines and its subtests', as go test -v prints them
	Cases  []*TestCase // the test itself and each subtest, in the order they started
}

// A TestCase is the test itself or one of its subtests.
type TestCase struct {
	Name   string
	Status string
	Lines  []string // what it printed itself, without go test's === and --- lines
}

// A PkgResult is what happened to one package in a go test run.
type PkgResult struct {
	ImportPath string
	Status     string        // "pass", "fail", "skip" (no test files), or "" if it never ran
	Elapsed    time.Duration // how long the test binary ran, as go test reports it
	Tests      map[string]*TestResult
	Order      []string // top-level tests in the order they started
	Output     []string // lines printed outside any test: build errors, crashes, summaries
}

// BuildFailed reports whether the package's test binary did not build.
func (p *PkgResult) BuildFailed() bool {
	return p.Status == "fail" && len(p.Tests) == 0 && slices.ContainsFunc(p.Output, func(l string) bool {
		return strings.Contains(l, "[build failed]") || strings.Contains(l, "[setup failed]")
	})
}

// Crash returns the first line of a panic or fatal error that ended the test binary, and the
// test that was running then ("" if none was). A line that merely reads "panic: …" (an
// example's expected output, say) is not a crash: a crash is followed by goroutine traces.
func (p *PkgResult) Crash() (line, test string) {
	for _, name := range p.Order {
		if l, _ := gotrace.Crash(p.Tests[name].Output); l != "" && p.Tests[name].Status != "pass" {
			return l, name
		}
	}
	l, _ := gotrace.Crash(p.Output)
	return l, ""
}

// RunResult is the outcome of one `go test -json` run, by import path.
type RunResult map[string]*PkgResult

func (r RunResult) pkg(importPath string) *PkgResult {
	p, ok := r[importPath]
	if !ok {
		p = &PkgResult{ImportPath: importPath, Tests: map[string]*TestResult{}}
		r[importPath] = p
	}
	return p
}

// GoTest runs `go test -json args...` in dir and collects what happened to each package and
// test; onEvent, if not nil, sees each Event as it comes. A failing test is not an error; only
// a run that could not start is. When ctx ends, go test and the test binaries it started are
// killed.
func GoTest(ctx context.Context, dir string, env []string, onEvent func(Event), args ...string) (RunResult, error) {
	cmd := exec.CommandContext(ctx, "go", append([]string{"test", "-json"}, args...)...)
	cmd.Dir = dir
	res, stderr, exit, err := runJSON(ctx, cmd, env, onEvent)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("go test: %w", err)
	}
	if len(res) == 0 && exit != nil {
		return nil, fmt.Errorf("go test %s: %w\n%s", strings.Join(args, " "), exit, stderr)
	}
	// Errors that stop go test before it reaches a package (a bad pattern, a go.mod problem)
	// only reach stderr.
	if s := strings.TrimSpace(stderr); s != "" {
		p := res.pkg("")
		p.Status = "fail"
		p.Output = append(p.Output, strings.Split(s, "\n")...)
	}
	return res, nil
}

// runJSON runs cmd, a command that prints go test -json events (go test -json, go tool
// test2json), with env added to its environment, and returns what the events say, what it
// printed on standard error, and its exit error if it exited non-zero; err is for a command
// that could not run, or ctx ending. When ctx ends, cmd and the processes it started are
// killed.
func runJSON(ctx context.Context, cmd *exec.Cmd, env []string, onEvent func(Event)) (res RunResult, stderr string, exit *exec.ExitError, err error) {
	// The harness's crash monitor only delays the end of each run here: the tool explains
	// crashes itself. env may turn it on again.
	cmd.Env = append(append(os.Environ(), gotrace.CrashMonitorEnv+"=off"), env...)
	killGroup(cmd)
	cmd.WaitDelay = 2 * time.Second
	var errOut bytes.Buffer
	cmd.Stderr = &errOut
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, "", nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, "", nil, err
	}
	res = ParseEvents(stdout, onEvent)
	err = cmd.Wait()
	if ctx.Err() != nil {
		return nil, "", nil, ctx.Err()
	}
	if err != nil && !errors.As(err, &exit) {
		return nil, "", nil, err
	}
	return res, errOut.String(), exit, nil
}

func (tr *TestResult) TestCase(name string) *TestCase {
	for _, tc := range tr.Cases {
		if tc.Name == name {
			return tc
		}
	}
	tc := &TestCase{Name: name, Status: "run"}
	tr.Cases = append(tr.Cases, tc)
	return tc
}

// Failures returns the cases that failed with something to say, in the order they ran.
func (tr *TestResult) Failures() []*TestCase {
	var out []*TestCase
	for _, tc := range tr.Cases {
		if tc.Status != "pass" && tc.Status != "skip" && len(strings.TrimSpace(strings.Join(tc.Lines, ""))) > 0 {
			out = append(out, tc)
		}
	}
	return out
}

// ParseEvents reads a go test -json stream; onEvent, if not nil, sees each Event.
func ParseEvents(r io.Reader, onEvent func(Event)) RunResult {
	res := RunResult{}
	buildOutput := map[string][]string{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 16*1024*1024)
	for sc.Scan() {
		var e Event
		if json.Unmarshal(sc.Bytes(), &e) != nil {
			continue
		}
		if onEvent != nil {
			onEvent(e)
		}
		if e.Action == "build-output" {
			buildOutput[e.ImportPath] = append(buildOutput[e.ImportPath], strings.TrimSuffix(e.Output, "\n"))
			continue
		}
		if e.Package == "" {
			continue
		}
		p := res.pkg(e.Package)
		top, _, _ := strings.Cut(e.Test, "/")
		switch {
		case e.Test == "" && e.Action == "output":
			p.Output = append(p.Output, strings.TrimSuffix(e.Output, "\n"))
		case e.Test == "" && (e.Action == "pass" || e.Action == "fail" || e.Action == "skip"):
			p.Status = e.Action
			p.Elapsed = time.Duration(e.Elapsed * float64(time.Second))
			if e.FailedBuild != "" {
				p.Output = append(buildOutput[e.FailedBuild], p.Output...)
			}
		case e.Test != "":
			tr, ok := p.Tests[top]
			if !ok {
				tr = &TestResult{Status: "run"}
				p.Tests[top] = tr
				p.Order = append(p.Order, top)
			}
			tc := tr.TestCase(e.Test)
			switch e.Action {
			case "output":
				line := strings.TrimSuffix(e.Output, "\n")
				tr.Output = append(tr.Output, line)
				if t := strings.TrimSpace(line); !strings.HasPrefix(t, "=== ") && !strings.HasPrefix(t, "--- ") {
					tc.Lines = append(tc.Lines, line)
				}
			case "pass", "fail", "skip":
				tc.Status = e.Action
				if e.Test == top {
					tr.Status = e.Action
				}
			}
		}
	}
	return res
}

// RaceSupported reports whether `go test -race` can work here: cgo on, on a platform the
// race detector supports.
func RaceSupported(ctx context.Context) bool {
	out, err := exec.CommandContext(ctx, "go", "env", "CGO_ENABLED").Output()
	if err != nil || strings.TrimSpace(string(out)) != "1" {
		return false
	}
	switch runtime.GOOS + "/" + runtime.GOARCH {
	case "linux/amd64", "linux/arm64", "linux/ppc64le", "linux/s390x", "linux/loong64",
		"darwin/amd64", "darwin/arm64", "windows/amd64", "windows/arm64",
		"freebsd/amd64", "freebsd/arm64", "netbsd/amd64":
		return true
	}
	return false
}

// RaceEnv keeps a -race test binary from sleeping a second at exit (GORACE's default),
// unless the user chose GORACE settings of their own.
func RaceEnv() []string {
	if os.Getenv("GORACE") != "" {
		return nil
	}
	return []string{"GORACE=atexit_sleep_ms=0"}
}

// ModulePath returns the module path of the module at dir, from its go.mod's module line.
func ModulePath(dir string) (string, error) {
	b, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil {
		return "", err
	}
	for l := range strings.Lines(string(b)) {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(l), "module"); ok && rest != "" && (rest[0] == ' ' || rest[0] == '\t') {
			if p, err := strconv.Unquote(strings.TrimSpace(rest)); err == nil {
				return p, nil
			}
			return strings.TrimSpace(strings.Split(rest, "//")[0]), nil
		}
	}
	return "", fmt.Errorf("%s has no module line", filepath.Join(dir, "go.mod"))
}

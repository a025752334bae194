package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
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

// An event is one line of `go test -json` (cmd/test2json).
type event struct {
	Action      string
	Package     string
	Test        string
	Output      string
	ImportPath  string // build-output and build-fail events
	FailedBuild string
	Elapsed     float64 // seconds, on pass and fail events
}

// A testResult is what happened to one top-level test.
type testResult struct {
	status string      // "pass", "fail", "skip", or "run" while it has not ended
	output []string    // its lines and its subtests', as go test -v prints them
	cases  []*testCase // the test itself and each subtest, in the order they started
}

// A testCase is the test itself or one of its subtests.
type testCase struct {
	name   string
	status string
	lines  []string // what it printed itself, without go test's === and --- lines
}

// A pkgResult is what happened to one package in a go test run.
type pkgResult struct {
	importPath string
	status     string        // "pass", "fail", "skip" (no test files), or "" if it never ran
	elapsed    time.Duration // how long the test binary ran, as go test reports it
	tests      map[string]*testResult
	order      []string // top-level tests in the order they started
	output     []string // lines printed outside any test: build errors, crashes, summaries
}

// buildFailed reports whether the package's test binary did not build.
func (p *pkgResult) buildFailed() bool {
	return p.status == "fail" && len(p.tests) == 0 && slices.ContainsFunc(p.output, func(l string) bool {
		return strings.Contains(l, "[build failed]") || strings.Contains(l, "[setup failed]")
	})
}

// crash returns the first line of a panic or fatal error that ended the test binary, and the
// test that was running then ("" if none was). A line that merely reads "panic: …" (an
// example's expected output, say) is not a crash: a crash is followed by goroutine traces.
func (p *pkgResult) crash() (line, test string) {
	for _, name := range p.order {
		if l, _ := gotrace.Crash(p.tests[name].output); l != "" && p.tests[name].status != "pass" {
			return l, name
		}
	}
	l, _ := gotrace.Crash(p.output)
	return l, ""
}

// runResult is the outcome of one `go test -json` run, by import path.
type runResult map[string]*pkgResult

func (r runResult) pkg(importPath string) *pkgResult {
	p, ok := r[importPath]
	if !ok {
		p = &pkgResult{importPath: importPath, tests: map[string]*testResult{}}
		r[importPath] = p
	}
	return p
}

// goTest runs `go test -json args...` in dir and collects what happened to each package and
// test; onEvent, if not nil, sees each event as it comes. A failing test is not an error; only
// a run that could not start is. When ctx ends, go test and the test binaries it started are
// killed.
func goTest(ctx context.Context, dir string, env []string, onEvent func(event), args ...string) (runResult, error) {
	cmd := exec.CommandContext(ctx, "go", append([]string{"test", "-json"}, args...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	killGroup(cmd)
	cmd.WaitDelay = 2 * time.Second
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("go test: %w", err)
	}
	res := parseEvents(stdout, onEvent)
	err = cmd.Wait()
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if _, failed := err.(*exec.ExitError); err != nil && !failed {
		return nil, fmt.Errorf("go test: %w", err)
	}
	if len(res) == 0 && err != nil {
		return nil, fmt.Errorf("go test %s: %w\n%s", strings.Join(args, " "), err, stderr.String())
	}
	// Errors that stop go test before it reaches a package (a bad pattern, a go.mod problem)
	// only reach stderr.
	if s := strings.TrimSpace(stderr.String()); s != "" {
		p := res.pkg("")
		p.status = "fail"
		p.output = append(p.output, strings.Split(s, "\n")...)
	}
	return res, nil
}

func (tr *testResult) testCase(name string) *testCase {
	for _, tc := range tr.cases {
		if tc.name == name {
			return tc
		}
	}
	tc := &testCase{name: name, status: "run"}
	tr.cases = append(tr.cases, tc)
	return tc
}

// failures returns the cases that failed with something to say, in the order they ran.
func (tr *testResult) failures() []*testCase {
	var out []*testCase
	for _, tc := range tr.cases {
		if tc.status != "pass" && tc.status != "skip" && len(strings.TrimSpace(strings.Join(tc.lines, ""))) > 0 {
			out = append(out, tc)
		}
	}
	return out
}

// parseEvents reads a go test -json stream; onEvent, if not nil, sees each event.
func parseEvents(r io.Reader, onEvent func(event)) runResult {
	res := runResult{}
	buildOutput := map[string][]string{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 16*1024*1024)
	for sc.Scan() {
		var e event
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
			p.output = append(p.output, strings.TrimSuffix(e.Output, "\n"))
		case e.Test == "" && (e.Action == "pass" || e.Action == "fail" || e.Action == "skip"):
			p.status = e.Action
			p.elapsed = time.Duration(e.Elapsed * float64(time.Second))
			if e.FailedBuild != "" {
				p.output = append(buildOutput[e.FailedBuild], p.output...)
			}
		case e.Test != "":
			tr, ok := p.tests[top]
			if !ok {
				tr = &testResult{status: "run"}
				p.tests[top] = tr
				p.order = append(p.order, top)
			}
			tc := tr.testCase(e.Test)
			switch e.Action {
			case "output":
				line := strings.TrimSuffix(e.Output, "\n")
				tr.output = append(tr.output, line)
				if t := strings.TrimSpace(line); !strings.HasPrefix(t, "=== ") && !strings.HasPrefix(t, "--- ") {
					tc.lines = append(tc.lines, line)
				}
			case "pass", "fail", "skip":
				tc.status = e.Action
				if e.Test == top {
					tr.status = e.Action
				}
			}
		}
	}
	return res
}

// raceSupported reports whether `go test -race` can work here: cgo on, on a platform the
// race detector supports.
func raceSupported(ctx context.Context) bool {
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

// raceEnv keeps a -race test binary from sleeping a second at exit (GORACE's default),
// unless the user chose GORACE settings of their own.
func raceEnv() []string {
	if os.Getenv("GORACE") != "" {
		return nil
	}
	return []string{"GORACE=atexit_sleep_ms=0"}
}

// modulePath returns the module path of the module at dir, from its go.mod's module line.
func modulePath(dir string) (string, error) {
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

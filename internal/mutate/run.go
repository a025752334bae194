package mutate

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// A runner builds test binaries and runs them.
type runner struct {
	root    string
	tmp     string // a scratch folder, removed at the end
	race    bool
	hang    time.Duration
	timeout time.Duration // go test's -timeout for one run: a backstop behind the hang detector
	count   int           // -test.count: how many times each test runs
	base    map[string]string
}

// writeOverlay writes a go build -overlay file with the base replacements (every solution
// over its stub) and extra ones over them; it returns its path.
func (r *runner) writeOverlay(name string, extra map[string]string) (string, error) {
	m := map[string]string{}
	for k, v := range r.base {
		m[k] = v
	}
	for k, v := range extra {
		m[k] = v
	}
	data, err := json.Marshal(map[string]map[string]string{"Replace": m})
	if err != nil {
		return "", err
	}
	p := filepath.Join(r.tmp, name)
	return p, os.WriteFile(p, data, 0o644)
}

// build compiles the test binary of each package (a "./dir" pattern) into outDir, named
// after the last element of the package's folder; it returns go's output if it fails.
func (r *runner) build(ctx context.Context, overlayFile, outDir string, pkgs []string) (string, error) {
	args := []string{"test", "-c", "-vet=off", "-overlay", overlayFile, "-o", outDir + string(filepath.Separator)}
	if r.race {
		args = append(args, "-race")
	}
	cmd := exec.CommandContext(ctx, "go", append(args, pkgs...)...)
	cmd.Dir = r.root
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// A result is what one run of a test binary did.
type result struct {
	passed bool
	detail string // why it failed, one line
	output string
}

// runTests runs tests of the binary bin in package folder dir with mutant id switched on,
// and hang as the hang detector's bound.
func (r *runner) runTests(ctx context.Context, bin, dir string, tests []string, id int, hang time.Duration) result {
	timeout := max(r.timeout, 2*hang)
	ctx, cancel := context.WithTimeout(ctx, timeout+15*time.Second)
	defer cancel()
	quoted := make([]string, len(tests))
	for i, t := range tests {
		quoted[i] = regexp.QuoteMeta(t)
	}
	cmd := exec.CommandContext(ctx, bin, "-test.run=^("+strings.Join(quoted, "|")+")$", "-test.count="+strconv.Itoa(r.count),
		"-test.failfast", "-test.paniconexit0", "-test.timeout="+timeout.String())
	cmd.Dir = dir
	var env []string
	for _, e := range os.Environ() {
		if k, _, _ := strings.Cut(e, "="); k != "KATA_MUTANT" && k != "KATA_HANG_TIMEOUT" && k != "GORACE" && k != "KATATEST_ISOLATED" {
			env = append(env, e)
		}
	}
	cmd.Env = append(env, "KATA_MUTANT="+strconv.Itoa(id), "KATA_HANG_TIMEOUT="+hang.String(),
		"GORACE="+strings.TrimSpace(os.Getenv("GORACE")+" atexit_sleep_ms=0"))
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.WaitDelay = 2 * time.Second
	processGroup(cmd)
	err := cmd.Run()
	killGroup(cmd)
	res := result{passed: err == nil, output: out.String()}
	switch {
	case ctx.Err() != nil:
		res.passed, res.detail = false, "killed after "+(timeout+15*time.Second).String()+" (a hang)"
	case err == nil && strings.Contains(res.output, "testing: warning: no tests to run"):
		res.passed, res.detail = false, "no tests ran"
	case err != nil:
		res.detail = failureLine(res.output, err)
	}
	return res
}

var failurePrefixes = []string{"--- HANG", "WARNING: DATA RACE", "panic: ", "fatal error: ", "--- FAIL: ", "FAIL"}

// failureLine picks the line that best says why a run failed.
func failureLine(out string, err error) string {
	lines := strings.Split(out, "\n")
	for _, p := range failurePrefixes {
		for i, l := range lines {
			l = strings.TrimSpace(l)
			if !strings.HasPrefix(l, p) {
				continue
			}
			switch p {
			case "WARNING: DATA RACE":
				return "a data race"
			case "--- FAIL: ":
				// "--- FAIL: TestX (0.00s)", its first failing subtest's, and the first
				// message below them.
				name, _, _ := strings.Cut(strings.TrimPrefix(l, p), " ")
				for j := i + 1; j < len(lines); j++ {
					next := strings.TrimSpace(lines[j])
					if sub, ok := strings.CutPrefix(next, p); ok {
						name, _, _ = strings.Cut(sub, " ")
						continue
					}
					if next != "" && !strings.HasPrefix(next, "---") && !strings.HasPrefix(next, "=== ") {
						return name + ": " + strings.Join(strings.Fields(next), " ")
					}
					break
				}
				return name + " failed"
			}
			return strings.Join(strings.Fields(l), " ")
		}
	}
	return err.Error()
}

// tail returns the last n lines of s, indented.
func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = append([]string{"..."}, lines[len(lines)-n:]...)
	}
	return "    " + strings.Join(lines, "\n    ")
}

func elapsed(d time.Duration) string { return d.Round(100 * time.Millisecond).String() }

func fmtCount(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}

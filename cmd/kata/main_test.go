package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/go-async-katas/katas/internal/catalog"
	"github.com/go-async-katas/katas/internal/gorun"
	"github.com/go-async-katas/katas/internal/render"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// runKata runs the command in-process on a tree under testdata and returns its exit code and
// what it printed.
func runKata(t *testing.T, tree string, args ...string) (int, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(t.Context(), append([]string{"-C", filepath.Join("testdata", tree), "-race=off"}, args...), &stdout, &stderr)
	return code, stdout.String() + stderr.String()
}

// TestVerifyReportsEveryFault runs verify on a tree where each package breaks the contract
// in one way, and checks each is reported.
func TestVerifyReportsEveryFault(t *testing.T) {
	t.Parallel()
	code, out := runKata(t, "verify", "verify")
	t.Log(out)

	assert.Equal(t, 1, code, "verify must exit 1 when a check fails")
	for _, want := range []string{
		"✓ TestAdd  fails on the stub, passes on the solution",
		"✓ solutions/good",
		"✗ ExampleSub in badsolution/sub_test.go runs on the real clock beside the learner's stub",
		"✗ TestNoop  passes on the stub: this test cannot fail",
		"✗ TestSub     fails on the solution",
		"sub_test.go:10: Sub(5, 3) = -2, want 2",
		"✗ TestBoom       crashed the test binary on the stub (panic: stub exploded): stubs must never panic",
		"✗ TestAfterBoom  did not run on the stub: the binary crashed in TestBoom first",
		"✗ TestLost in orphan/misc_test.go belongs to no kata",
		"✗ solutions/stray/extra.go replaces no file: there is no stray/extra.go",
		"✓ go vet: tests against the solutions",
	} {
		assert.Contains(t, out, want)
	}
	assert.True(t, strings.HasSuffix(out, "\n7 passed, 8 failed\n"), "verify must end with the count line, got:\n%s", lastLines(out, 3))
}

func TestVerifySelectsPackages(t *testing.T) {
	t.Parallel()
	code, out := runKata(t, "verify", "verify", "./good")
	assert.Equal(t, 0, code, "./good keeps the contract, so verify ./good must pass:\n%s", out)
	assert.NotContains(t, out, "TestNoop", "only ./good was asked for")
	assert.Contains(t, out, "✓ solutions/good", "the solution's examples run with the folder they belong to")
	assert.True(t, strings.HasSuffix(out, "\n6 passed, 0 failed\n"), "got:\n%s", lastLines(out, 3))
}

func TestTestSolutions(t *testing.T) {
	t.Parallel()
	code, out := runKata(t, "verify", "test-solutions", "-run", "TestAdd", "-v", "./good")
	assert.Equal(t, 0, code, "TestAdd passes on the solution:\n%s", out)
	assert.Contains(t, out, "--- PASS: TestAdd", "go test's own output is passed through")

	code, out = runKata(t, "verify", "test-solutions", "./badsolution")
	assert.Equal(t, 1, code, "go test's exit code is kept:\n%s", out)
	assert.Contains(t, out, "Sub(5, 3) = -2, want 2")
}

func TestBoard(t *testing.T) {
	t.Parallel()
	code, out := runKata(t, "board")
	t.Log(out)

	assert.Equal(t, 0, code, "the board exits 0 whatever the katas' state")
	assert.Contains(t, out, "1 of 3 katas solved")
	zeta, alpha := strings.Index(out, "✓ zeta    the first one"), strings.Index(out, "✗ alpha   the second one")
	require.True(t, zeta >= 0 && alpha >= 0, "both katas of a/ must be listed with their state and title")
	assert.Less(t, zeta, alpha, "katas are in the catalog's order (katas.json), not by name")
	assert.Contains(t, out, "✗ broken")
	assert.Contains(t, out, "Next: alpha — the second one (a)")
	assert.Contains(t, out, "Edit:   "+filepath.FromSlash("a/alpha.go"))
	assert.Contains(t, out, `Test:   go test ./a -timeout 2m -run "^(TestAlpha)$"`)
	assert.Contains(t, out, "Alpha() = 0, want 1: return one", "the first failure message is shown")
	assert.Contains(t, out, "(and 1 more failing case)")
}

func TestStatusOfBrokenBuild(t *testing.T) {
	t.Parallel()
	root, err := catalog.FindRoot(filepath.Join("testdata", "board", "b"))
	require.NoError(t, err)
	tr, err := catalog.Load(root)
	require.NoError(t, err)
	res, err := gorun.GoTest(t.Context(), root, nil, nil, "./b")
	require.NoError(t, err)

	var broken *catalog.Kata
	for _, k := range tr.Katas() {
		if k.Name == "broken" {
			broken = k
		}
	}
	require.NotNil(t, broken)
	st := render.StatusOf(broken, res["example.com/board/b"])
	assert.False(t, st.Solved)
	assert.Equal(t, "the package does not compile", st.Reason)
	assert.Contains(t, strings.Join(st.Detail, "\n"), `cannot use "two"`)
}

func TestUsage(t *testing.T) {
	tests := []struct {
		name       string
		give       []string
		wantCode   int
		wantStdout string // "" when nothing is wanted there
		wantStderr string
	}{
		{"help", []string{"help"}, 0, "Usage:", ""},
		{"-h", []string{"-h"}, 0, "Usage:", ""},
		{"--help", []string{"--help"}, 0, "Usage:", ""},
		{"-h after a command", []string{"hint", "-h"}, 0, "Usage:", ""},
		{"help lists the learner's commands", []string{"help"}, 0, "compare [-force] [kata]", ""},
		{"help lists reset", []string{"help"}, 0, "reset [-force] [kata]", ""},
		{"unknown command", []string{"frobnicate"}, 2, "", `kata: there is no command "frobnicate"` + "\nRun 'go run ./cmd/kata help' for the commands and their flags.\n"},
		{"bad race mode", []string{"-race=maybe"}, 2, "", "-race takes auto, on or off"},
		{"bad race mode after the command", []string{"-C", filepath.Join("testdata", "tools"), "list", "-race=maybe"}, 2, "", "-race takes auto, on or off"},
		{"not a repository", []string{"-C", "/"}, 1, "", "no kata repository"},
		{"bad hint flag", []string{"hint", "-x"}, 2, "", "kata: hint has no flag -x\n"},
		{"reset's flag is not list's", []string{"list", "-force"}, 2, "", "kata: list has no flag -force\n"},
		{"list takes no kata", []string{"list", "sum"}, 2, "", `kata: list takes no arguments, not "sum"`},
		{"compare takes one kata", []string{"compare", "sum", "tasks"}, 2, "", `kata: compare takes one kata, not "tasks"`},
		{"unknown kata", []string{"-C", filepath.Join("testdata", "tools"), "hint", "nope"}, 1, "", `there is no kata called "nope"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(t.Context(), tt.give, &stdout, &stderr)
			assert.Equal(t, tt.wantCode, code, "kata %s: exit code", strings.Join(tt.give, " "))
			assert.Contains(t, stdout.String(), tt.wantStdout, "kata %s: stdout", strings.Join(tt.give, " "))
			assert.Contains(t, stderr.String(), tt.wantStderr, "kata %s: stderr", strings.Join(tt.give, " "))
			if tt.wantCode == 2 {
				assert.Less(t, strings.Count(stderr.String(), "\n"), 3, "a usage error says the one thing wrong, not the whole help")
			}
		})
	}
}

// TestFlagsAfterTheCommand checks that flags are parsed the same way wherever they are:
// before the command's name, after it, or after its arguments.
func TestFlagsAfterTheCommand(t *testing.T) {
	tests := []struct {
		give     []string
		wantCmd  string
		wantOpts options
		wantRest []string
		wantErr  string
	}{
		{[]string{"-race=on", "verify", "./good"}, "verify", options{race: "on"}, []string{"./good"}, ""},
		{[]string{"verify", "-race=on", "./good"}, "verify", options{race: "on"}, []string{"./good"}, ""},
		{[]string{"verify", "./good", "-race=off", "./bad"}, "verify", options{race: "off"}, []string{"./good", "./bad"}, ""},
		{[]string{"verify", "./good", "-C", "dir"}, "verify", options{race: "auto", dir: "dir"}, []string{"./good"}, ""},
		{[]string{"hint", "one", "-all"}, "hint", options{race: "auto", all: true}, []string{"one"}, ""},
		{[]string{"-reset", "hint"}, "", options{}, nil, "kata has no flag -reset"}, // not yet hint's flag
		{[]string{"compare", "-force", "one"}, "compare", options{race: "auto", force: true}, []string{"one"}, ""},
		{[]string{"reset", "one", "-force"}, "reset", options{race: "auto", force: true}, []string{"one"}, ""},
		{[]string{"list", "-race", "off"}, "list", options{race: "off"}, nil, ""},
		{[]string{"-C", "dir"}, "", options{race: "auto", dir: "dir"}, nil, ""},
		// Raw commands hand everything after their name to go test, or to mutate, as it is.
		{[]string{"-race=off", "test-solutions", "-run", "TestAdd", "-race", "./good"}, "test-solutions", options{race: "off"}, []string{"-run", "TestAdd", "-race", "./good"}, ""},
	}
	for _, tt := range tests {
		cmd, opts, rest, err := parseArgs(tt.give)
		if tt.wantErr != "" {
			assert.ErrorContains(t, err, tt.wantErr, "kata %s", strings.Join(tt.give, " "))
			continue
		}
		require.NoError(t, err, "kata %s", strings.Join(tt.give, " "))
		assert.Equal(t, tt.wantCmd, cmd.name, "kata %s: the command", strings.Join(tt.give, " "))
		assert.Equal(t, tt.wantOpts, opts, "kata %s: the flags", strings.Join(tt.give, " "))
		assert.Equal(t, tt.wantRest, rest, "kata %s: the arguments", strings.Join(tt.give, " "))
	}
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

func TestDocDiffs(t *testing.T) {
	dir := t.TempDir()
	stub := "// Package p is p.\npackage p\n\n// Sum adds.\nfunc Sum(a, b int) int { return 0 }\n\n// T is a thing.\ntype T struct{}\n\n// Get gets.\nfunc (t *T) Get() int { return 0 }\n\nfunc helper() {}\n"
	sol := "// Package p is p.\npackage p\n\n// Sum adds two numbers.\nfunc Sum(a, b int) int { return a + b }\n\n// T is a thing.\ntype T struct{}\n\nfunc (t *T) Get() int { return 1 }\n\n// Extra is new.\nvar Extra = 1\n\n// helper may differ.\nfunc helper() {}\n"
	for p, content := range map[string]string{"p/k.go": stub, "solutions/p/k.go": sol} {
		require.NoError(t, os.MkdirAll(filepath.Join(dir, filepath.Dir(p)), 0o755))
		write(t, filepath.Join(dir, filepath.FromSlash(p)), content)
	}
	k := &catalog.Kata{Pkg: &catalog.Package{Dir: "p"}, Name: "k"}
	got, err := docDiffs(dir, k)
	require.NoError(t, err)
	assert.Equal(t, []string{
		"Extra is in solutions/p/k.go but not in p/k.go",
		"the doc comment of Sum differs between p/k.go and solutions/p/k.go",
		"the doc comment of T.Get differs between p/k.go and solutions/p/k.go",
	}, got)
}

func TestNullIsNoTerminal(t *testing.T) {
	null, err := os.Open(os.DevNull)
	require.NoError(t, err)
	defer null.Close()
	assert.False(t, isTerminal(null), "stdin from %s (kata watch </dev/null) is no terminal to ask a question on", os.DevNull)
}

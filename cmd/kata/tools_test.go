package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-async-katas/katas/internal/catalog"
	"github.com/go-async-katas/katas/internal/gorun"
	"github.com/go-async-katas/katas/internal/render"
)

// newApp returns an app that writes to out, without colour, keeping its state in a
// temporary folder.
func newApp(t *testing.T, out io.Writer) *app {
	t.Helper()
	return &app{stdin: strings.NewReader(""), stdout: out, stderr: out, stateDir: t.TempDir(), runKatas: runShared}
}

// sharedRuns holds the one run of each set of folders of each tree under testdata.
var sharedRuns sync.Map // "root|race|dir dir..." → func() (gorun.Results, error)

// runShared runs the katas of a tree under testdata once for each set of folders, and hands
// every later caller the same results: those trees never change, go test does not cache a
// failing test, and each run costs a go command. A tree a test copies, and may edit, runs
// anew each time.
func runShared(ctx context.Context, r *gorun.Runner, pkgs []*catalog.Package) (gorun.Results, error) {
	testdata, err := filepath.Abs("testdata")
	if err != nil {
		return nil, err
	}
	if !strings.HasPrefix(r.Root, testdata+string(filepath.Separator)) {
		return r.Run(ctx, pkgs)
	}
	key := fmt.Sprintf("%s|%v", r.Root, r.Race)
	for _, p := range pkgs {
		key += "|" + p.Dir
	}
	once, _ := sharedRuns.LoadOrStore(key, sync.OnceValues(func() (gorun.Results, error) { return r.Run(ctx, pkgs) }))
	return once.(func() (gorun.Results, error))()
}

// runApp runs a's command on the tree at dir (under testdata, or a copy) and returns the exit
// code and what it printed.
func runApp(t *testing.T, a *app, out *bytes.Buffer, dir string, args ...string) (int, string) {
	t.Helper()
	out.Reset()
	code := a.run(t.Context(), append([]string{"-C", dir, "-race=off"}, args...))
	return code, out.String()
}

func toolsTree() string { return filepath.Join("testdata", "tools") }

func TestList(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	code, got := runApp(t, newApp(t, &out), &out, toolsTree(), "list")
	t.Log(got)

	assert.Equal(t, 0, code)
	assert.Contains(t, got, "1 of 4 katas solved")
	for _, want := range []string{
		"✗ one         first   " + filepath.FromSlash("first/one.go") + "    return one  ← next",
		"✗ first/sum   first   " + filepath.FromSlash("first/sum.go") + "    add two numbers",
		"✓ second/sum  second  " + filepath.FromSlash("second/sum.go") + "   the other sum, already solved",
		"✗ three       third   " + filepath.FromSlash("third/three.go") + "\n",
	} {
		assert.Contains(t, got, want, "each kata on its own line: state, the name kata takes (with its folder when the stem is not unique), folder, file, title")
	}
	assert.Less(t, strings.Index(got, "first/sum "), strings.Index(got, "second/sum "), "learning order")
	assert.Equal(t, 1, strings.Count(got, "← next"), "only the first unsolved kata is next")
}

func TestNext(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	code, got := runApp(t, newApp(t, &out), &out, toolsTree(), "next")
	t.Log(got)

	assert.Equal(t, 0, code)
	for _, want := range []string{
		"1 of 4 katas solved",
		"Next: one — return one (first)",
		"Edit:   " + filepath.FromSlash("first/one.go") + ":5", // the TODO line
		"Lesson: " + filepath.FromSlash("first/README.md"),
		`Test:   go test ./first -timeout 2m -run "^(TestOne)$"`,
		"Why it is not solved yet: TestOne fails",
		"go run ./cmd/kata hint one",
	} {
		assert.Contains(t, got, want)
	}
}

func TestNextWhenAllSolved(t *testing.T) {
	t.Parallel()
	dir := copyTree(t, toolsTree())
	solve(t, dir, "first/one.go")
	solve(t, dir, "first/sum.go")
	solve(t, dir, "third/three.go")
	var out bytes.Buffer
	code, got := runApp(t, newApp(t, &out), &out, dir, "next")
	assert.Equal(t, 0, code)
	assert.Contains(t, got, "Every kata is solved.")
}

func TestHintSteps(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	a := newApp(t, &out)
	steps := []struct {
		give       []string
		wantHeader string
		wantLast   string // the last hint shown
		wantNot    string // a hint that must not be shown yet
		wantFooter string
	}{
		{[]string{"hint", "one"}, "hint 1 of 3", "1. A nudge", "2. It returns 0", "Ask again for hint 2: go run ./cmd/kata hint one"},
		{[]string{"hint", "one"}, "hint 2 of 3", "2. It returns 0; the test wants 1.\n   Change the return statement:\n\n   ```go\n   // 1. not a new hint", "3. Write", "Ask again for hint 3"},
		{[]string{"hint", "one"}, "hint 3 of 3", "3. Write `return 1`.", "", "That is every hint."},
		{[]string{"hint", "one"}, "hint 3 of 3", "3. Write `return 1`.", "", "That is every hint."},
		{[]string{"hint", "-reset", "one"}, "hint 1 of 3", "1. A nudge", "2. It returns 0", "Ask again for hint 2"},
		{[]string{"hint", "first/one.go", "-all"}, "hint 3 of 3", "3. Write `return 1`.", "", "That is every hint."},
	}
	for i, st := range steps {
		code, got := runApp(t, a, &out, toolsTree(), st.give...)
		require.Equal(t, 0, code, "step %d: kata %s:\n%s", i+1, strings.Join(st.give, " "), got)
		assert.Contains(t, got, "Hints for one — return one ("+filepath.FromSlash("first/README.md")+"): "+st.wantHeader, "step %d", i+1)
		assert.Contains(t, got, st.wantLast, "step %d", i+1)
		if st.wantNot != "" {
			assert.NotContains(t, got, st.wantNot, "step %d: hints come one at a time", i+1)
		}
		assert.Contains(t, got, st.wantFooter, "step %d", i+1)
	}

	// Progress is kept per kata, outside the repository.
	code, got := runApp(t, a, &out, toolsTree(), "hint", "first/sum")
	assert.Equal(t, 0, code)
	assert.Contains(t, got, "hint 1 of 1")
	assert.FileExists(t, filepath.Join(a.stateDir, "state.json"))
	assert.NoFileExists(t, filepath.Join(toolsTree(), "state.json"))
}

func TestHintForTheCurrentKata(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	code, got := runApp(t, newApp(t, &out), &out, toolsTree(), "hint")
	assert.Equal(t, 0, code)
	assert.Contains(t, got, "Hints for one — return one", "with no kata named, hint is for the first unsolved one")
	assert.Contains(t, got, "hint 1 of 3")
}

func TestHintWithoutHints(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	code, got := runApp(t, newApp(t, &out), &out, toolsTree(), "hint", "second/sum")
	assert.Equal(t, 0, code)
	assert.Contains(t, got, "second/sum has no hints in "+filepath.FromSlash("second/README.md"))
}

func TestFindKata(t *testing.T) {
	root, err := catalog.FindRoot(toolsTree())
	require.NoError(t, err)
	tr, err := catalog.Load(root)
	require.NoError(t, err)
	tests := []struct {
		give      string
		wantID    string
		wantShort string
		wantErr   string
	}{
		{give: "one", wantID: "first/one", wantShort: "one"},
		{give: "first/one", wantID: "first/one", wantShort: "one"},
		{give: "./first/one.go", wantID: "first/one", wantShort: "one"},
		{give: "first/sum", wantID: "first/sum", wantShort: "first/sum"},
		{give: "second/sum.go", wantID: "second/sum", wantShort: "second/sum"},
		{give: "sum", wantErr: `"sum" names 2 katas: first/sum, second/sum; say which, with its folder`},
		{give: "two", wantErr: `there is no kata called "two"`},
	}
	for _, tt := range tests {
		k, err := tr.Find(tt.give)
		if tt.wantErr != "" {
			assert.ErrorContains(t, err, tt.wantErr, "findKata(%q)", tt.give)
			continue
		}
		require.NoError(t, err, "findKata(%q)", tt.give)
		assert.Equal(t, tt.wantID, k.ID(), "findKata(%q)", tt.give)
		assert.Equal(t, tt.wantShort, tr.ShortName(k), "shortName(%s)", k.ID())
	}
}

func TestCompare(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	a := newApp(t, &out)

	code, got := runApp(t, a, &out, toolsTree(), "compare", "one")
	assert.Equal(t, 1, code, "compare of an unsolved kata with no terminal to ask on must refuse:\n%s", got)
	assert.Contains(t, got, "one is not solved yet, and the diff shows the answer")
	assert.Contains(t, got, "add -force to go ahead")
	assert.NotContains(t, got, "return 1", "the answer must not be shown without asking")

	code, got = runApp(t, a, &out, toolsTree(), "compare", "-force", "one")
	t.Log(got)
	assert.Equal(t, 0, code)
	for _, want := range []string{
		"--- " + filepath.FromSlash("first/one.go") + " (yours)\n",
		"+++ " + filepath.FromSlash("solutions/first/one.go") + " (the solution)\n",
		"@@ -2,6 +2,5 @@\n",
		"-\t// TODO: return one.\n-\treturn 0\n+\treturn 1\n }\n",
	} {
		assert.Contains(t, got, want, "a unified diff of the learner's file against the solution")
	}

	a.interactive, a.stdin = true, strings.NewReader("y\n")
	code, got = runApp(t, a, &out, toolsTree(), "compare")
	assert.Equal(t, 0, code)
	assert.Contains(t, got, "Show it anyway? [y/N]", "on a terminal, compare asks first")
	assert.Contains(t, got, "+\treturn 1", "with no kata named, compare shows the current one, once the learner says yes")

	a.stdin = strings.NewReader("\n")
	code, got = runApp(t, a, &out, toolsTree(), "compare", "one")
	assert.Equal(t, 1, code)
	assert.NotContains(t, got, "+\treturn 1", "no (the default) shows nothing")

	a.interactive = false
	code, got = runApp(t, a, &out, toolsTree(), "compare", "second/sum")
	assert.Equal(t, 0, code)
	assert.NotContains(t, got, "not solved", "second/sum is solved: nothing to ask")
	assert.Contains(t, got, filepath.FromSlash("second/sum.go")+" is the same as "+filepath.FromSlash("solutions/second/sum.go"))

	code, got = runApp(t, a, &out, toolsTree(), "compare", "sum")
	assert.Equal(t, 1, code)
	assert.Contains(t, got, `"sum" names 2 katas`)
}

func TestCompareSolvedButDifferent(t *testing.T) {
	t.Parallel()
	dir := copyTree(t, toolsTree())
	write(t, filepath.Join(dir, "first", "one.go"), "package first\n\n// One returns 1.\nfunc One() int { return 2 - 1 }\n")
	var out bytes.Buffer
	code, got := runApp(t, newApp(t, &out), &out, dir, "compare", "one")
	assert.Equal(t, 0, code)
	assert.NotContains(t, got, "not solved", "one is solved: nothing to ask")
	assert.Contains(t, got, "-func One() int { return 2 - 1 }\n")
}

func TestNoColourOffATerminal(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{}, {"list"}, {"next"}, {"hint", "one"}, {"compare", "-force", "one"}} {
		var out bytes.Buffer
		_, got := runApp(t, newApp(t, &out), &out, toolsTree(), args...)
		assert.NotContains(t, got, "\x1b", "kata %s: no escape codes when colour is off", strings.Join(args, " "))
	}
	var out bytes.Buffer
	a := newApp(t, &out)
	a.paint = render.Painter{On: true}
	_, got := runApp(t, a, &out, toolsTree(), "list")
	assert.Contains(t, got, "\x1b[", "with colour on, the marks are coloured")
}

func TestWatch(t *testing.T) {
	t.Parallel()
	dir := copyTree(t, toolsTree())
	stdin, typed := io.Pipe()
	t.Cleanup(func() { typed.Close() })
	out := newSyncBuffer()
	a := &app{stdin: stdin, stdout: out, stderr: out, stateDir: t.TempDir()}
	ctx, interrupt := context.WithCancel(t.Context())
	done := make(chan int, 1)
	go func() { done <- a.run(ctx, []string{"-C", dir, "-race=off", "watch"}) }()
	const watching = "Watching first, second, third for saved .go files"

	out.waitFor(t, done, watching, 1)
	wantBoard(t, out.String(), "Next: one — return one", "watch starts with the board")

	// An editor that saves by writing a copy and renaming it over the file.
	solveByRename(t, dir, "first/one.go")
	out.waitFor(t, done, watching, 2, "(saving by rename must re-run the tests: watch the folder, not the file)")
	got := out.String()
	wantRuns(t, got, []string{"./first (first/one.go changed)"}, "a save re-runs only the current kata's package")
	wantBoard(t, got, "✓ one is solved!\nMoving on to first/sum.\n", "a kata that passes is announced")
	wantBoard(t, got, "Next: first/sum — add two numbers", "watch moves on to the next kata")
	wantBoard(t, got, "  first   ✓✗\n    ✓ one    return one\n    ✗ sum    add two numbers\n  second  ✓\n  third   ✗\n",
		"the board fits a terminal: a line per folder, the current folder's katas in full")

	// Enter re-runs by hand.
	_, err := typed.Write([]byte("\n"))
	require.NoError(t, err)
	out.waitFor(t, done, watching, 3, "(pressing Enter must re-run the tests)")
	wantRuns(t, out.String(), []string{"./first (you pressed Enter)"}, "Enter re-runs the current kata's tests")

	// A save in two writes (an editor writing in chunks) runs the tests once, when the
	// writes stop, not on the half-written file.
	f, err := os.OpenFile(filepath.Join(dir, "first", "sum.go"), os.O_WRONLY|os.O_TRUNC, 0)
	require.NoError(t, err)
	_, err = f.WriteString("package first\n\n// Sum returns a + b.\nfunc Sum(a, b int) int {\n")
	require.NoError(t, err)
	_, err = f.WriteString("\treturn 0 // still to do\n}\n")
	require.NoError(t, err)
	require.NoError(t, f.Close())
	out.waitFor(t, done, watching, 4)
	wantRuns(t, out.String(), []string{"./first (you pressed Enter)", "./first (first/sum.go changed)"}, "one save, one run: wait until the writes stop")
	if strings.Contains(out.String(), "does not compile") {
		t.Errorf("the tests ran on a half-written file: wait until the writes stop before re-running")
	}

	// A folder made after watch started is watched too.
	require.NoError(t, os.Mkdir(filepath.Join(dir, "first", "helper"), 0o755))
	write(t, filepath.Join(dir, "first", "helper", "helper.go"), "package helper\n")
	out.waitFor(t, done, watching, 5, "(a .go file saved in a folder made after watch started must re-run the tests: watch new folders, and count the files already in them)")
	write(t, filepath.Join(dir, "first", "helper", "helper.go"), "package helper\n\n// Two is 2.\nconst Two = 2\n")
	out.waitFor(t, done, watching, 6, "(a second save in the new folder must re-run the tests: add a watch on new folders)")
	wantRuns(t, out.String(), []string{"./first (first/sum.go changed)", "./first (first/helper/helper.go changed)", "./first (first/helper/helper.go changed)"},
		"a new folder is watched: both saves in it re-run the tests")

	// Solving the last kata of first/ moves on to the next kata, in third/, and runs its tests.
	solve(t, dir, "first/sum.go")
	out.waitFor(t, done, watching, 7)
	got = out.String()
	wantRuns(t, got, []string{"./first (first/sum.go changed)", "./third (moving on to three)"},
		"when the next kata is in another folder, its tests are run too: its state may be old")
	wantBoard(t, got, "✓ first/sum is solved!\nMoving on to three.\n", "")
	wantBoard(t, got, "Next: three (third)", "")

	// Solving the last unsolved kata checks the folders not run just now.
	solve(t, dir, "third/three.go")
	out.waitFor(t, done, "Every kata is solved.", 1)
	got = out.String()
	wantRuns(t, got, []string{"./third (third/three.go changed)", "./first ./second (checking the other katas)"},
		"before saying every kata is solved, the folders not run for this save are checked")
	wantBoard(t, got, "4 of 4 katas solved", "")

	// The end of the input (Ctrl-D, or an editor that starts watch with none) does not stop
	// it: saves still re-run the tests, and a solved kata the save breaks turns ✗ at once.
	typed.Close()
	write(t, filepath.Join(dir, "first", "one.go"), "package first\n\n// One returns 1.\nfunc One() int { return 0 }\n")
	out.waitFor(t, done, watching, 9, "(watch must go on when its input ends)")
	wantRuns(t, out.String(), []string{"./first (first/one.go changed)"}, "a save re-checks the saved file's folder")
	wantBoard(t, out.String(), "Next: one — return one", "a solved kata broken by a save turns ✗ and is next")

	interrupt() // Ctrl-C
	out.waitFor(t, done, "Stopped watching.", 1, "(Ctrl-C must stop watch)")
	select {
	case code := <-done:
		assert.Equal(t, 0, code)
	case <-time.After(time.Minute):
		t.Fatal("watch did not return when its input ended")
	}
	if strings.Contains(out.String(), "\x1b") {
		t.Errorf("watch printed escape codes off a terminal:\n%q", lastBoard(out.String()))
	}
}

// wantRuns checks that the last test runs watch made (its "Running go test …" lines) are want.
func wantRuns(t *testing.T, out string, want []string, why string) {
	t.Helper()
	var runs []string
	for l := range strings.Lines(out) {
		if r, ok := strings.CutPrefix(strings.TrimSpace(l), "Running go test "); ok {
			runs = append(runs, strings.TrimSuffix(r, "…"))
		}
	}
	last := runs[max(0, len(runs)-len(want)):]
	if !slices.Equal(last, want) {
		t.Errorf("watch's last runs were\n  %s\nwant\n  %s\n(%s)", strings.Join(last, "\n  "), strings.Join(want, "\n  "), why)
	}
}

// wantBoard checks that the last board watch drew contains want.
func wantBoard(t *testing.T, out, want, why string) {
	t.Helper()
	if board := lastBoard(out); !strings.Contains(board, want) {
		t.Errorf("watch's last board:\n%s\nwant it to show %q (%s)", board, want, why)
	}
}

// TestWatchCancelsAHungRun saves a fix while the tests of a kata that spins for ever are
// running: watch must drop that run and show the fix's result at once.
func TestWatchCancelsAHungRun(t *testing.T) {
	t.Parallel()
	dir := copyTree(t, toolsTree())
	write(t, filepath.Join(dir, "first", "one.go"), "package first\n\n// One returns 1.\nfunc One() int {\n\tfor {\n\t}\n}\n")
	out := newSyncBuffer()
	a := &app{stdin: strings.NewReader(""), stdout: out, stderr: out, stateDir: t.TempDir()}
	ctx, interrupt := context.WithCancel(t.Context())
	done := make(chan int, 1)
	go func() { done <- a.run(ctx, []string{"-C", dir, "-race=off", "watch"}) }()
	out.waitFor(t, done, "Running the tests of every kata…", 1)
	time.Sleep(time.Second) // long enough for One to be spinning

	solve(t, dir, "first/one.go")
	saved := time.Now()
	out.waitFor(t, done, "✓ one is solved!", 1, "(a save must cancel the hung run and start again)")
	took := time.Since(saved)
	t.Logf("the fixing save showed after %v", took.Round(10*time.Millisecond))
	// About 1s on an idle 2-core machine (the debounce, a compile and a run); the bound leaves
	// room for a loaded one. Waiting out the hung run instead would take go test's -timeout.
	if took > 5*time.Second {
		t.Errorf("watch showed the fixing save's result %v after the save, want within 2s (5s on a loaded machine): a save cancels the run in progress", took.Round(100*time.Millisecond))
	}
	out.waitFor(t, done, "Watching first, second, third", 1, "(the board ends with it: read the board once it is all written)")
	wantBoard(t, out.String(), "  second  ✓\n", "the folders the cancelled run never reported on are run too")

	interrupt()
	select {
	case <-done:
	case <-time.After(time.Minute):
		t.Fatal("watch did not return when its context was cancelled")
	}
}

func TestWatchStopsOnInterrupt(t *testing.T) {
	t.Parallel()
	stdin, typed := io.Pipe()
	t.Cleanup(func() { typed.Close() })
	out := newSyncBuffer()
	a := &app{stdin: stdin, stdout: out, stderr: out, stateDir: t.TempDir()}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan int, 1)
	go func() { done <- a.run(ctx, []string{"-C", toolsTree(), "-race=off", "watch"}) }()
	out.waitFor(t, done, "Watching first, second, third", 1)
	cancel() // what Ctrl-C does
	select {
	case code := <-done:
		assert.Equal(t, 0, code, "Ctrl-C is how watch is meant to end:\n%s", out.String())
	case <-time.After(time.Minute):
		t.Fatal("watch did not return when its context was cancelled")
	}
	assert.Contains(t, out.String(), "Stopped watching.")
}

// lastBoard returns what watch printed since it last drew the board, with what it announced
// just before.
func lastBoard(s string) string {
	i := strings.LastIndex(s, "─────")
	return s[max(i, 0):]
}

// A syncBuffer is an io.Writer that goroutines share, and that says when it was written.
type syncBuffer struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	written chan struct{} // one token: something was written since the last wait
}

func newSyncBuffer() *syncBuffer { return &syncBuffer{written: make(chan struct{}, 1)} }

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	select {
	case b.written <- struct{}{}:
	default:
	}
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// waitFor waits until want was written n times; it fails if the command ends first, or
// after a generous safety limit that only a hung watch reaches.
func (b *syncBuffer) waitFor(t *testing.T, done <-chan int, want string, n int, hint ...string) {
	t.Helper()
	limit := time.After(time.Minute)
	for strings.Count(b.String(), want) < n {
		select {
		case <-b.written:
		case code := <-done:
			t.Fatalf("the command ended (exit %d) before printing %q %d times:\n%s", code, want, n, b.String())
		case <-limit:
			t.Fatalf("waited a minute for %q (%d times) %s; the output so far:\n%s", want, n, strings.Join(hint, " "), b.String())
		}
	}
}

// copyTree copies the tree at src to a temporary folder and returns it.
func copyTree(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	require.NoError(t, err)
	return dst
}

// solve copies the solution of the stub at the slash path over it.
func solve(t *testing.T, dir, stub string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "solutions", filepath.FromSlash(stub)))
	require.NoError(t, err)
	write(t, filepath.Join(dir, filepath.FromSlash(stub)), string(b))
}

// solveByRename saves the solution over the stub as some editors do: into a new file, then
// renamed over the old one.
func solveByRename(t *testing.T, dir, stub string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "solutions", filepath.FromSlash(stub)))
	require.NoError(t, err)
	target := filepath.Join(dir, filepath.FromSlash(stub))
	tmp := target + ".swp"
	write(t, tmp, string(b))
	require.NoError(t, os.Rename(tmp, target))
}

func write(t *testing.T, file, content string) {
	t.Helper()
	require.NoError(t, os.WriteFile(file, []byte(content), 0o644))
}

// gitTree copies the tools tree to a temporary git repository with everything committed.
func gitTree(t *testing.T) string {
	t.Helper()
	dir := copyTree(t, toolsTree())
	git(t, dir, "init", "-q")
	commitAll(t, dir, "stubs")
	return dir
}

// git runs git in dir, and skips the test when git is not there to run.
func git(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Skipf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// commitAll commits every file of the repository in dir, as the learner would.
func commitAll(t *testing.T, dir, msg string) {
	t.Helper()
	git(t, dir, "add", ".")
	git(t, dir, "-c", "user.name=kata", "-c", "user.email=kata@example.com", "commit", "-q", "-m", msg)
}

func TestReset(t *testing.T) {
	t.Parallel()
	dir := gitTree(t)
	stub, err := os.ReadFile(filepath.Join(dir, "first", "one.go"))
	require.NoError(t, err)
	mine := "package first\n\n// One returns 1.\nfunc One() int { return 7 }\n"
	write(t, filepath.Join(dir, "first", "one.go"), mine)
	var out bytes.Buffer
	a := newApp(t, &out)

	code, got := runApp(t, a, &out, dir, "reset", "one")
	assert.Equal(t, 1, code, "reset with no terminal to ask on and no -force must refuse:\n%s", got)
	assert.Contains(t, got, "add -force to go ahead")
	assertFile(t, filepath.Join(dir, "first", "one.go"), mine, "a refused reset leaves the file alone")

	a.interactive, a.stdin = true, strings.NewReader("n\n")
	code, got = runApp(t, a, &out, dir, "reset", "one")
	assert.Equal(t, 1, code)
	assert.Contains(t, got, "Put "+filepath.FromSlash("first/one.go")+" back to the stub (as in commit ")
	assert.Contains(t, got, ")? Your changes to it will be lost. [y/N]")
	assertFile(t, filepath.Join(dir, "first", "one.go"), mine, "no keeps the learner's file")

	a.stdin = strings.NewReader("y\n")
	code, got = runApp(t, a, &out, dir, "reset", "one")
	assert.Equal(t, 0, code, got)
	assertFile(t, filepath.Join(dir, "first", "one.go"), string(stub), "yes puts the stub back")

	write(t, filepath.Join(dir, "first", "one.go"), mine)
	a.interactive = false
	code, got = runApp(t, a, &out, dir, "reset", "-force", "one")
	assert.Equal(t, 0, code, got)
	assertFile(t, filepath.Join(dir, "first", "one.go"), string(stub), "-force resets without asking")

	code, got = runApp(t, a, &out, dir, "reset", "-force", "one")
	assert.Equal(t, 0, code)
	assert.Contains(t, got, "already the stub")

	write(t, filepath.Join(dir, "first", "one.go"), mine)
	commitAll(t, dir, "my answer")
	code, got = runApp(t, a, &out, dir, "reset", "-force", "one")
	assert.Equal(t, 0, code, got)
	assertFile(t, filepath.Join(dir, "first", "one.go"), string(stub), "after the learner committed their answer, reset still puts the stub back, not HEAD's file")
}

// TestResetFromUpstream: in a clone, the stub comes from the branch it tracks, so work in
// progress the learner committed with its TODO line still in is not taken for the stub.
func TestResetFromUpstream(t *testing.T) {
	t.Parallel()
	shipped := gitTree(t)
	stub, err := os.ReadFile(filepath.Join(shipped, "first", "one.go"))
	require.NoError(t, err)
	dir := filepath.Join(t.TempDir(), "clone")
	git(t, shipped, "clone", "-q", shipped, dir)
	wip := "package first\n\n// One returns 1.\nfunc One() int {\n\t// TODO: return one.\n\treturn 2\n}\n"
	write(t, filepath.Join(dir, "first", "one.go"), wip)
	commitAll(t, dir, "work in progress")
	var out bytes.Buffer
	code, got := runApp(t, newApp(t, &out), &out, dir, "reset", "-force", "one")
	assert.Equal(t, 0, code, got)
	assertFile(t, filepath.Join(dir, "first", "one.go"), string(stub), "reset takes the stub from @{upstream}, not the learner's commit")
}

func assertFile(t *testing.T, file, want, why string) {
	t.Helper()
	got, err := os.ReadFile(file)
	require.NoError(t, err)
	assert.Equal(t, want, string(got), why)
}

// TestFromASubfolder runs the tool as a learner would from inside a kata folder (go run
// ../cmd/kata): every path and command it prints works from there.
func TestFromASubfolder(t *testing.T) {
	t.Parallel()
	root, err := filepath.Abs(toolsTree())
	require.NoError(t, err)
	var out bytes.Buffer
	a := newApp(t, &out)
	a.wd = filepath.Join(root, "first")

	_, got := runApp(t, a, &out, a.wd, "next")
	for _, want := range []string{
		"Edit:   one.go:5",
		"Lesson: README.md",
		`Test:   go test . -timeout 2m -run "^(TestOne)$"`,
		"Stuck?  go run ../cmd/kata hint one",
	} {
		assert.Contains(t, got, want, "from first/, paths are relative to first/")
	}
	_, got = runApp(t, a, &out, a.wd)
	assert.Contains(t, got, "Edit:   one.go")

	a.wd = filepath.Join(root, "second")
	_, got = runApp(t, a, &out, a.wd, "list")
	assert.Contains(t, got, filepath.FromSlash("../first/one.go"))
}

func TestHintOnASolvedKata(t *testing.T) {
	t.Parallel()
	dir := copyTree(t, toolsTree())
	solve(t, dir, "first/one.go")
	var out bytes.Buffer
	code, got := runApp(t, newApp(t, &out), &out, dir, "hint", "-all", "one")
	assert.Equal(t, 0, code)
	assert.Contains(t, got, "That is every hint. You have solved it: compare your code with the solution")
	assert.NotContains(t, got, "Once the tests pass", "one is solved: its tests pass already")
}

func TestWatchStartsAtTheKataNamed(t *testing.T) {
	t.Parallel()
	out := newSyncBuffer()
	a := &app{stdin: strings.NewReader(""), stdout: out, stderr: out, stateDir: t.TempDir()}
	ctx, interrupt := context.WithCancel(t.Context())
	done := make(chan int, 1)
	go func() { done <- a.run(ctx, []string{"-C", toolsTree(), "-race=off", "watch", "three"}) }()
	out.waitFor(t, done, "Watching first, second, third", 1)
	wantBoard(t, out.String(), "Next: three (third)", "watch three starts at three, though one comes first")
	interrupt()
	<-done
}

// TestWatchStartsAtASolvedKata: watch named a kata solved before it started moves on to the
// next one unsolved, without announcing it solved: the learner did not just solve it.
func TestWatchStartsAtASolvedKata(t *testing.T) {
	t.Parallel()
	out := newSyncBuffer()
	a := &app{stdin: strings.NewReader(""), stdout: out, stderr: out, stateDir: t.TempDir()}
	ctx, interrupt := context.WithCancel(t.Context())
	done := make(chan int, 1)
	go func() { done <- a.run(ctx, []string{"-C", toolsTree(), "-race=off", "watch", "second/sum"}) }()
	out.waitFor(t, done, "Watching first, second, third", 1)
	wantBoard(t, out.String(), "Next: three (third)", "second/sum is solved: watch second/sum starts at the next kata")
	assert.NotContains(t, out.String(), "is solved!", "the first run finds second/sum solved before watch started: no news")
	interrupt()
	<-done
}

func TestStatusLine(t *testing.T) {
	var off bytes.Buffer
	s := startStatus(&off, false)
	s.set("Compiling…")
	s.end()
	assert.Empty(t, off.String(), "off a terminal, the status line draws nothing: no escape codes")

	on := newSyncBuffer()
	s = startStatus(on, true)
	s.set("Running the tests of 3 folders: 1 done…")
	s.end()
	assert.Contains(t, on.String(), "\r\x1b[KRunning the tests of 3 folders: 1 done… (0s)", "on a terminal, it says what is happening, with the time so far")
	assert.True(t, strings.HasSuffix(on.String(), "\r\x1b[K"), "and clears itself at the end: %q", on.String())
}

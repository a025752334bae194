package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/go-async-katas/katas/internal/catalog"
	"github.com/go-async-katas/katas/internal/gorun"
	"github.com/go-async-katas/katas/internal/gotrace"
	"github.com/go-async-katas/katas/internal/render"
)

// A tally counts the checks verify makes and prints each as it goes.
type tally struct {
	w              io.Writer
	indent         string // before each check's mark
	passed, failed int
}

func (t *tally) pass(format string, args ...any) {
	t.passed++
	fmt.Fprintf(t.w, t.indent+"✓ "+format+"\n", args...)
}

// fail records a failed check; detail is shown below it, as it is.
func (t *tally) fail(detail []string, format string, args ...any) {
	t.failed++
	fmt.Fprintf(t.w, t.indent+"✗ "+format+"\n", args...)
	for _, l := range detail {
		fmt.Fprintf(t.w, t.indent+"    %s\n", l)
	}
}

// verify proves the kata contract for the packages matching patterns (all if none): every
// kata test fails on its stub and passes on its solution, with -race if race is set; go vet
// is clean on stubs and solutions; every other package's tests pass. It returns the tally.
func verify(ctx context.Context, w io.Writer, t *catalog.Tree, patterns []string, race bool) (*tally, error) {
	tl := &tally{w: w, indent: "  "}
	mod, err := gorun.ModulePath(t.Root)
	if err != nil {
		return nil, err
	}
	pkgs := slices.DeleteFunc(slices.Clone(t.Packages), func(p *catalog.Package) bool { return !catalog.Matches(patterns, p.Dir) })
	others, err := otherPackages(ctx, t, mod, patterns)
	if err != nil {
		return nil, err
	}
	if len(pkgs) == 0 && len(others) == 0 {
		return nil, fmt.Errorf("no packages match %s", strings.Join(patterns, " "))
	}
	overlay, cleanup, err := writeOverlay(t)
	if err != nil {
		return nil, err
	}
	defer cleanup()

	var katas, vetDirs, solutionDirs []string
	for _, p := range pkgs {
		if len(p.Katas) > 0 || len(p.Orphans) > 0 {
			katas = append(katas, "./"+p.Dir)
		}
		vetDirs = append(vetDirs, "./"+p.Dir)
		solutionDirs = append(solutionDirs, "./solutions/"+p.Dir)
	}
	raceNote := "with -race"
	if !race {
		raceNote = "WITHOUT -race (-race=off, or no cgo or race detector on this platform)"
	}
	fmt.Fprintf(w, "kata verify: %d kata packages, %d other packages; solutions run %s\n", len(katas), len(others), raceNote)

	fmt.Fprintln(w, "\nLayout and go vet")
	for _, prob := range t.Problems {
		tl.fail(nil, "%s", prob)
	}
	for _, p := range pkgs {
		for _, prob := range p.Problems {
			tl.fail(nil, "%s", prob)
		}
		for _, o := range p.Orphans {
			tl.fail(nil, "%s belongs to no kata: a kata's tests go in <stub>_test.go or <stub>_*_test.go", o)
		}
	}
	docCheck(tl, t.Root, pkgs)
	lessonCheck(tl, t.Root, pkgs)
	vetCheck(ctx, tl, t.Root, "go vet: stubs, solutions and other packages", append(append(append([]string{"vet"}, vetDirs...), solutionDirs...), others...))
	if len(vetDirs) > 0 {
		vetCheck(ctx, tl, t.Root, "go vet: tests against the solutions", append([]string{"vet", "-overlay", overlay}, vetDirs...))
	}

	var stubRun, solRun gorun.RunResult
	if len(katas) > 0 {
		if stubRun, err = gorun.GoTest(ctx, t.Root, nil, nil, append([]string{"-count=1", "-timeout", "2m", "-vet=off"}, katas...)...); err != nil {
			return nil, err
		}
	}
	// More test binaries at once than cores: several of them mostly wait (on the Python
	// scripts, on child processes, on an Example's real sleeps) while the others compute. They
	// start in the order given: the other packages first, for the longest of all are there
	// (the tool's own, with its fault corpus), and the many short kata packages fill in around
	// them. go vet ran above, in full.
	var env []string
	if race {
		env = gorun.RaceEnv()
	}
	tested := append(slices.Clone(others), katas...)
	b := gorun.Build{Race: race, Overlay: overlay, Timeout: 5 * time.Minute, Parallel: 2 * runtime.NumCPU(), BinDir: binDir(t.Root, race, tested)}
	if solRun, err = gorun.GoTestBuilt(ctx, t.Root, env, b, tested); err != nil {
		return nil, err
	}
	if p := solRun[""]; p != nil {
		tl.fail(render.CleanOutput(p.Output, 40), "go test could not run")
	}

	for _, p := range pkgs {
		if len(p.Katas) == 0 {
			continue
		}
		ip := gorun.ImportPath(mod, p.Dir)
		fmt.Fprintf(w, "\n%s\n", p.Dir)
		checkKataPackage(tl, p, stubRun[ip], solRun[ip])
	}

	if len(others) > 0 {
		fmt.Fprintln(w, "\nOther packages (given code, solutions' examples, harness, tools): their tests must pass")
		for _, ip := range others {
			name := strings.TrimPrefix(ip, mod+"/")
			p := solRun[ip]
			switch {
			case p == nil || p.Status == "":
				tl.fail(nil, "%s: did not run", name)
			case p.Status == "fail":
				tl.fail(failureOutput(p), "%s: tests fail", name)
			case p.Status == "skip" || len(p.Tests) == 0:
				fmt.Fprintf(w, "  - %s: no tests\n", name)
			default:
				tl.pass("%s", name)
			}
		}
	}
	return tl, nil
}

// checkKataPackage checks each kata test: it must fail on the stub and pass on the solution.
func checkKataPackage(tl *tally, p *catalog.Package, stub, sol *gorun.PkgResult) {
	if stub == nil || stub.BuildFailed() {
		tl.fail(render.CleanOutput(outputOf(stub), 40), "the stubs do not compile with their tests")
		return
	}
	if sol == nil || sol.BuildFailed() {
		tl.fail(render.CleanOutput(outputOf(sol), 40), "the solutions do not compile with the tests")
		return
	}
	stubCrash, stubCrashTest := stub.Crash()
	solCrash, solCrashTest := sol.Crash()
	width := 0
	for _, k := range p.Katas {
		for _, name := range k.Tests {
			width = max(width, len(name))
		}
	}
	for _, k := range p.Katas {
		fmt.Fprintf(tl.w, "  %s\n", k.Name+".go")
		tl.indent = "    "
		for _, name := range k.Tests {
			st, so := stub.Tests[name], sol.Tests[name]
			label := fmt.Sprintf("%-*s", width, name)
			switch {
			case st == nil:
				tl.fail(render.CleanOutput(stub.Output, 40), "%s  did not run on the stub%s", label, why(name, stubCrash, stubCrashTest))
			case stubCrashTest == name && gotrace.TimedOut(stubCrash):
				tl.fail(render.CleanOutput(st.Output, 40), "%s  timed out on the stub (%s): stubs must never block", label, stubCrash)
			case stubCrashTest == name:
				tl.fail(render.CleanOutput(st.Output, 40), "%s  crashed the test binary on the stub (%s): stubs must never panic", label, stubCrash)
			case st.Status == "pass":
				tl.fail(nil, "%s  passes on the stub: this test cannot fail", label)
			case st.Status == "skip":
				tl.fail(render.CleanOutput(st.Output, 40), "%s  skips on the stub: it must fail there", label)
			case st.Status != "fail":
				tl.fail(render.CleanOutput(st.Output, 40), "%s  did not finish on the stub (timed out?)", label)
			case solCrashTest == name && gotrace.TimedOut(solCrash):
				tl.fail(render.CleanOutput(so.Output, 40), "%s  timed out on the solution (%s)", label, solCrash)
			case so == nil:
				tl.fail(render.CleanOutput(sol.Output, 40), "%s  did not run on the solution%s", label, why(name, solCrash, solCrashTest))
			case so.Status == "pass":
				tl.pass("%s  fails on the stub, passes on the solution", label)
			case so.Status == "fail":
				tl.fail(render.FailureLines(so, 3, 40), "%s  fails on the solution", label)
			default:
				tl.fail(render.CleanOutput(so.Output, 40), "%s  did not pass on the solution (%s)", label, so.Status)
			}
		}
	}
	tl.indent = "  "
	if sol.Status == "fail" && !gorun.AnyFailed(sol) {
		// Every test passed but the binary failed after them: goleak in TestMain, or a crash.
		tl.fail(render.CleanOutput(sol.Output, 40), "the solutions' test binary failed after its tests passed (a goroutine leak reported by goleak?)")
	}
}

func why(test, crash, crashTest string) string {
	switch {
	case crash != "" && crashTest != "":
		return ": the binary crashed in " + crashTest + " first"
	case crash != "":
		return ": the binary crashed (" + crash + ")"
	case strings.HasPrefix(test, "Example"):
		return ": an Example without an // Output: comment is compiled but never run"
	}
	return ""
}

func outputOf(p *gorun.PkgResult) []string {
	if p == nil {
		return nil
	}
	return p.Output
}

// failureOutput is what a failed package printed: its failing tests' messages and its own.
func failureOutput(p *gorun.PkgResult) []string {
	var out []string
	for _, name := range p.Order {
		if tr := p.Tests[name]; tr.Status != "pass" && tr.Status != "skip" {
			out = append(out, render.FailureLines(tr, 3, 40)...)
		}
	}
	return append(out, render.CleanOutput(p.Output, 20)...)
}

// vetCheck runs go with args and records a check that passes when it exits 0.
func vetCheck(ctx context.Context, tl *tally, root, what string, args []string) {
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = root
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		tl.fail(render.CleanOutput(strings.Split(strings.TrimSpace(out.String()), "\n"), 40), "%s", what)
		return
	}
	tl.pass("%s", what)
}

// otherPackages returns the import paths of the packages that are not kata packages and
// have tests, matching patterns: given code, the harness, the tools, and the solutions'
// examples (solutions/x matches the patterns that select x). Those whose code or tests start
// other programs (go, Python, child processes) come first: their tests take longest.
func otherPackages(ctx context.Context, t *catalog.Tree, mod string, patterns []string) ([]string, error) {
	cmd := exec.CommandContext(ctx, "go", "list", "-e", "-f",
		"{{.ImportPath}} {{len .TestGoFiles}} {{len .XTestGoFiles}} {{.Imports}} {{.TestImports}} {{.XTestImports}}", "./...")
	cmd.Dir = t.Root
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go list ./...: %w", err)
	}
	kataDirs := map[string]bool{}
	for _, p := range t.Packages {
		kataDirs[p.Dir] = true
	}
	var others, execs []string
	for line := range strings.Lines(string(out)) {
		var ip string
		var tests, xtests int
		if _, err := fmt.Sscan(line, &ip, &tests, &xtests); err != nil || tests+xtests == 0 {
			continue
		}
		imports := strings.Fields(strings.NewReplacer("[", " ", "]", " ").Replace(line))
		startsPrograms := slices.Contains(imports, "os/exec")
		dir := strings.TrimPrefix(strings.TrimPrefix(ip, mod), "/")
		if ip == mod {
			dir = "."
		}
		selected := catalog.Matches(patterns, dir)
		if sol, ok := strings.CutPrefix(dir, "solutions/"); ok {
			selected = selected || catalog.Matches(patterns, sol)
		}
		if kataDirs[dir] || !selected {
			continue
		}
		if startsPrograms {
			execs = append(execs, ip)
			continue
		}
		others = append(others, ip)
	}
	return append(execs, others...), nil
}

// binDir is where verify keeps the test binaries of pkgs in the repository at root between
// runs, in the user's cache folder ("" for a temporary one if there is none): go test -c links
// again only those whose sources changed. Each set of packages, with or without -race, has a
// folder of its own, so that verify runs of different packages at the same time (the tool's
// own tests do that) never write a binary another is running.
func binDir(root string, race bool, pkgs []string) string {
	cache, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	sum := sha256.Sum256(fmt.Appendf(nil, "%s|%v|%s", root, race, strings.Join(pkgs, " ")))
	return filepath.Join(cache, "go-async-katas", "test-binaries", hex.EncodeToString(sum[:8]))
}

// writeOverlay writes the overlay that swaps solutions in to a temporary file.
func writeOverlay(t *catalog.Tree) (file string, cleanup func(), err error) {
	data, err := json.Marshal(map[string]map[string]string{"Replace": t.Overlay()})
	if err != nil {
		return "", nil, err
	}
	f, err := os.CreateTemp("", "kata-overlay-*.json")
	if err != nil {
		return "", nil, err
	}
	defer f.Close()
	if _, err := f.Write(data); err != nil {
		os.Remove(f.Name())
		return "", nil, err
	}
	return f.Name(), func() { os.Remove(f.Name()) }, nil
}

// testSolutions runs go test with args and the solutions swapped in, its output passed
// through as it comes.
func (a *app) testSolutions(ctx context.Context, t *catalog.Tree, args []string) error {
	overlay, cleanup, err := writeOverlay(t)
	if err != nil {
		return err
	}
	defer cleanup()
	cmd := exec.CommandContext(ctx, "go", append([]string{"test", "-overlay", overlay}, args...)...)
	cmd.Dir = t.Root
	cmd.Stdout, cmd.Stderr = a.stdout, a.stderr
	var exit *exec.ExitError
	if err := cmd.Run(); errors.As(err, &exit) {
		return exitCode(exit.ExitCode())
	} else if err != nil {
		return fmt.Errorf("go test: %w", err)
	}
	return nil
}

// docCheck records a check that every kata's stub and solution have the same doc comments.
func docCheck(tl *tally, root string, pkgs []*catalog.Package) {
	var diffs []string
	n := 0
	for _, p := range pkgs {
		for _, k := range p.Katas {
			d, err := docDiffs(root, k)
			if err != nil {
				d = []string{fmt.Sprintf("%s: %v", k.StubPath(), err)}
			}
			diffs = append(diffs, d...)
			n++
		}
	}
	if len(diffs) > 0 {
		tl.fail(diffs, "doc comments: a stub's doc comment is the spec its solution implements; they must say the same")
		return
	}
	tl.pass("doc comments: the %d stubs and their solutions say the same", n)
}

// lessonCheck records a check that every kata has its section in its folder's README.md
// (the "## Kata N: `name.go` — title" heading), where hint finds its hints.
func lessonCheck(tl *tally, root string, pkgs []*catalog.Package) {
	var missing []string
	for _, p := range pkgs {
		readme, _ := os.ReadFile(filepath.Join(root, filepath.FromSlash(p.Dir), "README.md"))
		found := map[string]bool{}
		for _, l := range strings.Split(string(readme), "\n") {
			if m := kataHeadingRE.FindStringSubmatch(l); m != nil {
				found[m[1]] = true
			}
		}
		for _, k := range p.Katas {
			if !found[k.Name] {
				missing = append(missing, fmt.Sprintf("%s/README.md has no \"## Kata N: `%s.go` — title\" section", p.Dir, k.Name))
			}
		}
	}
	if len(missing) > 0 {
		tl.fail(missing, "lessons: each kata has a section in its folder's README.md, with the hints kata hint shows")
		return
	}
	tl.pass("lessons: each kata has its section in its folder's README.md")
}

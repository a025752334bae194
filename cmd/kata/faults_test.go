package main

import (
	"bufio"
	"cmp"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-async-katas/katas/internal/catalog"
	"github.com/go-async-katas/katas/internal/gorun"
	"github.com/go-async-katas/katas/internal/gotrace"
	"github.com/go-async-katas/katas/internal/katatest"
	"github.com/go-async-katas/katas/internal/render"
)

// A fault is one wrong answer of the corpus in testdata/faults: a file that replaces one
// kata's file, the others of its folder solved.
type fault struct {
	file string // slash path under testdata/faults: "part2_errors/gatherall_doublelock.go"
	kata *catalog.Kata
	kind string // the file's suffix: "doublelock"
	// lines are "gatherall.go:23" for each line with a "// fault" comment, and each line from
	// one with "// fault: from here" to one with "// fault: to here" (a loop that spins may be
	// anywhere in it): the reports must name one.
	lines []string
}

// callers returns, for each kata of tr, the katas whose solutions use a name its solution
// declares, directly or through another kata: a fault in a kata may fail those too.
func callers(t *testing.T, tr *catalog.Tree) map[*catalog.Kata][]*catalog.Kata {
	t.Helper()
	uses := map[*catalog.Kata]map[*catalog.Kata]bool{} // uses[j][k]: j's code uses k's
	for _, p := range tr.Packages {
		declaredBy := map[string]*catalog.Kata{}
		files := map[*catalog.Kata]*ast.File{}
		for _, k := range p.Katas {
			f, err := parser.ParseFile(token.NewFileSet(), filepath.Join(tr.Root, filepath.FromSlash(k.SolutionPath())), nil, parser.SkipObjectResolution)
			if err != nil {
				t.Fatal(err)
			}
			files[k] = f
			for _, d := range f.Decls {
				switch d := d.(type) {
				case *ast.FuncDecl:
					if d.Recv == nil {
						declaredBy[d.Name.Name] = k
					}
				case *ast.GenDecl:
					for _, spec := range d.Specs {
						switch spec := spec.(type) {
						case *ast.TypeSpec:
							declaredBy[spec.Name.Name] = k
						case *ast.ValueSpec:
							for _, n := range spec.Names {
								declaredBy[n.Name] = k
							}
						}
					}
				}
			}
		}
		for j, f := range files {
			uses[j] = map[*catalog.Kata]bool{}
			ast.Inspect(f, func(n ast.Node) bool {
				if id, ok := n.(*ast.Ident); ok && declaredBy[id.Name] != nil && declaredBy[id.Name] != j {
					uses[j][declaredBy[id.Name]] = true
				}
				return true
			})
		}
	}
	// Through other katas too: j uses k if it uses a kata that uses k.
	for changed := true; changed; {
		changed = false
		for _, ks := range uses {
			for k := range ks {
				for k2 := range uses[k] {
					if !ks[k2] {
						ks[k2], changed = true, true
					}
				}
			}
		}
	}
	out := map[*catalog.Kata][]*catalog.Kata{}
	for j, ks := range uses {
		for k := range ks {
			out[k] = append(out[k], j)
		}
	}
	return out
}

// faultHangBound is the hang bound the corpus runs with: short, so a hang costs little, but
// far above the slowest correct test of any folder (under 0.1s here), so that a neighbour is
// never taken for hung on a loaded machine.
const faultHangBound = 3 * time.Second

// hangRunLimit is how long go test of a folder may run with a hang in it: the bound waited
// out once, and half as much again for the rest of the run (15s at the default bound of 10s).
// A second wait of the bound, for a second test that hangs on the same mistake, is too long.
func hangRunLimit(bound time.Duration) time.Duration { return bound + bound/2 }

// loadFaults reads the corpus and finds the kata each fault belongs to in t.
func loadFaults(t *testing.T, tr *catalog.Tree) []fault {
	t.Helper()
	dir := filepath.Join("testdata", "faults")
	var faults []fault
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".go") {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		f := fault{file: rel}
		pkgDir, base := path.Split(rel)
		for _, k := range tr.Katas() {
			if k.Pkg.Dir+"/" == pkgDir && strings.HasPrefix(base, k.Name+"_") && (f.kata == nil || len(k.Name) > len(f.kata.Name)) {
				f.kata = k
			}
		}
		if f.kata == nil {
			return fmt.Errorf("%s replaces no kata's file: name it <kata>_<fault>.go in the kata's folder", rel)
		}
		f.kind = strings.TrimSuffix(strings.TrimPrefix(base, f.kata.Name+"_"), ".go")
		file, err := os.Open(p)
		if err != nil {
			return err
		}
		defer file.Close()
		sc := bufio.NewScanner(file)
		inRange := false
		for n := 1; sc.Scan(); n++ {
			l := sc.Text()
			if strings.Contains(l, "// fault: from here") {
				inRange = true
			}
			if inRange || strings.Contains(l, "// fault") {
				f.lines = append(f.lines, f.kata.Name+".go:"+strconv.Itoa(n))
			}
			if strings.Contains(l, "// fault: to here") {
				inRange = false
			}
		}
		if len(f.lines) == 0 {
			return fmt.Errorf("%s marks no line with // fault", rel)
		}
		faults = append(faults, f)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return faults
}

// A faultRun is what the tests and the board made of one fault.
type faultRun struct {
	plain    *gorun.PkgResult                // go test of the folder
	wall     time.Duration                   // go test, from start to its report
	settle   time.Duration                   // the board's runs of each kata alone, after that
	statuses map[*catalog.Kata]render.Status // the board's state of each kata of the folder
	err      error
}

// TestFaultCorpus runs each wrong answer of the corpus: its kata's file replaced by the
// fault, the other katas of its folder by their solutions. For each, go test of the folder
// must end fast with a test of that kata failing and the learner's line named, and the
// board must show that kata, and no other, as not solved, saying why.
func TestFaultCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("the fault corpus runs go test on real kata folders")
	}
	t.Parallel()
	root, err := catalog.FindRoot(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	tr, err := catalog.Load(root)
	if err != nil {
		t.Fatal(err)
	}
	faults := loadFaults(t, tr)
	calledBy := callers(t, tr)
	if len(faults) < 12 {
		t.Errorf("the corpus has %d faults, want at least 12", len(faults))
	}
	race := gorun.RaceSupported(t.Context())

	// The faults run at once, a few at a time, the hangs first: most of their time is the
	// hang bound, waited out twice (go test, then the board's runs of the other katas).
	runs := make([]faultRun, len(faults))
	var wg sync.WaitGroup
	slots := make(chan struct{}, 8)
	order := make([]int, len(faults))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(i, j int) int { return cmp.Compare(hangRank(faults[i].kind), hangRank(faults[j].kind)) })
	for _, i := range order {
		f := faults[i]
		if f.kind == "race" && !race {
			continue // reported as skipped below
		}
		wg.Go(func() {
			slots <- struct{}{}
			defer func() { <-slots }()
			runs[i] = runFault(t, root, tr, f, race && f.kind == "race")
		})
	}
	wg.Wait()

	for i, f := range faults {
		t.Run(strings.TrimSuffix(f.file, ".go"), func(t *testing.T) {
			if f.kind == "race" && !race {
				t.Skip("no race detector here (cgo off, or a platform without one)")
			}
			run := runs[i]
			if run.err != nil {
				t.Fatalf("running %s: %v", f.file, run.err)
			}
			p := run.plain
			if p == nil {
				t.Fatalf("go test ./%s with %s reported nothing", f.kata.Pkg.Dir, f.file)
			}
			t.Logf("%s: go test reported after %v (the test binary ran %v); the board, running each kata alone, %v more",
				f.kind, run.wall.Round(100*time.Millisecond), p.Elapsed.Round(100*time.Millisecond), run.settle.Round(100*time.Millisecond))
			if limit := hangRunLimit(faultHangBound); p.Elapsed > limit {
				t.Errorf("go test ./%s with %s ran for %v, want under %v with a hang bound of %v: a %s must end fast, "+
					"waiting the bound out once at most",
					f.kata.Pkg.Dir, f.file, p.Elapsed.Round(100*time.Millisecond), limit, faultHangBound, f.kind)
			}
			var failed []string
			for _, name := range f.kata.Tests {
				if tr := p.Tests[name]; tr != nil && tr.Status != "pass" && tr.Status != "skip" {
					failed = append(failed, name)
				}
			}
			if _, hung := p.Hang(); len(failed) == 0 && hung == nil {
				t.Errorf("go test ./%s with %s: no test of kata %s failed (want one of %s)", f.kata.Pkg.Dir, f.file, f.kata.Name, strings.Join(f.kata.Tests, ", "))
			}
			all := allOutput(p)
			if !slices.ContainsFunc(f.lines, func(l string) bool { return strings.Contains(all, l) }) {
				t.Errorf("go test ./%s with %s does not name the learner's line (%s):\n%s",
					f.kata.Pkg.Dir, f.file, strings.Join(f.lines, " or "), lastLines(all, 60))
			}
			if crash, _ := p.Crash(); crash != "" && !gotrace.TimedOut(crash) {
				// The binary crashed: the harness's report after Go's names the test and the line.
				_, report, found := strings.Cut(all, gotrace.CrashPrefix)
				switch {
				case !found:
					t.Errorf("go test ./%s with %s crashed (%s) with no %q report after Go's:\n%s",
						f.kata.Pkg.Dir, f.file, crash, gotrace.CrashPrefix, lastLines(all, 40))
				case !slices.ContainsFunc(f.kata.Tests, func(name string) bool { return strings.HasPrefix(report, name) }):
					t.Errorf("the crash report of go test ./%s with %s names %q, not a test of kata %s",
						f.kata.Pkg.Dir, f.file, strings.SplitN(report, "\n", 2)[0], f.kata.Name)
				case !slices.ContainsFunc(f.lines, func(l string) bool { return strings.Contains(report, l) }):
					t.Errorf("the crash report of go test ./%s with %s does not name the learner's line (%s):\n%s%s",
						f.kata.Pkg.Dir, f.file, strings.Join(f.lines, " or "), gotrace.CrashPrefix, report)
				}
			}
			for _, k := range f.kata.Pkg.Katas {
				st := run.statuses[k]
				switch {
				case slices.Contains(calledBy[f.kata], k):
					// Its code calls the faulty kata's: it may fail too.
				case k == f.kata && st.Solved:
					t.Errorf("the board shows %s solved with %s in place", k.Name, f.file)
				case k == f.kata:
					t.Logf("the board says: %s", st.Reason)
				case !st.Solved:
					t.Errorf("the board shows %s, whose code is the solution, as not solved (%s) because of %s in %s: "+
						"one kata's fault must be that kata's alone", k.Name, st.Reason, f.kind, f.kata.Name)
				}
			}
		})
	}
}

// hangRank is 0 for the kinds of fault that hang, which take longest, and 1 for the others.
func hangRank(kind string) int {
	switch kind {
	case "doublelock", "spin", "selectdefault":
		return 0
	}
	return 1
}

// runFault runs go test on the fault's folder, then settles each kata's state as the board
// does.
func runFault(t *testing.T, root string, tr *catalog.Tree, f fault, race bool) faultRun {
	overlay := tr.Overlay()
	abs, err := filepath.Abs(filepath.Join("testdata", "faults", filepath.FromSlash(f.file)))
	if err != nil {
		return faultRun{err: err}
	}
	overlay[filepath.Join(root, filepath.FromSlash(f.kata.StubPath()))] = abs
	data, err := json.Marshal(map[string]map[string]string{"Replace": overlay})
	if err != nil {
		return faultRun{err: err}
	}
	file := filepath.Join(t.TempDir(), "overlay.json")
	if err := os.WriteFile(file, data, 0o644); err != nil {
		return faultRun{err: err}
	}
	r := &gorun.Runner{Root: root, Race: race, Overlay: file, Env: []string{katatest.HangEnv + "=" + faultHangBound.String()}, Timeout: time.Minute}
	args, env := r.Args()
	start := time.Now()
	// As the learner runs it: with the harness's crash monitor, which the tool turns off.
	env = append(env, gotrace.CrashMonitorEnv+"=on")
	res, err := gorun.GoTest(t.Context(), root, env, nil, append(args, "-count=1", "./"+f.kata.Pkg.Dir)...)
	if err != nil {
		return faultRun{err: err}
	}
	run := faultRun{wall: time.Since(start), statuses: map[*catalog.Kata]render.Status{}}
	mod, err := gorun.ModulePath(root)
	if err != nil {
		return faultRun{err: err}
	}
	run.plain = res[gorun.ImportPath(mod, f.kata.Pkg.Dir)]
	start = time.Now()
	got, err := r.Settle(t.Context(), []*catalog.Package{f.kata.Pkg}, res)
	if err != nil {
		return faultRun{err: err}
	}
	run.settle = time.Since(start)
	for _, k := range f.kata.Pkg.Katas {
		run.statuses[k] = render.StatusOf(k, got[k.ID()])
	}
	return run
}

// allOutput is everything a go test run printed for a package, its tests' lines first.
func allOutput(p *gorun.PkgResult) string {
	var b strings.Builder
	for _, name := range p.Order {
		for _, l := range p.Tests[name].Output {
			b.WriteString(l + "\n")
		}
	}
	for _, l := range p.Output {
		b.WriteString(l + "\n")
	}
	return b.String()
}

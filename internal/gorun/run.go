// Package gorun runs go test for the kata tool and reads what it reports: each package's
// and test's outcome from go test -json, crashes, hangs and races (through
// internal/gotrace), and a [Runner] that keeps one kata's crash or hang to that kata by
// running the katas of a package whose test binary died each in a process of its own.
package gorun

import (
	"context"
	"fmt"
	"maps"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/go-async-katas/katas/internal/catalog"
	"github.com/go-async-katas/katas/internal/gotrace"
)

// A Runner runs the learner's kata tests the way the board sees them.
//
// First the tests of every package asked for run in one `go test -json`: go test's cache
// answers for the packages that did not change, so a warm board costs about one go command.
// A package whose test binary did not end normally (a crash, a hang the harness stopped, go
// test's -timeout, a leak goleak found after every test passed) is then run again one kata at
// a time, each kata's tests in a process of their own, in parallel: a kata whose code crashes
// or hangs fails alone, and every other kata keeps the state its own code earns.
type Runner struct {
	Root    string        // the repository
	Race    bool          // run with -race (turned off when nothing builds with it)
	Overlay string        // a go test -overlay file, or ""
	Env     []string      // added to go test's environment
	Timeout time.Duration // go test's -timeout: a backstop behind the harness's hang detector
	// Show, if not nil, is told what the run is doing, a line at a time, as it goes.
	Show func(string)
}

// Results maps each kata's id to the go test run its tests were seen in: the run of its
// whole package, or a run of its own tests alone.
type Results map[string]*PkgResult

// BoardTimeout is the -timeout of the board's go test runs: the harness ends a hung kata test
// after KATA_HANG_TIMEOUT (10s by default), so this only catches a test outside the harness.
const BoardTimeout = 2 * time.Minute

// NewRunner returns the Runner the learner's commands use.
func NewRunner(root string, race bool, show func(string)) *Runner {
	return &Runner{Root: root, Race: race, Timeout: BoardTimeout, Show: show}
}

func (r *Runner) say(format string, args ...any) {
	if r.Show != nil {
		r.Show(fmt.Sprintf(format, args...))
	}
}

// Args returns the go test flags every run of r shares.
func (r *Runner) Args() ([]string, []string) {
	args := []string{"-timeout", r.Timeout.String()}
	env := slices.Clone(r.Env)
	if r.Overlay != "" {
		args = append(args, "-overlay", r.Overlay)
	}
	if r.Race {
		args = append(args, "-race")
		env = append(env, RaceEnv()...)
	}
	return args, env
}

// Run runs the tests of the katas in pkgs and returns, for each kata, the run that tells its
// state.
func (r *Runner) Run(ctx context.Context, pkgs []*catalog.Package) (Results, error) {
	var dirs []string
	for _, p := range pkgs {
		if len(p.Katas) > 0 {
			dirs = append(dirs, "./"+p.Dir)
		}
	}
	if len(dirs) == 0 {
		return Results{}, nil
	}
	res, err := r.all(ctx, dirs)
	if err != nil {
		return nil, err
	}
	return r.Settle(ctx, pkgs, res)
}

// Settle returns each kata's run, given res, the run of every package in pkgs: the
// package's run for a package whose test binary ended normally, and otherwise a run of the
// kata's own tests alone.
func (r *Runner) Settle(ctx context.Context, pkgs []*catalog.Package, res RunResult) (Results, error) {
	mod, err := ModulePath(r.Root)
	if err != nil {
		return nil, err
	}
	out := Results{}
	var alone []*catalog.Kata
	for _, p := range pkgs {
		pr := res[ImportPath(mod, p.Dir)]
		if pr == nil && res[""] != nil {
			pr = res[""] // go test stopped before the package: its reason is all there is
		}
		if why := pr.Died(p); why != "" {
			// The kata whose own file the crash or hang report names keeps this run: its
			// fault is plain, and running it again would cost a hang bound more. Every
			// other kata runs again alone.
			culprit := pr.culprit(p)
			if culprit != nil {
				out[culprit.ID()] = pr
			}
			r.say("%s: %s; running its other katas one by one…", p.Dir, why)
			for _, k := range p.Katas {
				if k != culprit {
					alone = append(alone, k)
				}
			}
			continue
		}
		for _, k := range p.Katas {
			out[k.ID()] = pr
		}
	}
	if len(alone) == 0 {
		return out, nil
	}
	if err := r.alone(ctx, mod, alone, out); err != nil {
		return nil, err
	}
	return out, nil
}

// all runs the packages' tests in one go test, saying what it does as it goes.
func (r *Runner) all(ctx context.Context, dirs []string) (RunResult, error) {
	args, env := r.Args()
	var (
		mu       sync.Mutex
		started  bool
		finished int
		running  = map[string]string{} // package → the top-level test it is running
		last     string                // the package that started a test last
	)
	r.say("Compiling the tests (the first run compiles everything: about a minute on a fresh machine)…")
	folders := "1 folder"
	if len(dirs) != 1 {
		folders = fmt.Sprintf("%d folders", len(dirs))
	}
	onEvent := func(e Event) {
		mu.Lock()
		defer mu.Unlock()
		switch {
		case e.Action == "start" && !started:
			started = true
		case e.Test == "" && e.Package != "" && (e.Action == "pass" || e.Action == "fail" || e.Action == "skip"):
			finished++
			delete(running, e.Package)
		case e.Action == "run" && e.Test != "" && !strings.Contains(e.Test, "/"):
			running[e.Package], last = e.Test, e.Package
		default:
			return
		}
		// Name a test still running (the latest one started, else any), so a long test, or
		// a hang waiting for its bound, shows which.
		pkg := last
		if _, ok := running[pkg]; !ok && len(running) > 0 {
			pkg = slices.Min(slices.Collect(maps.Keys(running)))
		}
		if test, ok := running[pkg]; ok {
			r.say("Running the tests of %s: %d done; %s %s…", folders, finished, shortPkg(pkg), test)
		} else {
			r.say("Running the tests of %s: %d done…", folders, finished)
		}
	}
	res, err := GoTest(ctx, r.Root, env, onEvent, append(args, dirs...)...)
	if err != nil {
		return nil, err
	}
	if r.Race && NothingBuilt(res) {
		// -race needs a working C toolchain, and cgo can be on without one: rather than show
		// every kata as not compiling, try again without the race detector.
		plain := *r
		plain.Race = false
		args, env := plain.Args()
		if rr, err := GoTest(ctx, r.Root, env, nil, append(args, dirs...)...); err == nil && !NothingBuilt(rr) {
			r.Race = false
			res = rr
		}
	}
	return res, nil
}

// alone runs each kata's tests in a go test of their own, as many at once as there are CPUs,
// and stores each kata's run in out.
func (r *Runner) alone(ctx context.Context, mod string, katas []*catalog.Kata, out Results) error {
	args, env := r.Args()
	var (
		mu    sync.Mutex
		wg    sync.WaitGroup
		errs  []error
		done  int
		slots = make(chan struct{}, max(2, runtime.NumCPU()))
	)
	for _, k := range katas {
		wg.Go(func() {
			select {
			case slots <- struct{}{}:
			case <-ctx.Done():
				return
			}
			defer func() { <-slots }()
			// A slice of its own: append to the shared args would write the goroutines'
			// arguments into one array.
			res, err := GoTest(ctx, r.Root, env, nil, slices.Concat(args, []string{"-run", RunPattern(k.Tests), "./" + k.Pkg.Dir})...)
			mu.Lock()
			defer mu.Unlock()
			done++
			r.say("Running each kata of a folder whose test binary died on its own: %d of %d done…", done, len(katas))
			if err != nil {
				errs = append(errs, err)
				return
			}
			pr := res[ImportPath(mod, k.Pkg.Dir)]
			if pr == nil {
				pr = res[""]
			}
			out[k.ID()] = pr
		})
	}
	wg.Wait()
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if len(errs) > 0 {
		return errs[0]
	}
	return nil
}

// RunPattern is the -run pattern that selects exactly the named top-level tests.
func RunPattern(tests []string) string {
	quoted := make([]string, len(tests))
	for i, t := range tests {
		quoted[i] = regexp.QuoteMeta(t)
	}
	return "^(" + strings.Join(quoted, "|") + ")$"
}

// shortPkg is the last element of an import path: what a status line has room for.
func shortPkg(importPath string) string { return importPath[strings.LastIndex(importPath, "/")+1:] }

// Died says why the package's test binary did not end as a test run should — it crashed, a
// test hung, tests never ran, or it failed after every test passed — or returns "" when it
// ended normally (its tests may still fail). A nil result (never ran) and a build failure
// are not deaths: no kata would fare better alone.
func (p *PkgResult) Died(kp *catalog.Package) string {
	if p == nil || p.Status != "fail" || p.BuildFailed() {
		return ""
	}
	if test, _ := p.Hang(); test != "" {
		return test + " hung"
	}
	if line, test := p.Crash(); line != "" {
		return fmt.Sprintf("its test binary crashed in %s (%s)", orNone(test), line)
	}
	for _, k := range kp.Katas {
		for _, name := range k.Tests {
			if tr := p.Tests[name]; tr == nil && !strings.HasPrefix(name, "Example") || tr != nil && tr.Status == "run" {
				return name + " did not finish"
			}
		}
	}
	if !AnyFailed(p) {
		return "its test binary failed after every test passed"
	}
	return ""
}

// culprit returns the kata of kp whose test the binary died in — the one the hang report
// names, or the one running when it crashed — when the report from there on names a line of
// that kata's own file ("gatherall.go:25"); nil when it does not, or no test is named: the
// fault may then be another kata's, left behind by an earlier test.
func (p *PkgResult) culprit(kp *catalog.Package) *catalog.Kata {
	test, report := p.Hang()
	if test == "" {
		var line string
		if line, test = p.Crash(); line == "" || test == "" {
			return nil
		}
		report = p.Tests[test].Output
	}
	top, _, _ := strings.Cut(test, "/")
	for _, k := range kp.Katas {
		if !slices.Contains(k.Tests, top) {
			continue
		}
		for _, l := range report {
			if strings.Contains(l, "/"+k.Name+".go:") || strings.Contains(l, "\\"+k.Name+".go:") || strings.Contains(l, "("+k.Name+".go:") {
				return k
			}
		}
		return nil
	}
	return nil
}

// Hang returns the test named by the harness's hang report, and the report's lines, if the
// run printed one.
func (p *PkgResult) Hang() (test string, report []string) {
	for _, name := range p.Order {
		lines := p.Tests[name].Output
		if test, at := gotrace.Hang(lines); test != "" {
			return test, lines[at:]
		}
	}
	if test, at := gotrace.Hang(p.Output); test != "" {
		return test, p.Output[at:]
	}
	return "", nil
}

// NothingBuilt reports whether no package's tests could be built or started.
func NothingBuilt(res RunResult) bool {
	for ip, p := range res {
		if ip != "" && !p.BuildFailed() {
			return false
		}
	}
	return true
}

// AnyFailed reports whether a test of the run did not pass (or skip).
func AnyFailed(p *PkgResult) bool {
	for _, tr := range p.Tests {
		if tr.Status != "pass" && tr.Status != "skip" {
			return true
		}
	}
	return false
}

func orNone(test string) string {
	if test == "" {
		return "no test (while starting or finishing)"
	}
	return test
}

// ImportPath is the import path of the package in the slash path dir of module mod.
func ImportPath(mod, dir string) string { return mod + "/" + dir }

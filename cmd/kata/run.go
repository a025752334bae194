package main

import (
	"github.com/go-async-katas/katas/internal/catalog"

	"context"
	"fmt"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/go-async-katas/katas/internal/gotrace"
)

// A runner runs the learner's kata tests the way the board sees them.
//
// First the tests of every package asked for run in one `go test -json`: go test's cache
// answers for the packages that did not change, so a warm board costs about one go command.
// A package whose test binary did not end normally (a crash, a hang the harness stopped, go
// test's -timeout, a leak goleak found after every test passed) is then run again one kata at
// a time, each kata's tests in a process of their own, in parallel: a kata whose code crashes
// or hangs fails alone, and every other kata keeps the state its own code earns.
type runner struct {
	root    string
	race    bool
	overlay string        // a go test -overlay file, or ""
	env     []string      // added to go test's environment
	timeout time.Duration // go test's -timeout: a backstop behind the harness's hang detector
	// show, if not nil, is told what the run is doing, a line at a time, as it goes.
	show func(string)
}

// results maps each kata's id to the go test run its tests were seen in: the run of its
// whole package, or a run of its own tests alone.
type results map[string]*pkgResult

// boardTimeout is the -timeout of the board's go test runs: the harness ends a hung kata test
// after KATA_HANG_TIMEOUT (10s by default), so this only catches a test outside the harness.
const boardTimeout = 2 * time.Minute

// newRunner returns the runner the learner's commands use.
func newRunner(root string, race bool, show func(string)) *runner {
	return &runner{root: root, race: race, timeout: boardTimeout, show: show}
}

func (r *runner) say(format string, args ...any) {
	if r.show != nil {
		r.show(fmt.Sprintf(format, args...))
	}
}

// args returns the go test flags every run of r shares.
func (r *runner) args() ([]string, []string) {
	args := []string{"-timeout", r.timeout.String()}
	env := slices.Clone(r.env)
	if r.overlay != "" {
		args = append(args, "-overlay", r.overlay)
	}
	if r.race {
		args = append(args, "-race")
		env = append(env, raceEnv()...)
	}
	return args, env
}

// run runs the tests of the katas in pkgs and returns, for each kata, the run that tells its
// state.
func (r *runner) run(ctx context.Context, pkgs []*catalog.Package) (results, error) {
	var dirs []string
	for _, p := range pkgs {
		if len(p.Katas) > 0 {
			dirs = append(dirs, "./"+p.Dir)
		}
	}
	if len(dirs) == 0 {
		return results{}, nil
	}
	res, err := r.all(ctx, dirs)
	if err != nil {
		return nil, err
	}
	return r.settle(ctx, pkgs, res)
}

// settle returns each kata's run, given res, the run of every package in pkgs: the
// package's run for a package whose test binary ended normally, and otherwise a run of the
// kata's own tests alone.
func (r *runner) settle(ctx context.Context, pkgs []*catalog.Package, res runResult) (results, error) {
	mod, err := modulePath(r.root)
	if err != nil {
		return nil, err
	}
	out := results{}
	var alone []*catalog.Kata
	for _, p := range pkgs {
		pr := res[importPath(mod, p.Dir)]
		if pr == nil && res[""] != nil {
			pr = res[""] // go test stopped before the package: its reason is all there is
		}
		if why := pr.died(p); why != "" {
			r.say("%s: %s; running its %d katas one by one…", p.Dir, why, len(p.Katas))
			alone = append(alone, p.Katas...)
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
func (r *runner) all(ctx context.Context, dirs []string) (runResult, error) {
	args, env := r.args()
	var (
		mu       sync.Mutex
		started  bool
		finished int
	)
	r.say("Compiling the tests (the first run compiles everything: about a minute on a fresh machine)…")
	onEvent := func(e event) {
		mu.Lock()
		defer mu.Unlock()
		switch {
		case e.Action == "start" && !started:
			started = true
		case e.Test == "" && e.Package != "" && (e.Action == "pass" || e.Action == "fail" || e.Action == "skip"):
			finished++
		case e.Action == "run" && e.Test != "" && !strings.Contains(e.Test, "/"):
			r.say("Running the tests of %d folders: %d done; %s %s…", len(dirs), finished, shortPkg(e.Package), e.Test)
			return
		default:
			return
		}
		r.say("Running the tests of %d folders: %d done…", len(dirs), finished)
	}
	res, err := goTest(ctx, r.root, env, onEvent, append(args, dirs...)...)
	if err != nil {
		return nil, err
	}
	if r.race && nothingBuilt(res) {
		// -race needs a working C toolchain, and cgo can be on without one: rather than show
		// every kata as not compiling, try again without the race detector.
		plain := *r
		plain.race = false
		args, env := plain.args()
		if rr, err := goTest(ctx, r.root, env, nil, append(args, dirs...)...); err == nil && !nothingBuilt(rr) {
			r.race = false
			res = rr
		}
	}
	return res, nil
}

// alone runs each kata's tests in a go test of their own, as many at once as there are CPUs,
// and stores each kata's run in out.
func (r *runner) alone(ctx context.Context, mod string, katas []*catalog.Kata, out results) error {
	args, env := r.args()
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
			res, err := goTest(ctx, r.root, env, nil, append(args, "-run", runPattern(k.Tests), "./"+k.Pkg.Dir)...)
			mu.Lock()
			defer mu.Unlock()
			done++
			r.say("Running each kata of a folder whose test binary died on its own: %d of %d done…", done, len(katas))
			if err != nil {
				errs = append(errs, err)
				return
			}
			pr := res[importPath(mod, k.Pkg.Dir)]
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

// runPattern is the -run pattern that selects exactly the named top-level tests.
func runPattern(tests []string) string {
	quoted := make([]string, len(tests))
	for i, t := range tests {
		quoted[i] = regexp.QuoteMeta(t)
	}
	return "^(" + strings.Join(quoted, "|") + ")$"
}

// shortPkg is the last element of an import path: what a status line has room for.
func shortPkg(importPath string) string { return importPath[strings.LastIndex(importPath, "/")+1:] }

// died says why the package's test binary did not end as a test run should — it crashed, a
// test hung, tests never ran, or it failed after every test passed — or returns "" when it
// ended normally (its tests may still fail). A nil result (never ran) and a build failure
// are not deaths: no kata would fare better alone.
func (p *pkgResult) died(kp *catalog.Package) string {
	if p == nil || p.status != "fail" || p.buildFailed() {
		return ""
	}
	if test, _ := p.hang(); test != "" {
		return test + " hung"
	}
	if line, test := p.crash(); line != "" {
		return fmt.Sprintf("its test binary crashed in %s (%s)", orNone(test), line)
	}
	for _, k := range kp.Katas {
		for _, name := range k.Tests {
			if tr := p.tests[name]; tr == nil && !strings.HasPrefix(name, "Example") || tr != nil && tr.status == "run" {
				return name + " did not finish"
			}
		}
	}
	if !anyFailed(p) {
		return "its test binary failed after every test passed"
	}
	return ""
}

// hang returns the test named by the harness's hang report, and the report's lines, if the
// run printed one.
func (p *pkgResult) hang() (test string, report []string) {
	for _, name := range p.order {
		lines := p.tests[name].output
		if test, at := gotrace.Hang(lines); test != "" {
			return test, lines[at:]
		}
	}
	if test, at := gotrace.Hang(p.output); test != "" {
		return test, p.output[at:]
	}
	return "", nil
}

// A statusLine shows, on a terminal, one line saying what a long run is doing, redrawn in
// place with the time it has taken so far; it draws nothing when off.
type statusLine struct {
	on    bool
	w     interface{ Write([]byte) (int, error) }
	start time.Time

	mu    sync.Mutex
	msg   string
	drawn bool
	stop  chan struct{}
	done  chan struct{}
}

// startStatus starts redrawing the line every quarter of a second until end is called.
func startStatus(w interface{ Write([]byte) (int, error) }, on bool) *statusLine {
	s := &statusLine{on: on, w: w, start: time.Now(), stop: make(chan struct{}), done: make(chan struct{})}
	if !on {
		close(s.done)
		return s
	}
	go func() {
		defer close(s.done)
		tick := time.NewTicker(250 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-s.stop:
				return
			case <-tick.C:
				s.draw()
			}
		}
	}()
	return s
}

// set changes what the line says.
func (s *statusLine) set(msg string) {
	if !s.on {
		return
	}
	s.mu.Lock()
	s.msg = msg
	s.mu.Unlock()
	s.draw()
}

func (s *statusLine) draw() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.msg == "" {
		return
	}
	line := fmt.Sprintf("%s (%ds)", s.msg, int(time.Since(s.start).Seconds()))
	if r := []rune(line); len(r) > 100 {
		line = string(r[:99]) + "…"
	}
	fmt.Fprintf(s.w, "\r\x1b[K%s", line)
	s.drawn = true
}

// end stops the line and clears it.
func (s *statusLine) end() {
	if !s.on {
		return
	}
	select {
	case <-s.stop:
	default:
		close(s.stop)
	}
	<-s.done
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.drawn {
		fmt.Fprint(s.w, "\r\x1b[K")
		s.drawn = false
	}
}

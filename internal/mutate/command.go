package mutate

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"go/format"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/pmezard/go-difflib/difflib"

	"github.com/go-async-katas/katas/internal/catalog"
)

// DefaultAllowList is where the allow-list lives, relative to the repository root.
const DefaultAllowList = "internal/mutate/harmless.txt"

// Command runs the mutation check: root is the repository root, args the flags and package
// patterns after "mutate". It returns nil when the check passes, and an error when a
// mutant survives that the allow-list does not name, when the allow-list names a mutant
// that no longer survives, or when the check cannot run.
func Command(ctx context.Context, root string, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("mutate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: kata mutate [flags] [packages]\n\n"+
			"Mutates each solution file (a dropped wait, a synchronous go, a lost ctx, a missing cancel, close,\n"+
			"lock, ctx case or recover, %%v for %%w, a swallowed error, a channel's buffer changed) and runs the\n"+
			"file's tests on every mutant. It fails on a mutant that survives unless "+DefaultAllowList+"\n"+
			"lists it, and on a listed mutant that no longer survives.\n\nflags:\n")
		fs.PrintDefaults()
	}
	list := fs.Bool("list", false, "print the mutants without running them")
	run := fs.String("run", "", "mutate only the solution files whose path matches this `regexp`")
	verbose := fs.Bool("v", false, "print every mutant's outcome (and with -list, each mutant's diff)")
	allowPath := fs.String("allow", DefaultAllowList, "the allow-list `file`, relative to the root")
	jobs := fs.Int("j", runtime.GOMAXPROCS(0), "test binaries run at once")
	race := fs.Bool("race", true, "run the tests with the race detector")
	hang := fs.Duration("hang", 3*time.Second, "the hang detector's bound (KATA_HANG_TIMEOUT) for each run")
	rate := fs.Int("rate", 1, "run each mutant's tests `n` times, in n processes, and report how often they catch it: "+
		"a mutant caught fewer than n times fails the check (prove a test catches a mistake every time with -rate 50)")
	count := fs.Int("count", 1, "run each mutant's tests up to `n` times: it survives only if they pass every time")
	timeout := fs.Duration("timeout", 30*time.Second, "go test's -timeout for each run: a backstop behind the hang detector")
	alone := fs.Bool("alone", false, "build every mutant on its own instead of in a schema (slow: a check of the schemata)")
	outDir := fs.String("survivors", "", "also write each package's survivors to `dir`/<package, / as _>.txt and all to dir/ALL.txt")
	// Flags may come before, between and after the packages.
	var patterns []string
	for rest := args; ; {
		if err := fs.Parse(rest); err != nil {
			return err
		}
		if rest = fs.Args(); len(rest) == 0 {
			break
		}
		patterns, rest = append(patterns, rest[0]), rest[1:]
	}
	var fileRE *regexp.Regexp
	if *run != "" {
		re, err := regexp.Compile(*run)
		if err != nil {
			return fmt.Errorf("-run: %w", err)
		}
		fileRE = re
	}
	root, err := filepath.Abs(root)
	if err != nil {
		return err
	}
	c := &check{
		ctx: ctx, root: root, stdout: stdout, verbose: *verbose, jobs: max(*jobs, 1), start: time.Now(),
		r: &runner{root: root, race: *race, hang: *hang, timeout: *timeout, count: max(*count, 1)}, allAlone: *alone, rate: max(*rate, 1),
	}
	return c.main(patterns, fileRE, *list, *allowPath, *outDir)
}

// A check is one run of the mutation check.
type check struct {
	ctx      context.Context
	root     string
	stdout   io.Writer
	verbose  bool
	jobs     int
	start    time.Time
	r        *runner
	allAlone bool           // build every mutant on its own
	rate     int            // runs of each mutant's tests
	patterns []string       // the packages to check (none: all)
	fileRE   *regexp.Regexp // -run, or nil
	pkgs     []*kataPkg     // the selected packages with targets
	muts     []*Mutant      // every mutant, by ID-1

	mu                   sync.Mutex // guards the counters and printing while mutants run
	done, nKilled, nSurv int
	lastProgress         time.Time
}

func (c *check) printf(format string, args ...any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	fmt.Fprintf(c.stdout, format, args...)
}

// selects reports whether this run's packages and -run select a solution file.
func (c *check) selects(file string) bool {
	dir, ok := strings.CutPrefix(path.Dir(file), "solutions/")
	return ok && catalog.Matches(c.patterns, dir) && (c.fileRE == nil || c.fileRE.MatchString(file))
}

func (c *check) main(patterns []string, fileRE *regexp.Regexp, list bool, allowPath, outDir string) error {
	c.patterns, c.fileRE = patterns, fileRE
	all, err := findPackages(c.root, nil)
	if err != nil {
		return fmt.Errorf("reading the katas: %w", err)
	}
	var dirs []string
	for _, p := range all {
		if !catalog.Matches(patterns, p.dir) {
			continue
		}
		p.targets = slices.DeleteFunc(p.targets, func(t *target) bool { return fileRE != nil && !fileRE.MatchString(t.solution()) })
		if len(p.targets) > 0 {
			c.pkgs = append(c.pkgs, p)
			dirs = append(dirs, "./"+p.dir)
		}
	}
	if len(c.pkgs) == 0 {
		what := strings.Join(patterns, " ")
		if fileRE != nil {
			what += " -run " + fileRE.String()
		}
		return fmt.Errorf("no solution file with tests matches %s", what)
	}
	if c.r.race && !list {
		cmd := exec.CommandContext(c.ctx, "go", "env", "CGO_ENABLED")
		cmd.Dir = c.root
		if out, err := cmd.Output(); err == nil && strings.TrimSpace(string(out)) != "1" {
			return errors.New("the race detector needs cgo (CGO_ENABLED=1 and a C compiler); -race=false runs without it")
		}
	}
	if c.r.tmp, err = os.MkdirTemp("", "kata-mutate-"); err != nil {
		return err
	}
	defer os.RemoveAll(c.r.tmp)
	c.r.base = overlay(c.root, all)
	baseOverlay, err := c.r.writeOverlay("base.json", nil)
	if err != nil {
		return err
	}
	if err := c.generate(baseOverlay, dirs); err != nil {
		return err
	}
	if list {
		c.list()
		return nil
	}
	allowFile := allowPath
	if !filepath.IsAbs(allowFile) {
		allowFile = filepath.Join(c.root, filepath.FromSlash(allowPath))
	}
	allow, err := readAllowList(allowFile)
	if err != nil {
		return err
	}
	if err := c.buildAndRun(); err != nil {
		return err
	}
	return c.report(allow, allowPath, outDir)
}

// generate finds the mutants of every target, and skips those that do not compile or
// change nothing.
func (c *check) generate(baseOverlay string, dirs []string) error {
	tc, err := newChecker(c.ctx, c.root, baseOverlay, dirs)
	if err != nil {
		return err
	}
	nSkip := 0
	for _, p := range c.pkgs {
		abs := filepath.Join(c.root, filepath.FromSlash(p.dir))
		cp, err := tc.check(abs, func(name string) ([]byte, error) {
			if slices.Contains(p.replaced, name) {
				return os.ReadFile(filepath.Join(c.root, "solutions", filepath.FromSlash(p.dir), name))
			}
			return os.ReadFile(filepath.Join(abs, name))
		})
		if err != nil {
			return err
		}
		for _, t := range p.targets {
			name := t.stem + ".go"
			f := cp.files[name]
			if f == nil {
				return fmt.Errorf("%s is not in the package's build (a build constraint?)", t.solution())
			}
			t.src = cp.srcs[name]
			orig := t.src
			if f, err := format.Source(orig); err == nil {
				orig = f
			}
			seen := map[string]bool{string(orig): true}
			for _, m := range generate(tc.fset, f, t.src, cp.info, t.solution(), cp.fileList()) {
				m.ID, m.target = len(c.muts)+1, t
				m.alone = m.alone || c.allAlone
				c.muts = append(c.muts, m)
				t.muts = append(t.muts, m)
				m.src = renderAlone(t.src, m)
				if seen[string(m.src)] {
					m.outcome, m.detail = sameSource, "the same source as the original or another mutant"
					nSkip++
					continue
				}
				seen[string(m.src)] = true
				if errs := tc.checkMutant(cp, name, m); len(errs) > 0 {
					m.outcome, m.detail = noCompile, "does not compile: "+oneLine(errs[0].Error())
					nSkip++
				}
			}
		}
	}
	nFiles := 0
	for _, p := range c.pkgs {
		nFiles += len(p.targets)
	}
	fmt.Fprintf(c.stdout, "mutate: %s in %s (%s), %s (%d skipped: they do not compile or change nothing)\n",
		fmtCount(nFiles, "solution file", "solution files"), fmtCount(len(c.pkgs), "package", "packages"),
		elapsed(time.Since(c.start)), fmtCount(len(c.muts), "mutant", "mutants"), nSkip)
	return nil
}

func (c *check) list() {
	for _, p := range c.pkgs {
		for _, t := range p.targets {
			fmt.Fprintf(c.stdout, "\n%s (%s)\n", t.solution(), strings.Join(t.tests, ", "))
			for _, m := range t.muts {
				note := ""
				if m.outcome != notRun {
					note = "  [skipped: " + m.detail + "]"
				} else if m.alone {
					note = "  [built on its own]"
				}
				fmt.Fprintf(c.stdout, "  %d:%-4d %-14s %s: %s%s\n", m.ID, m.Line, m.Op, m.Func, m.Text, note)
				if c.verbose && m.outcome == notRun {
					fmt.Fprint(c.stdout, indent(c.diff(m), "      "))
				}
			}
		}
	}
}

// buildAndRun builds one schema test binary per package, and one binary per mutant a
// schema cannot hold, then runs the tests of each target on each of its mutants.
func (c *check) buildAndRun() error {
	extra := map[string]string{}
	schemaDir := filepath.Join(c.r.tmp, "schema")
	binDir := filepath.Join(c.r.tmp, "bin")
	var dirs []string
	var nAlone, nRun int
	for _, p := range c.pkgs {
		abs := filepath.Join(c.root, filepath.FromSlash(p.dir))
		sd := filepath.Join(schemaDir, filepath.FromSlash(p.dir))
		if err := os.MkdirAll(sd, 0o755); err != nil {
			return err
		}
		name := ""
		for _, t := range p.targets {
			var in []*Mutant
			for _, m := range t.muts {
				if m.outcome == notRun && !m.alone {
					in = append(in, m)
				}
				if m.outcome == notRun {
					nRun++
					if m.alone {
						nAlone++
					}
				}
			}
			f := filepath.Join(sd, t.stem+".go")
			if err := os.WriteFile(f, renderSchema(t.src, in), 0o644); err != nil {
				return err
			}
			extra[filepath.Join(abs, t.stem+".go")] = f
			name = packageName(t.src)
		}
		helper := filepath.Join(sd, "zz_kata_mutant.go")
		if err := os.WriteFile(helper, fmt.Appendf(nil, schemaHelper, name), 0o644); err != nil {
			return err
		}
		extra[filepath.Join(abs, "zz_kata_mutant.go")] = helper
		dirs = append(dirs, "./"+p.dir)
	}
	ov, err := c.r.writeOverlay("schema.json", extra)
	if err != nil {
		return err
	}
	race := ""
	if c.r.race {
		race = " -race"
	}
	fmt.Fprintf(c.stdout, "mutate: building %s%s (%d mutants each built on its own later), then running %d mutants, %d at a time\n",
		fmtCount(len(dirs), "test binary", "test binaries"), race, nAlone, nRun, c.jobs)
	buildStart := time.Now()
	// go test -c -o dir/ names each binary after its folder: packages whose folders share a
	// name are built by separate runs, into folders of their own.
	var groups [][]*kataPkg
	for _, p := range c.pkgs {
		placed := false
		for i, g := range groups {
			if !slices.ContainsFunc(g, func(q *kataPkg) bool { return path.Base(q.dir) == path.Base(p.dir) }) {
				groups[i], placed = append(g, p), true
				break
			}
		}
		if !placed {
			groups = append(groups, []*kataPkg{p})
		}
	}
	var outs []string
	for i, g := range groups {
		dir := filepath.Join(binDir, fmt.Sprint(i))
		var pats []string
		for _, p := range g {
			pats = append(pats, "./"+p.dir)
			p.bin = filepath.Join(dir, path.Base(p.dir)+".test"+exeSuffix())
		}
		if out, err := c.r.build(c.ctx, ov, dir, pats); err != nil {
			outs = append(outs, out)
		}
	}
	for _, p := range c.pkgs {
		if _, statErr := os.Stat(p.bin); statErr != nil {
			p.bin = ""
			fmt.Fprintf(c.stdout, "mutate: %s: the schema test binary did not build: its mutants are not judged\n", p.dir)
			for _, t := range p.targets {
				c.notJudged(t, "the schema did not build")
			}
		}
	}
	for _, out := range outs {
		fmt.Fprintf(c.stdout, "mutate: go test -c failed:\n%s\n", tail(out, 30))
	}
	if c.ctx.Err() != nil {
		return c.ctx.Err()
	}
	fmt.Fprintf(c.stdout, "mutate: built in %s; checking that each file's tests pass with no mutant\n", elapsed(time.Since(buildStart)))

	// Baselines: each target's tests must pass on the schema with no mutant switched on.
	c.pool(func(do func(func())) {
		for _, p := range c.pkgs {
			if p.bin == "" {
				continue
			}
			for _, t := range p.targets {
				do(func() {
					start := time.Now()
					res := c.r.runTests(c.ctx, p.bin, filepath.Join(c.root, filepath.FromSlash(p.dir)), t.tests, 0, c.r.hang)
					took := time.Since(start)
					// A mutant's run gets four times what the tests took here, at least the
					// hang bound: on a busy machine, slow tests must not pass for hangs.
					t.hang = max(c.r.hang, (4 * took).Round(time.Second))
					if res.passed {
						t.ok = true
						if c.verbose || t.hang > c.r.hang {
							c.printf("  %s: its tests take %s with no mutant; hang bound %s\n", t.solution(), elapsed(took), t.hang)
						}
						return
					}
					c.printf("mutate: %s: its tests fail with no mutant (%s): its mutants are not judged\n%s\n",
						t.solution(), res.detail, tail(res.output, 30))
					c.notJudged(t, "the tests fail without a mutant")
				})
			}
		}
	})
	if c.ctx.Err() != nil {
		return c.ctx.Err()
	}
	c.lastProgress = time.Now()
	c.printf("mutate: running mutants (%s so far)\n", elapsed(time.Since(c.start)))
	// The mutants to run, chosen before any runs (runs write their outcomes): the ones
	// built on their own first, as they take longest.
	var toRun []*Mutant
	for _, alone := range []bool{true, false} {
		for _, m := range c.muts {
			if m.outcome == notRun && m.alone == alone && m.target.ok {
				toRun = append(toRun, m)
			}
		}
	}
	c.pool(func(do func(func())) {
		for _, m := range toRun {
			do(func() { c.runMutant(m) })
		}
	})
	return c.ctx.Err()
}

func (c *check) notJudged(t *target, why string) {
	for _, m := range t.muts {
		if m.outcome == notRun {
			m.outcome, m.detail = notJudged, why
		}
	}
}

// pool runs the jobs that feed hands it, c.jobs at a time, and returns when all are done.
func (c *check) pool(feed func(do func(func()))) {
	jobs := make(chan func())
	var wg sync.WaitGroup
	for range c.jobs {
		wg.Go(func() {
			for j := range jobs {
				if c.ctx.Err() == nil {
					j()
				}
			}
		})
	}
	feed(func(j func()) { jobs <- j })
	close(jobs)
	wg.Wait()
}

func (c *check) runMutant(m *Mutant) {
	t := m.target
	dir := filepath.Join(c.root, filepath.FromSlash(t.pkg.dir))
	bin, id := t.pkg.bin, m.ID
	if m.alone {
		f := filepath.Join(c.r.tmp, fmt.Sprintf("mutant-%d.go", m.ID))
		ov := ""
		err := os.WriteFile(f, m.src, 0o644)
		if err == nil {
			ov, err = c.r.writeOverlay(fmt.Sprintf("mutant-%d.json", m.ID), map[string]string{filepath.Join(dir, t.stem+".go"): f})
		}
		out := ""
		binDir := filepath.Join(c.r.tmp, fmt.Sprintf("bin-%d", m.ID))
		if err == nil {
			out, err = c.r.build(c.ctx, ov, binDir, []string{"./" + t.pkg.dir})
		}
		if err != nil {
			c.finish(m, notJudged, "it did not build on its own: "+oneLine(out))
			return
		}
		bin, id = filepath.Join(binDir, filepath.Base(t.pkg.dir)+".test"+exeSuffix()), 0
		defer os.RemoveAll(binDir)
	}
	kills, detail := 0, ""
	for range c.rate {
		res := c.r.runTests(c.ctx, bin, dir, t.tests, id, t.hang)
		if c.ctx.Err() != nil {
			return
		}
		if !res.passed {
			kills++
			detail = cmp.Or(detail, res.detail)
		}
	}
	m.kills = kills
	switch {
	case kills == 0:
		c.finish(m, survived, "")
	case c.rate > 1:
		c.finish(m, killed, fmt.Sprintf("killed %d of %d times: %s", kills, c.rate, detail))
	default:
		c.finish(m, killed, detail)
	}
}

// finish records a mutant's outcome and prints progress now and then.
func (c *check) finish(m *Mutant, o outcome, detail string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	m.outcome, m.detail = o, detail
	c.done++
	switch o {
	case killed:
		c.nKilled++
	case survived:
		c.nSurv++
	}
	if c.verbose {
		word := map[outcome]string{killed: "killed", survived: "SURVIVED", notJudged: "not judged"}[o]
		fmt.Fprintf(c.stdout, "  %-10s %s:%d %s %s: %s  %s\n", word, m.File, m.Line, m.Op, m.Func, m.Text, detail)
	}
	var n, k, sv int
	for _, x := range m.target.muts {
		switch x.outcome {
		case notRun:
			if time.Since(c.lastProgress) > 10*time.Second {
				c.lastProgress = time.Now()
				fmt.Fprintf(c.stdout, "mutate: %d mutants run: %d killed, %d survived (%s so far)\n", c.done, c.nKilled, c.nSurv, elapsed(time.Since(c.start)))
			}
			return // the file is not done yet
		case killed:
			k++
		case survived:
			sv++
		}
		n++
	}
	c.lastProgress = time.Now()
	fmt.Fprintf(c.stdout, "  %s: %d killed, %d survived, %d skipped\n", m.File, k, sv, n-k-sv)
}

// report prints the survivors and the counts, checks them against the allow-list and
// returns an error if the check fails.
func (c *check) report(allow []*allowEntry, allowPath, outDir string) error {
	byKey := map[string]*Mutant{}
	judged := map[string]bool{} // solution files whose every mutant was judged
	for _, p := range c.pkgs {
		for _, t := range p.targets {
			judged[t.solution()] = t.ok
			for _, m := range t.muts {
				byKey[m.Key()] = m
				if m.outcome == notJudged {
					judged[t.solution()] = false
				}
			}
		}
	}
	var stale []string
	for _, e := range allow {
		ok, inRun := judged[e.file]
		if !inRun && c.selects(e.file) {
			stale = append(stale, fmt.Sprintf("%s:%d: %s: no such solution file with tests", allowPath, e.line, e.file))
			continue
		}
		if !inRun || !ok {
			continue // not checked this time
		}
		m := byKey[e.key]
		switch {
		case m == nil:
			stale = append(stale, fmt.Sprintf("%s:%d: %s: no such mutant any more", allowPath, e.line, e.key))
		case m.outcome == survived:
			m.allowedFor = e.reason
		case m.outcome == killed:
			stale = append(stale, fmt.Sprintf("%s:%d: %s: killed now (%s)", allowPath, e.line, e.key, m.detail))
		default:
			stale = append(stale, fmt.Sprintf("%s:%d: %s: not run (%s)", allowPath, e.line, e.key, m.detail))
		}
	}

	type counts struct{ n, killed, survived, allowed, skipped int }
	perOp := map[string]*counts{}
	var total counts
	var survivors []*Mutant
	notJudgedN := 0
	for _, m := range c.muts {
		pc := perOp[m.Op]
		if pc == nil {
			pc = &counts{}
			perOp[m.Op] = pc
		}
		for _, x := range []*counts{pc, &total} {
			x.n++
			switch m.outcome {
			case killed:
				x.killed++
			case survived:
				x.survived++
				if m.allowedFor != "" {
					x.allowed++
				}
			default:
				x.skipped++
			}
		}
		if m.outcome == notJudged {
			notJudgedN++
		}
		if m.outcome == survived {
			survivors = append(survivors, m)
		}
	}

	var unlisted []*Mutant
	for _, m := range survivors {
		if m.allowedFor == "" {
			unlisted = append(unlisted, m)
		}
	}
	if len(unlisted) > 0 {
		fmt.Fprintf(c.stdout, "\nSurvivors: the tests pass on each of these mutants\n")
		for _, m := range unlisted {
			fmt.Fprint(c.stdout, c.describe(m))
		}
	}
	if c.verbose {
		for _, m := range survivors {
			if m.allowedFor != "" {
				fmt.Fprintf(c.stdout, "allowed: %s:%d %s %s: %s (%s)\n", m.File, m.Line, m.Op, m.Func, m.Text, m.allowedFor)
			}
		}
	}
	var sometimes []*Mutant
	for _, m := range c.muts {
		if m.outcome == killed && c.rate > 1 && m.kills < c.rate {
			sometimes = append(sometimes, m)
		}
	}
	if len(sometimes) > 0 {
		fmt.Fprintf(c.stdout, "\nCaught only sometimes: the tests must fail on each of these mutants every time\n")
		for _, m := range sometimes {
			fmt.Fprintf(c.stdout, "\n%s:%d: %s in %s: %s: %s\n%s", m.File, m.Line, m.Op, m.Func, m.Text, m.detail, indent(c.diff(m), "  "))
		}
	}
	if len(stale) > 0 {
		fmt.Fprintf(c.stdout, "\nStale entries in %s: remove them\n", allowPath)
		for _, s := range stale {
			fmt.Fprintf(c.stdout, "  %s\n", s)
		}
	}
	fmt.Fprintf(c.stdout, "\n%-15s %7s %7s %9s %8s %8s\n", "operator", "mutants", "killed", "survived", "allowed", "skipped")
	for _, op := range Ops {
		if x := perOp[op]; x != nil {
			fmt.Fprintf(c.stdout, "%-15s %7d %7d %9d %8d %8d\n", op, x.n, x.killed, x.survived, x.allowed, x.skipped)
		}
	}
	fmt.Fprintf(c.stdout, "%-15s %7d %7d %9d %8d %8d\n", "total", total.n, total.killed, total.survived, total.allowed, total.skipped)
	fmt.Fprintf(c.stdout, "mutate: %d mutants: %d killed, %d survived (%d allowed), %d skipped, in %s\n",
		total.n, total.killed, total.survived, total.allowed, total.skipped, elapsed(time.Since(c.start)))

	if outDir != "" {
		if err := c.writeSurvivors(outDir, append(survivors, sometimes...)); err != nil {
			return err
		}
	}
	var errs []error
	if len(unlisted) > 0 {
		errs = append(errs, fmt.Errorf("%s not in %s: strengthen the tests, or list a mutant that is harmless by design with its reason",
			fmtCount(len(unlisted), "survivor", "survivors"), allowPath))
	}
	if len(stale) > 0 {
		errs = append(errs, fmt.Errorf("%s in %s", fmtCount(len(stale), "stale entry", "stale entries"), allowPath))
	}
	if len(sometimes) > 0 {
		errs = append(errs, fmt.Errorf("%s caught only sometimes (of %d runs)", fmtCount(len(sometimes), "mutant", "mutants"), c.rate))
	}
	if notJudgedN > 0 {
		errs = append(errs, fmt.Errorf("%s not judged (see above)", fmtCount(notJudgedN, "mutant", "mutants")))
	}
	return errors.Join(errs...)
}

// describe is a survivor's report: where, what, its allow-list line and its diff.
func (c *check) describe(m *Mutant) string {
	var b strings.Builder
	fmt.Fprintf(&b, "\n%s:%d: %s in %s: %s\n", m.File, m.Line, m.Op, m.Func, m.Text)
	if m.outcome == survived {
		fmt.Fprintf(&b, "  allow-list line: %s\n", allowLine(m, "<why it is harmless by design>"))
	}
	b.WriteString(indent(c.diff(m), "  "))
	return b.String()
}

func (c *check) diff(m *Mutant) string {
	orig := m.target.src
	if f, err := format.Source(orig); err == nil {
		orig = f
	}
	d, _ := difflib.GetUnifiedDiffString(difflib.UnifiedDiff{
		A: difflib.SplitLines(string(orig)), B: difflib.SplitLines(string(m.src)),
		FromFile: "a/" + m.File, ToFile: "b/" + m.File, Context: 2,
	})
	return d
}

// writeSurvivors writes each package's survivors (and mutants caught only sometimes) to
// dir/<package, / as _>.txt (an empty file for a package with none) and all of them to
// dir/ALL.txt.
func (c *check) writeSurvivors(dir string, survivors []*Mutant) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	stamp := fmt.Sprintf("# kata mutate survivors, %s\n", time.Now().UTC().Format(time.RFC3339))
	var all bytes.Buffer
	all.WriteString(stamp)
	for _, p := range c.pkgs {
		var b bytes.Buffer
		b.WriteString(stamp)
		for _, m := range survivors {
			if m.target.pkg == p {
				s := c.describe(m)
				switch {
				case m.allowedFor != "":
					s = "\n(allowed: " + m.allowedFor + ")" + s
				case m.outcome == killed:
					s = "\n(caught only sometimes, " + m.detail + ")" + s
				}
				b.WriteString(s)
			}
		}
		all.Write(b.Bytes()[len(stamp):])
		if err := os.WriteFile(filepath.Join(dir, strings.ReplaceAll(p.dir, "/", "_")+".txt"), b.Bytes(), 0o644); err != nil {
			return err
		}
	}
	return os.WriteFile(filepath.Join(dir, "ALL.txt"), all.Bytes(), 0o644)
}

func indent(s, prefix string) string {
	if s == "" {
		return ""
	}
	lines := strings.SplitAfter(s, "\n")
	var b strings.Builder
	for _, l := range lines {
		if l != "" {
			b.WriteString(prefix + l)
		}
	}
	if !strings.HasSuffix(s, "\n") {
		b.WriteString("\n")
	}
	return b.String()
}

// packageName reads the package clause of a Go source.
func packageName(src []byte) string {
	for l := range strings.Lines(string(src)) {
		if name, ok := strings.CutPrefix(strings.TrimSpace(l), "package "); ok {
			return strings.TrimSpace(strings.SplitN(name, "//", 2)[0])
		}
	}
	return ""
}

func exeSuffix() string {
	if runtime.GOOS == "windows" {
		return ".exe"
	}
	return ""
}

package main

import (
	"bufio"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/go-async-katas/katas/internal/catalog"
	"github.com/go-async-katas/katas/internal/gorun"
	"github.com/go-async-katas/katas/internal/render"
)

// watch shows the board, then re-runs tests each time a .go file in a kata folder is saved,
// or Enter is pressed, and moves on to the next kata when the current one passes. It starts
// at the kata called name ("" for the first one not solved). A save while tests run cancels
// that run and starts again at once. It returns when ctx ends (Ctrl-C, SIGTERM); the end of
// its input does not stop it, since editors and IDE runners often start it with none.
func (a *app) watch(ctx context.Context, t *catalog.Tree, race bool, name string) error {
	w := &watchState{a: a, t: t, race: race, res: gorun.Results{}, fw: &folderWatch{root: t.Root}}
	if name != "" {
		k, err := t.Find(name)
		if err != nil {
			return err
		}
		w.focus = k
	}
	fsw, err := fsnotify.NewWatcher()
	if err == nil {
		defer fsw.Close()
		w.fw.w = fsw
	}
	w.watchErr = err
	w.fw.sync(t)

	w.runs = make(chan runOutcome)
	w.stopped = make(chan struct{})
	defer close(w.stopped)
	defer w.cancelRun()
	enter := a.readLines(ctx, w.stopped)

	debounce := cmp.Or(a.debounce, 200*time.Millisecond)
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	w.start("", t.Packages, true)
	for {
		select {
		case <-ctx.Done():
			return w.interrupt()
		case <-enter:
			timer.Stop()
			w.enter()
		case o := <-w.runs:
			w.runFinished(o)
		case ev, ok := <-w.fw.events():
			if !ok {
				w.fw.w = nil
				continue
			}
			if w.fileChanged(ev) {
				timer.Reset(debounce) // editors save in several steps (write a copy, rename): wait for quiet
			}
		case err, ok := <-w.fw.errors():
			if !ok {
				continue
			}
			if errors.Is(err, fsnotify.ErrEventOverflow) {
				w.changed["many files"] = true
				timer.Reset(debounce)
				continue
			}
			fmt.Fprintf(a.stdout, "%s %v (press Enter to re-run)\n", a.paint.Warn("Watching files:"), err)
		case <-timer.C:
			w.saved()
		}
	}
}

// readLines sends on the returned channel for each line of the app's input, until the input
// ends or stop is closed. The end of the input is not the end of watch: it goes on with file
// events alone.
func (a *app) readLines(ctx context.Context, stop <-chan struct{}) <-chan struct{} {
	if a.stdin == nil {
		return nil
	}
	lines := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(a.stdin)
		for sc.Scan() {
			select {
			case lines <- struct{}{}:
			case <-stop:
				return
			case <-ctx.Done():
				return
			}
		}
	}()
	return lines
}

// A watchState is kata watch between two events. Each event has its method: a file changed
// (fileChanged, then saved once the saves stop), Enter was pressed (enter), a test run ended
// (runFinished), or the user interrupted (interrupt). At most one test run is in progress; a
// new one cancels it.
type watchState struct {
	a        *app
	t        *catalog.Tree
	race     bool
	fw       *folderWatch
	watchErr error // why file changes cannot be watched, if they cannot

	res   gorun.Results // each kata's latest run
	focus *catalog.Kata // where the learner is: the next kata is the first unsolved one from here

	changed map[string]bool // files saved since the last run started

	// The run in progress, and the cycle of runs it belongs to: a save or Enter starts a
	// cycle, which may go on to the folder of the next kata, or to the folders not run yet
	// before saying every kata is solved.
	gen     int // counts runs, so the outcome of a cancelled one is ignored
	running context.CancelFunc
	runs    chan runOutcome
	stopped chan struct{} // closed when watch returns
	cycle   struct {
		before *catalog.Kata   // the kata to do when the cycle started
		ran    map[string]bool // kata folders run in this cycle
		news   []string        // what to announce above the board
		moved  bool
		all    bool // the first run: every folder
	}
}

// A runOutcome is what a run of watch's tests ended with.
type runOutcome struct {
	gen  int
	pkgs []*catalog.Package
	res  gorun.Results
	err  error
}

// fileChanged notes a file event and reports whether it is a change to re-run the tests for.
func (w *watchState) fileChanged(ev fsnotify.Event) bool {
	if w.changed == nil {
		w.changed = map[string]bool{}
	}
	if ev.Has(fsnotify.Create) && isDir(ev.Name) {
		// A new folder, or one put back (by git, say): watch it, and count the .go files
		// that reached it before the watch did as changed.
		w.fw.sync(w.t)
		n := len(w.changed)
		for _, f := range goFilesBelow(ev.Name) {
			w.changed[w.fw.rel(f)] = true
		}
		return len(w.changed) > n
	}
	if !strings.HasSuffix(ev.Name, ".go") || !ev.Has(fsnotify.Write|fsnotify.Create|fsnotify.Remove|fsnotify.Rename) {
		return false
	}
	w.changed[w.fw.rel(ev.Name)] = true
	return true
}

// saved starts a run for the files saved since the last one: every kata of their folders
// (so a solved kata broken by the save turns ✗ at once), and the current kata's.
func (w *watchState) saved() {
	names := slices.Sorted(maps.Keys(w.changed))
	if len(names) == 0 {
		return
	}
	if nt, err := catalog.Load(w.t.Root); err == nil {
		w.setTree(nt) // tests or files may have been added
	}
	w.fw.sync(w.t)
	var pkgs []*catalog.Package
	for _, p := range w.t.Packages {
		for _, f := range names {
			if d := path.Dir(f); d == p.Dir || strings.HasPrefix(d, p.Dir+"/") {
				pkgs = append(pkgs, p)
				break
			}
		}
	}
	clear(w.changed)
	if len(names) > 3 {
		names = append(names[:3], fmt.Sprintf("and %d more", len(names)-3))
	}
	w.start(strings.Join(names, ", ")+" changed", w.withNext(pkgs), true)
}

// enter re-runs the current kata's folder.
func (w *watchState) enter() {
	clear(w.changed)
	w.start("you pressed Enter", w.withNext(nil), true)
}

// withNext returns pkgs with the next kata's folder added (all folders when every kata seems
// solved and pkgs is empty).
func (w *watchState) withNext(pkgs []*catalog.Package) []*catalog.Package {
	if next := w.progress().Next; next != nil && !slices.Contains(pkgs, next.Pkg) {
		pkgs = append(pkgs, next.Pkg)
	}
	if len(pkgs) == 0 {
		return w.t.Packages
	}
	return pkgs
}

// setTree replaces the tree, carrying the focus over by the kata's id.
func (w *watchState) setTree(nt *catalog.Tree) {
	if w.focus != nil {
		w.focus, _ = nt.Find(w.focus.ID())
	}
	if w.cycle.before != nil {
		w.cycle.before, _ = nt.Find(w.cycle.before.ID())
	}
	w.t = nt
}

// start cancels the run in progress, if any, and runs the tests of pkgs. A new cycle begins
// unless the run goes on with the current one. Folders whose state a cancelled run left
// unknown run after pkgs' result is shown (see runFinished), so that a save shows its own
// folder's result first.
func (w *watchState) start(reason string, pkgs []*catalog.Package, newCycle bool) {
	w.cancelRun()
	if newCycle {
		w.cycle.before = w.progress().Next
		w.cycle.ran = map[string]bool{}
		w.cycle.news, w.cycle.moved, w.cycle.all = nil, false, reason == ""
	}
	var dirs []string
	for _, p := range pkgs {
		dirs = append(dirs, "./"+p.Dir)
	}
	if reason == "" {
		fmt.Fprintln(w.a.stdout, "Running the tests of every kata…")
	} else {
		fmt.Fprintf(w.a.stdout, "Running go test %s (%s)…\n", strings.Join(dirs, " "), reason)
	}
	ctx, cancel := context.WithCancel(context.Background())
	w.gen++
	gen := w.gen
	w.running = cancel
	status := startStatus(w.a.stderr, w.a.terminal)
	r := gorun.NewRunner(w.t.Root, w.race, status.set)
	go func() {
		res, err := r.Run(ctx, pkgs)
		status.end()
		select {
		case w.runs <- runOutcome{gen: gen, pkgs: pkgs, res: res, err: err}:
		case <-w.stopped:
		}
	}()
}

// cancelRun ends the run in progress, if any: its outcome will be ignored.
func (w *watchState) cancelRun() {
	if w.running != nil {
		w.running()
		w.running = nil
	}
}

// runFinished takes a run's gorun.Results, announces a kata solved, and either goes on (to the
// next kata's folder if its state may be old, or to the folders not run yet once every kata
// seems solved) or shows the board.
func (w *watchState) runFinished(o runOutcome) {
	if o.gen != w.gen {
		return // a run cancelled by a newer one
	}
	w.running = nil
	if o.err != nil {
		w.cycle.news = append(w.cycle.news, w.a.paint.Bad(fmt.Sprintf("go test did not run: %v", o.err)))
		w.render()
		return
	}
	maps.Copy(w.res, o.res)
	for _, p := range o.pkgs {
		w.cycle.ran[p.Dir] = true
	}
	prog := w.progress()
	if before := w.cycle.before; before != nil && prog.Statuses[before].Solved {
		if !w.cycle.all { // the first run finds what was solved before watch started: no news
			w.cycle.news = append(w.cycle.news, w.a.paint.Good(fmt.Sprintf("✓ %s is solved!", w.t.ShortName(before))))
			w.cycle.moved = true
		}
		w.cycle.before, w.focus = prog.Next, prog.Next
	}
	if !w.cycle.all {
		if prog.Next == nil {
			// All solved, as far as we know: make sure of the folders not run just now.
			var rest []*catalog.Package
			for _, p := range w.t.Packages {
				if !w.cycle.ran[p.Dir] && len(p.Katas) > 0 {
					rest = append(rest, p)
				}
			}
			if len(rest) > 0 {
				w.start("checking the other katas", rest, false)
				return
			}
		} else if !w.cycle.ran[prog.Next.Pkg.Dir] {
			// The next kata is in a folder not run in this cycle: its state may be old.
			w.start("moving on to "+w.t.ShortName(prog.Next), []*catalog.Package{prog.Next.Pkg}, false)
			return
		}
	}
	if w.cycle.moved && prog.Next != nil {
		// Said already, if this run goes on from one that ran before the folders a cancelled
		// run did not get to.
		if movingOn := fmt.Sprintf("Moving on to %s.", w.t.ShortName(prog.Next)); !slices.Contains(w.cycle.news, movingOn) {
			w.cycle.news = append(w.cycle.news, movingOn)
		}
	}
	var unknown []*catalog.Package // folders a cancelled run did not report on
	for _, p := range w.t.Packages {
		if len(p.Katas) > 0 && w.res[p.Katas[0].ID()] == nil {
			unknown = append(unknown, p)
		}
	}
	if len(unknown) > 0 {
		// Say at once what this run found, then run the rest; the board comes after.
		for _, n := range w.cycle.news {
			fmt.Fprintln(w.a.stdout, n)
		}
		if k := w.cycle.before; k != nil && !w.cycle.moved {
			st := prog.Statuses[k]
			fmt.Fprintln(w.a.stdout, w.a.paint.Bad(fmt.Sprintf("✗ %s is not solved yet: %s", w.t.ShortName(k), strings.SplitN(st.Reason, "\n", 2)[0])))
		}
		w.start("the folders a cancelled run did not get to", unknown, false)
		return
	}
	w.render()
}

// progress is the state of every kata as far as watch knows, with the next kata counted
// from the focus.
func (w *watchState) progress() render.Progress {
	prog := render.ProgressOf(w.t, w.res)
	if w.focus != nil {
		i := slices.Index(prog.All, w.focus)
		for _, k := range prog.All[max(i, 0):] {
			if !prog.Statuses[k].Solved {
				prog.Next = k
				break
			}
		}
	}
	return prog
}

// interrupt ends watch: the run in progress is cancelled.
func (w *watchState) interrupt() error {
	w.cancelRun()
	fmt.Fprintln(w.a.stdout, "\nStopped watching.")
	return nil
}

// render shows the board: on a terminal it clears the screen first; elsewhere (a pipe, a
// file, NO_COLOR) it prints a rule between runs, so the output has no escape codes.
func (w *watchState) render() {
	a, prog := w.a, w.progress()
	if a.terminal {
		fmt.Fprint(a.stdout, "\x1b[H\x1b[2J")
	} else {
		fmt.Fprintf(a.stdout, "\n%s %s\n\n", strings.Repeat("─", 50), time.Now().Format("15:04:05"))
	}
	if len(w.cycle.news) > 0 {
		fmt.Fprintf(a.stdout, "%s\n\n", strings.Join(w.cycle.news, "\n"))
	}
	w.cycle.news = nil
	render.CompactBoard(a.stdout, a.paint, a.where(), w.t, prog)
	fmt.Fprintln(a.stdout)
	if w.watchErr != nil || w.fw.w == nil {
		fmt.Fprintln(a.stdout, a.paint.Warn(fmt.Sprintf("File changes cannot be watched here (%v):", cmp.Or(w.watchErr, errors.New("the watcher stopped"))))+
			" press Enter to re-run the tests; Ctrl-C stops.")
		return
	}
	fmt.Fprintln(a.stdout, a.paint.Dim(fmt.Sprintf("Watching %s for saved .go files. Enter re-runs the tests; Ctrl-C stops.", strings.Join(w.fw.roots, ", "))))
}

// A folderWatch watches the kata folders and every folder below them.
type folderWatch struct {
	root  string
	w     *fsnotify.Watcher // nil when file events are not available
	roots []string          // slash paths of the watched top folders, relative to root
}

func (fw *folderWatch) events() <-chan fsnotify.Event {
	if fw.w == nil {
		return nil
	}
	return fw.w.Events
}

func (fw *folderWatch) errors() <-chan error {
	if fw.w == nil {
		return nil
	}
	return fw.w.Errors
}

// sync adds a watch on every kata folder and folder below it not watched yet, so folders
// that were created, or removed and put back, are watched again.
func (fw *folderWatch) sync(t *catalog.Tree) {
	fw.roots = fw.roots[:0]
	for _, p := range t.Packages {
		top, _, _ := strings.Cut(p.Dir, "/")
		if !slices.Contains(fw.roots, top) {
			fw.roots = append(fw.roots, top)
		}
	}
	if fw.w == nil {
		return
	}
	watched := map[string]bool{}
	for _, p := range fw.w.WatchList() {
		watched[p] = true
	}
	for _, top := range fw.roots {
		filepath.WalkDir(filepath.Join(fw.root, filepath.FromSlash(top)), func(p string, d fs.DirEntry, err error) error {
			if err != nil || !d.IsDir() {
				return nil
			}
			if name := d.Name(); name == "testdata" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") {
				return filepath.SkipDir
			}
			if !watched[p] {
				fw.w.Add(p) // a folder that cannot be watched is still re-run by Enter
			}
			return nil
		})
	}
}

// rel is the slash path of file relative to the repository root.
func (fw *folderWatch) rel(file string) string {
	if r, err := filepath.Rel(fw.root, file); err == nil {
		return filepath.ToSlash(r)
	}
	return file
}

// goFilesBelow returns the .go files in dir and the folders below it.
func goFilesBelow(dir string) []string {
	var files []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".go") {
			files = append(files, p)
		}
		return nil
	})
	return files
}

func isDir(p string) bool { fi, err := os.Stat(p); return err == nil && fi.IsDir() }

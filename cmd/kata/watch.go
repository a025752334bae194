package main

import (
	"bufio"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"
)

// watch shows the board, then re-runs the current kata's tests each time a .go file in a
// kata folder is saved, or Enter is pressed, and moves on to the next kata when they pass.
// It returns when ctx is cancelled (Ctrl-C) or the input ends (Ctrl-D); the goroutine
// reading the input ends with it, or with the process when the input never ends.
func (a *app) watch(ctx context.Context, t *tree, race bool) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	debounce := cmp.Or(a.debounce, 200*time.Millisecond)

	// Enter re-runs the tests: the fallback where file events do not arrive.
	var enter chan struct{}
	var inputDone chan struct{}
	if a.stdin != nil {
		enter, inputDone = make(chan struct{}), make(chan struct{})
		go func() {
			defer close(inputDone)
			sc := bufio.NewScanner(a.stdin)
			for sc.Scan() {
				select {
				case enter <- struct{}{}:
				case <-ctx.Done():
					return
				}
			}
		}()
	}

	fw := &folderWatch{root: t.root}
	w, watchErr := fsnotify.NewWatcher()
	if watchErr == nil {
		defer w.Close()
		fw.w = w
	}
	fw.sync(t)

	fmt.Fprintln(a.stdout, "Running the tests of every kata…")
	res, mod, err := runKatas(ctx, t, race)
	if ctx.Err() != nil {
		return a.stopWatching()
	}
	if err != nil {
		return err
	}
	a.render(t, progressOf(t, res, mod), "", fw, watchErr)

	rerun := func(reason string) {
		if nt, err := loadTree(t.root); err == nil {
			t = nt // tests or files may have been added
		}
		fw.sync(t)
		prog := progressOf(t, res, mod)
		before := prog.next
		dirs := t.testPackages()
		if before != nil {
			dirs = []string{"./" + before.pkg.dir}
		}
		var news []string
		moved := false
		ran := map[string]bool{}
		for len(dirs) > 0 {
			fmt.Fprintf(a.stdout, "Running go test %s (%s)…\n", strings.Join(dirs, " "), reason)
			r, m, err := runTests(ctx, t, race, dirs...)
			if ctx.Err() != nil {
				return
			}
			if err != nil {
				news = append(news, a.paint.bad(fmt.Sprintf("go test did not run: %v", err)))
				break
			}
			mod = m
			for _, d := range dirs {
				ran[d] = true
				ip := importPath(mod, strings.TrimPrefix(d, "./"))
				if r[ip] != nil {
					res[ip] = r[ip]
				} else {
					delete(res, ip)
				}
			}
			prog = progressOf(t, res, mod)
			if before != nil && solvedByID(prog, before.id()) {
				news = append(news, a.paint.good(fmt.Sprintf("✓ %s is solved!", t.shortName(before))))
				before, moved = prog.next, true
			}
			if prog.next == nil {
				// All solved, as far as we know: make sure of the folders not run just now.
				dirs = slices.DeleteFunc(t.testPackages(), func(d string) bool { return ran[d] })
				reason = "checking the other katas"
				continue
			}
			if ran["./"+prog.next.pkg.dir] {
				break
			}
			// The next kata is in a folder not run yet: its state may be old, so run it too.
			dirs, reason = []string{"./" + prog.next.pkg.dir}, "moving on to "+t.shortName(prog.next)
		}
		if moved && prog.next != nil {
			news = append(news, fmt.Sprintf("Moving on to %s.", t.shortName(prog.next)))
		}
		a.render(t, prog, strings.Join(news, "\n"), fw, watchErr)
	}

	changed := map[string]bool{}
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return a.stopWatching()
		case <-inputDone:
			return a.stopWatching()
		case <-enter:
			timer.Stop()
			clear(changed)
			rerun("you pressed Enter")
		case ev, ok := <-fw.events():
			if !ok {
				fw.w = nil
				continue
			}
			if ev.Has(fsnotify.Create) && isDir(ev.Name) {
				// A new folder, or one put back (by git, say): watch it, and count the .go
				// files that reached it before the watch did as changed.
				fw.sync(t)
				for _, f := range goFilesBelow(ev.Name) {
					changed[fw.rel(f)] = true
				}
				if len(changed) > 0 {
					timer.Reset(debounce)
				}
				continue
			}
			if !strings.HasSuffix(ev.Name, ".go") || !ev.Has(fsnotify.Write|fsnotify.Create|fsnotify.Remove|fsnotify.Rename) {
				continue
			}
			changed[fw.rel(ev.Name)] = true
			timer.Reset(debounce) // editors save in several steps (write a copy, rename): wait for quiet
		case err, ok := <-fw.errors():
			if !ok {
				continue
			}
			if errors.Is(err, fsnotify.ErrEventOverflow) {
				changed["many files"] = true
				timer.Reset(debounce)
				continue
			}
			fmt.Fprintf(a.stdout, "%s %v (press Enter to re-run)\n", a.paint.warn("Watching files:"), err)
		case <-timer.C:
			names := slices.Sorted(maps.Keys(changed))
			clear(changed)
			if len(names) > 3 {
				names = append(names[:3], fmt.Sprintf("and %d more", len(names)-3))
			}
			rerun(strings.Join(names, ", ") + " changed")
		}
		if ctx.Err() != nil {
			return a.stopWatching()
		}
	}
}

func (a *app) stopWatching() error {
	fmt.Fprintln(a.stdout, "\nStopped watching.")
	return nil
}

// solvedByID reports whether the kata with the id is solved.
func solvedByID(prog progress, id string) bool {
	for k, st := range prog.statuses {
		if k.id() == id {
			return st.solved
		}
	}
	return false
}

// render shows the board: on a terminal it clears the screen first; elsewhere (a pipe, a
// file, NO_COLOR) it prints a rule between runs, so the output has no escape codes.
func (a *app) render(t *tree, prog progress, news string, fw *folderWatch, watchErr error) {
	if a.terminal {
		fmt.Fprint(a.stdout, "\x1b[H\x1b[2J")
	} else {
		fmt.Fprintf(a.stdout, "\n%s %s\n\n", strings.Repeat("─", 50), time.Now().Format("15:04:05"))
	}
	if news != "" {
		fmt.Fprintf(a.stdout, "%s\n\n", news)
	}
	printCompactBoard(a.stdout, a.paint, t, prog)
	fmt.Fprintln(a.stdout)
	if watchErr != nil || fw.w == nil {
		fmt.Fprintln(a.stdout, a.paint.warn(fmt.Sprintf("File changes cannot be watched here (%v):", cmp.Or(watchErr, errors.New("the watcher stopped"))))+
			" press Enter to re-run the tests; Ctrl-C stops.")
		return
	}
	fmt.Fprintln(a.stdout, a.paint.dim(fmt.Sprintf("Watching %s for saved .go files. Enter re-runs the tests; Ctrl-C stops.", strings.Join(fw.roots, ", "))))
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
func (fw *folderWatch) sync(t *tree) {
	fw.roots = fw.roots[:0]
	for _, p := range t.packages {
		top, _, _ := strings.Cut(p.dir, "/")
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

package main

import (
	"github.com/go-async-katas/katas/internal/catalog"

	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/pmezard/go-difflib/difflib"
)

// kataOrCurrent returns the kata called name or, when name is "", the current kata: the
// first one not solved (it runs the tests to find it). It returns nil and no error when
// every kata is solved.
func (a *app) kataOrCurrent(ctx context.Context, t *catalog.Tree, race bool, name string) (*catalog.Kata, error) {
	if name != "" {
		return t.Find(name)
	}
	// One folder at a time, in learning order, so only the folders up to the current kata
	// run (those already solved come from go test's cache).
	for _, p := range t.Packages {
		if len(p.Katas) == 0 {
			continue
		}
		res, err := a.runBoard(ctx, t, race, []*catalog.Package{p})
		if err != nil {
			return nil, err
		}
		for _, k := range p.Katas {
			if !statusOf(k, res[k.ID()]).solved {
				return k, nil
			}
		}
	}
	return nil, nil
}

// list prints every kata with its state, folder and file, in learning order.
func (a *app) list(ctx context.Context, t *catalog.Tree, race bool) error {
	res, err := a.runBoard(ctx, t, race, nil)
	if err != nil {
		return err
	}
	prog := progressOf(t, res)
	fmt.Fprintln(a.stdout, prog.header(a.paint))
	fmt.Fprintln(a.stdout)
	rows := [][]string{{"", "kata", "folder", "file", "title"}}
	for _, k := range prog.all {
		rows = append(rows, []string{"", t.ShortName(k), k.Pkg.Dir, filepath.FromSlash(k.StubPath()), k.Title})
	}
	widths := make([]int, len(rows[0]))
	for _, r := range rows {
		for i, cell := range r {
			widths[i] = max(widths[i], len([]rune(cell)))
		}
	}
	for i, r := range rows {
		var b strings.Builder
		for j, cell := range r[1:] {
			b.WriteString(cell)
			if j < len(r)-2 {
				b.WriteString(strings.Repeat(" ", widths[j+1]-len([]rune(cell))+2))
			}
		}
		line := strings.TrimRight(b.String(), " ")
		switch {
		case i == 0:
			fmt.Fprintf(a.stdout, "    %s\n", a.paint.dim(line))
		case prog.all[i-1] == prog.next:
			fmt.Fprintf(a.stdout, "  %s %s  %s\n", a.paint.mark(false), a.paint.bold(line), a.paint.warn("← next"))
		default:
			fmt.Fprintf(a.stdout, "  %s %s\n", a.paint.mark(prog.statuses[prog.all[i-1]].solved), line)
		}
	}
	return nil
}

// next prints where to start on the next unsolved kata.
func (a *app) next(ctx context.Context, t *catalog.Tree, race bool) error {
	res, err := a.runBoard(ctx, t, race, nil)
	if err != nil {
		return err
	}
	prog := progressOf(t, res)
	k := prog.next
	if k == nil {
		fmt.Fprintln(a.stdout, a.paint.good("Every kata is solved.")+" Compare your code with solutions/ and read the answers to each lesson's question there.")
		return nil
	}
	title := ""
	if k.Title != "" {
		title = " — " + k.Title
	}
	fmt.Fprintf(a.stdout, "%s%s (%d of %d solved)\n", a.paint.bold("Next: "+t.ShortName(k)), title, prog.solved, len(prog.all))
	fmt.Fprintf(a.stdout, "  Open:   %s\n", a.paint.code(fmt.Sprintf("%s:%d", filepath.FromSlash(k.StubPath()), todoLine(filepath.Join(t.Root, filepath.FromSlash(k.StubPath()))))))
	fmt.Fprintf(a.stdout, "  Lesson: %s\n", filepath.FromSlash(k.Pkg.Dir+"/README.md"))
	fmt.Fprintf(a.stdout, "  Test:   %s\n", testCommand(k, prog.statuses[k]))
	fmt.Fprintf(a.stdout, "  Why it is not solved yet: %s\n", a.paint.bad(prog.statuses[k].reason))
	fmt.Fprintf(a.stdout, "  Stuck?  go run ./cmd/kata hint %s\n", t.ShortName(k))
	return nil
}

// todoLine returns the line of the file's first TODO comment, or of its first function, or 1.
func todoLine(file string) int {
	f, err := os.Open(file)
	if err != nil {
		return 1
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	funcLine := 0
	for n := 1; sc.Scan(); n++ {
		l := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(l, "// TODO") {
			return n
		}
		if funcLine == 0 && strings.HasPrefix(l, "func ") {
			funcLine = n
		}
	}
	return max(funcLine, 1)
}

// compare prints a unified diff of the learner's stub file against the solution, with a
// warning first when the kata is not solved yet.
func (a *app) compare(ctx context.Context, t *catalog.Tree, race bool, name string) error {
	k, err := a.kataOrCurrent(ctx, t, race, name)
	if err != nil {
		return err
	}
	if k == nil {
		return fmt.Errorf("every kata is solved: name the one to compare, e.g. `go run ./cmd/kata compare %s`", t.Katas()[0].Name)
	}
	yours, err := os.ReadFile(filepath.Join(t.Root, filepath.FromSlash(k.StubPath())))
	if err != nil {
		return err
	}
	theirs, err := os.ReadFile(filepath.Join(t.Root, filepath.FromSlash(k.SolutionPath())))
	if err != nil {
		return err
	}
	solved := false // the current kata is the first one not solved
	if name != "" {
		res, err := a.runBoard(ctx, t, race, []*catalog.Package{k.Pkg})
		if err != nil {
			return err
		}
		solved = statusOf(k, res[k.ID()]).solved
	}
	if !solved {
		fmt.Fprintf(a.stdout, "%s %s is not solved yet, and the diff below shows the answer.\n  Try `go run ./cmd/kata hint %s` first, or skip the diff and come back once the tests pass.\n\n",
			a.paint.warn("Warning:"), t.ShortName(k), t.ShortName(k))
	}
	diff, err := difflib.GetUnifiedDiffString(difflib.UnifiedDiff{
		A:        splitLines(string(yours)),
		B:        splitLines(string(theirs)),
		FromFile: filepath.FromSlash(k.StubPath()) + " (yours)",
		ToFile:   filepath.FromSlash(k.SolutionPath()) + " (the solution)",
		Context:  3,
	})
	if err != nil {
		return err
	}
	if diff == "" {
		fmt.Fprintf(a.stdout, "%s is the same as %s.\n", filepath.FromSlash(k.StubPath()), filepath.FromSlash(k.SolutionPath()))
		return nil
	}
	for l := range strings.Lines(diff) {
		l = strings.TrimRight(l, "\n")
		switch {
		case strings.HasPrefix(l, "+++"), strings.HasPrefix(l, "---"):
			l = a.paint.bold(l)
		case strings.HasPrefix(l, "@@"):
			l = a.paint.code(l)
		case strings.HasPrefix(l, "+"):
			l = a.paint.good(l)
		case strings.HasPrefix(l, "-"):
			l = a.paint.bad(l)
		}
		fmt.Fprintln(a.stdout, l)
	}
	return nil
}

// splitLines splits text into lines that keep their "\n", turning CRLF into LF first so a
// file a Windows editor saved compares by content.
func splitLines(s string) []string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	if s != "" && !strings.HasSuffix(s, "\n") {
		s += "\n"
	}
	return slices.Collect(strings.Lines(s))
}

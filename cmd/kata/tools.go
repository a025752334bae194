package main

import (
	"github.com/go-async-katas/katas/internal/catalog"

	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
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
		rows = append(rows, []string{"", t.ShortName(k), k.Pkg.Dir, a.where().path(k.StubPath()), k.Title})
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
	at := a.where()
	fmt.Fprintf(a.stdout, "  Open:   %s\n", a.paint.code(fmt.Sprintf("%s:%d", at.path(k.StubPath()), todoLine(filepath.Join(t.Root, filepath.FromSlash(k.StubPath()))))))
	fmt.Fprintf(a.stdout, "  Lesson: %s\n", at.path(k.Pkg.Dir+"/README.md"))
	fmt.Fprintf(a.stdout, "  Test:   %s\n", testCommand(at, k, prog.statuses[k]))
	fmt.Fprintf(a.stdout, "  Why it is not solved yet: %s\n", a.paint.bad(prog.statuses[k].reason))
	fmt.Fprintf(a.stdout, "  Stuck?  %s hint %s\n", at.kata(), t.ShortName(k))
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

// solved runs the tests of k's folder, as the board does, and reports whether k passes.
func (a *app) solved(ctx context.Context, t *catalog.Tree, race bool, k *catalog.Kata) (bool, error) {
	res, err := a.runBoard(ctx, t, race, []*catalog.Package{k.Pkg})
	if err != nil {
		return false, err
	}
	return statusOf(k, res[k.ID()]).solved, nil
}

// confirm asks question and reports whether the learner answered yes. Without a terminal to
// ask on, it answers no and says so, pointing at -force.
func (a *app) confirm(question, force string) bool {
	if !a.interactive {
		fmt.Fprintf(a.stderr, "kata: %s There is no terminal to ask on: add %s to go ahead.\n", question, force)
		return false
	}
	fmt.Fprintf(a.stdout, "%s [y/N] ", question)
	line, _ := bufio.NewReader(a.stdin).ReadString('\n')
	answer := strings.ToLower(strings.TrimSpace(line))
	return answer == "y" || answer == "yes"
}

// compare prints a unified diff of the learner's stub file against the solution. For a kata
// not solved yet it asks first, since the diff gives the answer away, unless force is set.
func (a *app) compare(ctx context.Context, t *catalog.Tree, race bool, name string, force bool) error {
	k, err := a.kataOrCurrent(ctx, t, race, name)
	if err != nil {
		return err
	}
	at := a.where()
	if k == nil {
		return fmt.Errorf("every kata is solved: name the one to compare, e.g. `%s compare %s`", at.kata(), t.Katas()[0].Name)
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
		if solved, err = a.solved(ctx, t, race, k); err != nil {
			return err
		}
	}
	if !solved && !force {
		q := fmt.Sprintf("%s is not solved yet, and the diff shows the answer (`%s hint %s` gives a nudge instead). Show it anyway?",
			t.ShortName(k), at.kata(), t.ShortName(k))
		if !a.confirm(q, "-force") {
			return exitCode(1)
		}
	}
	diff, err := difflib.GetUnifiedDiffString(difflib.UnifiedDiff{
		A:        splitLines(string(yours)),
		B:        splitLines(string(theirs)),
		FromFile: at.path(k.StubPath()) + " (yours)",
		ToFile:   at.path(k.SolutionPath()) + " (the solution)",
		Context:  3,
	})
	if err != nil {
		return err
	}
	if diff == "" {
		fmt.Fprintf(a.stdout, "%s is the same as %s.\n", at.path(k.StubPath()), at.path(k.SolutionPath()))
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

// reset puts the kata's file (the current kata's when name is "") back as git has it in
// HEAD: the stub, unless the learner committed their work. It asks first unless force is
// set, and refuses without a terminal to ask on.
func (a *app) reset(ctx context.Context, t *catalog.Tree, race bool, name string, force bool) error {
	k, err := a.kataOrCurrent(ctx, t, race, name)
	if err != nil {
		return err
	}
	at := a.where()
	if k == nil {
		return fmt.Errorf("every kata is solved: name the one to reset, e.g. `%s reset %s`", at.kata(), t.Katas()[0].Name)
	}
	cmd := exec.CommandContext(ctx, "git", "show", "HEAD:"+k.StubPath())
	cmd.Dir = t.Root
	var stderr strings.Builder
	cmd.Stderr = &stderr
	stub, err := cmd.Output()
	if err != nil {
		return fmt.Errorf("git show HEAD:%s: %v %s(reset needs the repository cloned with git)", k.StubPath(), err, strings.TrimSpace(stderr.String())+" ")
	}
	file := filepath.Join(t.Root, filepath.FromSlash(k.StubPath()))
	yours, err := os.ReadFile(file)
	if err == nil && string(yours) == string(stub) {
		fmt.Fprintf(a.stdout, "%s is already as git has it: nothing to reset.\n", at.path(k.StubPath()))
		return nil
	}
	if !force && !a.confirm(fmt.Sprintf("Put %s back as git has it (the stub)? Your changes to it will be lost.", at.path(k.StubPath())), "-force") {
		return exitCode(1)
	}
	if err := os.WriteFile(file, stub, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "%s is back as git has it.\n", at.path(k.StubPath()))
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

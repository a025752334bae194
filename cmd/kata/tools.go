package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	"github.com/pmezard/go-difflib/difflib"

	"github.com/go-async-katas/katas/internal/catalog"
	"github.com/go-async-katas/katas/internal/render"
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
			if !render.StatusOf(k, res[k.ID()]).Solved {
				return k, nil
			}
		}
	}
	return nil, nil
}

// kataFor is kataOrCurrent for command cmd, which needs a kata: when every kata is solved
// and none is named, the error says to name one.
func (a *app) kataFor(ctx context.Context, cmd string, t *catalog.Tree, race bool, name string) (*catalog.Kata, error) {
	k, err := a.kataOrCurrent(ctx, t, race, name)
	if err == nil && k == nil {
		err = fmt.Errorf("every kata is solved: name the one to %s, e.g. `%s %s %s`", cmd, a.where().Kata(), cmd, t.Katas()[0].Name)
	}
	return k, err
}

// solved runs the tests of k's folder, as the board does, and reports whether k passes.
func (a *app) solved(ctx context.Context, t *catalog.Tree, race bool, k *catalog.Kata) (bool, error) {
	res, err := a.runBoard(ctx, t, race, []*catalog.Package{k.Pkg})
	if err != nil {
		return false, err
	}
	return render.StatusOf(k, res[k.ID()]).Solved, nil
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
	k, err := a.kataFor(ctx, "compare", t, race, name)
	if err != nil {
		return err
	}
	at := a.where()
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
			t.ShortName(k), at.Kata(), t.ShortName(k))
		if !a.confirm(q, "-force") {
			return exitCode(1)
		}
	}
	diff, err := difflib.GetUnifiedDiffString(difflib.UnifiedDiff{
		A:        splitLines(string(yours)),
		B:        splitLines(string(theirs)),
		FromFile: at.Path(k.StubPath()) + " (yours)",
		ToFile:   at.Path(k.SolutionPath()) + " (the solution)",
		Context:  3,
	})
	if err != nil {
		return err
	}
	if diff == "" {
		fmt.Fprintf(a.stdout, "%s is the same as %s.\n", at.Path(k.StubPath()), at.Path(k.SolutionPath()))
		return nil
	}
	for l := range strings.Lines(diff) {
		l = strings.TrimRight(l, "\n")
		switch {
		case strings.HasPrefix(l, "+++"), strings.HasPrefix(l, "---"):
			l = a.paint.Bold(l)
		case strings.HasPrefix(l, "@@"):
			l = a.paint.Code(l)
		case strings.HasPrefix(l, "+"):
			l = a.paint.Good(l)
		case strings.HasPrefix(l, "-"):
			l = a.paint.Bad(l)
		}
		fmt.Fprintln(a.stdout, l)
	}
	return nil
}

// reset puts the kata's file (the current kata's when name is "") back to the stub as the
// repository shipped it (see [shippedStub]), even when the learner committed their work. It
// asks first unless force is set, and refuses without a terminal to ask on.
func (a *app) reset(ctx context.Context, t *catalog.Tree, race bool, name string, force bool) error {
	k, err := a.kataFor(ctx, "reset", t, race, name)
	if err != nil {
		return err
	}
	at := a.where()
	stub, from, err := shippedStub(ctx, t.Root, k.StubPath())
	if err != nil {
		return err
	}
	file := filepath.Join(t.Root, filepath.FromSlash(k.StubPath()))
	yours, err := os.ReadFile(file)
	if err == nil && string(yours) == string(stub) {
		fmt.Fprintf(a.stdout, "%s is already the stub: nothing to reset.\n", at.Path(k.StubPath()))
		return nil
	}
	if !force && !a.confirm(fmt.Sprintf("Put %s back to the stub (as in %s)? Your changes to it will be lost.", at.Path(k.StubPath()), from), "-force") {
		return exitCode(1)
	}
	if err := os.WriteFile(file, stub, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "%s is the stub again (as in %s).\n", at.Path(k.StubPath()), from)
	return nil
}

// shippedStub returns the stub file at path (slash-separated, relative to the repository at
// root) as the repository shipped it, and the commit it comes from ("commit 1a2b3c4d"). It
// is the newest version of the file, in the history of the branch the clone tracks
// (@{upstream}, where the learner's own unpushed commits are not) and then of HEAD, that
// still has a "// TODO" line: every stub has one, and a learner's finished work does not.
// Work in progress committed with its TODO line kept would be taken for the stub.
func shippedStub(ctx context.Context, root, path string) (stub []byte, from string, err error) {
	git := func(args ...string) ([]byte, error) {
		cmd := exec.CommandContext(ctx, "git", args...)
		cmd.Dir = root
		var stderr strings.Builder
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			return nil, fmt.Errorf("git %s: %v %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
		}
		return out, nil
	}
	var refs []string
	if _, err := git("rev-parse", "--verify", "--quiet", "@{upstream}"); err == nil {
		refs = append(refs, "@{upstream}")
	}
	refs = append(refs, "HEAD")
	for _, ref := range refs {
		// At most 100 versions: a stub is not rewritten that often.
		commits, err := git("log", "-n", "100", "--format=%H", ref, "--", path)
		if err != nil {
			return nil, "", fmt.Errorf("%v (reset needs the repository cloned with git)", err)
		}
		for c := range strings.FieldsSeq(string(commits)) {
			text, err := git("show", c+":"+path)
			if err != nil {
				continue // the commit deleted or moved the file
			}
			if hasTODO(text) {
				return text, "commit " + c[:min(len(c), 8)], nil
			}
		}
	}
	return nil, "", fmt.Errorf("no version of %s in git's history has a // TODO line: no stub to put back", path)
}

// hasTODO reports whether a line of text starts with "// TODO" after its indentation.
func hasTODO(text []byte) bool {
	for l := range strings.Lines(string(text)) {
		if strings.HasPrefix(strings.TrimSpace(l), "// TODO") {
			return true
		}
	}
	return false
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

// list prints every kata with its state, folder and file, in learning order.
func (a *app) list(ctx context.Context, t *catalog.Tree, race bool) error {
	res, err := a.runBoard(ctx, t, race, nil)
	if err != nil {
		return err
	}
	render.List(a.stdout, a.paint, a.where(), t, render.ProgressOf(t, res))
	return nil
}

// next prints where to start on the next unsolved kata.
func (a *app) next(ctx context.Context, t *catalog.Tree, race bool) error {
	res, err := a.runBoard(ctx, t, race, nil)
	if err != nil {
		return err
	}
	prog := render.ProgressOf(t, res)
	fmt.Fprintln(a.stdout, prog.Header(a.paint))
	render.Next(a.stdout, a.paint, a.where(), t, prog, false)
	return nil
}

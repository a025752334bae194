package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/go-async-katas/katas/internal/catalog"
	"github.com/go-async-katas/katas/internal/gotrace"
)

var (
	// kataHeadingRE matches a kata's section heading in its folder's README.md:
	// "## Kata 1: `sum.go` — the concurrent sum".
	kataHeadingRE = regexp.MustCompile("^##[^#\n]*`([A-Za-z0-9_]+)\\.go`")
	headingRE     = regexp.MustCompile(`^(#{1,6})[ \t]`)
	hintsRE       = regexp.MustCompile(`(?i)^#{3,}[ \t]+hints?[ \t]*$`)
	listItemRE    = regexp.MustCompile(`^[ \t]{0,3}\d+[.)][ \t]+`)
)

// readHints returns the numbered hints under "### Hints" in the kata's section of its
// folder's README.md, each with its lines (continuation lines keep their indentation).
func readHints(root string, k *catalog.Kata) ([]string, error) {
	readme := filepath.Join(root, filepath.FromSlash(k.Pkg.Dir), "README.md")
	b, err := os.ReadFile(readme)
	if err != nil {
		return nil, err
	}
	var (
		hints           []string
		inKata, inHints bool
		inFence         bool
		current         []string
		flush           = func() {
			if len(current) > 0 {
				current = append(current[:1], gotrace.Dedent(current[1:])...)
				hints = append(hints, strings.TrimRight(strings.Join(current, "\n"), "\n "))
				current = nil
			}
		}
	)
	for line := range strings.Lines(strings.ReplaceAll(string(b), "\r\n", "\n")) {
		line = strings.TrimRight(line, "\n")
		if strings.HasPrefix(strings.TrimSpace(line), "```") {
			inFence = !inFence
		}
		if h := headingRE.FindStringSubmatch(line); h != nil && !inFence {
			level := len(h[1])
			if m := kataHeadingRE.FindStringSubmatch(line); m != nil && level == 2 {
				if inKata {
					break // the next kata's section
				}
				inKata = m[1] == k.Name
				continue
			}
			if inKata && level <= 2 {
				break // the end of the kata's section
			}
			if inHints {
				flush()
			}
			inHints = inKata && hintsRE.MatchString(line)
			continue
		}
		if !inHints {
			continue
		}
		switch {
		case listItemRE.MatchString(line) && !inFence:
			flush()
			current = []string{listItemRE.ReplaceAllString(line, "")}
		case len(current) > 0:
			current = append(current, strings.TrimRight(line, " \t"))
		}
	}
	flush()
	return hints, nil
}

// hint prints the hints of the kata called name (the current kata when name is ""): one
// more than last time, or all of them.
func (a *app) hint(ctx context.Context, t *catalog.Tree, race bool, name string, opts options) error {
	k, err := a.kataOrCurrent(ctx, t, race, name)
	if err != nil {
		return err
	}
	if k == nil {
		fmt.Fprintln(a.stdout, "Every kata is solved: no hints needed. Name a kata to see its hints again, e.g. `"+a.where().Kata()+" hint -all "+t.Katas()[0].Name+"`.")
		return nil
	}
	hints, err := readHints(t.Root, k)
	if err != nil {
		return fmt.Errorf("reading the hints: %w", err)
	}
	readme := a.where().Path(k.Pkg.Dir + "/README.md")
	if len(hints) == 0 {
		fmt.Fprintf(a.stdout, "%s has no hints in %s (look for its \"### Hints\" list).\n", t.ShortName(k), readme)
		return nil
	}

	key := t.Root + "|" + k.ID()
	st, stErr := a.loadState()
	shown := st.Hints[key]
	if opts.reset {
		shown = 0
	}
	level := min(shown+1, len(hints))
	if opts.all {
		level = len(hints)
	}
	if level != st.Hints[key] || opts.reset {
		st.Hints[key] = level
		if stErr == nil {
			stErr = a.saveState(st)
		}
	}

	title := ""
	if k.Title != "" {
		title = " — " + k.Title
	}
	fmt.Fprintf(a.stdout, "%s%s (%s): hint %d of %d\n", a.paint.Bold("Hints for "+t.ShortName(k)), title, readme, level, len(hints))
	for i, h := range hints[:level] {
		text := h
		if i == level-1 {
			text = a.paint.Bold(h)
		}
		fmt.Fprintf(a.stdout, "\n%d. %s\n", i+1, strings.ReplaceAll(strings.ReplaceAll(text, "\n", "\n   "), "\n   \n", "\n\n"))
	}
	fmt.Fprintln(a.stdout)
	if level < len(hints) {
		fmt.Fprintf(a.stdout, "Still stuck? Ask again for hint %d: %s hint %s\n", level+1, a.where().Kata(), t.ShortName(k))
	} else if solved, _ := a.solved(ctx, t, race, k); name != "" && solved {
		fmt.Fprintf(a.stdout, "That is every hint. You have solved it: compare your code with the solution: %s compare %s\n", a.where().Kata(), t.ShortName(k))
	} else {
		fmt.Fprintf(a.stdout, "That is every hint. Once the tests pass, compare with the solution: %s compare %s\n", a.where().Kata(), t.ShortName(k))
	}
	if stErr != nil {
		fmt.Fprintf(a.stderr, "kata: could not remember which hints you saw: %v\n", stErr)
	}
	return nil
}

// A state is what the tool remembers between runs, outside the repository.
type state struct {
	Hints map[string]int `json:"hints"` // "<repository root>|<kata id>" → hints shown
}

func (a *app) statePath() (string, error) {
	dir := a.stateDir
	if dir == "" {
		cache, err := os.UserCacheDir()
		if err != nil {
			return "", err
		}
		dir = filepath.Join(cache, "go-async-katas")
	}
	return filepath.Join(dir, "state.json"), nil
}

// loadState reads the state; a missing or unreadable file is an empty state.
func (a *app) loadState() (state, error) {
	st := state{Hints: map[string]int{}}
	p, err := a.statePath()
	if err != nil {
		return st, err
	}
	b, err := os.ReadFile(p)
	if errors.Is(err, fs.ErrNotExist) {
		return st, nil
	}
	if err != nil {
		return st, err
	}
	if json.Unmarshal(b, &st) != nil || st.Hints == nil {
		st.Hints = map[string]int{} // a damaged file starts again
	}
	return st, nil
}

// saveState writes the state to a temporary file and renames it into place, so a reader
// never sees half a file.
func (a *app) saveState(st state) error {
	p, err := a.statePath()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	b, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(p), "state-*.json")
	if err != nil {
		return err
	}
	_, werr := f.Write(b)
	cerr := f.Close()
	if err := errors.Join(werr, cerr); err != nil {
		os.Remove(f.Name())
		return err
	}
	if err := os.Rename(f.Name(), p); err != nil {
		os.Remove(f.Name())
		return err
	}
	return nil
}

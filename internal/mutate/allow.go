package mutate

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
)

// An allowEntry is a line of the allow-list: a mutant harmless by design, and why.
type allowEntry struct {
	key    string // as Mutant.Key
	file   string
	reason string
	line   int
}

// readAllowList reads the allow-list at path; a missing file is an empty list. Each entry is
// one line, the mutant's key and a reason:
//
//	solutions/advanced/wait/wait.go | unbuffered | Wait | make(chan struct{}) | reason
//
// Blank lines and lines starting with # are ignored.
func readAllowList(path string) ([]*allowEntry, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var entries []*allowEntry
	seen := map[string]int{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		parts := strings.Split(line, " | ")
		if len(parts) < 5 {
			return nil, fmt.Errorf("%s:%d: want \"file | operator | function | source | reason\", got %q", path, n, line)
		}
		e := &allowEntry{
			key:    strings.Join(parts[:len(parts)-1], " | "),
			file:   parts[0],
			reason: strings.TrimSpace(parts[len(parts)-1]),
			line:   n,
		}
		if e.reason == "" {
			return nil, fmt.Errorf("%s:%d: the entry gives no reason", path, n)
		}
		if prev, dup := seen[e.key]; dup {
			return nil, fmt.Errorf("%s:%d: the same mutant as line %d", path, n, prev)
		}
		seen[e.key] = n
		entries = append(entries, e)
	}
	return entries, sc.Err()
}

// allowLine is the allow-list line naming m, with a reason to fill in.
func allowLine(m *Mutant, reason string) string { return m.Key() + " | " + reason }

// Package render draws what the kata tool shows a learner: each kata's state and why it
// is not solved (from its go test run), the board, the compact board watch redraws, the
// list, and the "Next:" block, each drawn in one place for every command that shows it.
// Colour comes from a [Painter]; paths and commands are as the learner types them Where
// they stand ([Where]).
package render

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/fatih/color"

	"github.com/go-async-katas/katas/internal/catalog"
	"github.com/go-async-katas/katas/internal/gorun"
	"github.com/go-async-katas/katas/internal/gotrace"
)

// A Status says whether a kata is solved and, if not, why.
type Status struct {
	Solved bool
	Reason string   // one line: "TestLoadAll fails", "the package does not compile"
	Detail []string // what go test printed about it, ready to show
	Race   bool     // the failure is a data race: the test command needs -race to show it
}

// DetailLimit is how many lines of a failure the board shows: a timeline or a hang report
// whole, a wall of output cut.
const DetailLimit = 40

// StatusOf works out a kata's status from the test run its tests were seen in.
func StatusOf(k *catalog.Kata, p *gorun.PkgResult) Status {
	switch {
	case p == nil || p.Status == "":
		return Status{Reason: "its tests did not run"}
	case p.BuildFailed():
		return Status{Reason: "the package does not compile", Detail: CleanOutput(p.Output, DetailLimit)}
	}
	if test, report := p.Hang(); test != "" && slices.Contains(k.Tests, strings.SplitN(test, "/", 2)[0]) {
		first := strings.TrimPrefix(strings.TrimSpace(report[0]), gotrace.HangPrefix)
		// The harness's report below says where it is stuck and the likely causes.
		return Status{Reason: "it hangs: " + first, Detail: CleanOutput(report[1:], DetailLimit)}
	}
	crashLine, crashTest := p.Crash()
	for _, name := range k.Tests {
		tr := p.Tests[name]
		switch {
		case tr == nil && crashLine != "":
			return Status{Reason: fmt.Sprintf("%s did not run: the test binary crashed in %s", name, orNone(crashTest)),
				Detail: crashDetail(p, crashTest)}
		case tr == nil:
			return Status{Reason: name + " did not run", Detail: CleanOutput(p.Output, DetailLimit)}
		case tr.Status == "pass":
			continue
		case crashTest == name && gotrace.TimedOut(crashLine):
			return Status{Reason: name + " did not finish: " + strings.TrimPrefix(crashLine, "panic: ") +
				".\nSomething blocks for ever in a way fake time cannot see: a mutex locked twice, a loop\n" +
				"that never blocks (spinning on a closed channel?), or real I/O.",
				Detail: crashDetail(p, crashTest)}
		case crashTest == name:
			reason := name + " crashed the test binary: " + crashLine +
				"\n(a panic in a goroutine your code started cannot be caught by a test: it ends the whole run)"
			if hint := gotrace.CrashHint(crashLine); hint != "" {
				reason += "\n" + hint
			}
			return Status{Reason: reason, Detail: crashDetail(p, crashTest)}
		case slices.ContainsFunc(tr.Output, gotrace.IsRaceWarning):
			return Status{Reason: name + " fails: a data race", Race: true, Detail: append([]string{
				"The race detector saw two goroutines use the same memory, at least one writing, with",
				"nothing ordering them. Give each goroutine its own variable, guard shared ones with a",
				"sync.Mutex, or read results only after wg.Wait() or a channel receive. Where:",
			}, gotrace.RaceWhere(gotrace.Race(tr.Output, 0))...)}
		default:
			return Status{Reason: name + " fails", Detail: FailureLines(tr, 1, DetailLimit)}
		}
	}
	if p.Status == "fail" && !gorun.AnyFailed(p) {
		return Status{Reason: "its tests pass, but the test binary failed after them (a goroutine left running?)",
			Detail: CleanOutput(p.Output, DetailLimit)}
	}
	return Status{Solved: true}
}

func orNone(test string) string {
	if test == "" {
		return "no test (while starting or finishing)"
	}
	return test
}

func crashDetail(p *gorun.PkgResult, test string) []string {
	if tr := p.Tests[test]; tr != nil {
		return CleanOutput(tr.Output, DetailLimit)
	}
	return CleanOutput(p.Output, DetailLimit)
}

// FailureLines shows what a failed test printed, case by case (a subtest's name, then its
// messages), for at most maxCases failing cases and limit lines.
func FailureLines(tr *gorun.TestResult, maxCases, limit int) []string {
	fails := tr.Failures()
	if len(fails) == 0 {
		return CleanOutput(tr.Output, limit)
	}
	var out []string
	for i, tc := range fails {
		if i == maxCases {
			out = append(out, fmt.Sprintf("(and %s)", Plural(len(fails)-maxCases, "more failing case", "more failing cases")))
			break
		}
		out = append(out, tc.Name+":")
		for _, l := range CleanOutput(tc.Lines, limit) {
			out = append(out, "  "+l)
		}
	}
	if len(out) > limit+1 {
		out = append(out[:limit], fmt.Sprintf("... (%d more lines: run the test command above to see them all)", len(out)-limit))
	}
	return out
}

// Plural is "1 task" or "3 tasks".
func Plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// Progress is the state of every kata after a test run.
type Progress struct {
	All      []*catalog.Kata // in learning order
	Statuses map[*catalog.Kata]Status
	Solved   int
	Next     *catalog.Kata // the first kata not solved (from where the learner is), nil when all are
}

func ProgressOf(t *catalog.Tree, res gorun.Results) Progress {
	p := Progress{All: t.Katas(), Statuses: map[*catalog.Kata]Status{}}
	for _, k := range p.All {
		st := StatusOf(k, res[k.ID()])
		p.Statuses[k] = st
		if st.Solved {
			p.Solved++
		} else if p.Next == nil {
			p.Next = k
		}
	}
	return p
}

func (p Progress) Header(c Painter) string {
	return fmt.Sprintf("Go Async Katas: %d of %d katas solved %s", p.Solved, len(p.All), c.Bar(p.Solved, len(p.All), 20))
}

// Board prints every kata with ✓ or ✗, in learning order, then the next kata to do.
func Board(w io.Writer, c Painter, at Where, t *catalog.Tree, prog Progress) {
	fmt.Fprintln(w, prog.Header(c))
	width := 0
	for _, k := range prog.All {
		width = max(width, len(k.Name))
	}
	for _, p := range t.Packages {
		if len(p.Katas) == 0 {
			continue
		}
		fmt.Fprintf(w, "\n%s\n", c.Bold(p.Dir))
		for _, k := range p.Katas {
			fmt.Fprintf(w, "  %s\n", row(c, prog, k, width))
		}
	}
	fmt.Fprintln(w)
	Next(w, c, at, t, prog, true)
}

// row is a kata's line on a board: its mark, its name padded to width and its title, in
// bold when it is the next kata.
func row(c Painter, prog Progress, k *catalog.Kata, width int) string {
	line := strings.TrimRight(fmt.Sprintf("%-*s  %s", width, k.Name, k.Title), " ")
	if k == prog.Next {
		line = c.Bold(line)
	}
	return c.Mark(prog.Statuses[k].Solved) + " " + line
}

// CompactBoard prints one line per folder with a mark per kata, and the katas of the
// next kata's folder in full, then the next kata to do: a board that fits a terminal.
func CompactBoard(w io.Writer, c Painter, at Where, t *catalog.Tree, prog Progress) {
	fmt.Fprintln(w, prog.Header(c))
	fmt.Fprintln(w)
	width, nameWidth := 0, 0
	for _, p := range t.Packages {
		if len(p.Katas) > 0 {
			width = max(width, len(p.Dir))
		}
		for _, k := range p.Katas {
			nameWidth = max(nameWidth, len(k.Name))
		}
	}
	for _, p := range t.Packages {
		if len(p.Katas) == 0 {
			continue
		}
		var marks strings.Builder
		for _, k := range p.Katas {
			marks.WriteString(c.Mark(prog.Statuses[k].Solved))
		}
		fmt.Fprintf(w, "  %-*s  %s\n", width, p.Dir, marks.String())
		if prog.Next == nil || prog.Next.Pkg != p {
			continue
		}
		for _, k := range p.Katas {
			fmt.Fprintf(w, "    %s\n", row(c, prog, k, nameWidth))
		}
	}
	fmt.Fprintln(w)
	Next(w, c, at, t, prog, true)
}

// Next prints the "Next:" block: the next kata to do, where its file, lesson and test
// command are, how to ask for a hint, and why it is not solved (with what its tests said
// when detail is set), as the learner types them Where they stand. When every kata is
// solved, it says so.
func Next(w io.Writer, c Painter, at Where, t *catalog.Tree, prog Progress, detail bool) {
	next := prog.Next
	if next == nil {
		fmt.Fprintln(w, c.Good("Every kata is solved.")+" Compare your code with solutions/ and read the answers to each lesson's question there.")
		return
	}
	st := prog.Statuses[next]
	fmt.Fprint(w, c.Bold("Next: "+t.ShortName(next)))
	if next.Title != "" {
		fmt.Fprintf(w, " — %s", next.Title)
	}
	fmt.Fprintf(w, " (%s)\n", next.Pkg.Dir)
	fmt.Fprintf(w, "  Edit:   %s\n", c.Code(fmt.Sprintf("%s:%d", at.Path(next.StubPath()), todoLine(filepath.Join(t.Root, filepath.FromSlash(next.StubPath()))))))
	fmt.Fprintf(w, "  Lesson: %s\n", at.Path(next.Pkg.Dir+"/README.md"))
	fmt.Fprintf(w, "  Test:   %s\n", TestCommand(at, next, st))
	fmt.Fprintf(w, "  Stuck?  %s hint %s\n", at.Kata(), t.ShortName(next))
	fmt.Fprintf(w, "  Why it is not solved yet: %s\n", c.Bad(st.Reason))
	if !detail {
		return
	}
	for _, l := range st.Detail {
		fmt.Fprintf(w, "    %s\n", l)
	}
}

// TestCommand is the go test command that runs exactly the kata's tests and shows what the
// board saw: with -race when the failure is a data race, and with a -timeout that ends a
// hang the harness did not catch in minutes, not go test's default ten.
func TestCommand(at Where, k *catalog.Kata, st Status) string {
	race := ""
	if st.Race {
		race = " -race"
	}
	return fmt.Sprintf("go test %s%s -timeout 2m -run \"^(%s)$\"", at.Dir(k.Pkg.Dir), race, strings.Join(k.Tests, "|"))
}

// CleanOutput keeps the lines of go test output that explain a failure — the failure
// messages and the "--- FAIL" lines that say which subtest — and at most limit of them.
func CleanOutput(lines []string, limit int) []string {
	var out []string
	for _, l := range lines {
		trimmed := strings.TrimSpace(l)
		switch {
		case trimmed == "",
			strings.HasPrefix(trimmed, "=== "),
			strings.HasPrefix(trimmed, "--- PASS"),
			strings.HasPrefix(trimmed, "--- SKIP"),
			trimmed == "FAIL", trimmed == "PASS",
			strings.HasPrefix(trimmed, "exit status "):
			continue
		}
		out = append(out, strings.TrimRight(l, " \t"))
	}
	out = gotrace.Dedent(out)
	if len(out) > limit {
		out = append(out[:limit], fmt.Sprintf("... (%d more lines: run the test command above to see them all)", len(out)-limit))
	}
	return out
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

// List prints every kata with its state, the name kata takes, folder, file and title, in
// learning order, marking the next one.
func List(w io.Writer, c Painter, at Where, t *catalog.Tree, prog Progress) {
	fmt.Fprintln(w, prog.Header(c))
	fmt.Fprintln(w)
	rows := [][]string{{"", "kata", "folder", "file", "title"}}
	for _, k := range prog.All {
		rows = append(rows, []string{"", t.ShortName(k), k.Pkg.Dir, at.Path(k.StubPath()), k.Title})
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
			fmt.Fprintf(w, "    %s\n", c.Dim(line))
		case prog.All[i-1] == prog.Next:
			fmt.Fprintf(w, "  %s %s  %s\n", c.Mark(false), c.Bold(line), c.Warn("← next"))
		default:
			fmt.Fprintf(w, "  %s %s\n", c.Mark(prog.Statuses[prog.All[i-1]].Solved), line)
		}
	}
}

// A Painter colours text when on is set: only when stdout is a terminal and NO_COLOR is
// unset (see main). Off, it returns the text as it is, so output has no escape codes.
type Painter struct{ On bool }

func (p Painter) paint(s string, attrs ...color.Attribute) string {
	if !p.On || s == "" {
		return s
	}
	c := color.New(attrs...)
	c.EnableColor() // the choice was made in main; don't let fatih/color's global undo it
	return c.Sprint(s)
}

func (p Painter) Good(s string) string { return p.paint(s, color.FgGreen) }
func (p Painter) Bad(s string) string  { return p.paint(s, color.FgRed) }
func (p Painter) Warn(s string) string { return p.paint(s, color.FgYellow, color.Bold) }
func (p Painter) Bold(s string) string { return p.paint(s, color.Bold) }
func (p Painter) Dim(s string) string  { return p.paint(s, color.Faint) }
func (p Painter) Code(s string) string { return p.paint(s, color.FgCyan) }

// Mark is ✓ for a solved kata, ✗ for one that is not.
func (p Painter) Mark(solved bool) string {
	if solved {
		return p.Good("✓")
	}
	return p.Bad("✗")
}

// Bar is a Progress bar of width characters: [#####.....].
func (p Painter) Bar(done, total, width int) string {
	if total == 0 {
		return ""
	}
	filled := done * width / total
	switch {
	case done > 0 && filled == 0:
		filled = 1 // some Progress always shows
	case done < total && filled == width:
		filled = width - 1 // and a full bar means every kata
	}
	return "[" + p.Good(strings.Repeat("#", filled)) + strings.Repeat(".", width-filled) + "]"
}

// A Where turns the repository's paths and commands into what the learner types from the
// folder they stand in: "part1_concurrency/sum.go" is "sum.go" in part1_concurrency, and
// "go run ./cmd/kata" is "go run ../cmd/kata" there. Outside the repository (kata -C dir),
// paths stay relative to its root.
type Where struct {
	Root string // the repository; "" when not found yet
	WD   string // Where the learner stands; "" for the root
}

// inside reports whether the learner stands in the repository.
func (w Where) inside() bool {
	if w.Root == "" || w.WD == "" {
		return false
	}
	r, err := filepath.Rel(w.Root, w.WD)
	return err == nil && r != ".." && !strings.HasPrefix(r, ".."+string(filepath.Separator)) && !filepath.IsAbs(r)
}

// Path is the slash path p, relative to the root, as the learner types it.
func (w Where) Path(p string) string {
	if !w.inside() {
		return filepath.FromSlash(p)
	}
	r, err := filepath.Rel(w.WD, filepath.Join(w.Root, filepath.FromSlash(p)))
	if err != nil {
		return filepath.FromSlash(p)
	}
	return r
}

// Dir is a package folder as go test and go run take it: "./part1_concurrency", "." or
// "../part2_errors".
func (w Where) Dir(d string) string {
	r := filepath.ToSlash(w.Path(d))
	if r == "." || strings.HasPrefix(r, "../") {
		return r
	}
	return "./" + r
}

// Kata is how the learner runs this tool: "go run ./cmd/kata".
func (w Where) Kata() string { return "go run " + w.Dir("cmd/kata") }

// asciiGlyphs are the tool's own non-ASCII characters and what [ASCII] writes instead.
var asciiGlyphs = strings.NewReplacer("✓", "v", "✗", "x", "—", "-", "…", "...", "←", "<-", "─", "-", "→", "->")

// ASCII returns a writer that writes to w with the tool's own glyphs (✓ ✗ — … ← ─) in
// ASCII, for a terminal whose locale is not UTF-8 (timeline.StyleFromEnv says which); the
// tests' timelines already come out in ASCII there. Each Write must hold whole characters,
// as every fmt.Fprint does.
func ASCII(w io.Writer) io.Writer { return asciiWriter{w} }

type asciiWriter struct{ w io.Writer }

func (a asciiWriter) Write(p []byte) (int, error) {
	if _, err := asciiGlyphs.WriteString(a.w, string(p)); err != nil {
		return 0, err
	}
	return len(p), nil
}

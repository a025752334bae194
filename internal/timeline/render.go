package timeline

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Width is the most columns a line of a drawn timeline takes, so it fits an 80-column
// terminal (only a label or an outcome far longer than usual makes a line wider).
const Width = 80

// maxRows is how many rows a block draws for its tasks: beyond it, the last row sums up the
// rest.
const maxRows = 10

// maxLabel is the widest a row's label is drawn; longer names are cut.
const maxLabel = 16

// Style is how a timeline is drawn.
type Style struct {
	// ASCII draws with ASCII characters only ('#' bars, '^' for the return), for terminals
	// that do not show UTF-8.
	ASCII bool
}

// StyleFromEnv returns the style for the terminal the tests run in: ASCII when KATA_ASCII is
// set to anything but "0", UTF-8 when it is "0"; otherwise UTF-8 when the locale (the first
// of LC_ALL, LC_CTYPE and LANG that is set) names UTF-8, and ASCII when it does not or when
// none is set. Timelines never use colour, so NO_COLOR needs nothing.
func StyleFromEnv() Style {
	if v := os.Getenv("KATA_ASCII"); v != "" {
		return Style{ASCII: v != "0"}
	}
	for _, k := range []string{"LC_ALL", "LC_CTYPE", "LANG"} {
		if v := strings.ToLower(os.Getenv(k)); v != "" {
			return Style{ASCII: !strings.Contains(v, "utf-8") && !strings.Contains(v, "utf8")}
		}
	}
	return Style{ASCII: true}
}

type glyphs struct {
	bar     rune // a task running, from its start to its end
	running rune // a task that had not ended when the timeline was taken
	more    rune // when any of the tasks a summary row stands for was running
	ret     rune // the instant the call returned
	cut     string
}

var (
	utf8Glyphs  = glyphs{bar: '█', running: '░', more: '▒', ret: '▲', cut: "…"}
	asciiGlyphs = glyphs{bar: '#', running: '~', more: '=', ret: '^', cut: "~"}
)

// Block is one timeline to draw, under a title.
type Block struct {
	Title    string
	Timeline Timeline
}

// Render draws blocks one above the other on one time axis, in plain text at most [Width]
// columns wide: a row per task with a bar from its start to its end and its outcome, and a
// row with a mark where the call returned. Rows follow the order of the first block's
// spans; a task the first block does not have comes after, by start time and then name.
func Render(st Style, blocks ...Block) string {
	return render(st, blocks, 0, false)
}

// Diff draws got ("your code") above want ("the kata wants") on one time axis, as [Render]
// does, with rows in want's order and a '>' before each row of got that differs from the
// same row of want. A task want has and got never started is a row of its own.
func Diff(got, want Timeline, st Style) string {
	return render(st, []Block{{"your code", got}, {"the kata wants", want}}, 1, true)
}

// row is one line of a block.
type row struct {
	label   string
	spans   []Span // the task's span; a summary row's many; none for a task never started
	summary bool
	ret     bool // the return row: at is when
	at      time.Duration
	outcome string
}

// blockRows lays out one block: its task rows, in names' order, and its return row (nil when
// it has none). When want is not nil, a task want has more often than tl gets "never
// started" rows and a missing return gets a row.
func blockRows(tl Timeline, names []string, want *Timeline) (tasks []row, ret *row) {
	byName := map[string][]Span{}
	for _, s := range sortedSpans(tl.Spans) {
		byName[s.Name] = append(byName[s.Name], s)
	}
	wanted := map[string]int{}
	if want != nil {
		for _, s := range want.Spans {
			wanted[s.Name]++
		}
	}
	for _, name := range names {
		for _, s := range byName[name] {
			tasks = append(tasks, row{label: name, spans: []Span{s}, outcome: outcomeText(s)})
		}
		for range wanted[name] - len(byName[name]) {
			tasks = append(tasks, row{label: name, outcome: "never started"})
		}
	}
	if len(tasks) > maxRows {
		rest := tasks[maxRows-1:]
		sum := row{label: fmt.Sprintf("+%d more", len(rest)), summary: true}
		for _, r := range rest {
			sum.spans = append(sum.spans, r.spans...)
		}
		sum.outcome = summaryText(rest)
		tasks = append(tasks[:maxRows-1:maxRows-1], sum)
	}
	switch {
	case tl.Returned:
		ret = &row{label: "returned", ret: true, at: tl.ReturnAt, outcome: "at " + short(tl.ReturnAt)}
	case want != nil && want.Returned:
		ret = &row{label: "returned", outcome: "not recorded"}
	}
	return tasks, ret
}

func outcomeText(s Span) string {
	if s.Outcome == Running {
		return "not finished"
	}
	return s.Outcome.String() + " " + short(s.End)
}

// summaryText sums up rows: "all done by 5s", or how many ended each way.
func summaryText(rows []row) string {
	counts := map[string]int{}
	var last time.Duration
	for _, r := range rows {
		what := "never started"
		if len(r.spans) > 0 {
			what = r.spans[0].Outcome.String()
			if r.spans[0].Outcome == Running {
				what = "not finished"
			}
			last = max(last, r.spans[0].End)
		}
		counts[what]++
	}
	if len(counts) == 1 {
		for what := range counts {
			if what == "done" || what == "failed" || what == "cancelled" {
				return "all " + what + " by " + short(last)
			}
			return "all " + what
		}
	}
	var parts []string
	for _, what := range []string{"done", "failed", "cancelled", "not finished", "never started"} {
		if n := counts[what]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, what))
		}
	}
	return strings.Join(parts, ", ")
}

// names returns the task names of blocks in row order: ref's first, in its order, then the
// others by start time and name.
func names(blocks []Block, ref int) []string {
	var out []string
	seen := map[string]bool{}
	add := func(spans []Span) {
		for _, s := range spans {
			if !seen[s.Name] {
				seen[s.Name] = true
				out = append(out, s.Name)
			}
		}
	}
	add(blocks[ref].Timeline.Spans)
	var rest []Span
	for _, b := range blocks {
		rest = append(rest, b.Timeline.Spans...)
	}
	add(sortedSpans(rest))
	return out
}

// scale is the time axis: a tick every step, cols columns apart, ticks+1 ticks from 0.
type scale struct {
	step  time.Duration
	cols  int
	ticks int
}

// maxTicks is the most tick intervals an axis has: a few, so each has room for detail.
const maxTicks = 5

// steps are the tick steps an axis may use, smallest first: 1, 2 and 5 times a power of ten
// up to 10s, then steps a clock shows (15s, 30s, 1m, 2m, 5m ...).
var steps = func() []time.Duration {
	var out []time.Duration
	for d := time.Duration(1); d < 10*time.Second; d *= 10 {
		out = append(out, d, 2*d, 5*d)
	}
	for _, d := range []time.Duration{10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600} {
		out = append(out, d*time.Second)
	}
	for h := time.Duration(2); h < 1<<20; h *= 2 {
		out = append(out, h*time.Hour)
	}
	return out
}()

// chooseScale picks the smallest step of steps that covers end in at most maxTicks ticks,
// and as many columns per tick (up to 10) as width allows.
func chooseScale(end time.Duration, width int) scale {
	if end <= 0 {
		end = time.Second
	}
	i, _ := slices.BinarySearchFunc(steps, end, func(step, end time.Duration) int {
		if (end+step-1)/step <= maxTicks {
			return 1
		}
		return -1
	})
	step := steps[min(i, len(steps)-1)]
	ticks := int((end + step - 1) / step)
	return scale{step: step, cols: max(1, min(10, (width-1)/ticks)), ticks: ticks}
}

// col returns the column of instant t: the nearest.
func (sc scale) col(t time.Duration) int {
	return int((int64(t)*int64(sc.cols) + int64(sc.step)/2) / int64(sc.step))
}

func (sc scale) width() int { return sc.ticks*sc.cols + 1 }

// axis returns the tick labels, each starting at its tick's column; a label that would touch
// the one before is left out.
func (sc scale) axis() string {
	var b []rune
	for i := range sc.ticks + 1 {
		c := i * sc.cols
		if i > 0 && c <= len(b) {
			continue
		}
		for len(b) < c {
			b = append(b, ' ')
		}
		b = append(b, []rune(short(time.Duration(i)*sc.step))...)
		b = append(b, ' ')
	}
	return strings.TrimRight(string(b), " ")
}

func render(st Style, blocks []Block, ref int, diff bool) string {
	if len(blocks) == 0 {
		return ""
	}
	g := utf8Glyphs
	if st.ASCII {
		g = asciiGlyphs
	}
	order := names(blocks, ref)
	type laidOut struct {
		tasks []row
		ret   *row
	}
	lay := make([]laidOut, len(blocks))
	labelW, outW := len("fake time"), 0
	var end time.Duration
	for i, b := range blocks {
		var want *Timeline
		if diff && i != ref {
			want = &blocks[ref].Timeline
		}
		lay[i].tasks, lay[i].ret = blockRows(b.Timeline, order, want)
		rows := lay[i].tasks
		if lay[i].ret != nil {
			rows = append(slices.Clone(rows), *lay[i].ret)
		}
		for _, r := range rows {
			labelW = max(labelW, min(maxLabel, utf8.RuneCountInString(r.label)))
			outW = max(outW, utf8.RuneCountInString(r.outcome))
		}
		for _, s := range b.Timeline.Spans {
			end = max(end, s.Start, s.End)
		}
		if b.Timeline.Returned {
			end = max(end, b.Timeline.ReturnAt)
		}
	}
	sc := chooseScale(end, max(11, Width-(2+labelW+2)-2-outW))

	draw := func(r row) string {
		cells := []rune(strings.Repeat(" ", sc.width()))
		fill := func(s Span, glyph rune) {
			c0, c1 := sc.col(s.Start), sc.col(s.End)
			if c1 <= c0 {
				c1 = c0 + 1
			}
			for c := c0; c < min(c1, len(cells)); c++ {
				cells[c] = glyph
			}
		}
		switch {
		case r.ret:
			cells[min(sc.col(r.at), len(cells)-1)] = g.ret
		case r.summary:
			for _, s := range r.spans {
				fill(s, g.more)
			}
		default:
			for _, s := range r.spans {
				glyph := g.bar
				if s.Outcome == Running {
					glyph = g.running
				}
				fill(s, glyph)
			}
		}
		return string(cells) + "  " + r.outcome
	}
	label := func(s string) string {
		if utf8.RuneCountInString(s) > labelW {
			s = string([]rune(s)[:labelW-1]) + g.cut
		}
		return s + strings.Repeat(" ", labelW-utf8.RuneCountInString(s))
	}

	var b strings.Builder
	line := func(mark, lbl, rest string) {
		b.WriteString(strings.TrimRight(mark+" "+label(lbl)+"  "+rest, " ") + "\n")
	}
	line(" ", "fake time", sc.axis())
	var wantTasks []string
	var wantRet string
	if diff {
		for _, r := range lay[ref].tasks {
			wantTasks = append(wantTasks, draw(r))
		}
		if lay[ref].ret != nil {
			wantRet = draw(*lay[ref].ret)
		}
	}
	for i, bl := range blocks {
		marks := make([]string, len(lay[i].tasks)+1)
		differs := false
		for j := range marks {
			marks[j] = " "
			if !diff || i == ref {
				continue
			}
			var got, want string
			if j < len(lay[i].tasks) {
				got = draw(lay[i].tasks[j])
				if j < len(wantTasks) {
					want = wantTasks[j]
				}
			} else {
				if lay[i].ret != nil {
					got = draw(*lay[i].ret)
				}
				want = wantRet
			}
			if got != want {
				marks[j], differs = ">", true
			}
		}
		title := bl.Title
		if differs {
			title += " (> marks a difference)"
		}
		b.WriteString(title + ":\n")
		for j, r := range lay[i].tasks {
			line(marks[j], r.label, draw(r))
		}
		if lay[i].ret != nil {
			line(marks[len(marks)-1], lay[i].ret.label, draw(*lay[i].ret))
		}
	}
	return b.String()
}

// short formats d as time.Duration.String does, without a trailing zero unit: "1h30m", "2m",
// "1.5s".
func short(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

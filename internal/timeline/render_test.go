package timeline_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/go-async-katas/katas/internal/timeline"
)

const (
	ms = time.Millisecond
	s  = time.Second
)

var (
	utf   = timeline.Style{}
	ascii = timeline.Style{ASCII: true}
)

// seedWant is part 1's concurrent sum: load 4 takes 1s, load 8 takes 2s, both at once.
func seedWant() timeline.Timeline {
	return *timeline.Want().Done("load 4", 0, s).Done("load 8", 0, 2*s).Return(2 * s)
}

// sequential is part 1's sum run one task after the other.
var sequential = timeline.Timeline{
	Spans:    []timeline.Span{{Name: "load 4", End: s, Outcome: timeline.Done}, {Name: "load 8", Start: s, End: 3 * s, Outcome: timeline.Done}},
	Returned: true, ReturnAt: 3 * s,
}

func TestDiff(t *testing.T) {
	tests := []struct {
		name      string
		giveGot   timeline.Timeline
		giveWant  timeline.Timeline
		giveStyle timeline.Style
		want      string
	}{
		{"sequential", sequential, seedWant(), utf, `
  fake time  0s        1s        2s        3s
your code (> marks a difference):
  load 4     ██████████                       done 1s
> load 8               ████████████████████   done 3s
> returned                                 ▲  at 3s
the kata wants:
  load 4     ██████████                       done 1s
  load 8     ████████████████████             done 2s
  returned                       ▲            at 2s
`},
		{"ascii", sequential, seedWant(), ascii, `
  fake time  0s        1s        2s        3s
your code (> marks a difference):
  load 4     ##########                       done 1s
> load 8               ####################   done 3s
> returned                                 ^  at 3s
the kata wants:
  load 4     ##########                       done 1s
  load 8     ####################             done 2s
  returned                       ^            at 2s
`},
		{"same", seedWant(), seedWant(), utf, `
  fake time  0s        500ms     1s        1.5s      2s
your code:
  load 4     ████████████████████                       done 1s
  load 8     ████████████████████████████████████████   done 2s
  returned                                           ▲  at 2s
the kata wants:
  load 4     ████████████████████                       done 1s
  load 8     ████████████████████████████████████████   done 2s
  returned                                           ▲  at 2s
`},
		{"returned before the tasks finished", timeline.Timeline{
			Spans:    []timeline.Span{{Name: "load 4", End: s, Outcome: timeline.Done}, {Name: "load 8", End: 2 * s, Outcome: timeline.Done}},
			Returned: true,
		}, seedWant(), utf, `
  fake time  0s        500ms     1s        1.5s      2s
your code (> marks a difference):
  load 4     ████████████████████                       done 1s
  load 8     ████████████████████████████████████████   done 2s
> returned   ▲                                          at 0s
the kata wants:
  load 4     ████████████████████                       done 1s
  load 8     ████████████████████████████████████████   done 2s
  returned                                           ▲  at 2s
`},
		{"never finished", timeline.Timeline{
			Spans:    []timeline.Span{{Name: "load 4", End: s, Outcome: timeline.Done}, {Name: "load 8", End: s, Outcome: timeline.Running}},
			Returned: true, ReturnAt: s,
		}, seedWant(), ascii, `
  fake time  0s        500ms     1s        1.5s      2s
your code (> marks a difference):
  load 4     ####################                       done 1s
> load 8     ~~~~~~~~~~~~~~~~~~~~                       not finished
> returned                       ^                      at 1s
the kata wants:
  load 4     ####################                       done 1s
  load 8     ########################################   done 2s
  returned                                           ^  at 2s
`},
		{"never started, and a task the kata does not want", timeline.Timeline{
			Spans:    []timeline.Span{{Name: "p1", End: 500 * ms, Outcome: timeline.Failed}, {Name: "extra", End: 500 * ms, Outcome: timeline.Cancelled}},
			Returned: true, ReturnAt: 500 * ms,
		}, *timeline.Want().Task("p1", 0, 500*ms, timeline.Failed).Task("p2", 0, 500*ms, timeline.Cancelled).Return(500 * ms), utf, `
  fake time  0s       100ms    200ms    300ms    400ms    500ms
your code (> marks a difference):
  p1         █████████████████████████████████████████████   failed 500ms
> p2                                                         never started
> extra      █████████████████████████████████████████████   cancelled 500ms
  returned                                                ▲  at 500ms
the kata wants:
  p1         █████████████████████████████████████████████   failed 500ms
  p2         █████████████████████████████████████████████   cancelled 500ms
  returned                                                ▲  at 500ms
`},
		{"zero-length tasks", timeline.Timeline{
			Spans:    []timeline.Span{{Name: "a", Outcome: timeline.Done}, {Name: "b", Start: s, End: s, Outcome: timeline.Done}},
			Returned: true, ReturnAt: s,
		}, *timeline.Want().Done("a", 0, 0).Done("b", 0, 0).Return(0), utf, `
  fake time  0s        200ms     400ms     600ms     800ms     1s
your code (> marks a difference):
  a          █                                                    done 0s
> b                                                            █  done 1s
> returned                                                     ▲  at 1s
the kata wants:
  a          █                                                    done 0s
  b          █                                                    done 0s
  returned   ▲                                                    at 0s
`},
		{"short span", timeline.Timeline{
			Spans:    []timeline.Span{{Name: "a", End: 30 * ms, Outcome: timeline.Done}, {Name: "b", End: 10 * ms, Outcome: timeline.Failed}},
			Returned: true, ReturnAt: 10 * ms,
		}, *timeline.Want().Done("a", 0, 30*ms).Task("b", 0, 10*ms, timeline.Failed).Return(30 * ms), utf, `
  fake time  0s        10ms      20ms      30ms
your code (> marks a difference):
  a          ██████████████████████████████   done 30ms
  b          ██████████                       failed 10ms
> returned             ▲                      at 10ms
the kata wants:
  a          ██████████████████████████████   done 30ms
  b          ██████████                       failed 10ms
  returned                                 ▲  at 30ms
`},
		{"a thousand tasks, four at a time", fourAtATime(1000), thousandAtOnce(1000), utf, `
  fake time  0s       1m       2m       3m       4m       5m
your code (> marks a difference):
  load 0     █                                               done 1s
  load 1     █                                               done 1s
  load 2     █                                               done 1s
  load 3     █                                               done 1s
> load 4     █                                               done 2s
> load 5     █                                               done 2s
> load 6     █                                               done 2s
> load 7     █                                               done 2s
> load 8     █                                               done 3s
> +991 more  ▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒          all done by 4m10s
> returned                                         ▲         at 4m10s
the kata wants:
  load 0     █                                               done 1s
  load 1     █                                               done 1s
  load 2     █                                               done 1s
  load 3     █                                               done 1s
  load 4     █                                               done 1s
  load 5     █                                               done 1s
  load 6     █                                               done 1s
  load 7     █                                               done 1s
  load 8     █                                               done 1s
  +991 more  ▒                                               all done by 1s
  returned   ▲                                               at 1s
`},
		{"ten tasks fit", fourAtATime(10), thousandAtOnce(10), ascii, `
  fake time  0s        1s        2s        3s
your code (> marks a difference):
  load 0     ##########                       done 1s
  load 1     ##########                       done 1s
  load 2     ##########                       done 1s
  load 3     ##########                       done 1s
> load 4               ##########             done 2s
> load 5               ##########             done 2s
> load 6               ##########             done 2s
> load 7               ##########             done 2s
> load 8                         ##########   done 3s
> load 9                         ##########   done 3s
> returned                                 ^  at 3s
the kata wants:
  load 0     ##########                       done 1s
  load 1     ##########                       done 1s
  load 2     ##########                       done 1s
  load 3     ##########                       done 1s
  load 4     ##########                       done 1s
  load 5     ##########                       done 1s
  load 6     ##########                       done 1s
  load 7     ##########                       done 1s
  load 8     ##########                       done 1s
  load 9     ##########                       done 1s
  returned             ^                      at 1s
`},
		{"mixed outcomes summed up", mixed(12), mixed(12), ascii, `
  fake time  0s        1s        2s        3s
your code:
  t00        ##########                       done 1s
  t01        ####################             failed 2s
  t02        ##############################   cancelled 3s
  t03        ##########                       done 1s
  t04        ####################             failed 2s
  t05        ##############################   cancelled 3s
  t06        ##########                       done 1s
  t07        ####################             failed 2s
  t08        ##############################   cancelled 3s
  +3 more    ==============================   1 done, 1 failed, 1 cancelled
the kata wants:
  t00        ##########                       done 1s
  t01        ####################             failed 2s
  t02        ##############################   cancelled 3s
  t03        ##########                       done 1s
  t04        ####################             failed 2s
  t05        ##############################   cancelled 3s
  t06        ##########                       done 1s
  t07        ####################             failed 2s
  t08        ##############################   cancelled 3s
  +3 more    ==============================   1 done, 1 failed, 1 cancelled
`},
		{"a call that never returned", timeline.Timeline{
			Spans: []timeline.Span{{Name: "load 4", End: s, Outcome: timeline.Done}},
		}, *timeline.Want().Done("load 4", 0, s).Return(s), ascii, `
  fake time  0s        200ms     400ms     600ms     800ms     1s
your code (> marks a difference):
  load 4     ##################################################   done 1s
> returned                                                        not recorded
the kata wants:
  load 4     ##################################################   done 1s
  returned                                                     ^  at 1s
`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := timeline.Diff(tt.giveGot, tt.giveWant, tt.giveStyle)
			checkDrawn(t, fmt.Sprintf("Diff(%s)", tt.name), got, tt.want)
		})
	}
}

func TestRender(t *testing.T) {
	tests := []struct {
		name string
		give []timeline.Block
		want string
	}{
		{"two blocks", []timeline.Block{
			{Title: "Python, awaited one after the other", Timeline: sequential},
			{Title: "Go, SumConcurrent", Timeline: seedWant()},
		}, `
  fake time  0s        1s        2s        3s
Python, awaited one after the other:
  load 4     ██████████                       done 1s
  load 8               ████████████████████   done 3s
  returned                                 ▲  at 3s
Go, SumConcurrent:
  load 4     ██████████                       done 1s
  load 8     ████████████████████             done 2s
  returned                       ▲            at 2s
`},
		{"long span", []timeline.Block{{Title: "server", Timeline: *timeline.Want().Done("serve", 0, 95*time.Minute).Return(95 * time.Minute)}}, `
  fake time  0s        30m       1h        1h30m     2h
server:
  serve      ████████████████████████████████           done 1h35m
  returned                                   ▲          at 1h35m
`},
		{"long name cut", []timeline.Block{{Title: "seed", Timeline: *timeline.Want().Done("a very long task name indeed", 0, s).Return(s)}}, `
  fake time         0s        200ms     400ms     600ms     800ms     1s
seed:
  a very long tas…  ██████████████████████████████████████████████████   done 1s
  returned                                                            ▲  at 1s
`},
		{"rows follow the first block", []timeline.Block{
			{Title: "first", Timeline: *timeline.Want().Done("b", 0, s).Done("a", 0, s)},
			{Title: "second", Timeline: *timeline.Want().Done("c", 0, s).Done("a", 0, 2*s).Done("b", 0, s)},
		}, `
  fake time  0s        500ms     1s        1.5s      2s
first:
  b          ████████████████████                       done 1s
  a          ████████████████████                       done 1s
second:
  b          ████████████████████                       done 1s
  a          ████████████████████████████████████████   done 2s
  c          ████████████████████                       done 1s
`},
		{"nothing", []timeline.Block{{Title: "empty"}}, `
  fake time  0s        200ms     400ms     600ms     800ms     1s
empty:
`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkDrawn(t, "Render("+tt.name+")", timeline.Render(utf, tt.give...), tt.want)
		})
	}
}

// checkDrawn compares a drawn timeline with want (which starts with a newline, for
// readability) and checks that no line is wider than timeline.Width.
func checkDrawn(t *testing.T, call, got, want string) {
	t.Helper()
	want = strings.TrimPrefix(want, "\n")
	if got != want {
		t.Errorf("%s drew\n%s\nwant\n%s", call, got, want)
	}
	for line := range strings.Lines(got) {
		if n := len([]rune(strings.TrimSuffix(line, "\n"))); n > timeline.Width {
			t.Errorf("%s drew a line %d columns wide, want at most %d:\n%s", call, n, timeline.Width, line)
		}
	}
}

// fourAtATime is n one-second tasks run four at a time, as a pool of four workers runs them.
func fourAtATime(n int) timeline.Timeline {
	var tl timeline.Timeline
	for i := range n {
		start := time.Duration(i/4) * s
		tl.Spans = append(tl.Spans, timeline.Span{Name: fmt.Sprintf("load %d", i), Start: start, End: start + s, Outcome: timeline.Done})
	}
	tl.Returned, tl.ReturnAt = true, time.Duration((n+3)/4)*s
	return tl
}

// thousandAtOnce is n one-second tasks all run at once.
func thousandAtOnce(n int) timeline.Timeline {
	want := timeline.Want()
	for i := range n {
		want.Done(fmt.Sprintf("load %d", i), 0, s)
	}
	return *want.Return(s)
}

// mixed is n tasks that end in turn done at 1s, failed at 2s and cancelled at 3s.
func mixed(n int) timeline.Timeline {
	var tl timeline.Timeline
	for i := range n {
		tl.Spans = append(tl.Spans, timeline.Span{Name: fmt.Sprintf("t%02d", i), End: time.Duration(i%3+1) * s, Outcome: timeline.Outcome(i%3 + 1)})
	}
	return tl
}

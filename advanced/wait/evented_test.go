package wait_test

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/go-async-katas/katas/advanced/wait"
	"github.com/go-async-katas/katas/advanced/wait/task"
	sleep "github.com/go-async-katas/katas/internal/clock" // the test's own clock type records times
	"github.com/go-async-katas/katas/internal/gotrace"
	"github.com/go-async-katas/katas/internal/katatest"
	"github.com/go-async-katas/katas/internal/timeline"
)

// defaultTick is the tick of a TestLoop row that names none.
const defaultTick = 400 * time.Millisecond

// inject is work a test sends on Loop's more channel at a given fake time.
type inject struct {
	at  time.Duration
	job job
}

// tickReport is one call of Loop's report: when, which tasks finished, how many pending.
type tickReport struct {
	at      time.Duration
	done    []string
	pending int
}

func (r tickReport) String() string {
	return fmt.Sprintf("at %v: done %s, %d pending", r.at, list(r.done), r.pending)
}

func TestLoop(t *testing.T) {
	katatest.Isolated(t, explainCrash, func(t *testing.T) {
		ms := func(n int) time.Duration { return time.Duration(n) * time.Millisecond }
		first := []job{{name: "a", d: 3 * time.Second}, {name: "b1", d: time.Second}, {name: "b2", d: ms(1500)}}
		tests := []struct {
			name        string
			giveTick    time.Duration // 0: defaultTick
			giveFirst   []job
			giveInject  []inject // sent in this order (those at one instant all at once); more is closed after the last
			giveTimeout time.Duration
			giveCancel  time.Duration // 0: not cancelled; else ctx is cancelled then, with cause errStop
			wantReports []tickReport
			wantTasks   []string // in report order, or in any order after the last report when ctx ends
			wantErr     error
			wantTook    time.Duration
		}{
			{
				name:       "seed",
				giveFirst:  first,
				giveInject: []inject{{ms(1100), job{name: "b3", d: ms(500)}}, {ms(3300), job{name: "b4", d: ms(300)}}},
				wantReports: []tickReport{
					{ms(400), nil, 3}, {ms(800), nil, 3}, {ms(1200), []string{"b1"}, 2},
					{ms(1600), []string{"b2"}, 2}, {ms(2000), []string{"b3"}, 1},
					{ms(2400), nil, 1}, {ms(2800), nil, 1}, {ms(3000), []string{"a"}, 0},
					{ms(3600), []string{"b4"}, 0},
				},
				wantTasks: []string{"b1", "b2", "b3", "a", "b4"},
				wantTook:  ms(3600),
			},
			{
				name:       "idle start",
				giveInject: []inject{{ms(500), job{name: "x", d: time.Second}}},
				wantReports: []tickReport{
					{ms(900), nil, 1}, {ms(1300), nil, 1}, {ms(1500), []string{"x"}, 0},
				},
				wantTasks: []string{"x"},
				wantTook:  ms(1500),
			},
			{
				name:        "cancelled",
				giveFirst:   []job{{name: "a", d: 3 * time.Second, cleanup: ms(200)}, first[1], first[2]},
				giveInject:  []inject{{ms(1100), job{name: "b3", d: ms(500)}}},
				giveTimeout: ms(1300),
				wantReports: []tickReport{{ms(400), nil, 3}, {ms(800), nil, 3}, {ms(1200), []string{"b1"}, 2}},
				wantTasks:   []string{"b1", "a", "b2", "b3"},
				wantErr:     context.DeadlineExceeded,
				wantTook:    ms(1500), // a takes 200ms to stop
			},
			{
				name:        "cancelled with a cause",
				giveFirst:   []job{{name: "a", d: 3 * time.Second, cleanup: ms(200)}, first[1], first[2]},
				giveInject:  []inject{{ms(1100), job{name: "b3", d: ms(500)}}},
				giveCancel:  ms(1300),
				wantReports: []tickReport{{ms(400), nil, 3}, {ms(800), nil, 3}, {ms(1200), []string{"b1"}, 2}},
				wantTasks:   []string{"b1", "a", "b2", "b3"},
				wantErr:     errStop,
				wantTook:    ms(1500),
			},
			{
				name:       "cancelled while idle",
				giveInject: []inject{{2 * time.Second, job{name: "x", d: time.Second}}},
				giveCancel: time.Second,
				wantErr:    errStop,
				wantTook:   time.Second,
			},
			{
				name:        "cancelled after an idle start",
				giveInject:  []inject{{ms(500), job{name: "x", d: time.Second}}},
				giveCancel:  ms(1000),
				wantReports: []tickReport{{ms(900), nil, 1}},
				wantTasks:   []string{"x"},
				wantErr:     errStop,
				wantTook:    ms(1000), // x gets ctx too, and stops at once
			},
			{
				// The same kind of run with other ticks: Loop ticks with the tick it is given.
				// b finishes at 700ms, but AllCompleted also waits for a, so the third tick runs out.
				name:      "short tick",
				giveTick:  ms(300),
				giveFirst: []job{{name: "a", d: time.Second}, {name: "b", d: ms(700)}},
				wantReports: []tickReport{
					{ms(300), nil, 2}, {ms(600), nil, 2}, {ms(900), []string{"b"}, 1}, {ms(1000), []string{"a"}, 0},
				},
				wantTasks: []string{"b", "a"},
				wantTook:  ms(1000),
			},
			{
				// c is sent at 1.2s, in the second tick: Loop takes it when that tick ends, at 2s.
				name:       "long tick",
				giveTick:   time.Second,
				giveFirst:  []job{{name: "a", d: ms(2500)}, {name: "b", d: ms(600)}},
				giveInject: []inject{{ms(1200), job{name: "c", d: ms(300)}}},
				wantReports: []tickReport{
					{time.Second, []string{"b"}, 1}, {2 * time.Second, nil, 1}, {ms(2500), []string{"a", "c"}, 0},
				},
				wantTasks: []string{"b", "a", "c"},
				wantTook:  ms(2500),
			},
			{
				// Two senders are waiting when the second tick ends: Loop takes one per tick.
				name:       "two senders at once",
				giveFirst:  []job{{name: "a", d: 3 * time.Second}},
				giveInject: []inject{{ms(500), job{name: "c", d: time.Second}}, {ms(500), job{name: "c", d: time.Second}}},
				wantReports: []tickReport{
					{ms(400), nil, 1}, {ms(800), nil, 1}, {ms(1200), nil, 2}, {ms(1600), nil, 3},
					{ms(2000), []string{"c"}, 2}, {ms(2400), []string{"c"}, 1}, {ms(2800), nil, 1}, {ms(3000), []string{"a"}, 0},
				},
				wantTasks: []string{"c", "c", "a"},
				wantTook:  ms(3000),
			},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				katatest.Bubble(t, func(t *testing.T) {
					tick := cmp.Or(tt.giveTick, defaultTick)
					parent := t.Context()
					if tt.giveTimeout > 0 {
						var cancel context.CancelFunc
						parent, cancel = context.WithTimeout(parent, tt.giveTimeout)
						defer cancel()
					}
					if tt.giveCancel > 0 {
						var cancel context.CancelCauseFunc
						parent, cancel = context.WithCancelCause(parent)
						time.AfterFunc(tt.giveCancel, func() { cancel(errStop) })
					}
					ctx := newSpinCtx(parent)
					call := describeLoop(tick, tt.giveFirst, tt.giveInject, tt.giveTimeout, tt.giveCancel)
					start := time.Now()
					more := make(chan task.Func[string]) // unbuffered: a send waits for Loop to take it
					rec := timeline.New()
					go sendAll(t.Context(), start, more, tt.giveInject, rec)

					var (
						reports   []tickReport
						elsewhere atomic.Bool
					)
					caller := gotrace.Self().ID
					got, err := wait.Loop(ctx, tick, recordedFuncs(rec, tt.giveFirst), more, func(done []*task.Task[string], pending int) {
						if gotrace.Self().ID != caller {
							elsewhere.Store(true)
							return // appending to reports would race with the test
						}
						reports = append(reports, tickReport{time.Since(start), values(done), pending})
					})
					if !checkSpin(t, call, ctx) {
						return
					}
					if elsewhere.Load() {
						t.Errorf("%s called report on a goroutine other than its caller's, want the caller's: "+
							"call report right in Loop's own loop, after each tick", call)
					}
					rec.Returned()
					ctxEnd := max(tt.giveTimeout, tt.giveCancel)
					startedLate := checkNoLateStart(t, call, rec, ctxEnd)
					drawing := loopDrawing(rec, tt.giveFirst, tt.giveInject, tt.wantReports, ctxEnd, tt.wantTook)
					drew := !elapsedDrawn(t, start, tt.wantTook, call+" returns once more is closed and nothing is pending or, when ctx ends, once the tasks it started have stopped",
						func(time.Duration, time.Duration) string { return drawing() })
					if tt.wantErr != nil {
						checkCause(t, call, err, tt.wantErr)
					} else {
						assert.NoError(t, err, call)
					}
					if !checkReports(t, call, tick, reports, tt.wantReports) {
						if d := drawing(); !drew && d != "" {
							t.Errorf("%s in time:\n\n%s", call, d)
						}
						return
					}
					if startedLate {
						return // the tasks it returned differ for that reason, said above
					}
					nReported := 0
					for _, r := range tt.wantReports {
						nReported += len(r.done)
					}
					checkLoopTasks(t, call, values(got), tt.wantTasks, nReported)
				})
			})
		}
	})
}

// sendAll sends the funcs of injects on more, each at its time and with its runs noted in rec
// under its job's name; those due at the same instant are sent at once, from goroutines of
// their own, so Loop finds them all waiting on more. It closes more after the last, and gives
// up when ctx ends (Loop has stopped listening).
func sendAll(ctx context.Context, start time.Time, more chan<- task.Func[string], injects []inject, rec *timeline.Recorder) {
	for i := 0; i < len(injects); {
		at := injects[i].at
		if sleep.Sleep(ctx, at-time.Since(start)) != nil {
			return
		}
		var wg sync.WaitGroup
		for ; i < len(injects) && injects[i].at == at; i++ {
			f := recordedAs(rec, injects[i].job.name, funcs([]job{injects[i].job})[0])
			wg.Go(func() {
				select {
				case more <- f:
				case <-ctx.Done():
				}
			})
		}
		wg.Wait()
		if ctx.Err() != nil {
			return
		}
	}
	close(more)
}

// funcs turns jobs into work whose value is the job's name.
func funcs(jobs []job) []task.Func[string] {
	fns := make([]task.Func[string], len(jobs))
	for i, j := range jobs {
		fns[i] = func(ctx context.Context) (string, error) {
			_, err := j.fn()(ctx)
			return j.name, err
		}
	}
	return fns
}

// values returns the values of finished tasks (their names), "?" for unfinished ones.
func values(tasks []*task.Task[string]) []string {
	var names []string
	for _, tk := range tasks {
		v, err := tk.Result()
		if err == task.ErrNotDone {
			v = "? (not done)"
		}
		names = append(names, v)
	}
	return names
}

func describeLoop(tick time.Duration, first []job, injects []inject, timeout, cancelAt time.Duration) string {
	var parts []string
	for _, in := range injects {
		parts = append(parts, fmt.Sprintf("%s sent at %v", in.job, in.at))
	}
	call := fmt.Sprintf("Loop(tick %v; first: %s; more: %s, then closed", tick, describe(first), strings.Join(parts, ", "))
	if timeout > 0 {
		call += fmt.Sprintf("; ctx ends at %v", timeout)
	}
	if cancelAt > 0 {
		call += fmt.Sprintf("; ctx cancelled at %v with a cause", cancelAt)
	}
	return call + ")"
}

// checkReports compares the reports with the wanted ones and explains the first
// difference. It reports whether they were equal.
func checkReports(t *testing.T, call string, tick time.Duration, got, want []tickReport) bool {
	t.Helper()
	for i := range max(len(got), len(want)) {
		if i < len(got) && i < len(want) && got[i].at == want[i].at && slices.Equal(got[i].done, want[i].done) && got[i].pending == want[i].pending {
			continue
		}
		var hint string
		switch {
		case i < len(got) && len(got[i].done) == 0 && got[i].pending == 0:
			// Only a tick that began with nothing pending can end with nothing done and nothing pending.
			hint = "a report with nothing done and 0 pending: Loop ticked while nothing was pending.\n" +
				"When nothing is pending Loop does not tick or report: it waits for the next func on more " +
				"(select on <-more and <-ctx.Done()) and starts it at once"
		case i >= len(got):
			hint = fmt.Sprintf("report %d never came: Loop stopped after %d reports.\n"+
				"Keep looping until more is closed AND nothing is pending: work injected later must not be lost", i+1, len(got))
		case i >= len(want):
			hint = fmt.Sprintf("an extra report %s: after ctx ends, or once more is closed and nothing is pending, report nothing more", got[i])
		case len(want[i].done) == 0 && got[i].at > want[i].at:
			hint = fmt.Sprintf("want %s: a tick lasts at most %v; report it even when nothing finished in it.\n"+
				"Give each Wait a context that times out after tick, and take from more without waiting for a sender\n"+
				"(a select with a default case): a receive that waits holds up the next tick", want[i], tick)
		case got[i].at < want[i].at && len(got[i].done) == 0:
			hint = fmt.Sprintf("want %s: a tick in which nothing finished lasts the whole tick Loop was given (%v here), not less.\n"+
				"Give each Wait a context that times out after tick, the tick parameter", want[i], tick)
		case got[i].at < want[i].at:
			hint = fmt.Sprintf("want %s: a tick ends early only when every pending task has finished (task.AllCompleted)", want[i])
		default:
			hint = fmt.Sprintf("want %s: each tick reports the tasks that finished in it and the number still pending,\n"+
				"then starts at most one func taken from more without waiting", want[i])
		}
		if i < len(got) {
			t.Errorf("%s: report %d was %s; %s\nAll reports:\n%s", call, i+1, got[i], hint, renderReports(got))
		} else {
			t.Errorf("%s: %s\nAll reports:\n%s", call, hint, renderReports(got))
		}
		return false
	}
	return true
}

func renderReports(reports []tickReport) string {
	if len(reports) == 0 {
		return "\t(none)"
	}
	lines := make([]string, len(reports))
	for i, r := range reports {
		lines[i] = "\t" + r.String()
	}
	return strings.Join(lines, "\n")
}

// checkNoLateStart fails the test if Loop started a task (recorded in rec) at or after
// ctxEnd, when ctx ended (0: it never does). It reports whether it did.
func checkNoLateStart(t *testing.T, call string, rec *timeline.Recorder, ctxEnd time.Duration) bool {
	t.Helper()
	if ctxEnd == 0 {
		return false
	}
	for _, span := range rec.Timeline().Spans {
		if span.Start >= ctxEnd {
			t.Errorf("%s started %s at %v, after ctx had ended at %v, want nothing started once ctx has ended.\n"+
				"Is Loop waiting for work on more without watching ctx? While nothing is pending, "+
				"select on <-more and <-ctx.Done() together, and return when ctx ends", call, span.Name, span.Start, ctxEnd)
			return true
		}
	}
	return false
}

// checkLoopTasks checks the tasks Loop returned: the first nReported in the order they
// were reported, then the rest (the tasks stopped when ctx ended) in any order.
func checkLoopTasks(t *testing.T, call string, got, want []string, nReported int) {
	t.Helper()
	switch {
	case !sameSet(got, want) && len(got) < len(want):
		t.Errorf("%s returned tasks %s, want one for each of %s: return every task Loop started, "+
			"including the ones still running when ctx ended (wait for them first)", call, list(got), list(want))
	case !sameSet(got, want):
		t.Errorf("%s returned tasks %s, want one for each of %s: return each task Loop started once, "+
			"and no other", call, list(got), list(want))
	case !slices.Equal(got[:nReported], want[:nReported]):
		t.Errorf("%s returned tasks %s, want %s first: return the tasks in the order they were reported",
			call, list(got), list(want[:nReported]))
	}
}

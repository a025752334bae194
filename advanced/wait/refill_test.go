package wait_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/go-async-katas/katas/advanced/wait"
	"github.com/go-async-katas/katas/advanced/wait/task"
	"github.com/go-async-katas/katas/internal/katatest"
	"github.com/go-async-katas/katas/internal/timeline"
)

func TestRefill(t *testing.T) {
	katatest.Isolated(t, explainCrash, func(t *testing.T) {
		tenFirst, tenMore := tenAtOnce("f", time.Second), tenAtOnce("m", time.Second)
		tests := []struct {
			name       string
			giveFirst  []job
			giveMore   []job
			wantStarts map[string]time.Duration
			wantTook   time.Duration
		}{
			{
				// The seed's second wait loop, with one new task per finished task.
				name:      "seed",
				giveFirst: []job{{name: "a", d: 3 * time.Second}, {name: "b1", d: time.Second}, {name: "b2", d: time.Second}},
				giveMore:  []job{{name: "b3", d: time.Second}, {name: "a2", d: 3 * time.Second}, {name: "b4", d: time.Second}, {name: "b5", d: time.Second}},
				wantStarts: map[string]time.Duration{"a": 0, "b1": 0, "b2": 0,
					"b3": time.Second, "a2": time.Second, "b4": 2 * time.Second, "b5": 3 * time.Second},
				wantTook: 4 * time.Second,
			},
			{
				name:       "one at a time",
				giveFirst:  []job{{name: "x", d: 2 * time.Second}},
				giveMore:   []job{{name: "y", d: time.Second}, {name: "z", d: time.Second}},
				wantStarts: map[string]time.Duration{"x": 0, "y": 2 * time.Second, "z": 3 * time.Second},
				wantTook:   4 * time.Second,
			},
			{
				name:       "nothing more",
				giveFirst:  []job{{name: "p", d: time.Second}, {name: "q", d: 2 * time.Second}},
				wantStarts: map[string]time.Duration{"p": 0, "q": 0},
				wantTook:   2 * time.Second,
			},
			{
				name:      "queue behind one slot",
				giveFirst: []job{{name: "p", d: time.Second}, {name: "q", d: 5 * time.Second}},
				giveMore:  []job{{name: "r", d: time.Second}, {name: "s", d: time.Second}, {name: "u", d: time.Second}},
				wantStarts: map[string]time.Duration{"p": 0, "q": 0,
					"r": time.Second, "s": 2 * time.Second, "u": 3 * time.Second},
				wantTook: 5 * time.Second,
			},
			{
				// Ten tasks finish at the same instant: however Wait groups them, each one
				// frees a slot, so all ten funcs of more start then.
				name:       "ten at once",
				giveFirst:  tenFirst,
				giveMore:   tenMore,
				wantStarts: merged(allAt(0, tenFirst), allAt(time.Second, tenMore)),
				wantTook:   2 * time.Second,
			},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				katatest.Bubble(t, func(t *testing.T) {
					call := fmt.Sprintf("Refill(first: %s; more: %s)", describe(tt.giveFirst), describe(tt.giveMore))
					starts := newClock()
					rec := timeline.New()
					got, err := wait.Refill(t.Context(), recorded(starts, rec, tt.giveFirst), recorded(starts, rec, tt.giveMore))
					rec.Returned()

					all := append(append([]job(nil), tt.giveFirst...), tt.giveMore...)
					want := timeline.Want()
					for _, j := range all {
						want.Done(j.name, tt.wantStarts[j.name], tt.wantStarts[j.name]+j.d)
					}
					want.Return(tt.wantTook)
					drawing := rec.Diff(want)
					if took := rec.Timeline().ReturnAt; took != tt.wantTook {
						t.Errorf("took %v of fake time, want %v: %s takes as long as its busiest slot; "+
							"is each func of more started as soon as a task finishes?\n\n%s", took, tt.wantTook, call, drawing)
						drawing = "" // drawn once
					}
					assert.NoError(t, err, call)
					checkReturned(t, call, got, all)
					checkStarts(t, call, starts, all, tt.wantStarts, drawing)
					checkFinishOrder(t, call, got, all, tt.wantStarts)
				})
			})
		}
	})
}

func TestRefillCancelled(t *testing.T) {
	katatest.Isolated(t, explainCrash, func(t *testing.T) {
		for _, end := range katatest.Endings(2200*time.Millisecond, errStop) {
			t.Run(end.Name, func(t *testing.T) {
				katatest.Bubble(t, func(t *testing.T) {
					first := []job{{name: "a", d: 3 * time.Second, cleanup: 300 * time.Millisecond}, {name: "b1", d: time.Second}, {name: "b2", d: 1500 * time.Millisecond}}
					more := []job{{name: "b3", d: time.Second}, {name: "a2", d: 3 * time.Second}, {name: "b4", d: time.Second}}
					parent, stop := end.Start(t.Context())
					defer stop()
					ctx := newSpinCtx(parent)
					call := fmt.Sprintf("Refill(first: %s; more: %s) with %s", describe(first), describe(more), end.How)
					starts := newClock()
					got, err := wait.Refill(ctx, recorded(starts, nil, first), recorded(starts, nil, more))
					if !checkSpin(t, call, ctx) {
						return
					}

					katatest.Elapsed(t, starts.start, 2500*time.Millisecond, call+": when ctx ends the running tasks stop (a takes 300ms); "+
						"wait for them all, but start nothing new")
					checkCause(t, call, err, end.Cause)
					// b1 ends at 1s and starts b3; b2 ends at 1.5s and starts a2; b3 ends at 2s and
					// starts b4; at 2.2s a, a2 and b4 are told to stop, and a takes until 2.5s.
					checkReturned(t, call, got, append(first, more...))
					if at, ok := starts.when("b4"); !ok || at != 2*time.Second {
						t.Errorf("%s: b4 started at %v (started: %v), want 2s", call, at, ok)
					}
					checkNoneLeftBehind(t, call)
				})
			})
		}
	})
}

// checkCause checks that a call that ctx ended returned ctx's cause, want.
func checkCause(t *testing.T, call string, err, want error) {
	t.Helper()
	switch {
	case errors.Is(err, want):
	case err != nil && errors.Is(want, errStop) && errors.Is(err, context.Canceled):
		t.Errorf("%s returned %v, want the cause errStop: ctx.Err() only says that ctx ended; "+
			"return context.Cause(ctx), which says why", call, err)
	default:
		t.Errorf("%s returned %v, want %v: return ctx's cause (context.Cause(ctx)) when it ends first", call, err, want)
	}
}

// allAt maps the name of every job to at.
func allAt(at time.Duration, jobs []job) map[string]time.Duration {
	m := map[string]time.Duration{}
	for _, j := range jobs {
		m[j.name] = at
	}
	return m
}

// merged returns one map with the entries of all of ms.
func merged(ms ...map[string]time.Duration) map[string]time.Duration {
	out := map[string]time.Duration{}
	for _, m := range ms {
		maps.Copy(out, m)
	}
	return out
}

// recorded turns jobs into funcs that mark when they start and return their name, even
// when they fail; rec, if not nil, notes each run for a drawing.
func recorded(starts *clock, rec *timeline.Recorder, jobs []job) []task.Func[string] {
	fns := make([]task.Func[string], len(jobs))
	for i, j := range jobs {
		fns[i] = timeline.Wrap(rec, j.name, func(ctx context.Context) (string, error) {
			starts.mark(j.name)
			_, err := j.fn()(ctx)
			return j.name, err
		})
	}
	return fns
}

// checkReturned checks that Refill returned one finished task per job, none twice.
func checkReturned(t *testing.T, call string, got []*task.Task[string], jobs []job) {
	t.Helper()
	var names, want []string
	for _, tk := range got {
		name, err := tk.Result()
		if err == task.ErrNotDone {
			t.Errorf("%s returned a task that had not finished: return only once every task is done", call)
			return
		}
		names = append(names, name)
	}
	for _, j := range jobs {
		want = append(want, j.name)
	}
	if !sameSet(names, want) {
		t.Errorf("%s returned tasks %s, want one for each of %s.\n"+
			"Did you drop work? Keep every task you start in pending until Wait hands it back done, "+
			"and keep looping until nothing is pending and nothing is left in more", call, list(names), list(want))
	}
}

// checkStarts checks when each job started; drawing, if not "", ends its message.
func checkStarts(t *testing.T, call string, starts *clock, jobs []job, want map[string]time.Duration, drawing string) {
	t.Helper()
	var wrong []string // what went wrong, one entry per job
	for _, j := range jobs {
		at, ok := starts.when(j.name)
		switch {
		case !ok:
			wrong = append(wrong, fmt.Sprintf("never started %s: every func in first and in more must run", j.name))
		case at != want[j.name]:
			wrong = append(wrong, fmt.Sprintf("started %s at %v, want %v: start the next func of more as soon as a task finishes, "+
				"one for each task that finished (Wait may hand back more than one)", j.name, at, want[j.name]))
		}
	}
	if drawing != "" {
		drawing = "\n\n" + drawing
	}
	switch len(wrong) {
	case 0:
	case 1:
		t.Errorf("%s %s%s", call, wrong[0], drawing)
	default:
		t.Errorf("%s %s (and %d more funcs started at the wrong time or not at all)%s", call, wrong[0], len(wrong)-1, drawing)
	}
}

// checkFinishOrder checks that tasks come in the order they finished: a job finishes its
// duration after its wanted start.
func checkFinishOrder(t *testing.T, call string, got []*task.Task[string], jobs []job, starts map[string]time.Duration) {
	t.Helper()
	ends := map[string]time.Duration{}
	for _, j := range jobs {
		ends[j.name] = starts[j.name] + j.d
	}
	var names []string
	var last time.Duration
	sorted := true
	for _, tk := range got {
		name, _ := tk.Result()
		names = append(names, name)
		if ends[name] < last {
			sorted = false
		}
		last = max(last, ends[name])
	}
	if !sorted {
		t.Errorf("%s returned %s, want the tasks in the order they finished: append each batch of done tasks as Wait hands it back",
			call, list(names))
	}
}

package timeline

import (
	"cmp"
	"context"
	"errors"
	"io"
	"slices"
	"sync"
	"time"
)

// Outcome is how a task ended.
type Outcome uint8

const (
	// Running is a task that has started and not finished (yet).
	Running Outcome = iota
	// Done is a task that finished its work.
	Done
	// Failed is a task that ended with an error of its own.
	Failed
	// Cancelled is a task that stopped early because its context ended.
	Cancelled
)

// String returns "running", "done", "failed" or "cancelled".
func (o Outcome) String() string {
	switch o {
	case Done:
		return "done"
	case Failed:
		return "failed"
	case Cancelled:
		return "cancelled"
	}
	return "running"
}

// Span is one run of a task: when it started and when and how it ended, measured from the
// start of the recording (for a [Want], from the call).
type Span struct {
	Name  string
	Start time.Duration
	// End is when the task ended; for a Running span in a recorded Timeline, when the
	// timeline was taken.
	End     time.Duration
	Outcome Outcome
}

// Timeline is what happened in a call, or what a kata wants to happen: the tasks' spans and
// when the call returned. Build a wanted one with [Want]; take a recorded one with
// [Recorder.Timeline].
type Timeline struct {
	Spans    []Span
	Returned bool          // whether ReturnAt says something
	ReturnAt time.Duration // when the call returned
}

// Want starts an expected timeline, for [Recorder.Diff]:
//
//	timeline.Want().Done("load 4", 0, time.Second).Done("load 8", 0, 2*time.Second).Return(2 * time.Second)
//
// Rows are drawn in the order they are declared here.
func Want() *Timeline { return &Timeline{} }

// Task adds a task that runs from start to end and ends with o, and returns tl.
func (tl *Timeline) Task(name string, start, end time.Duration, o Outcome) *Timeline {
	tl.Spans = append(tl.Spans, Span{Name: name, Start: start, End: end, Outcome: o})
	return tl
}

// Done adds a task that runs from start to end and finishes its work, and returns tl.
func (tl *Timeline) Done(name string, start, end time.Duration) *Timeline {
	return tl.Task(name, start, end, Done)
}

// Mark adds an instant event at at, such as a callback handling a finished task ("handle
// b1"), and returns tl. See [Recorder.Mark].
func (tl *Timeline) Mark(name string, at time.Duration) *Timeline {
	return tl.Task(name, at, at, Done)
}

// Return says when the call returns, and returns tl.
func (tl *Timeline) Return(at time.Duration) *Timeline {
	tl.Returned, tl.ReturnAt = true, at
	return tl
}

// Equal reports whether tl and other hold the same spans (in any order) and the same return.
func (tl Timeline) Equal(other Timeline) bool {
	a, b := sortedSpans(tl.Spans), sortedSpans(other.Spans)
	return tl.Returned == other.Returned && tl.ReturnAt == other.ReturnAt && slices.Equal(a, b)
}

// String describes tl on one line: "load 4: 0s->1s done; load 8: 0s->2s done; return at 2s".
func (tl Timeline) String() string {
	var b []byte
	for _, s := range tl.Spans {
		if len(b) > 0 {
			b = append(b, "; "...)
		}
		b = append(b, s.Name+": "+s.Start.String()+"->"...)
		if s.Outcome == Running {
			b = append(b, "(not finished)"...)
		} else {
			b = append(b, s.End.String()+" "+s.Outcome.String()...)
		}
	}
	if tl.Returned {
		if len(b) > 0 {
			b = append(b, "; "...)
		}
		b = append(b, "return at "+tl.ReturnAt.String()...)
	}
	return string(b)
}

// sortedSpans returns a sorted copy of spans: by start, name, end, outcome. Spans that sort
// equal are identical, so the order they were recorded in never shows.
func sortedSpans(spans []Span) []Span {
	s := slices.Clone(spans)
	slices.SortStableFunc(s, compareSpans)
	return s
}

func compareSpans(a, b Span) int {
	return cmp.Or(cmp.Compare(a.Start, b.Start), cmp.Compare(a.Name, b.Name),
		cmp.Compare(a.End, b.End), cmp.Compare(a.Outcome, b.Outcome))
}

// Recorder notes when tasks start and end, and when the call under test returns, in the time
// of the goroutine that notes it: inside a katatest.Bubble that is fake time, so every
// instant is exact. It is safe for concurrent use and starts no goroutines.
//
// A nil *Recorder records nothing, and so do the nil *Task values it returns: code that
// notes events through [FromWriter] or [FromContext] costs nothing when no test is
// listening.
type Recorder struct {
	origin time.Time

	mu       sync.Mutex
	spans    []Span
	returned bool
	returnAt time.Duration
}

// New returns a Recorder whose time 0 is now: create it just before the call under test.
func New() *Recorder { return &Recorder{origin: time.Now()} }

// Task is one task's entry in a Recorder: end it once with [Task.Done], [Task.Fail],
// [Task.Cancel] or [Task.End]. Only the first end counts. A nil *Task ignores every call.
type Task struct {
	r *Recorder
	i int
}

// Start notes that the task name starts now, and returns its entry. Several tasks may have
// the same name.
func (r *Recorder) Start(name string) *Task {
	if r == nil {
		return nil
	}
	now := time.Since(r.origin)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.spans = append(r.spans, Span{Name: name, Start: now, Outcome: Running})
	return &Task{r: r, i: len(r.spans) - 1}
}

// Mark notes an instant event now, such as the learner's code handling a finished task
// ("handle b1"): a span of no length, drawn as one mark at that instant, so a handler called
// late shows beside the task it handles:
//
//	handle := func(t *task.Task[string]) { v, _ := t.Result(); rec.Mark("handle " + v) }
func (r *Recorder) Mark(name string) { r.Start(name).Done() }

// Done notes that the task finished its work now.
func (t *Task) Done() { t.end(Done) }

// Fail notes that the task ended now with an error of its own.
func (t *Task) Fail() { t.end(Failed) }

// Cancel notes that the task stopped now because its context ended.
func (t *Task) Cancel() { t.end(Cancelled) }

// End notes that the task ended now with err: Done for nil, Cancelled for an error that is
// [context.Canceled] or [context.DeadlineExceeded], Failed for any other.
func (t *Task) End(err error) {
	switch {
	case err == nil:
		t.Done()
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		t.Cancel()
	default:
		t.Fail()
	}
}

func (t *Task) end(o Outcome) {
	if t == nil {
		return
	}
	now := time.Since(t.r.origin)
	t.r.mu.Lock()
	defer t.r.mu.Unlock()
	if s := &t.r.spans[t.i]; s.Outcome == Running {
		s.End, s.Outcome = now, o
	}
}

// Wrap returns task with its runs noted in r under name: each call starts an entry and
// ends it with [Task.End] of the error task returns (so a task that returns its context's
// error is Cancelled). It suits the tasks tests hand to learner code, such as
// tasktest.Probe's or part 2's steps: tasks[i] = timeline.Wrap(rec, "b1", tasks[i]). With
// a nil r it returns task itself.
func Wrap[T any](r *Recorder, name string, task func(context.Context) (T, error)) func(context.Context) (T, error) {
	if r == nil {
		return task
	}
	return func(ctx context.Context) (T, error) {
		entry := r.Start(name)
		v, err := task(ctx)
		entry.End(err)
		return v, err
	}
}

// Returned notes that the call under test returned now: call it on the line after the call.
// Only the first call counts.
func (r *Recorder) Returned() {
	if r == nil {
		return
	}
	now := time.Since(r.origin)
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.returned {
		r.returned, r.returnAt = true, now
	}
}

// Timeline returns what has been recorded so far, spans sorted by start time and then name.
// A task that has not ended is Running, with End set to now.
func (r *Recorder) Timeline() Timeline {
	if r == nil {
		return Timeline{}
	}
	now := time.Since(r.origin)
	r.mu.Lock()
	defer r.mu.Unlock()
	spans := slices.Clone(r.spans)
	for i := range spans {
		if spans[i].Outcome == Running {
			spans[i].End = now
		}
	}
	return Timeline{Spans: sortedSpans(spans), Returned: r.returned, ReturnAt: r.returnAt}
}

// Diff draws what was recorded above want, on one time axis, for a failure message: the
// style follows the environment (see [StyleFromEnv]).
func (r *Recorder) Diff(want *Timeline) string {
	return Diff(r.Timeline(), *want, StyleFromEnv())
}

// recorderWriter is an io.Writer that carries a Recorder.
type recorderWriter struct {
	w io.Writer
	r *Recorder
}

func (w *recorderWriter) Write(p []byte) (int, error) { return w.w.Write(p) }

// Writer returns an io.Writer that writes to w and carries r, for code under test that takes
// only a writer: the given code finds r again with [FromWriter]. It is as safe for
// concurrent use as w is.
func (r *Recorder) Writer(w io.Writer) io.Writer { return &recorderWriter{w: w, r: r} }

// FromWriter returns the Recorder w carries, or nil when w was not made by [Recorder.Writer].
func FromWriter(w io.Writer) *Recorder {
	if c, ok := w.(*recorderWriter); ok {
		return c.r
	}
	return nil
}

type ctxKey struct{}

// NewContext returns a copy of ctx that carries r, for code under test that takes a context:
// the given code finds r again with [FromContext].
func NewContext(ctx context.Context, r *Recorder) context.Context {
	return context.WithValue(ctx, ctxKey{}, r)
}

// FromContext returns the Recorder ctx carries, or nil.
func FromContext(ctx context.Context) *Recorder {
	r, _ := ctx.Value(ctxKey{}).(*Recorder)
	return r
}

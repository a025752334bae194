package busboard_test

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-async-katas/katas/internal/gotrace"
	"github.com/go-async-katas/katas/internal/katatest"
	"github.com/go-async-katas/katas/internal/timeline"
	busboard "github.com/go-async-katas/katas/part3_busboard"
	"github.com/go-async-katas/katas/part3_busboard/api"
)

// typed returns the lines a person typed, then the end of input (Ctrl-D).
func typed(lines ...string) <-chan string {
	ch := make(chan string, len(lines)) // holds the whole script, like a pipe holding what was typed
	for _, l := range lines {
		ch <- l
	}
	close(ch)
	return ch
}

// fakeBoards answers lookups from a table: the boards for a postcode, or its error. Unknown
// postcodes are api.ErrPostcodeNotFound. It records what it was asked, under a lock: a Run
// that wrongly looks up on a goroutine of its own, and abandons it, must meet the test's
// own message, not a data race in the test's bookkeeping.
type fakeBoards struct {
	boards map[string][]api.Board
	errs   map[string]error
	mu     sync.Mutex
	asked  []string
}

// lookups returns the postcodes looked up so far.
func (f *fakeBoards) lookups() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.asked)
}

// note records that postcode was looked up.
func (f *fakeBoards) note(postcode string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.asked = append(f.asked, postcode)
}

func (f *fakeBoards) lookup(ctx context.Context, postcode string) ([]api.Board, error) {
	f.note(postcode)
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("lookup %q: %w", postcode, err)
	}
	if err, ok := f.errs[postcode]; ok {
		return nil, err
	}
	if b, ok := f.boards[postcode]; ok {
		return b, nil
	}
	return nil, statusErr(api.ServicePostcodes, 404, api.ErrPostcodeNotFound)
}

// printed returns what api.Print writes for boards.
func printed(boards []api.Board) string {
	var b strings.Builder
	_ = api.Print(&b, boards)
	return b.String()
}

// screen records what Run prints. Run starts no goroutines, so it writes on the test's own
// goroutine, and screen can stop a Run that loops for ever (reading a closed channel without
// its ok) with a failure instead of letting it hang the whole test run.
type screen struct {
	t *testing.T
	b strings.Builder
}

// maxPrompts is more prompts than any test types lines for.
const maxPrompts = 20

func (s *screen) Write(p []byte) (int, error) {
	n, err := s.b.Write(p)
	if strings.Count(s.b.String(), api.Prompt) > maxPrompts {
		s.t.Fatalf("Run prompted more than %d times for a handful of typed lines, and would go on for ever.\n"+
			"A receive from a closed channel returns at once, with \"\": take each line with line, ok := <-lines\n"+
			"and return when ok is false (the end of input, Ctrl-D)", maxPrompts)
	}
	return n, err
}

func (s *screen) String() string { return s.b.String() }

// checkOutput compares a whole console session. A short one is shown in full; a long one
// from a little before the first line that differs, so the mistake is not lost in the boards.
func checkOutput(t *testing.T, call, got, want, hint string) {
	t.Helper()
	if got == want {
		return
	}
	gotLines, wantLines := strings.SplitAfter(got, "\n"), strings.SplitAfter(want, "\n")
	i := 0
	for i < len(gotLines) && i < len(wantLines) && gotLines[i] == wantLines[i] {
		i++
	}
	if hintMsg := problemHint(gotLines, wantLines, i); hintMsg != "" {
		hint = hintMsg + "\n" + hint
	}
	if max(len(gotLines), len(wantLines)) <= 8 {
		t.Errorf("%s printed\n%s\nwant\n%s\n%s", call, indent(got), indent(want), hint)
		return
	}
	from := max(i-2, 0)
	excerpt := func(lines []string) string {
		s := strings.Join(lines[min(from, len(lines)):min(i+3, len(lines))], "")
		if from > 0 {
			s = "...\n" + s
		}
		if i+3 < len(lines) {
			s += "..."
		}
		return indent(s)
	}
	t.Errorf("%s printed, differing from line %d of the session on,\n%s\nwant\n%s\n%s",
		call, i+1, excerpt(gotLines), excerpt(wantLines), hint)
}

// problemHint says, when the sessions part at line i on two problems' messages, that
// Classify took one problem for the other.
func problemHint(got, want []string, i int) string {
	if i >= len(got) || i >= len(want) {
		return ""
	}
	problemIn := func(line string) (api.Problem, bool) {
		for _, p := range api.Problems {
			if strings.HasSuffix(line, p.Message()+"\n") || strings.HasSuffix(line, p.Explain(exampleErrs[p])+"\n") {
				return p, true
			}
		}
		return 0, false
	}
	g, gok := problemIn(got[i])
	w, wok := problemIn(want[i])
	if !gok || !wok {
		return ""
	}
	return fmt.Sprintf("Run printed the message of %v where the lookup failed with %v: Classify took one for the other (see TestClassify).", g, w)
}

func indent(s string) string {
	if s == "" {
		return "\t(nothing)"
	}
	return "\t" + strings.ReplaceAll(strings.TrimSuffix(s, "\n"), "\n", "\n\t")
}

func TestRun(t *testing.T) {
	f := &fakeBoards{
		boards: map[string][]api.Board{"SW1Y 4QU": wantHaymarket},
		errs: map[string]error{
			"nowhere": fmt.Errorf("%q: %w", "nowhere", api.ErrInvalidPostcode),
			"AB1 0AA": statusErr(api.ServicePostcodes, 404, &api.TerminatedError{Postcode: "AB1 0AA", Year: 1996, Month: 6}),
		},
	}
	out := &screen{t: t}
	err := busboard.Run(t.Context(), typed("SW1Y 4QU", "nowhere", "AB1 0AA", "SW1Y 4QU"), out, f.lookup)

	if err != nil {
		t.Errorf("Run(ctx, 4 lines then end of input, ...) = %v, want nil: the end of input ends Run cleanly", err)
	}
	want := api.Prompt + printed(wantHaymarket) +
		api.Prompt + api.InvalidPostcode.Explain(f.errs["nowhere"]) + "\n" +
		api.Prompt + api.TerminatedPostcode.Explain(f.errs["AB1 0AA"]) + "\n" +
		api.Prompt + printed(wantHaymarket) +
		api.Prompt + "\n"
	checkOutput(t, "Run(ctx, lines SW1Y 4QU, nowhere, AB1 0AA, SW1Y 4QU, then end of input)", out.String(), want,
		"For each line: print api.Prompt, look the line up, print the boards (api.Print) or\n"+
			"Classify(err).Explain(err) on a line of its own, and prompt again; at the end of input print a newline.")
	if asked := f.lookups(); len(asked) != 4 {
		t.Errorf("Run looked up %q, want each of the 4 lines: a failed lookup must not stop the loop", asked)
	}
}

// exampleErrs holds, for each problem, an error of that class as the clients return it.
var exampleErrs = map[api.Problem]error{
	api.InvalidPostcode:    statusErr(api.ServicePostcodes, 404, api.ErrInvalidPostcode),
	api.UnknownPostcode:    statusErr(api.ServicePostcodes, 404, api.ErrPostcodeNotFound),
	api.TerminatedPostcode: statusErr(api.ServicePostcodes, 404, &api.TerminatedError{Postcode: "AB1 0AA"}),
	api.NoLocation:         fmt.Errorf("postcodes.io: GY1 1AA: %w", api.ErrNoLocation),
	api.NoStops:            fmt.Errorf("TfL: %w", api.ErrNoStops),
	api.StopNotFound:       statusErr(api.ServiceTfL, 404, api.ErrStopNotFound),
	api.RateLimited:        statusErr(api.ServiceTfL, 429, api.ErrRateLimited),
	api.ServerError:        statusErr(api.ServiceTfL, 500, api.ErrUpstream),
	api.BadResponse:        fmt.Errorf("TfL: %w", api.ErrMalformed),
	api.TimedOut:           fmt.Errorf("TfL: %w", &url.Error{Op: "Get", URL: "https://tfl.test", Err: context.DeadlineExceeded}),
	api.Cancelled:          fmt.Errorf("TfL: %w", context.Canceled),
	api.Unreachable:        fmt.Errorf("lookup: %w", &api.UnreachableError{Service: api.ServicePostcodes, Err: errors.New("connection refused")}),
	api.OtherProblem:       errors.New("disk on fire"),
}

// TestRunProblems checks that every class of failure gets its own message and that none
// stops the prompt loop.
func TestRunProblems(t *testing.T) {
	loopBroken := false // the same mistake in Run would fail every case alike: report it once
	for _, p := range api.Problems {
		t.Run(p.String(), func(t *testing.T) {
			if loopBroken {
				t.Skip("Run's prompt loop is broken (see the first failing case): fix that first")
			}
			give := exampleErrs[p]
			f := &fakeBoards{errs: map[string]error{"N9 0AB": give}}
			out := &screen{t: t}
			defer func() {
				// A session that is not "prompt, one line, prompt, newline" is Run's
				// loop going wrong, not Classify.
				got := out.String()
				if t.Failed() && (!strings.HasPrefix(got, api.Prompt) || !strings.HasSuffix(got, "\n"+api.Prompt+"\n") ||
					strings.Count(got, api.Prompt) != 2) {
					loopBroken = true
				}
			}()
			err := busboard.Run(t.Context(), typed("N9 0AB"), out, f.lookup)

			if err != nil {
				t.Errorf("Run(ctx, N9 0AB then end of input, ...) = %v, want nil: a failed lookup is not a failure of Run", err)
			}
			checkOutput(t, fmt.Sprintf("Run(ctx, N9 0AB then end of input, ...) when the lookup fails with %q", give),
				out.String(), api.Prompt+p.Explain(give)+"\n"+api.Prompt+"\n",
				fmt.Sprintf("print what the problem Classify finds (%v) says of the error, Classify(err).Explain(err), then prompt again", p))
		})
	}
}

func TestRunEndOfInput(t *testing.T) {
	var f fakeBoards
	out := &screen{t: t}
	err := busboard.Run(t.Context(), typed(), out, f.lookup)
	if err != nil {
		t.Errorf("Run(ctx, no lines, ...) = %v, want nil: the end of input (Ctrl-D) ends Run cleanly", err)
	}
	checkOutput(t, "Run(ctx, no lines, ...)", out.String(), api.Prompt+"\n", "prompt once, then end the line the prompt is on")
	if asked := f.lookups(); len(asked) > 0 {
		t.Errorf("Run(ctx, no lines, ...) looked up %q, want nothing: a closed channel gives no more lines", asked)
	}
}

// TestRunInterrupt checks that Ctrl-C (ctx ending) ends Run at once, whatever it is doing.
func TestRunInterrupt(t *testing.T) {
	t.Run("waiting for a line", func(t *testing.T) {
		katatest.Bubble(t, func(t *testing.T) {
			ctx, cancel := context.WithCancel(t.Context())
			time.AfterFunc(3*time.Second, cancel) // Ctrl-C at the prompt
			lines := make(chan string)            // the person types nothing
			var f fakeBoards
			var out katatest.Output

			done := make(chan error, 1) // Run may never return: don't block its goroutine too
			go func() { done <- busboard.Run(ctx, lines, &out, f.lookup) }()
			start := time.Now()
			select {
			case err := <-done:
				if !errors.Is(err, context.Canceled) {
					t.Errorf("Run(ctx cancelled at 3s, no input, ...) = %v, want context.Canceled: return ctx.Err() when ctx ends", err)
				}
				runElapsed(t, start, "Ctrl-C", 3*time.Second, nil, "Run should return as soon as ctx is cancelled")
			case <-time.After(time.Hour):
				t.Errorf("Run(ctx cancelled at 3s, no input, ...) was still waiting for a line an hour later:\n" +
					"while waiting for a line, also watch ctx.Done() (select on both)")
				close(lines) // let it finish
				<-done
			}
		})
	})
	t.Run("during a lookup", func(t *testing.T) {
		katatest.Bubble(t, func(t *testing.T) {
			ctx, cancel := context.WithCancel(t.Context())
			time.AfterFunc(3*time.Second, cancel) // Ctrl-C while the lookup runs
			f := &fakeBoards{}
			rec := timeline.New()
			slow := func(ctx context.Context, postcode string) ([]api.Board, error) {
				f.note(postcode)
				lookup := rec.Start("lookup " + postcode)
				select {
				case <-ctx.Done():
					lookup.Cancel()
					return nil, fmt.Errorf("TfL: %w", ctx.Err())
				case <-time.After(time.Minute):
					lookup.Done()
					return wantHaymarket, nil
				}
			}
			out := &screen{t: t}
			start := time.Now()
			err := busboard.Run(ctx, typed("SW1Y 4QU", "N9 0AB"), out, slow)

			call := "Run(ctx cancelled at 3s, lines SW1Y 4QU, N9 0AB, ...) with lookups that take a minute"
			if !errors.Is(err, context.Canceled) {
				t.Errorf("%s = %v, want context.Canceled: after a lookup, check ctx.Err() and return it", call, err)
			}
			if asked := f.lookups(); len(asked) != 1 {
				t.Errorf("%s looked up %q, want only the first: Run went on after its context was cancelled (Ctrl-C).\n"+
					"When a lookup returns, check ctx.Err() before prompting again", call, asked)
			}
			checkOutput(t, call, out.String(), api.Prompt,
				"after Ctrl-C, print nothing more: when a lookup returns, check ctx.Err() first and return it.\n"+
					"A lookup cut short by Ctrl-C is not a problem to report, and there is no next prompt (main says goodbye)")
			runElapsed(t, start, "Ctrl-C", 3*time.Second, rec,
				"pass ctx to boards, so Ctrl-C abandons the lookup in flight",
				timeline.Span{Name: "lookup SW1Y 4QU", End: 3 * time.Second, Outcome: timeline.Cancelled})
		})
	})
}

// errDisk is the error a broken terminal's writes fail with.
var errDisk = errors.New("write /dev/tty: input/output error")

// brokenScreen is an out whose writes fail from the first one that contains failOn on,
// and that counts the writes tried after that.
type brokenScreen struct {
	failOn string
	failed bool
	after  int // writes tried after the first failure
	b      strings.Builder
}

func (s *brokenScreen) Write(p []byte) (int, error) {
	if s.failed {
		s.after++
		return 0, errDisk
	}
	if strings.Contains(string(p), s.failOn) {
		s.failed = true
		return 0, errDisk
	}
	return s.b.Write(p)
}

// TestRunWriteFails checks that Run returns the first error writing to out, at once: the
// terminal is gone, so there is no one to prompt or look anything up for.
func TestRunWriteFails(t *testing.T) {
	tests := []struct {
		name      string
		giveLines []string
		giveFail  string // the text whose write fails
		wantAsked int
	}{
		{"prompt", []string{"SW1Y 4QU"}, api.Prompt, 0},
		{"boards", []string{"SW1Y 4QU", "SW1Y 4QU"}, "Departure board", 1},
		{"problem", []string{"nowhere", "SW1Y 4QU"}, api.InvalidPostcode.Explain(nil), 1},
		{"newline at the end", nil, "\n", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &fakeBoards{
				boards: map[string][]api.Board{"SW1Y 4QU": wantHaymarket},
				errs:   map[string]error{"nowhere": fmt.Errorf("%q: %w", "nowhere", api.ErrInvalidPostcode)},
			}
			out := &brokenScreen{failOn: tt.giveFail}
			call := fmt.Sprintf("Run(ctx, lines %q then end of input, out whose write of %q fails, ...)", tt.giveLines, tt.giveFail)
			err := busboard.Run(t.Context(), typed(tt.giveLines...), out, f.lookup)

			if !errors.Is(err, errDisk) {
				t.Errorf("%s = %v, want the write's error (%v): return the first error writing to out, "+
					"from fmt.Fprint, fmt.Fprintln and api.Print alike", call, err, errDisk)
			}
			if out.after > 0 {
				t.Errorf("%s wrote %d more times after the first write failed: return as soon as a write fails", call, out.after)
			}
			if asked := f.lookups(); len(asked) != tt.wantAsked {
				t.Errorf("%s looked up %q, want %d lookups: stop at the first failed write", call, asked, tt.wantAsked)
			}
		})
	}
}

// TestRunOnCallersGoroutine checks that Run looks lines up and writes on the goroutine that
// called it: it starts no goroutines.
func TestRunOnCallersGoroutine(t *testing.T) {
	me := gotrace.Self().ID
	var (
		mu              sync.Mutex // Run may, wrongly, look up or write on another goroutine
		lookups, writes []int64
	)
	boards := func(ctx context.Context, postcode string) ([]api.Board, error) {
		mu.Lock()
		defer mu.Unlock()
		lookups = append(lookups, gotrace.Self().ID)
		return wantHaymarket, nil
	}
	sc := &screen{t: t} // stops a Run that prompts for ever
	out := writerFunc(func(p []byte) (int, error) {
		id := gotrace.Self().ID
		mu.Lock()
		writes = append(writes, id)
		mu.Unlock()
		if id != me {
			return len(p), nil // not the test's goroutine: screen could not stop the test from here
		}
		return sc.Write(p)
	})
	err := busboard.Run(t.Context(), typed("SW1Y 4QU", "N9 0AB"), out, boards)
	if err != nil {
		t.Fatalf("Run(ctx, 2 lines then end of input, ...) = %v, want nil", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(lookups) != 2 {
		t.Fatalf("Run(ctx, 2 lines then end of input, ...) made %d lookups, want 2", len(lookups))
	}
	for _, ids := range [][]int64{lookups, writes} {
		for _, id := range ids {
			if id != me {
				t.Fatalf("Run(ctx, 2 lines then end of input, ...) looked up or wrote on another goroutine: " +
					"Run starts no goroutines. Call boards and write to out from Run itself; " +
					"boards gets ctx, so Ctrl-C still cuts a lookup short")
			}
		}
	}
}

// writerFunc is an io.Writer made of a function.
type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// TestRunContextEnds ends ctx, while Run waits for a line, in each way a context ends: Run
// returns ctx.Err() (not the cause given to cancel) at once.
func TestRunContextEnds(t *testing.T) {
	for _, end := range endings {
		t.Run(end, func(t *testing.T) {
			katatest.Bubble(t, func(t *testing.T) {
				ctx, wantErr := endingAt(t, end, 3*time.Second)
				lines := make(chan string) // the person types nothing
				var f fakeBoards
				out := &screen{t: t}
				call := fmt.Sprintf("Run(ctx ending at 3s (%s), no input, ...)", end)
				start := time.Now()
				err := busboard.Run(ctx, lines, out, f.lookup)
				checkCtxErr(t, call, "Run", err, wantErr, "return ctx.Err() when ctx ends")
				checkOutput(t, call, out.String(), api.Prompt, "prompt once; when ctx ends, print nothing more")
				runElapsed(t, start, "ctx ends", 3*time.Second, nil, "Run should return as soon as ctx ends")
			})
		})
	}
}

// runElapsed checks, as katatest.Elapsed does, that Run, called at start, returned when ctx
// ended at ctxEnd. When it did not, the message ends with what Run did, the lookups noted in
// rec (nil: none) and the instant ctx ended (named event), above what the kata wants: the
// lookups in want, and Run returning as ctx ends.
func runElapsed(t *testing.T, start time.Time, event string, ctxEnd time.Duration, rec *timeline.Recorder, hint string, want ...timeline.Span) {
	t.Helper()
	took := time.Since(start)
	if took == ctxEnd {
		return
	}
	got := rec.Timeline()
	got.Spans = append(got.Spans, timeline.Span{Name: event, Start: ctxEnd, End: ctxEnd, Outcome: timeline.Done})
	got.Returned, got.ReturnAt = true, took
	wanted := timeline.Want()
	for _, s := range want {
		wanted.Task(s.Name, s.Start, s.End, s.Outcome)
	}
	t.Errorf("took %v of fake time, want %v: %s\n\n%s", took, ctxEnd, hint,
		timeline.Diff(got, *wanted.Mark(event, ctxEnd).Return(ctxEnd), timeline.StyleFromEnv()))
}

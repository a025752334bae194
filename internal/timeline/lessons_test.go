package timeline_test

import (
	"bytes"
	"cmp"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/go-async-katas/katas/advanced/wait/task"
	"github.com/go-async-katas/katas/ex25_prodcons/kit"
	"github.com/go-async-katas/katas/internal/katatest"
	"github.com/go-async-katas/katas/internal/timeline"
	"github.com/go-async-katas/katas/part1_concurrency/loader"
	"github.com/go-async-katas/katas/part2_errors/steps"
	"github.com/go-async-katas/katas/solutions/advanced/ascompleted"
	"github.com/go-async-katas/katas/solutions/advanced/gather"
	"github.com/go-async-katas/katas/solutions/advanced/wait"
	prodcons "github.com/go-async-katas/katas/solutions/ex25_prodcons"
	part1 "github.com/go-async-katas/katas/solutions/part1_concurrency"
	part2 "github.com/go-async-katas/katas/solutions/part2_errors"
)

var update = flag.Bool("update", false, "rewrite the timeline blocks of the lessons' README files")

// A lesson is a timeline block in a lesson's README.md, between "<!-- timeline:NAME -->" and
// "<!-- /timeline -->". The block is generated: a sentence, then the drawing.
type lesson struct {
	name   string // NAME in the markers
	readme string // the README's path from the module root
	lead   string // the sentence above the drawing
	blocks func(t *testing.T) []timeline.Block
}

var lessons = []lesson{
	{
		name:   "part1",
		readme: "part1_concurrency/README.md",
		lead: "The seed's two ways of running the tasks, and the Go code that does the same, drawn from\n" +
			"runs of `loader.SumSequential` and of the solution's `SumConcurrent(w, 1s, 2s)` in fake time:",
		blocks: part1Lesson,
	},
	{
		name:   "part2-gather",
		readme: "part2_errors/README.md",
		lead: "Both steps failing, `p1` at 0.5 s and `p2` at 1 s, in fake time: Python's `gather` raises\n" +
			"`p1`'s exception and leaves `p2` running; `GatherFirst` cancels `p2` and waits for it;\n" +
			"`GatherAll` waits for both (the Go rows are runs of the solutions):",
		blocks: part2Lesson,
	},
	{
		name:   "gather",
		readme: "advanced/gather/README.md",
		lead:   "The seed's tasks `a` (3 s), `b1` and `b2` (1 s each), in fake time (the Go rows are a run of\nthe solution):",
		blocks: gatherLesson,
	},
	{
		name:   "ascompleted",
		readme: "advanced/ascompleted/README.md",
		lead: "The seed's tasks `a` (3 s), `b1` and `b2` (1 s each), and when the loop gets each result,\n" +
			"in fake time (`b1` and `b2` finish together and may come in either order; the Go rows are\n" +
			"a run of the solution):",
		blocks: ascompletedLesson,
	},
	{
		name:   "wait-refill",
		readme: "advanced/wait/README.md",
		lead: "The seed's second loop and `Refill`, with `a`, `b1`, `b2` first and `b3`, `a`, `b4`, `b5` to\n" +
			"add (`a` takes 3 s, `b` 1 s), in fake time (the Go rows are a run of the solution):",
		blocks: refillLesson,
	},
	{
		name:   "ex25-await",
		readme: "ex25_prodcons/README.md",
		lead: "The task (3 s) and main's own work (1 s), with and without the wait, in fake time (the\n" +
			"first Go rows are a run of the solution):",
		blocks: ex25AwaitLesson,
	},
	{
		name:   "ex25-prodcons",
		readme: "ex25_prodcons/README.md",
		lead: "A small run of the solution's `Run`, drawn in fake time: two producers of two items each\n" +
			"and one consumer. An item \"waits\" from when it is made until the consumer takes it; on an\n" +
			"unbuffered channel its producer waits with it, and makes nothing meanwhile:",
		blocks: prodconsLesson,
	},
}

// ex25AwaitLesson runs the solution's StartAndWait; the stub, which leaves its task stuck,
// is declared.
func ex25AwaitLesson(t *testing.T) []timeline.Block {
	got := run(t, func(ctx context.Context, rec *timeline.Recorder) {
		_, _ = prodcons.StartAndWait(ctx, rec.Writer(io.Discard), 3*s, s)
	})
	same(t, "StartAndWait", got, timeline.Want().Done("task", 0, 3*s).Done("main", 0, s).Return(3*s))
	return []timeline.Block{
		{Title: "main awaits the task (Python); StartAndWait (Go)", Timeline: got},
		{Title: "the await removed (Python): asyncio.run cancels the task", Timeline: *timeline.Want().
			Task("task", 0, s, timeline.Cancelled).Done("main", 0, s).Return(s)},
		{Title: "the wait removed (Go, the stub): nobody stops or waits for the task", Timeline: *timeline.Want().
			Task("task", 0, s, timeline.Running).Done("main", 0, s).Return(s)},
	}
}

// prodconsConfig is the small run the ex25 lesson draws: two producers of two items each,
// and one consumer, so items wait for it. Its seed is one whose run has no two items ready
// for the consumer at one instant, so the drawing is the same every time (-race -count=50
// and -cpu 1,2,4,8 were tried).
var prodconsConfig = kit.Config{
	Producers: 2, Consumers: 1, MinItems: 2, MaxItems: 2, MaxPause: 2, MaxWork: 2,
	Unit: time.Second, ItemSize: 2, Seed: 15,
}

// prodconsLesson runs the solution's Run on prodconsConfig and draws, for each item, how
// long it waited to be handed over and when the consumer handled it.
func prodconsLesson(t *testing.T) []timeline.Block {
	return prodconsRun(t, prodconsConfig)
}

func prodconsRun(t *testing.T, config kit.Config) []timeline.Block {
	var tl timeline.Timeline
	katatest.Bubble(t, func(t *testing.T) {
		var mu sync.Mutex
		start := time.Now()
		cfg := config
		cfg.Report = func(e kit.Event) {
			if e.Kind != kit.Got {
				return
			}
			now := time.Since(start)
			item := fmt.Sprintf("p%d item %d", e.Item.Producer, e.Item.Seq)
			mu.Lock()
			defer mu.Unlock()
			if made := e.Item.Made.Sub(start); made < now { // an item taken at once did not wait
				tl.Spans = append(tl.Spans, timeline.Span{Name: item + " waits", Start: made, End: now, Outcome: timeline.Done})
			}
			tl.Spans = append(tl.Spans, timeline.Span{Name: item + " work", Start: now, End: now + e.Item.Work, Outcome: timeline.Done})
		}
		if _, err := prodcons.Run(t.Context(), cfg); err != nil {
			t.Fatalf("Run(%+v): %v", cfg, err)
		}
		tl.Returned, tl.ReturnAt = true, time.Since(start)
	})
	slices.SortFunc(tl.Spans, func(a, b timeline.Span) int { return cmp.Compare(a.Name, b.Name) })
	return []timeline.Block{{Title: "Run with two producers and one consumer (Go)", Timeline: tl}}
}

// part2Lesson runs the solutions' GatherFirst and GatherAll with both steps failing.
func part2Lesson(t *testing.T) []timeline.Block {
	step := func(rec *timeline.Recorder, st steps.Step) steps.Step {
		return steps.Step{Name: st.Name, Run: timeline.Wrap(rec, st.Name, st.Run)}
	}
	first := run(t, func(ctx context.Context, rec *timeline.Recorder) {
		_, _, _ = part2.GatherFirst(ctx, step(rec, steps.P1(steps.Fail)), step(rec, steps.P2(steps.Fail)))
	})
	all := run(t, func(ctx context.Context, rec *timeline.Recorder) {
		_, _, _ = part2.GatherAll(ctx, step(rec, steps.P1(steps.Fail)), step(rec, steps.P2(steps.Fail)))
	})
	same(t, "GatherFirst", first, timeline.Want().
		Task("p1", 0, 500*ms, timeline.Failed).Task("p2", 0, 500*ms, timeline.Cancelled).Return(500*ms))
	same(t, "GatherAll", all, timeline.Want().
		Task("p1", 0, 500*ms, timeline.Failed).Task("p2", 0, s, timeline.Failed).Return(s))
	return []timeline.Block{
		{Title: "asyncio.gather(p1(), p2()) (Python)", Timeline: *timeline.Want().
			Task("p1", 0, 500*ms, timeline.Failed).Task("p2", 0, s, timeline.Failed).Return(500 * ms)},
		{Title: "GatherFirst(ctx, p1, p2) (Go)", Timeline: first},
		{Title: "gather(..., return_exceptions=True) (Python), GatherAll (Go)", Timeline: all},
	}
}

// seedTasks returns seed 003's a (3s), b1 and b2 (1s each), noted in rec.
func seedTasks(rec *timeline.Recorder) []func(context.Context) (string, error) {
	return []func(context.Context) (string, error){
		timeline.Wrap(rec, "a", task.Sleep(3*s, "a")),
		timeline.Wrap(rec, "b1", task.Sleep(s, "b1")),
		timeline.Wrap(rec, "b2", task.Sleep(s, "b2")),
	}
}

// gatherLesson runs the solution's Gather on seed 003's tasks.
func gatherLesson(t *testing.T) []timeline.Block {
	got := run(t, func(ctx context.Context, rec *timeline.Recorder) { _, _ = gather.Gather(ctx, seedTasks(rec)...) })
	same(t, "Gather", got, timeline.Want().Done("a", 0, 3*s).Done("b1", 0, s).Done("b2", 0, s).Return(3*s))
	return []timeline.Block{
		{Title: "awaited one after another (the seed's first main)", Timeline: *timeline.Want().
			Done("a", 0, 3*s).Done("b1", 3*s, 4*s).Done("b2", 4*s, 5*s).Return(5 * s)},
		{Title: "scheduled first, or gather (Python); Gather (Go)", Timeline: got},
	}
}

// ascompletedLesson runs a loop over the solution's AsCompleted on seed 003's tasks, noting
// when the loop gets each result.
func ascompletedLesson(t *testing.T) []timeline.Block {
	got := run(t, func(ctx context.Context, rec *timeline.Recorder) {
		for v := range ascompleted.AsCompleted(ctx, seedTasks(rec)...) {
			rec.Start("loop gets " + v).Done()
		}
	})
	tasks := func() *timeline.Timeline {
		return timeline.Want().Done("a", 0, 3*s).Done("b1", 0, s).Done("b2", 0, s)
	}
	same(t, "AsCompleted", got, tasks().
		Done("loop gets a", 3*s, 3*s).Done("loop gets b1", s, s).Done("loop gets b2", s, s).Return(3*s))
	return []timeline.Block{
		{Title: "awaited in the order listed: a holds up the line (Python)", Timeline: *tasks().
			Done("loop gets a", 3*s, 3*s).Done("loop gets b1", 3*s, 3*s).Done("loop gets b2", 3*s, 3*s).Return(3 * s)},
		{Title: "as_completed (Python); AsCompleted (Go)", Timeline: got},
	}
}

// refillLesson runs the solution's Refill on the seed's second loop's tasks.
func refillLesson(t *testing.T) []timeline.Block {
	got := run(t, func(ctx context.Context, rec *timeline.Recorder) {
		work := func(name string, d time.Duration) task.Func[string] {
			return timeline.Wrap(rec, name, task.Sleep(d, name))
		}
		first := []task.Func[string]{work("a", 3*s), work("b1", s), work("b2", s)}
		more := []task.Func[string]{work("b3", s), work("a (2nd)", 3*s), work("b4", s), work("b5", s)}
		_, _ = wait.Refill(ctx, first, more)
	})
	same(t, "Refill", got, timeline.Want().
		Done("a", 0, 3*s).Done("b1", 0, s).Done("b2", 0, s).Done("b3", s, 2*s).
		Done("a (2nd)", s, 4*s).Done("b4", 2*s, 3*s).Done("b5", 3*s, 4*s).Return(4*s))
	return []timeline.Block{
		{Title: "one new task per wait (Python): b1 and b2 end together, only b3 starts", Timeline: *timeline.Want().
			Done("a", 0, 3*s).Done("b1", 0, s).Done("b2", 0, s).Done("b3", s, 2*s).
			Done("a (2nd)", 2*s, 5*s).Done("b4", 3*s, 4*s).Done("b5", 4*s, 5*s).Return(5 * s)},
		{Title: "one new task per finished task: Refill (Go)", Timeline: got},
	}
}

// run runs call in a bubble with a recorder, notes its return, and returns what the
// recorder saw.
func run(t *testing.T, call func(ctx context.Context, rec *timeline.Recorder)) timeline.Timeline {
	t.Helper()
	var tl timeline.Timeline
	katatest.Bubble(t, func(t *testing.T) {
		rec := timeline.New()
		call(t.Context(), rec)
		rec.Returned()
		tl = rec.Timeline()
	})
	return tl
}

// part1Lesson runs the given sequential sum and the solution's concurrent one, and checks
// that each does what the seed's Python does.
func part1Lesson(t *testing.T) []timeline.Block {
	seq := record(t, func(w io.Writer) { loader.SumSequential(w, time.Second, 2*time.Second) })
	conc := record(t, func(w io.Writer) { part1.SumConcurrent(w, time.Second, 2*time.Second) })
	awaited := timeline.Want().Done("load 4", 0, time.Second).Done("load 8", time.Second, 3*time.Second).Return(3 * time.Second)
	tasks := timeline.Want().Done("load 4", 0, time.Second).Done("load 8", 0, 2*time.Second).Return(2 * time.Second)
	same(t, "loader.SumSequential", seq, awaited)
	same(t, "SumConcurrent", conc, tasks)
	return []timeline.Block{
		{Title: "await p1, then await p2 (Python); loader.SumSequential (Go)", Timeline: seq},
		{Title: "create_task both, then await (Python); SumConcurrent (Go)", Timeline: conc},
	}
}

// record runs call in a bubble with a recorder carried by its writer, and returns what the
// recorder saw.
func record(t *testing.T, call func(w io.Writer)) timeline.Timeline {
	t.Helper()
	var tl timeline.Timeline
	katatest.Bubble(t, func(t *testing.T) {
		rec := timeline.New()
		call(rec.Writer(io.Discard))
		rec.Returned()
		tl = rec.Timeline()
	})
	return tl
}

// same checks that the Go code drew what the seed's Python does.
func same(t *testing.T, what string, got timeline.Timeline, want *timeline.Timeline) {
	t.Helper()
	if !got.Equal(*want) {
		t.Errorf("%s no longer does what the seed does:\n%s", what, timeline.Diff(got, *want, timeline.Style{}))
	}
}

// TestLessons checks that every lesson's timeline block is what its scenario draws now; with
// -update it rewrites the blocks that differ.
func TestLessons(t *testing.T) {
	for _, l := range lessons {
		t.Run(l.name, func(t *testing.T) {
			path := filepath.Join("..", "..", filepath.FromSlash(l.readme))
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			open, end := []byte("<!-- timeline:"+l.name+" -->\n"), []byte("<!-- /timeline -->")
			i := bytes.Index(data, open)
			j := bytes.Index(data[max(i, 0):], end)
			if i < 0 || j < 0 {
				t.Fatalf("%s has no block %s...%s: put the two markers where the drawing goes, then run\n"+
					"go test ./internal/timeline -run Lessons -update", l.readme, open, end)
			}
			start, stop := i+len(open), i+j
			want := "\n" + l.lead + "\n\n```text\n" + timeline.Render(timeline.Style{}, l.blocks(t)...) + "```\n\n"
			if string(data[start:stop]) == want {
				return
			}
			if !*update {
				t.Errorf("%s: the timeline:%s block is out of date; run go test ./internal/timeline -run Lessons -update\n"+
					"got:\n%s\nwant:\n%s", l.readme, l.name, data[start:stop], want)
				return
			}
			out := append(append(append([]byte(nil), data[:start]...), want...), data[stop:]...)
			if err := os.WriteFile(path, out, 0o644); err != nil {
				t.Fatal(err)
			}
			t.Logf("rewrote the timeline:%s block of %s", l.name, l.readme)
		})
	}
}

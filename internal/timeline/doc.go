// Package timeline shows learners what their code did in time: a [Recorder] notes, in the
// fake time of a katatest.Bubble, when each task the test handed to the learner's code
// started and how it ended, and when the learner's function returned; [Diff] draws that
// above the timeline the kata wants, on one time axis, for the failure message.
//
//	  fake time  0s        1s        2s        3s
//	your code (> marks a difference):
//	  load 4     ██████████                       done 1s
//	> load 8               ████████████████████   done 3s
//	> returned                                 ▲  at 3s
//	the kata wants:
//	  load 4     ██████████                       done 1s
//	  load 8     ████████████████████             done 2s
//	  returned                       ▲            at 2s
//
// Drawings are plain text at most [Width] columns wide, never coloured, and exact: the same
// events always draw the same lines, whatever order goroutines ran in at one fake instant.
// They use ASCII where the terminal may not show UTF-8 (see [StyleFromEnv]).
//
// # Using it in a kata's tests
//
// The pattern, as part1_concurrency's tests follow it, in three steps.
//
// First, the tasks the test hands to the learner's code note their own start and end. Given
// code finds the recorder through what the learner passes on anyway, so the learner's API
// does not change: an io.Writer made by [Recorder.Writer] (found with [FromWriter]) or a
// context made by [NewContext] (found with [FromContext]). A test task built in the test
// file can simply close over the recorder, and a task of the usual shape,
// func(context.Context) (T, error), is noted by wrapping it with [Wrap], and an instant (a
// callback handling a finished task) by [Recorder.Mark]. Without a recorder both
// FromWriter and FromContext return nil, and a nil *Recorder notes nothing, at no cost:
//
//	func Load(w io.Writer, delay time.Duration, n int) int {
//		if rec := timeline.FromWriter(w); rec != nil {
//			task := rec.Start(fmt.Sprintf("load %d", n))
//			defer task.Done() // task.End(err) when the task can fail or be cancelled
//		}
//		...
//	}
//
// Second, the test makes a recorder just before the call, inside the bubble, and notes the
// return on the next line. Then it lets any task the call left behind run out, so the
// drawing shows such a task finishing after the return rather than "not finished":
//
//	katatest.Bubble(t, func(t *testing.T) {
//		rec := timeline.New()
//		got := concurrency.SumConcurrent(rec.Writer(&out), time.Second, 2*time.Second)
//		rec.Returned()
//		took := rec.Timeline().ReturnAt
//		time.Sleep(time.Minute) // longer than any task of this test
//		...
//	})
//
// Third, it states what the kata wants with [Want], rows in the order they should be drawn,
// and appends the drawing to the message of a check about time, order or cancellation that
// fails: once per failing case, at the end of the message, so the words come first and name
// the fault.
//
//	want := timeline.Want().Done("load 4", 0, time.Second).Done("load 8", 0, 2*time.Second).Return(2 * time.Second)
//	if took != 2*time.Second {
//		t.Errorf("SumConcurrent(1s, 2s) took %v, want 2s: ...\n\n%s", took, rec.Diff(want))
//	}
//
// Checks can also read the recorded spans directly ([Recorder.Timeline]): which task ran
// when, whether a task was still running when the call returned, whether a sibling was
// cancelled. Name tasks as the message names them ("load 4", "p1", "stop 490G00"), short:
// labels are cut at 16 characters.
//
// Lessons draw the same way with [Render]: several titled timelines, one above the other, on
// one axis (a seed's Python timeline beside the Go one). The lesson blocks in README files
// are generated from the scenarios in this package's lessons_test.go: run
//
//	go test ./internal/timeline -run Lessons -update
//
// to rewrite every block between its "<!-- timeline:NAME -->" and "<!-- /timeline -->"
// markers after changing a scenario; without -update the test fails when a README drifts.
package timeline

package chain_test

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-async-katas/katas/advanced/chain"
	"github.com/go-async-katas/katas/advanced/chain/links"
	"github.com/go-async-katas/katas/internal/clock"
	"github.com/go-async-katas/katas/internal/katatest"
)

// TestMain fails the run if goroutines are left running after all tests passed.
func TestMain(m *testing.M) { katatest.Main(m) }

// runChain calls chain.Run(ctx, log, steps...) inside a bubble. If Run has not returned after
// an hour of fake time, far longer than any chain in these tests takes, it says why main is
// most likely still waiting (the bubble then reports the deadlock and where everyone is stuck).
func runChain(t *testing.T, call string, ctx context.Context, log *links.Log, steps ...links.Step) (int, error) {
	t.Helper()
	watchdog := time.AfterFunc(time.Hour, func() {
		t.Errorf("%s had not returned after an hour of fake time: main is still waiting on the one-shot event.\n"+
			"The callback that ends the chain must set it (close the channel): the last link's callback, and\n"+
			"the callback of a link that fails, which stores the *links.LinkError and starts nothing more", call)
	})
	defer watchdog.Stop()
	return chain.Run(ctx, log, steps...)
}

// explainCrash is the advice for a chain test's child process (katatest.Isolated) that failed:
// the chain's callbacks run on goroutines the code under test starts, so a panic there (the
// one-shot event closed twice) would otherwise end the whole test binary.
func explainCrash(c katatest.Child) string {
	if !strings.Contains(c.Output, "panic: close of closed channel") {
		return ""
	}
	return "The one-shot event was closed twice. Only the callback that ends the chain closes it: the last\n" +
		"link's, or the one of a link that failed; a callback that starts the next link leaves it open."
}

// link returns the step of link number i of a test chain: it records "task<i> got <in>",
// waits delay (giving up when ctx is done), records "task<i> returned <out>" and returns
// in*10 + i, so a chain of links 1, 2, 3 returns 123 only if each link got the one before's
// result.
func link(log *links.Log, i int, delay time.Duration) links.Step {
	return func(ctx context.Context, in int) (int, error) {
		log.Add("task%d got %d", i, in)
		if err := sleep(ctx, delay); err != nil {
			log.Add("task%d cancelled", i)
			return 0, err
		}
		out := in*10 + i
		log.Add("task%d returned %d", i, out)
		return out, nil
	}
}

// failingLink returns the step of link number i of a test chain that fails with err after
// delay: it records "task<i> got <in>" and "task<i> failed".
func failingLink(log *links.Log, i int, delay time.Duration, err error) links.Step {
	return func(ctx context.Context, in int) (int, error) {
		log.Add("task%d got %d", i, in)
		if err := sleep(ctx, delay); err != nil {
			log.Add("task%d cancelled", i)
			return 0, err
		}
		log.Add("task%d failed", i)
		return 0, err
	}
}

// sleep waits d of (fake) time, or until ctx is done and then returns its cause (on purpose:
// the tests check that a chain ends with what its step returned).
func sleep(ctx context.Context, d time.Duration) error {
	if clock.Sleep(ctx, d) != nil {
		return context.Cause(ctx)
	}
	return nil
}

// checkLog compares the events call recorded with the events wanted, and at the first
// difference says which idea the order points to.
func checkLog(t *testing.T, call string, got, want []string) {
	t.Helper()
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	if i == len(got) && i == len(want) {
		return
	}
	t.Errorf("%s recorded the events\n%s\nwant\n%s\nThey differ at event %d: %s",
		call, listing(got), listing(want), i+1, logHint(got, want, i))
}

// logHint explains the first difference, at index i, between the events got and wanted.
func logHint(got, want []string, i int) string {
	var gotEntry, wantEntry string
	if i < len(got) {
		gotEntry = got[i]
	}
	if i < len(want) {
		wantEntry = want[i]
	}
	gotName := firstWord(gotEntry)
	switch {
	case strings.HasPrefix(gotName, "callback") && countOf(got[:i], gotName) > 0:
		return fmt.Sprintf("%s ran a second time. Each callback must run exactly once: hand the waiting callbacks over once, under the lock.", gotName)
	case strings.HasPrefix(gotName, "callback") && strings.HasPrefix(wantEntry, "task"):
		return fmt.Sprintf("got %q before %q: the callbacks ran out of order. A callback runs only after its task's step has returned, with its result.", gotEntry, wantEntry)
	case strings.HasPrefix(gotName, "callback") && countOf(want, gotName) == 0:
		return fmt.Sprintf("%s should not have run at all.", gotName)
	case strings.HasPrefix(gotEntry, "main") && wantEntry != "":
		return fmt.Sprintf("main went on before %q: start link 1 (each later link from the callback of the one before),\nthen wait on the one-shot event until the callback that ends the chain sets it.", wantEntry)
	case strings.HasPrefix(wantEntry, "callback") && gotEntry == "":
		return fmt.Sprintf("%s had not run when it should have. A task runs its callbacks once its step has returned,\n"+
			"before Wait returns; in a chain, the callback of link i records \"callback<i>\" and starts link i+1.", firstWord(wantEntry))
	case strings.HasPrefix(wantEntry, "callback") && strings.HasPrefix(gotEntry, "callback"):
		return fmt.Sprintf("got %q where %q belongs: the callbacks ran out of order. Run them one after another, in the order they were added.", gotEntry, wantEntry)
	case strings.HasPrefix(wantEntry, "callback") && isNextLinkStart(gotEntry, wantEntry) && countOf(got[i:], wantEntry) > 0:
		n := strings.TrimPrefix(wantEntry, "callback")
		return fmt.Sprintf("got %q before %q: link %s's callback started the next link before it recorded %q,\n"+
			"and the new link's goroutine got there first (it does only now and then: this chain ran many times).\n"+
			"Record %q first, then start the next link, in the doc's order.",
			gotEntry, wantEntry, n, wantEntry, wantEntry)
	case strings.HasPrefix(wantEntry, "callback"):
		return fmt.Sprintf("got %q before %q: the callbacks ran out of order. A task's callbacks run after its step returns, and the next link starts from its callback, not before.", gotEntry, wantEntry)
	case strings.HasSuffix(wantEntry, " cancelled") && firstWord(gotEntry) == firstWord(wantEntry):
		return fmt.Sprintf("got %q: %s went on after ctx ended. Did its step get the ctx given to Run? Pass it to every Start.", gotEntry, firstWord(wantEntry))
	case strings.HasPrefix(gotEntry, "task") && strings.HasPrefix(wantEntry, "main"):
		return fmt.Sprintf("got %q after the chain should have ended: a failing link must stop the chain. Its callback starts nothing more and ends the chain with the error.", gotEntry)
	case gotEntry == "":
		return fmt.Sprintf("%q never happened: did every link run, each started by the callback of the one before?", wantEntry)
	case wantEntry == "":
		return fmt.Sprintf("%q is one event too many.", gotEntry)
	default:
		return fmt.Sprintf("got %q, want %q: does each link get the result of the one before?", gotEntry, wantEntry)
	}
}

// isNextLinkStart reports whether entry is the start of the link after callback's
// ("task3 got 12" after "callback2").
func isNextLinkStart(entry, callback string) bool {
	n, err := strconv.Atoi(strings.TrimPrefix(callback, "callback"))
	return err == nil && strings.HasPrefix(entry, fmt.Sprintf("task%d got ", n+1))
}

// countOf counts the entries whose first word is name ("callback1" in "callback1 got 4, <nil>").
func countOf(entries []string, name string) int {
	n := 0
	for _, e := range entries {
		if firstWord(e) == name {
			n++
		}
	}
	return n
}

func firstWord(entry string) string {
	word, _, _ := strings.Cut(entry, " ")
	return word
}

func listing(entries []string) string {
	if len(entries) == 0 {
		return "\t(nothing)"
	}
	return "\t" + strings.Join(entries, "\n\t")
}

// seconds formats delays for a call in a failure message: "1s, 2s".
func seconds(delays []time.Duration) string {
	parts := make([]string, len(delays))
	for i, d := range delays {
		parts[i] = d.String()
	}
	return strings.Join(parts, ", ")
}

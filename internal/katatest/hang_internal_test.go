package katatest

import (
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/go-async-katas/katas/internal/gotrace"
)

// stuckDump is a bubble's goroutines as runtime.Stack prints them on go1.26: the test's own
// goroutine waits on a WaitGroup (durably), one of the learner's waits on a mutex and another
// spins.
const stuckDump = `goroutine 21 [sync.WaitGroup.Wait (durable), synctest bubble 3]:
sync.(*WaitGroup).Wait(0xc0000a4488?)
	/usr/local/go/src/sync/waitgroup.go:118 +0x48
github.com/go-async-katas/katas/part2_errors.GatherAll({0x7a6c28, 0xc0000a4488}, {0x6e4f1e, 0x2})
	/work/main/part2_errors/gatherall.go:35 +0x1d5
github.com/go-async-katas/katas/part2_errors_test.TestGatherAll.func1.1(0xc0000a4488)
	/work/main/part2_errors/gatherall_test.go:47 +0x1d5
testing.tRunner(0xc0000a4488, 0x6554d0)
	/usr/local/go/src/testing/testing.go:2036 +0x21d

goroutine 23 [select (durable), synctest bubble 3]:
github.com/go-async-katas/katas/part2_errors_test.(*probe).run(0xc0000a4488)
	/work/main/part2_errors/main_test.go:98 +0x1d5
github.com/go-async-katas/katas/part2_errors.runStep()
	/work/main/part2_errors/gatherall.go:27 +0x175
created by github.com/go-async-katas/katas/part2_errors.GatherAll in goroutine 21
	/work/main/part2_errors/gatherall.go:17 +0xda

goroutine 22 [sync.Mutex.Lock, synctest bubble 3]:
sync.(*Mutex).Lock(0xc?)
	/usr/local/go/src/sync/mutex.go:46 +0x15
github.com/go-async-katas/katas/part2_errors.GatherAll.func1()
	/work/main/part2_errors/gatherall.go:21 +0x175
created by github.com/go-async-katas/katas/part2_errors.GatherAll in goroutine 21
	/work/main/part2_errors/gatherall.go:16 +0xda
`

func TestHangReport(t *testing.T) {
	report := hangReport("TestGatherAll/p1_fails", 10*time.Second, gotrace.Parse(stuckDump))
	lines := strings.Split(report, "\n")
	assert.Equal(t, "--- HANG: TestGatherAll/p1_fails (no progress for 10s of real time)", lines[0])
	assert.True(t, strings.HasSuffix(report, "\n"), "the report ends its last line")

	_, stuck, _ := strings.Cut(report, "Stuck goroutines (your code first):\n")
	assert.True(t, strings.HasPrefix(stuck,
		"      goroutine 22 [sync.Mutex.Lock]\n"+
			"          part2_errors.GatherAll.func1 (gatherall.go:21)\n"+
			"          (started by part2_errors.GatherAll at gatherall.go:16)\n"+
			"          -> waiting to lock a mutex that nobody unlocks\n"+
			"      goroutine 21 [sync.WaitGroup.Wait]\n"+
			"          part2_errors.GatherAll (gatherall.go:35)\n"+
			"          test: part2_errors_test.TestGatherAll.func1.1 (gatherall_test.go:47)\n"),
		"the mutex wait first, then the learner's other goroutines, the learner's frames first:\n%s", stuck)
	assert.Contains(t, stuck, "      goroutine 23 [select]\n"+
		"          part2_errors.runStep (gatherall.go:27)\n"+
		"          (started by part2_errors.GatherAll at gatherall.go:17)\n"+
		"          test: part2_errors_test.(*probe).run (main_test.go:98)\n",
		"the learner's frame before the test's, though the test's is innermost")

	_, causes, _ := strings.Cut(report, "Likely causes:\n")
	assert.True(t, strings.HasPrefix(causes, "      - a mutex locked twice"), "the first likely cause:\n%s", causes)
	assert.Contains(t, report, "KATA_HANG_TIMEOUT=10s sets the bound")
	for _, l := range lines[1:] {
		if l != "" {
			assert.True(t, strings.HasPrefix(l, "    "), "every line after the first is indented: %q", l)
		}
	}
}

// heldDump is a bubble's goroutines when a handler holds a mutex across a sleep: one request
// sleeps with the lock held, the other waits for it, and so fake time stands still.
const heldDump = `goroutine 40 [sync.Mutex.Lock, synctest bubble 2]:
sync.(*Mutex).Lock(0xc?)
	/usr/local/go/src/sync/mutex.go:46 +0x15
github.com/go-async-katas/katas/advanced/server.Serve.func2({0x7a6c28, 0xc0000a4488}, 0xc0000a4489)
	/work/main/advanced/server/server.go:27 +0x175
net/http.HandlerFunc.ServeHTTP(0xc?, {0x7a6c28, 0xc0000a4488}, 0xc0000a4489)
	/usr/local/go/src/net/http/server.go:2322 +0x29
created by net/http.(*Server).Serve in goroutine 35
	/usr/local/go/src/net/http/server.go:3454 +0x485

goroutine 39 [select (durable), synctest bubble 2]:
github.com/go-async-katas/katas/internal/clock.Sleep({0x7a6c28, 0xc0000a4488}, 0x3b9aca00)
	/work/main/internal/clock/clock.go:20 +0x105
github.com/go-async-katas/katas/advanced/server.Serve.func2({0x7a6c28, 0xc0000a4488}, 0xc0000a4489)
	/work/main/advanced/server/server.go:29 +0x1a5
net/http.HandlerFunc.ServeHTTP(0xc?, {0x7a6c28, 0xc0000a4488}, 0xc0000a4489)
	/usr/local/go/src/net/http/server.go:2322 +0x29
created by net/http.(*Server).Serve in goroutine 35
	/usr/local/go/src/net/http/server.go:3454 +0x485
`

func TestHangReportHeldAcrossWait(t *testing.T) {
	report := hangReport("TestServeParallel/same_work", 10*time.Second, gotrace.Parse(heldDump))
	assert.Contains(t, report, "          -> waiting to lock a mutex whose holder, in the same code, is waiting itself: fake time stands still\n")
	assert.Contains(t, report, "          -> waiting (a sleep, a timer, a channel) while it holds the lock the goroutines above want?\n")
	_, causes, _ := strings.Cut(report, "Likely causes:\n")
	assert.True(t, strings.HasPrefix(causes, "      - a mutex held across a wait"), "the first likely cause:\n%s", causes)

	// Two closures of one function share its mutex: the one waiting for the lock waits for
	// the one sleeping with it (a reviewer's SumConcurrent, each Load under the lock).
	report = hangReport("TestSumConcurrent/seed_delays", 10*time.Second, gotrace.Parse(siblingsDump))
	_, stuck, _ := strings.Cut(report, "Stuck goroutines (your code first):\n")
	assert.True(t, strings.HasPrefix(stuck, "      goroutine 5 [sync.Mutex.Lock]\n"+
		"          part1_concurrency.SumConcurrent.func1 (sum.go:16)\n"+
		"          -> waiting to lock a mutex whose holder, in the same code, is waiting itself: fake time stands still\n"+
		"      goroutine 6 [sleep]\n"+
		"          loader.Load (loader.go:34)\n"+
		"          part1_concurrency.SumConcurrent.func2 (sum.go:17)\n"+
		"          -> waiting (a sleep, a timer, a channel) while it holds the lock the goroutines above want?\n"),
		"the mutex wait, then its likely holder, a closure of the same function:\n%s", stuck)
	assert.Contains(t, stuck, "part1_concurrency.SumConcurrent (sum.go:18)\n"+
		"          test: part1_concurrency_test.TestSumConcurrent.func1 (sum_test.go:36)\n"+
		"          -> waiting on a channel, timer or WaitGroup", "the function the closures are written in holds no lock")
	_, causes, _ = strings.Cut(report, "Likely causes:\n")
	assert.True(t, strings.HasPrefix(causes, "      - a mutex held across a wait"), "the first likely cause:\n%s", causes)

	// The mutex wait of stuckDump is in another function than the goroutine waiting on a select.
	report = hangReport("TestGatherAll/p1_fails", 10*time.Second, gotrace.Parse(stuckDump))
	assert.NotContains(t, report, "a mutex held across a wait")
}

// siblingsDump is a bubble's goroutines when two closures of SumConcurrent each run a Load
// under one mutex: the first sleeps in Load with the lock held, the second waits for it.
const siblingsDump = `goroutine 4 [sync.WaitGroup.Wait (durable), synctest bubble 1]:
sync.(*WaitGroup).Wait(0xc0000a4488?)
	/usr/local/go/src/sync/waitgroup.go:118 +0x48
github.com/go-async-katas/katas/part1_concurrency.SumConcurrent({0x7a6c28, 0xc0000a4488}, 0x3b9aca00, 0x77359400)
	/work/main/part1_concurrency/sum.go:18 +0x1d5
github.com/go-async-katas/katas/part1_concurrency_test.TestSumConcurrent.func1(0xc0000a4488)
	/work/main/part1_concurrency/sum_test.go:36 +0x1d5
testing.tRunner(0xc0000a4488, 0x6554d0)
	/usr/local/go/src/testing/testing.go:2036 +0x21d

goroutine 5 [sync.Mutex.Lock, synctest bubble 1]:
sync.(*Mutex).Lock(0xc?)
	/usr/local/go/src/sync/mutex.go:46 +0x15
github.com/go-async-katas/katas/part1_concurrency.SumConcurrent.func1()
	/work/main/part1_concurrency/sum.go:16 +0x175
created by sync.(*WaitGroup).Go in goroutine 4
	/usr/local/go/src/sync/waitgroup.go:238 +0x73

goroutine 6 [sleep (durable), synctest bubble 1]:
time.Sleep(0x77359400)
	/usr/local/go/src/runtime/time.go:363 +0x165
github.com/go-async-katas/katas/part1_concurrency/loader.Load({0x7a6c28, 0xc0000a4488}, 0x77359400, 0x8)
	/work/main/part1_concurrency/loader/loader.go:34 +0x105
github.com/go-async-katas/katas/part1_concurrency.SumConcurrent.func2()
	/work/main/part1_concurrency/sum.go:17 +0x175
created by sync.(*WaitGroup).Go in goroutine 4
	/usr/local/go/src/sync/waitgroup.go:238 +0x73
`

// TestHangSpinInGCAssist: a loop that allocates as it spins may be dumped while it helps the
// garbage collector, outside its bubble: it is still the one to report, as spinning.
func TestHangSpinInGCAssist(t *testing.T) {
	spinner := gotrace.Goroutine{ID: 24, State: "GC assist wait", Frames: []gotrace.Frame{
		{Func: "github.com/go-async-katas/katas/advanced/wait.Loop[...]", File: "/work/main/advanced/wait/evented.go", Line: 54}}}
	waiter := gotrace.Goroutine{ID: 25, State: "select", Durable: true, Bubble: 1, Frames: []gotrace.Frame{
		{Func: "github.com/go-async-katas/katas/advanced/wait_test.sendAll", File: "/work/main/advanced/wait/evented_test.go", Line: 192}}}
	outside := gotrace.Goroutine{ID: 26, State: "chan receive", Frames: spinner.Frames}
	var bubble atomic.Int64
	bubble.Store(1)
	picked := inBubble(&bubble, gotrace.Snapshot{})([]gotrace.Goroutine{spinner, waiter, outside})
	assert.Equal(t, []int64{24, 25}, []int64{picked[0].ID, picked[1].ID}, "the spinner out of its bubble is picked, a blocked goroutine outside it is not")
	assert.Len(t, picked, 2)

	report := hangReport("TestLoop/seed", time.Second, picked)
	assert.Contains(t, report, "      goroutine 24 [GC assist wait]\n          wait.Loop[...] (evented.go:54)\n          -> running without ever blocking")
	_, causes, _ := strings.Cut(report, "Likely causes:\n")
	assert.True(t, strings.HasPrefix(causes, "      - a loop that never blocks"), "the first likely cause:\n%s", causes)
}

func TestHangReportMany(t *testing.T) {
	var gs []gotrace.Goroutine
	for i := range 6 {
		gs = append(gs, gotrace.Goroutine{ID: int64(i + 1), State: "runnable", Bubble: 1,
			Frames: []gotrace.Frame{{Func: "example.com/k.spin", File: "/src/k/k.go", Line: 3}}})
	}
	report := hangReport("TestSpin", time.Second, gs)
	assert.Contains(t, report, "\n      goroutine 1 [runnable] and 5 more goroutines just like it\n          k.spin (k.go:3)\n")
	assert.NotContains(t, report, "goroutine 2 ")
	for i := range 6 {
		gs[i].Frames[0].Line = i
	}
	report = hangReport("TestSpin", time.Second, gs)
	assert.Contains(t, report, "\n      ... and 2 more\n")
	_, causes, _ := strings.Cut(report, "Likely causes:\n")
	assert.True(t, strings.HasPrefix(causes, "      - a loop that never blocks"), "the first likely cause:\n%s", causes)

	report = hangReport("TestIO", time.Second, nil)
	assert.Contains(t, report, "No goroutine of the test runs code of yours or the test's.")
	_, causes, _ = strings.Cut(report, "Likely causes:\n")
	assert.True(t, strings.HasPrefix(causes, "      - a channel, timer or context made outside the test"), "the first likely cause:\n%s", causes)
}

func TestRunningTest(t *testing.T) {
	tests := []struct {
		name     string
		give     string
		wantName string
		wantOK   bool
	}{
		{"subtest busy", "goroutine 9 [sync.Mutex.Lock]:\n" +
			"sync.(*Mutex).Lock(0x1)\n\t/usr/local/go/src/sync/mutex.go:46 +0x15\n" +
			"example.com/k.TestAdd.func1(0x1)\n\t/src/k/k_test.go:12 +0x1\n" +
			"testing.tRunner(0x1, 0x2)\n\t/usr/local/go/src/testing/testing.go:2036 +0x21d\n", "TestAdd", true},
		{"waiting for a subtest", "goroutine 8 [chan receive]:\n" +
			"testing.(*T).Run(0x1, {0x2, 0x3}, 0x4)\n\t/usr/local/go/src/testing/testing.go:2109 +0xb3e\n" +
			"example.com/k.TestAdd(0x1)\n\t/src/k/k_test.go:10 +0x1\n" +
			"testing.tRunner(0x1, 0x2)\n\t/usr/local/go/src/testing/testing.go:2036 +0x21d\n", "", false},
		{"in a bubble", "goroutine 9 [running, synctest bubble 1]:\n" +
			"example.com/k.TestAdd.func1(0x1)\n\t/src/k/k_test.go:12 +0x1\n" +
			"testing.tRunner(0x1, 0x2)\n\t/usr/local/go/src/testing/testing.go:2036 +0x21d\n", "", false},
		{"in Bubble", "goroutine 9 [chan receive]:\n" +
			thisPkg + ".Bubble(0x1)\n\t/src/internal/katatest/bubble.go:12 +0x1\n" +
			"example.com/k.TestAdd(0x1)\n\t/src/k/k_test.go:12 +0x1\n" +
			"testing.tRunner(0x1, 0x2)\n\t/usr/local/go/src/testing/testing.go:2036 +0x21d\n", "", false},
		{"waiting for parallel subtests", "goroutine 9 [chan receive]:\n" +
			"testing.tRunner(0x1, 0x2)\n\t/usr/local/go/src/testing/testing.go:2036 +0x21d\n", "", false},
		{"not a test", "goroutine 9 [select]:\n" +
			"example.com/k.serve(0x1)\n\t/src/k/k.go:12 +0x1\n", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			gs := gotrace.Parse(tt.give)
			if !assert.Len(t, gs, 1) {
				return
			}
			name, ok := runningTest(gs[0])
			assert.Equal(t, tt.wantName, name)
			assert.Equal(t, tt.wantOK, ok)
		})
	}
}

func TestParseHangBound(t *testing.T) {
	tests := []struct {
		give        string
		want        time.Duration
		wantWarning bool
	}{
		{"", DefaultHangBound, false},
		{"0", 0, false},
		{"0s", 0, false},
		{"300ms", 300 * time.Millisecond, false},
		{"-1s", 0, false},
		{"10", DefaultHangBound, true},
		{"banana", DefaultHangBound, true},
	}
	for _, tt := range tests {
		got, warning := parseHangBound(tt.give)
		assert.Equal(t, tt.want, got, "parseHangBound(%q)", tt.give)
		assert.Equal(t, tt.wantWarning, warning != "", "parseHangBound(%q) warning %q", tt.give, warning)
	}
}

func TestOthers(t *testing.T) {
	const dump = `goroutine 1 [chan receive]:
testing.(*M).Run(0x1)
	/usr/local/go/src/testing/testing.go:2443 +0xf4c
example.com/k.TestMain(0x1)
	/src/k/main_test.go:9 +0x1

goroutine 8 [chan receive]:
testing.(*T).Run(0x1, {0x2, 0x3}, 0x4)
	/usr/local/go/src/testing/testing.go:2109 +0xb3e
example.com/k.TestAdd(0x1)
	/src/k/k_test.go:10 +0x1
testing.tRunner(0x1, 0x2)
	/usr/local/go/src/testing/testing.go:2036 +0x21d

goroutine 9 [sync.Mutex.Lock]:
example.com/k.(*Counter).Add(0x1)
	/src/k/k.go:12 +0x1
example.com/k.TestAdd.func1(0x1)
	/src/k/k_test.go:12 +0x1
testing.tRunner(0x1, 0x2)
	/usr/local/go/src/testing/testing.go:2036 +0x21d
created by testing.(*T).Run in goroutine 8
	/usr/local/go/src/testing/testing.go:2101 +0xb13

goroutine 10 [runnable]:
example.com/k.spin()
	/src/k/k.go:20 +0x1
created by example.com/k.(*Counter).Add in goroutine 9
	/src/k/k.go:11 +0x1

goroutine 11 [select]:
runtime.gopark(0x1)
	/usr/local/go/src/runtime/proc.go:460 +0xce
`
	gs := gotrace.Parse(dump)
	var ids []int64
	for _, g := range others(gs, gs[3]) {
		ids = append(ids, g.ID)
	}
	assert.Equal(t, []int64{9}, ids, "others(all, goroutine 10): not the main goroutine, not a test waiting for its subtest, not the runtime's")
}

package gotrace_test

import (
	"runtime"
	"strings"
	"sync"
	"testing"
	"testing/synctest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/go-async-katas/katas/internal/gotrace"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// dump is what runtime.Stack(buf, true) printed on go1.26 for a test whose bubble holds a
// goroutine waiting on a mutex locked twice, one spinning, and durably blocked ones.
const dump = `goroutine 5 [running]:
github.com/go-async-katas/katas/internal/katatest.watch.func1()
	/work/main/internal/katatest/hang.go:21 +0x47
created by time.goFunc
	/usr/local/go/src/time/sleep.go:215 +0x45

goroutine 1 [chan receive, 2 minutes]:
testing.(*T).Run(0xc0000a4248, {0x6470fe, 0x5}, 0x655420)
	/usr/local/go/src/testing/testing.go:2109 +0xb3e
main.main()
	_testmain.go:46 +0x165

goroutine 22 [sync.Mutex.Lock, synctest bubble 1]:
internal/sync.runtime_SemacquireMutex(0xc0000ece50?, 0xc8?, 0x430e00?)
	/usr/local/go/src/runtime/sema.go:95 +0x25
sync.(*Mutex).Lock(0xc?)
	/usr/local/go/src/sync/mutex.go:46 +0x15
github.com/go-async-katas/katas/part2_errors.GatherAll.func1(0xc0000a46c8?)
	/work/main/part2_errors/gatherall.go:34 +0x175
github.com/go-async-katas/katas/part2_errors.TestGatherAll.func1(0xc0000a46c8?)
	/work/main/part2_errors/gatherall_test.go:20 +0x175
github.com/stretchr/testify/assert.Eventually(...)
	/root/go/pkg/mod/github.com/stretchr/testify@v1.12.1/assert/assertions.go:20 +0x175
testing.tRunner(0xc0000a46c8, 0x6554d0)
	/usr/local/go/src/testing/testing.go:2036 +0x21d
created by testing/synctest.testingSynctestTest in goroutine 21
	/usr/local/go/src/testing/testing.go:2150 +0x5fd

goroutine 23 [runnable, synctest bubble 1]:
github.com/go-async-katas/katas/ex25_prodcons.consume(...)
	/work/main/ex25_prodcons/prodcons.go:14
created by github.com/go-async-katas/katas/ex25_prodcons.Run in goroutine 22
	/work/main/ex25_prodcons/prodcons.go:29 +0xda

goroutine 24 [select (no cases) (durable), synctest bubble 12]:
github.com/go-async-katas/katas/internal/katatest_test.TestX.func2.1()
	/work/main/internal/katatest/bubble_test.go:30 +0x1d
created by github.com/go-async-katas/katas/internal/katatest_test.TestX.func2 in goroutine 22
	/work/main/internal/katatest/bubble_test.go:30 +0xe6

goroutine 7 [running]:
	goroutine running on other thread; stack unavailable
`

func TestParse(t *testing.T) {
	gs := gotrace.Parse(dump)
	require.Len(t, gs, 6, "Parse(dump) found %d goroutines", len(gs))

	tests := []struct {
		give        gotrace.Goroutine
		wantID      int64
		wantState   string
		wantDurable bool
		wantBubble  int
		wantFrames  int
		wantCreated string
		wantLearner []string
		wantRunning bool
	}{
		{gs[0], 5, "running", false, 0, 1, "time.goFunc", nil, true},
		{gs[1], 1, "chan receive", false, 0, 2, "", nil, false},
		{gs[2], 22, "sync.Mutex.Lock", false, 1, 6, "testing/synctest.testingSynctestTest", []string{"part2_errors.GatherAll.func1 (gatherall.go:34)"}, false},
		{gs[3], 23, "runnable", false, 1, 1, "github.com/go-async-katas/katas/ex25_prodcons.Run", []string{"ex25_prodcons.consume (prodcons.go:14)"}, true},
		{gs[4], 24, "select (no cases)", true, 12, 1, "github.com/go-async-katas/katas/internal/katatest_test.TestX.func2", nil, false},
		{gs[5], 7, "running", false, 0, 0, "", nil, true},
	}
	for _, tt := range tests {
		g := tt.give
		assert.Equal(t, tt.wantID, g.ID)
		assert.Equal(t, tt.wantState, g.State, "goroutine %d", g.ID)
		assert.Equal(t, tt.wantDurable, g.Durable, "goroutine %d durable", g.ID)
		assert.Equal(t, tt.wantBubble, g.Bubble, "goroutine %d bubble", g.ID)
		assert.Len(t, g.Frames, tt.wantFrames, "goroutine %d frames", g.ID)
		assert.Equal(t, tt.wantCreated, g.CreatedBy.Func, "goroutine %d created by", g.ID)
		assert.Equal(t, tt.wantRunning, g.Running(), "goroutine %d Running()", g.ID)
		var learner []string
		for _, f := range g.Learner() {
			learner = append(learner, f.String())
		}
		assert.Equal(t, tt.wantLearner, learner, "goroutine %d Learner()", g.ID)
	}

	mutex := gs[2]
	assert.Equal(t, gotrace.Frame{Func: "sync.(*Mutex).Lock", File: "/usr/local/go/src/sync/mutex.go", Line: 46}, mutex.Frames[1])
	assert.True(t, mutex.Blocked("sync.Mutex"))
	assert.True(t, mutex.Calls("GatherAll"))
	assert.True(t, mutex.Runs("github.com/go-async-katas/katas/part2_errors"))
	assert.False(t, mutex.Runs("github.com/go-async-katas/katas"))
	assert.True(t, gs[3].Calls("prodcons.Run"), "Calls looks at the go statement too")
	assert.Equal(t, "goroutine 22 [sync.Mutex.Lock]\n"+
		"    part2_errors.GatherAll.func1 (gatherall.go:34)\n"+
		"    part2_errors.TestGatherAll.func1 (gatherall_test.go:20)", mutex.String())
	assert.Equal(t, "goroutine 23 [runnable]\n"+
		"    ex25_prodcons.consume (prodcons.go:14)\n"+
		"    (started by ex25_prodcons.Run at prodcons.go:29)", gs[3].String())
	assert.Equal(t, "goroutine 1 [chan receive] (no frames of your code)", gs[1].String())
}

func TestParseIndentedLog(t *testing.T) {
	// What a test log holds when a child's dump was passed on through t.Log: every line indented.
	log := "    panic: boom\n\n    goroutine 9 [running]:\n    example.com/k.explode()\n        /src/k/k.go:7 +0x25\n"
	gs := gotrace.Parse(log)
	require.Len(t, gs, 1)
	assert.Equal(t, []gotrace.Frame{{Func: "example.com/k.explode", File: "/src/k/k.go", Line: 7}}, gs[0].Frames)
}

func TestFrame(t *testing.T) {
	tests := []struct {
		give        gotrace.Frame
		wantPackage string
		wantShort   string
		wantStd     bool
		wantThird   bool
		wantHarness bool
		wantLearner bool
	}{
		{gotrace.Frame{"sync.(*Mutex).Lock", "/usr/local/go/src/sync/mutex.go", 46}, "sync", "sync.(*Mutex).Lock", true, false, false, false},
		{gotrace.Frame{"internal/sync.(*Mutex).lockSlow", "/usr/local/go/src/internal/sync/mutex.go", 149}, "internal/sync", "sync.(*Mutex).lockSlow", true, false, false, false},
		{gotrace.Frame{"main.main", "_testmain.go", 46}, "main", "main.main", true, false, false, false},
		{gotrace.Frame{"main.run", "/work/main/ex25_prodcons/cmd/prodcons/main.go", 12}, "main", "main.run", false, false, false, true},
		{gotrace.Frame{"github.com/jarcoal/httpmock.(*MockTransport).RoundTrip", "/root/go/pkg/mod/github.com/jarcoal/httpmock@v1.4.2/transport.go", 9}, "github.com/jarcoal/httpmock", "httpmock.(*MockTransport).RoundTrip", false, true, false, false},
		{gotrace.Frame{"github.com/go-async-katas/katas/internal/katatest.Bubble", "/work/main/internal/katatest/bubble.go", 30}, "github.com/go-async-katas/katas/internal/katatest", "katatest.Bubble", false, false, true, false},
		{gotrace.Frame{"github.com/go-async-katas/katas/advanced/wait.(*Set[...]).Add.func1", "/work/main/advanced/wait/wait.go", 42}, "github.com/go-async-katas/katas/advanced/wait", "wait.(*Set[...]).Add.func1", false, false, false, true},
		{gotrace.Frame{"github.com/go-async-katas/katas/advanced/wait.TestWait", "/work/main/advanced/wait/wait_test.go", 42}, "github.com/go-async-katas/katas/advanced/wait", "wait.TestWait", false, false, false, false},
	}
	for _, tt := range tests {
		f := tt.give
		assert.Equal(t, tt.wantPackage, f.Package(), "%s Package()", f.Func)
		assert.Equal(t, tt.wantShort, f.Short(), "%s Short()", f.Func)
		assert.Equal(t, tt.wantStd, f.Std(), "%s Std()", f.Func)
		assert.Equal(t, tt.wantThird, f.ThirdParty(), "%s ThirdParty()", f.Func)
		assert.Equal(t, tt.wantHarness, f.Harness(), "%s Harness()", f.Func)
		assert.Equal(t, tt.wantLearner, f.Learner(), "%s Learner()", f.Func)
	}
}

func TestSelfAndSnapshot(t *testing.T) {
	before := gotrace.Take()
	synctest.Test(t, func(t *testing.T) {
		self := gotrace.Self()
		assert.NotZero(t, self.Bubble, "Self() inside a bubble names the bubble")
		var mu sync.Mutex
		locked := 0
		mu.Lock()
		done := make(chan struct{})
		go func() {
			defer close(done)
			mu.Lock() // waits until the bubble's goroutine unlocks
			defer mu.Unlock()
			locked++
		}()
		// A mutex wait is not durable, so synctest.Wait would wait for ever: poll instead.
		var started, waiting []gotrace.Goroutine
		for range 10_000 {
			if started = before.Started(gotrace.All()); len(waiting) > 0 {
				break
			}
			for _, g := range started {
				if g.Bubble == self.Bubble && g.Blocked("sync.Mutex.Lock") {
					waiting = append(waiting, g)
				}
			}
			runtime.Gosched()
		}
		mu.Unlock()
		<-done
		assert.Equal(t, 1, locked)
		require.Len(t, waiting, 1, "goroutines started since the snapshot, waiting on the mutex:\n%v", started)
		assert.False(t, waiting[0].Durable, "a mutex wait is not durable")
		assert.True(t, waiting[0].Calls("TestSelfAndSnapshot"))
	})
	assert.Zero(t, gotrace.Self().Bubble, "outside a bubble")
	assert.Empty(t, gotrace.Snapshot{}.Started(nil))
	assert.Len(t, gotrace.Snapshot{}.Started(gotrace.Parse(dump)), 6, "an empty snapshot holds none")
	assert.True(t, strings.HasPrefix(gotrace.Dump(), "goroutine "), "Dump()")
}

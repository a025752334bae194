package katatest

import (
	"fmt"
	"os"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/go-async-katas/katas/internal/gotrace"
)

// Main is the TestMain of every kata package:
//
//	func TestMain(m *testing.M) { katatest.Main(m) }
//
// It runs the tests, then fails the run if goroutines are left running after they all passed
// (goleak.VerifyTestMain's check). If the binary crashes (a panic on a goroutine the learner
// started, which nothing can recover), a "--- CRASH:" report after Go's names the test that
// was running, the learner's lines and the usual cause (see [startCrashMonitor]). While they run it watches for hangs outside a [Bubble] (see
// the package doc): a test goroutine that has been busy in its own code, not waiting on a
// subtest, for the hang bound gets a hang report naming its top-level test, and the binary
// ends with exit status 1. Tests inside [Bubble] or [Isolated] are left to their own, more
// precise watch.
func Main(m *testing.M) {
	if os.Getenv(crashMonitorEnv) != "" {
		os.Exit(monitorCrash(os.Stdin, os.Stdout))
	}
	startCrashMonitor()
	stop := watchTests(HangBound())
	code := m.Run()
	stop()
	if code == 0 {
		if err := goleak.Find(); err != nil {
			fmt.Fprintf(os.Stderr, "goleak: Errors on successful test run: %v\n", err)
			code = 1
		}
	}
	os.Exit(code)
}

// watchTests polls the process's goroutines until stop is called, and reports a hang when a
// test goroutine has been running its own test for bound. It returns at once when bound is 0.
// It polls on timers, with no goroutine of its own between polls, so that a test's own leak
// check (goleak.VerifyNone) does not see one.
func watchTests(bound time.Duration) (stop func()) {
	if bound <= 0 {
		return func() {}
	}
	interval := min(max(bound/10, 50*time.Millisecond), time.Second)
	busy := map[int64]time.Time{} // test goroutines and since when they are seen busy
	var (
		mu      sync.Mutex
		stopped bool
		timer   *time.Timer
	)
	var poll func()
	poll = func() {
		mu.Lock()
		defer mu.Unlock()
		if stopped {
			return
		}
		checkTests(bound, time.Now(), busy)
		timer = time.AfterFunc(interval, poll)
	}
	mu.Lock()
	timer = time.AfterFunc(interval, poll)
	mu.Unlock()
	return func() {
		mu.Lock()
		defer mu.Unlock()
		stopped = true
		timer.Stop()
	}
}

// checkTests updates busy with the goroutines running a test's own code now, and reports a
// hang for the first one that has been at it for bound.
func checkTests(bound time.Duration, now time.Time, busy map[int64]time.Time) {
	all := gotrace.All()
	seen := map[int64]bool{}
	for _, g := range all {
		name, ok := runningTest(g)
		if !ok {
			continue
		}
		seen[g.ID] = true
		since, ok := busy[g.ID]
		if !ok {
			busy[g.ID] = now
			continue
		}
		if now.Sub(since) >= bound {
			reportHang(name, bound, append([]gotrace.Goroutine{g}, others(all, g)...))
		}
	}
	for id := range busy {
		if !seen[id] {
			delete(busy, id)
		}
	}
}

// harnessWatched are the functions whose tests this package already watches for hangs.
var harnessWatched = []string{thisPkg + ".Bubble", thisPkg + ".Isolated"}

// thisPkg is this package's import path.
var thisPkg = reflect.TypeFor[Child]().PkgPath()

// runningTest reports whether g is a test's goroutine running the test's own code (not waiting
// for a subtest or for its turn to run in parallel, not inside a Bubble or Isolated), and the
// name of its top-level test.
func runningTest(g gotrace.Goroutine) (name string, ok bool) {
	if g.Bubble != 0 {
		return "", false
	}
	for i, f := range g.Frames {
		switch {
		case f.Func == "testing.(*T).Run", f.Func == "testing.(*T).Parallel":
			return "", false
		case strings.HasPrefix(f.Func, harnessWatched[0]), strings.HasPrefix(f.Func, harnessWatched[1]):
			return "", false
		case f.Func != "testing.tRunner":
			continue
		}
		if i == 0 || g.Frames[i-1].Std() {
			return "", false // in the testing package itself: cleanup, or waiting for parallel subtests
		}
		return testOf(g.Frames[i-1])
	}
	return "", false
}

// testOf returns the top-level test whose function (or a closure in it) fn is: "TestX" for
// "pkg_test.TestX.func1".
func testOf(fn gotrace.Frame) (name string, ok bool) {
	name, _, _ = strings.Cut(strings.TrimPrefix(fn.Func, fn.Package()+"."), ".")
	return name, strings.HasPrefix(name, "Test")
}

// others returns the goroutines of all but stuck that show code of the learner's or the
// test's, less those of the testing package's machinery: the main goroutine, and tests waiting
// for their subtests.
func others(all []gotrace.Goroutine, stuck gotrace.Goroutine) []gotrace.Goroutine {
	var out []gotrace.Goroutine
	for _, g := range all {
		machinery := slices.ContainsFunc(g.Frames, func(f gotrace.Frame) bool {
			return f.Func == "testing.(*M).Run" || f.Func == "testing.(*T).Run"
		})
		if g.ID == stuck.ID || machinery || len(g.Shown()) == 0 {
			continue
		}
		out = append(out, g)
	}
	return out
}

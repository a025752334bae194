package katatest

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime/debug"
	"slices"
	"strings"
	"sync/atomic"

	"github.com/go-async-katas/katas/internal/gotrace"
)

// crashMonitorEnv tells a test binary that it is the crash monitor of another.
const crashMonitorEnv = "KATATEST_CRASH_MONITOR"

// startCrashMonitor starts a second run of this binary that waits for this one to end and,
// if it crashed, explains the crash: Go prints the panic and the goroutine that panicked, but
// not which test was running, and no test runs after a crash to say so. The runtime hands
// the crash report to the monitor too (debug.SetCrashOutput), down the pipe on which [Bubble]
// and [Isolated] have told it each test they ran ([noteTest]). A child process of [Isolated]
// has no monitor: its parent explains its crash; nor has a run of the kata tool's, which
// explains crashes itself ([gotrace.CrashMonitorEnv] is "off"). Nothing changes if the
// monitor cannot start.
func startCrashMonitor() {
	if os.Getenv(isolatedEnv) != "" || os.Getenv(gotrace.CrashMonitorEnv) == "off" {
		return
	}
	r, w, err := os.Pipe()
	if err != nil {
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), crashMonitorEnv+"=1")
	cmd.Stdin, cmd.Stdout, cmd.Stderr = r, os.Stdout, os.Stderr
	err = cmd.Start()
	r.Close()
	if err != nil || debug.SetCrashOutput(w, debug.CrashOptions{}) != nil {
		w.Close()
		return
	}
	// The monitor is not waited for: it ends when this process does and the pipe closes.
	crashPipe.Store(w)
}

// crashPipe is the pipe to the crash monitor, nil when there is none.
var crashPipe atomic.Pointer[os.File]

// noteTest tells the crash monitor that the test named name is running: a crash from now on
// is reported as during (or after) it.
func noteTest(name string) {
	if w := crashPipe.Load(); w != nil {
		w.WriteString(testMark + name + "\n") // one short write: whole, even from several goroutines
	}
}

// testMark starts a line on the monitor's pipe that names a test, not a crash report's.
const testMark = "\x00test "

// monitorCrash reads what the runtime wrote to crash output until the monitored binary ends,
// and writes a "--- CRASH:" report of it to out if it crashed. It returns the monitor's exit
// code.
func monitorCrash(in io.Reader, out io.Writer) int {
	data, _ := io.ReadAll(in)
	var text strings.Builder
	last := "" // the last test noted
	for l := range strings.Lines(string(data)) {
		if name, ok := strings.CutPrefix(l, testMark); ok {
			last = strings.TrimSuffix(name, "\n")
			continue
		}
		text.WriteString(l)
	}
	if report := crashReport(text.String(), last); report != "" {
		io.WriteString(out, report)
	}
	return 0
}

// crashReport explains a crash report of the runtime's ("" when text holds none, or only go
// test's -timeout alarm, which says what it is): the test that was running (the one whose
// goroutine crashed, else lastTest, the last one noted), the learner's lines where it
// happened, and the usual cause.
func crashReport(text, lastTest string) string {
	lines := strings.Split(text, "\n")
	crash, at := gotrace.Crash(lines)
	if crash == "" || gotrace.TimedOut(crash) {
		return ""
	}
	gs := gotrace.Parse(strings.Join(lines[at:], "\n"))
	if len(gs) == 0 {
		return ""
	}
	crashed := gs[0] // the runtime lists the goroutine that crashed first
	test := crashedTest(crashed, gs)
	if test == "" {
		test = lastTest
	}
	name := test
	if name == "" {
		name = "(no test was running)"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s%s (%s)\n", gotrace.CrashPrefix, name, crash)
	switch {
	case test == "":
		b.WriteString("The test binary crashed outside any test, so no test after that ran.\n")
	case !slices.ContainsFunc(crashed.Frames, func(f gotrace.Frame) bool { return f.Func == "testing.tRunner" }):
		b.WriteString("A goroutine started during this test crashed, and only the goroutine that panics can\n" +
			"recover its panic: Go ended the whole test binary, so this test and those after it\n" +
			"did not finish.\n")
	default:
		b.WriteString("This test crashed the whole test binary: it and the tests after it did not finish.\n")
	}
	if hint := gotrace.CrashHint(crash); hint != "" {
		b.WriteString("\n" + hint + "\n")
	}
	if shown := crashed.Shown(); len(shown) > 0 {
		b.WriteString("\nWhere:\n" + framesText(shown) + "\n")
		if c := crashed.CreatedBy; c.Learner() {
			fmt.Fprintf(&b, "      (started by %s)\n", c.String())
		}
	}
	b.WriteString("\n`go run ./cmd/kata` runs each kata of a folder whose test binary crashed on its own, so\n" +
		"that your other katas still show their state.\n")
	return indentAfterFirst(b.String())
}

// crashedTest follows g back through the goroutines that started it to a test's goroutine in
// gs, and returns that test's name, or "". (A crash report lists the crashed goroutine alone,
// unless GOTRACEBACK says otherwise: this finds a test that crashed on its own goroutine.)
func crashedTest(g gotrace.Goroutine, gs []gotrace.Goroutine) string {
	byID := map[int64]gotrace.Goroutine{}
	for _, x := range gs {
		byID[x.ID] = x
	}
	for range len(gs) {
		for i, f := range g.Frames {
			if f.Func == "testing.tRunner" && i > 0 {
				if name, ok := testOf(g.Frames[i-1]); ok {
					return name
				}
			}
		}
		parent, ok := byID[g.Parent]
		if !ok {
			return ""
		}
		g = parent
	}
	return ""
}

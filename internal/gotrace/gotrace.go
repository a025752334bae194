// Package gotrace reads the text Go prints about a program's goroutines: a goroutine dump
// (runtime.Stack, a crash, SIGQUIT), the line that ended a crashed program, a data race
// report, and the hang report of internal/katatest. It is the one home of that parsing for
// the test harness and the kata tool, and it does not import "testing", so ordinary programs
// can use it too.
//
// Everything here is a pure function of its input except [All], [Dump], [Self] and [Take], which read
// the running process's goroutines. All of it is safe for concurrent use.
package gotrace

import (
	"path"
	"reflect"
	"regexp"
	"runtime"
	"strconv"
	"strings"
)

// A Goroutine is one goroutine of a dump.
type Goroutine struct {
	ID int64
	// State is what the goroutine was doing, without the synctest annotations: "running",
	// "runnable", "chan receive", "select (no cases)", "sync.Mutex.Lock", "sleep".
	State string
	// Durable reports whether the runtime marked the wait "(durable)": inside a synctest
	// bubble, only durably blocked goroutines let fake time move on. A goroutine waiting on a
	// mutex, or running, is not durable.
	Durable bool
	// Bubble is the number of the testing/synctest bubble the goroutine belongs to, 0 for none.
	Bubble int
	// Frames are the calls on the goroutine's stack, innermost first, all of them.
	Frames []Frame
	// CreatedBy is the go statement that started the goroutine (Func is "" for the main one).
	CreatedBy Frame
	// Parent is the goroutine that ran that go statement (0 when unknown).
	Parent int64
}

// A Frame is one call in a traceback.
type Frame struct {
	Func string // "github.com/x/y.(*T).Run.func1", without the argument list
	File string // as printed, with forward slashes: "/home/me/y/run.go"
	Line int
}

// Running reports whether the goroutine was on a CPU or waiting for one: a goroutine that
// spins in a loop that never blocks shows as running or runnable.
func (g Goroutine) Running() bool { return g.State == "running" || g.State == "runnable" }

// Blocked reports whether the goroutine's state starts with state: Blocked("chan send").
func (g Goroutine) Blocked(state string) bool { return strings.HasPrefix(g.State, state) }

// Calls reports whether a frame of g (or the go statement that started it) is in a function
// whose full name contains name, such as "Background" or "wait.(*Set).Add".
func (g Goroutine) Calls(name string) bool {
	for _, f := range g.Frames {
		if strings.Contains(f.Func, name) {
			return true
		}
	}
	return g.CreatedBy.Func != "" && strings.Contains(g.CreatedBy.Func, name)
}

// Runs reports whether a frame of g is code of the package with import path pkg.
func (g Goroutine) Runs(pkg string) bool {
	for _, f := range g.Frames {
		if f.Package() == pkg {
			return true
		}
	}
	return false
}

// Learner returns the frames of g that are the learner's own code (see [Frame.Learner]),
// innermost first.
func (g Goroutine) Learner() []Frame { return g.filter(Frame.Learner) }

// Shown returns the frames of g worth showing a learner, innermost first: their own code and
// the tests', not Go's own packages, third-party modules or the harness.
func (g Goroutine) Shown() []Frame {
	return g.filter(func(f Frame) bool { return !f.Std() && !f.ThirdParty() && !f.Harness() })
}

func (g Goroutine) filter(keep func(Frame) bool) []Frame {
	var out []Frame
	for _, f := range g.Frames {
		if keep(f) {
			out = append(out, f)
		}
	}
	return out
}

// String renders g for a learner: its header, then its shown frames, one a line, and the
// place it was started from.
//
//	goroutine 23 [sync.Mutex.Lock]
//	    concurrency.(*Counter).Add (counter.go:18)
//	    (started by concurrency.Run at run.go:31)
func (g Goroutine) String() string {
	var b strings.Builder
	b.WriteString("goroutine " + strconv.FormatInt(g.ID, 10) + " [" + g.State + "]")
	frames := g.Shown()
	if len(frames) == 0 {
		b.WriteString(" (no frames of your code)")
	}
	for _, f := range frames {
		b.WriteString("\n    " + f.String())
	}
	if c := g.CreatedBy; c.Func != "" && !c.Std() && !c.Harness() {
		b.WriteString("\n    (started by " + c.Short() + " at " + c.Place() + ")")
	}
	return b.String()
}

// Package returns the import path of the frame's function: "sync" for "sync.(*Mutex).Lock".
func (f Frame) Package() string {
	slash := strings.LastIndex(f.Func, "/")
	dot := strings.Index(f.Func[slash+1:], ".")
	if dot < 0 {
		return f.Func
	}
	return f.Func[:slash+1+dot]
}

// Short returns the function's name after its import path's last slash: "wait.(*Set).Add".
func (f Frame) Short() string { return f.Func[strings.LastIndex(f.Func, "/")+1:] }

// Place returns the file's base name and the line: "wait.go:42".
func (f Frame) Place() string { return path.Base(f.File) + ":" + strconv.Itoa(f.Line) }

// String returns "wait.(*Set).Add (wait.go:42)".
func (f Frame) String() string { return f.Short() + " (" + f.Place() + ")" }

// Std reports whether the frame is in Go's own packages (runtime, sync, testing, ...) or in
// the main function go test generates.
func (f Frame) Std() bool {
	pkg := f.Package()
	if pkg == "main" {
		return path.Base(f.File) == "_testmain.go"
	}
	first, _, _ := strings.Cut(pkg, "/")
	return !strings.Contains(first, ".")
}

// ThirdParty reports whether the frame is in a module the project depends on (testify,
// httpmock, ...): its file is in the module cache or a vendor folder.
func (f Frame) ThirdParty() bool {
	return strings.Contains(f.File, "/pkg/mod/") || strings.Contains(f.File, "/vendor/") || strings.Contains(f.File, "@v")
}

// Harness reports whether the frame is in the code (not a test file) of one of this module's
// internal packages: the test harness (katatest, tasktest, gotrace) and the given helpers.
func (f Frame) Harness() bool { return strings.HasPrefix(f.Func, internalPrefix) && !f.Test() }

// Test reports whether the frame is in a _test.go file.
func (f Frame) Test() bool { return strings.HasSuffix(f.File, "_test.go") }

// Learner reports whether the frame is the learner's own code: not Go's, not a third-party
// module's, not the harness's and not a test file's.
func (f Frame) Learner() bool { return !f.Std() && !f.ThirdParty() && !f.Harness() && !f.Test() }

// internalPrefix is the import path prefix of this module's internal packages:
// "github.com/go-async-katas/katas/internal/".
var internalPrefix = strings.TrimSuffix(reflect.TypeFor[Frame]().PkgPath(), "gotrace")

var (
	headerRE = regexp.MustCompile(`^goroutine (\d+) (?:gp=\S+ m=\S+(?: mp=\S+)? )?\[([^\]]*)\]:$`)
	bubbleRE = regexp.MustCompile(`,? ?synctest bubble (\d+)`)
	// waitRE matches what the runtime appends to a state: ", 5 minutes", ", locked to thread".
	waitRE = regexp.MustCompile(`, (\d+ minutes|locked to thread)`)
)

// Parse reads every goroutine in text: the output of runtime.Stack(buf, true), or the part of
// a crash or SIGQUIT report that lists goroutines. Other lines are skipped, and so is the
// indentation a line may carry (go test indents what a test logs), so text can be a whole
// test log.
func Parse(text string) []Goroutine {
	var out []Goroutine
	var g *Goroutine
	lines := strings.Split(text, "\n")
	for i := 0; i < len(lines); i++ {
		l := strings.TrimSpace(lines[i])
		if m := headerRE.FindStringSubmatch(l); m != nil {
			out = append(out, header(m[1], m[2]))
			g = &out[len(out)-1]
			continue
		}
		if g == nil {
			continue
		}
		if l == "" {
			g = nil
			continue
		}
		fn, created := strings.CutPrefix(l, "created by ")
		if i+1 >= len(lines) {
			break
		}
		file, line, ok := location(lines[i+1])
		if !ok {
			continue // "...additional frames elided...", "goroutine running on other thread"
		}
		i++
		if created {
			fn, parent, _ := strings.Cut(fn, " in goroutine ")
			g.CreatedBy = Frame{Func: fn, File: file, Line: line}
			g.Parent, _ = strconv.ParseInt(parent, 10, 64)
			continue
		}
		if j := strings.LastIndex(fn, "("); j > 0 {
			fn = fn[:j] // drop the argument list
		}
		g.Frames = append(g.Frames, Frame{Func: fn, File: file, Line: line})
	}
	return out
}

func header(id, state string) Goroutine {
	g := Goroutine{}
	g.ID, _ = strconv.ParseInt(id, 10, 64)
	if m := bubbleRE.FindStringSubmatch(state); m != nil {
		g.Bubble, _ = strconv.Atoi(m[1])
		state = bubbleRE.ReplaceAllString(state, "")
	}
	if s, ok := strings.CutSuffix(state, " (durable)"); ok {
		state, g.Durable = s, true
	}
	state = waitRE.ReplaceAllString(state, "")
	if s, ok := strings.CutSuffix(state, " (durable)"); ok {
		state, g.Durable = s, true
	}
	g.State = state
	return g
}

// location reads a traceback's file line: "\t/path/file.go:12 +0x1f".
func location(l string) (file string, line int, ok bool) {
	l = strings.TrimSpace(l)
	l, _, _ = strings.Cut(l, " +0x")
	colon := strings.LastIndex(l, ":")
	if colon <= 0 || !strings.HasSuffix(l[:colon], ".go") && !strings.HasSuffix(l[:colon], ".s") {
		return "", 0, false
	}
	n, err := strconv.Atoi(l[colon+1:])
	if err != nil {
		return "", 0, false
	}
	return strings.ReplaceAll(l[:colon], `\`, "/"), n, true
}

// Dump returns the tracebacks of every goroutine in the process, as runtime.Stack prints them.
func Dump() string { return stack(true) }

// All returns every goroutine in the process.
func All() []Goroutine { return Parse(stack(true)) }

// Self returns the calling goroutine: Self().Bubble says which synctest bubble it is in.
func Self() Goroutine {
	gs := Parse(stack(false))
	if len(gs) == 0 {
		return Goroutine{}
	}
	return gs[0]
}

func stack(all bool) string {
	buf := make([]byte, 1<<16)
	for {
		n := runtime.Stack(buf, all)
		if n < len(buf) {
			return string(buf[:n])
		}
		buf = make([]byte, 2*len(buf))
	}
}

// A Snapshot is the set of goroutines that existed at one moment, to tell which were
// started after it. The zero value holds none.
type Snapshot map[int64]bool

// Take returns a snapshot of the goroutines in the process now.
func Take() Snapshot { return Of(All()) }

// Of returns a snapshot of gs.
func Of(gs []Goroutine) Snapshot {
	s := Snapshot{}
	for _, g := range gs {
		s[g.ID] = true
	}
	return s
}

// Started returns the goroutines of gs that were not in s: those started since s was taken
// when gs is [All]().
func (s Snapshot) Started(gs []Goroutine) []Goroutine {
	var out []Goroutine
	for _, g := range gs {
		if !s[g.ID] {
			out = append(out, g)
		}
	}
	return out
}

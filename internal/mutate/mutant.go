package mutate

import (
	"fmt"
	"slices"
	"strings"
)

// The operators: each names one classic concurrency mistake a mutant makes.
const (
	OpDropWait    = "drop-wait"      // a wg.Wait() or errgroup g.Wait() removed (g.Wait() used as a value becomes nil)
	OpDropReceive = "drop-receive"   // a receive statement (<-done) removed
	OpSyncGo      = "sync-go"        // go f(x) → f(x); wg.Go(f) → f(); g.Go(f) → f() on the caller's goroutine
	OpCtxBG       = "ctx-background" // a context.Context argument replaced by context.Background()
	OpDropCancel  = "drop-cancel"    // a cancel(...) call (context.CancelFunc or CancelCauseFunc) removed, deferred ones too
	OpDropClose   = "drop-close"     // a close(ch) removed, deferred ones too
	OpDropLock    = "drop-lock"      // a mu.Lock() and its mu.Unlock() calls removed together
	OpDropCtxCase = "drop-ctx-case"  // a case <-ctx.Done(): removed from a select that has another case
	OpDropRecover = "drop-recover"   // recover() replaced by nil
	OpErrorfV     = "errorf-v"       // one %w of fmt.Errorf turned into %v
	OpReturnNil   = "return-nil"     // return err → return nil, for an identifier of type error
	OpUnbuffered  = "unbuffered"     // make(chan T, n) → make(chan T)
	OpBuffered    = "buffered"       // make(chan T) → make(chan T, 1)
)

// Ops lists the operators in the order reports use.
var Ops = []string{OpDropWait, OpDropReceive, OpSyncGo, OpCtxBG, OpDropCancel, OpDropClose, OpDropLock,
	OpDropCtxCase, OpDropRecover, OpErrorfV, OpReturnNil, OpUnbuffered, OpBuffered}

// An edit replaces src[start:end] with text. A schema (see render.go) uses start and end; a
// mutant built on its own may widen a deletion to whole lines (wideStart, wideEnd), so its
// diff shows no blank line where the statement was.
type edit struct {
	start, end         int
	text               string
	schema             string // the replacement in a schema, when useSchema
	useSchema          bool
	wideStart, wideEnd int // for the mutant on its own; 0, 0: the same as start, end
}

func (e edit) schemaText() string {
	if e.useSchema {
		return e.schema
	}
	return e.text
}

// A site is one place a mutant changes: the statement or expression that holds its edits.
// In a schema it becomes "if !on(id) { original } else { mutant }" (a statement) or
// "pick(id, original, mutant)" (an expression whose two forms have no side effects).
type site struct {
	start, end int
	stmt       bool
	edits      []edit
}

// An outcome is what running the tests did to a mutant.
type outcome int

const (
	notRun     outcome = iota
	killed             // the tests failed: a test failure, a race, a crash or a hang
	survived           // every test passed
	noCompile          // the mutant does not compile: skipped
	sameSource         // the mutant's source equals the original (or another mutant's): skipped
	notJudged          // the file's tests fail without any mutant, or its build failed: skipped
)

// A Mutant is one change to one solution file.
type Mutant struct {
	ID    int    // unique in a run; the schema switches the mutant on when KATA_MUTANT is ID
	File  string // the solution file, a slash path relative to the root
	Op    string // one of Ops
	Func  string // the function it is in: "Wait", "Future.Set"
	Text  string // the source it changes, on one line ("defer cancel(nil)")
	Index int    // 1 for the first mutant with this File, Op, Func and Text, 2 for the next ...
	Line  int    // where it is in File

	sites      []site
	keep       []edit // edits for the mutant on its own only: "_ = x" for a variable it left unused
	alone      bool   // cannot be switched on in a schema: it is built on its own
	ctxImport  bool   // needs import "context" added
	target     *target
	src        []byte // File's source with the mutant applied (gofmt'ed)
	outcome    outcome
	kills      int    // how many runs of its tests failed
	detail     string // why it was killed or skipped, one line
	allowedFor string // the allow-list's reason, for a survivor listed there
}

// Key identifies a mutant across edits that do not touch it: no line number, only the file,
// the operator, the function and the source it changes (with a repeat index past the first).
func (m *Mutant) Key() string {
	text := m.Text
	if m.Index > 1 {
		text += fmt.Sprintf(" #%d", m.Index)
	}
	return strings.Join([]string{m.File, m.Op, m.Func, text}, " | ")
}

// numberMutants sets Index for mutants in source order.
func numberMutants(ms []*Mutant) {
	seen := map[string]int{}
	for _, m := range ms {
		k := strings.Join([]string{m.File, m.Op, m.Func, m.Text}, "\x00")
		seen[k]++
		m.Index = seen[k]
	}
}

// aloneEdits returns every edit of the mutant on its own, sorted, overlapping ones dropped.
func aloneEdits(m *Mutant) []edit {
	var edits []edit
	for _, s := range m.sites {
		edits = append(edits, s.edits...)
	}
	edits = append(edits, m.keep...)
	slices.SortStableFunc(edits, func(a, b edit) int { return a.wide()[0] - b.wide()[0] })
	var out []edit
	pos := 0
	for _, e := range edits {
		if w := e.wide(); w[0] >= pos {
			out = append(out, e)
			pos = w[1]
		}
	}
	return out
}

// applyAlone returns src with every edit of the mutant applied, as the mutant's own source.
func applyAlone(src []byte, m *Mutant) []byte {
	var b []byte
	pos := 0
	for _, e := range aloneEdits(m) {
		w := e.wide()
		b = append(b, src[pos:w[0]]...)
		b = append(b, e.text...)
		pos = w[1]
	}
	return append(b, src[pos:]...)
}

// originalOffset maps an offset in applyAlone's result back to src; ok is false for an
// offset in text an edit wrote.
func originalOffset(m *Mutant, off int) (int, bool) {
	delta := 0
	for _, e := range aloneEdits(m) {
		w := e.wide()
		switch {
		case off < w[0]+delta:
			return off - delta, true
		case off < w[0]+delta+len(e.text):
			return 0, false
		}
		delta += len(e.text) - (w[1] - w[0])
	}
	return off - delta, true
}

func (e edit) wide() [2]int {
	if e.wideStart == 0 && e.wideEnd == 0 {
		return [2]int{e.start, e.end}
	}
	return [2]int{e.wideStart, e.wideEnd}
}

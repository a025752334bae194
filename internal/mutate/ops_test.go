package mutate

import (
	"context"
	"fmt"
	"go/ast"
	"go/format"
	"strings"
	"sync"
	"testing"
)

// snippetHeader starts every snippet: the imports the operators know, all used.
const snippetHeader = `package p

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"golang.org/x/sync/errgroup"
)

var (
	_ = context.Background
	_ = errors.New
	_ = fmt.Errorf
	_ sync.Mutex
	_ errgroup.Group
)

func run(ctx context.Context) error { return ctx.Err() }

`

var snippets struct {
	once sync.Once
	tc   *checker
	err  error
}

// snippetChecker is a checker for the packages snippets import.
func snippetChecker(t *testing.T) *checker {
	t.Helper()
	snippets.once.Do(func() {
		snippets.tc, snippets.err = newChecker(context.Background(), "../..", "",
			[]string{"context", "errors", "fmt", "os", "strconv", "sync", "golang.org/x/sync/errgroup"})
	})
	if snippets.err != nil {
		t.Fatalf("listing the standard packages: %v", snippets.err)
	}
	return snippets.tc
}

// checkSnippet type-checks a package of one file, snippetHeader + body.
func checkSnippet(t *testing.T, body string) (*checker, *checkedPkg) {
	t.Helper()
	tc := snippetChecker(t)
	cp := &checkedPkg{
		listed: &listedPkg{ImportPath: "example.com/p", Dir: "/p"},
		names:  []string{"p.go"},
		srcs:   map[string][]byte{"p.go": []byte(snippetHeader + body)},
		files:  map[string]*ast.File{},
	}
	if errs := tc.typeCheck(cp, "", nil); len(errs) > 0 {
		t.Fatalf("the snippet does not type-check: %v", errs)
	}
	return tc, cp
}

// snippetMutants returns the mutants of snippetHeader + body, each rendered on its own.
func snippetMutants(t *testing.T, body string) (*checker, *checkedPkg, []*Mutant) {
	t.Helper()
	tc, cp := checkSnippet(t, body)
	ms := generate(tc.fset, cp.files["p.go"], cp.srcs["p.go"], cp.info, "p.go", cp.fileList())
	for i, m := range ms {
		m.ID = i + 1
		m.src = renderAlone(cp.srcs["p.go"], m)
		if errs := tc.checkMutant(cp, "p.go", m); len(errs) > 0 {
			m.outcome, m.detail = noCompile, errs[0].Error()
		}
	}
	return tc, cp, ms
}

// describeMutant is "op: " and the mutant's source after snippetHeader.
func describeMutant(t *testing.T, m *Mutant) string {
	t.Helper()
	header, err := format.Source([]byte(snippetHeader))
	if err != nil {
		t.Fatal(err)
	}
	body, ok := strings.CutPrefix(string(m.src), string(header))
	if !ok {
		return m.Op + ": (the header changed)\n" + string(m.src)
	}
	return m.Op + ":\n" + strings.TrimPrefix(body, "\n")
}

func TestOperators(t *testing.T) {
	tests := []struct {
		name string
		give string
		want []string
	}{
		{
			name: "waitgroup",
			give: `func f() {
	var wg sync.WaitGroup
	wg.Go(func() { work() })
	wg.Wait()
}

func work() {}
`,
			want: []string{
				`sync-go:
func f() {
	var wg sync.WaitGroup
	func() { work() }()
	wg.Wait()
}

func work() {}
`,
				`drop-wait:
func f() {
	var wg sync.WaitGroup
	wg.Go(func() { work() })
}

func work() {}
`,
			},
		},
		{
			name: "go and receive",
			give: `func f() {
	done := make(chan struct{})
	go func() {
		defer close(done)
	}()
	<-done
}
`,
			want: []string{
				`sync-go:
func f() {
	done := make(chan struct{})
	func() {
		defer close(done)
	}()
	<-done
}
`,
				`drop-close:
func f() {
	done := make(chan struct{})
	go func() {
	}()
	<-done
}
`,
				`drop-receive:
func f() {
	done := make(chan struct{})
	go func() {
		defer close(done)
	}()
}
`,
			},
		},
		{
			name: "signal sent on",
			give: `func f() {
	ready := make(chan struct{})
	go func() { ready <- struct{}{} }()
	<-ready
}
`,
			want: []string{
				`buffered:
func f() {
	ready := make(chan struct{}, 1)
	go func() { ready <- struct{}{} }()
	<-ready
}
`,
				`sync-go:
func f() {
	ready := make(chan struct{})
	func() { ready <- struct{}{} }()
	<-ready
}
`,
				`drop-receive:
func f() {
	ready := make(chan struct{})
	go func() { ready <- struct{}{} }()
}
`,
			},
		},
		{
			name: "without cancel",
			give: `func f(ctx context.Context) error {
	return run(context.WithoutCancel(ctx))
}
`,
		},
		{
			name: "errgroup",
			give: `func f(ctx context.Context) error {
	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() error { return run(ctx) })
	return g.Wait()
}
`,
			want: []string{
				`ctx-background:
func f(ctx context.Context) error {
	g, ctx := errgroup.WithContext(context.Background())
	g.Go(func() error { return run(ctx) })
	return g.Wait()
}
`,
				`sync-go:
func f(ctx context.Context) error {
	g, ctx := errgroup.WithContext(ctx)
	if err := func() error { return run(ctx) }(); err != nil {
		g.Go(func() error { return err })
	}
	return g.Wait()
}
`,
				`ctx-background:
func f(ctx context.Context) error {
	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() error { return run(context.Background()) })
	return g.Wait()
}
`,
				`drop-wait:
func f(ctx context.Context) error {
	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() error { return run(ctx) })
	return nil
}
`,
			},
		},
		{
			name: "cancel",
			give: `func f(ctx context.Context) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	return run(ctx)
}
`,
			want: []string{
				`ctx-background:
func f(ctx context.Context) error {
	ctx, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)
	return run(ctx)
}
`,
				`drop-cancel:
func f(ctx context.Context) error {
	ctx, cancel := context.WithCancelCause(ctx)
	_ = cancel
	return run(ctx)
}
`,
				`ctx-background:
func f(ctx context.Context) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	return run(context.Background())
}
`,
			},
		},
		{
			name: "lock",
			give: `type counter struct {
	mu sync.Mutex
	n  int
}

func (c *counter) add() int {
	c.mu.Lock()
	if c.n > 10 {
		c.mu.Unlock()
		return c.n
	}
	c.n++
	c.mu.Unlock()
	return c.n
}
`,
			want: []string{
				`drop-lock:
type counter struct {
	mu sync.Mutex
	n  int
}

func (c *counter) add() int {
	if c.n > 10 {
		return c.n
	}
	c.n++
	return c.n
}
`,
			},
		},
		{
			name: "select",
			give: `func f(ctx context.Context, ch <-chan int) (int, error) {
	select {
	case <-ctx.Done():
		return 0, context.Cause(ctx)
	case v := <-ch:
		return v, nil
	}
}
`,
			want: []string{
				`drop-ctx-case:
func f(ctx context.Context, ch <-chan int) (int, error) {
	select {
	case v := <-ch:
		return v, nil
	}
}
`,
				`ctx-background:
func f(ctx context.Context, ch <-chan int) (int, error) {
	select {
	case <-ctx.Done():
		return 0, context.Cause(context.Background())
	case v := <-ch:
		return v, nil
	}
}
`,
			},
		},
		{
			name: "select last case",
			give: `func f(ctx context.Context, ch <-chan int) int {
	select {
	case v := <-ch:
		return v
	case <-ctx.Done():
		return 0
	}
}
`,
			want: []string{
				`drop-ctx-case:
func f(ctx context.Context, ch <-chan int) int {
	select {
	case v := <-ch:
		return v
	}
}
`,
			},
		},
		{
			name: "errors",
			give: `var errBoom = errors.New("boom")

func f(fn func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	if err := fn(); err != nil {
		return fmt.Errorf("%w: %w", errBoom, err)
	}
	return err
}
`,
			want: []string{
				`drop-recover:
var errBoom = errors.New("boom")

func f(fn func() error) (err error) {
	defer func() {
		if r := any(nil); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	if err := fn(); err != nil {
		return fmt.Errorf("%w: %w", errBoom, err)
	}
	return err
}
`,
				`errorf-v:
var errBoom = errors.New("boom")

func f(fn func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	if err := fn(); err != nil {
		return fmt.Errorf("%v: %w", errBoom, err)
	}
	return err
}
`,
				`errorf-v:
var errBoom = errors.New("boom")

func f(fn func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	if err := fn(); err != nil {
		return fmt.Errorf("%w: %v", errBoom, err)
	}
	return err
}
`,
				`return-nil:
var errBoom = errors.New("boom")

func f(fn func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	if err := fn(); err != nil {
		return fmt.Errorf("%w: %w", errBoom, err)
	}
	return nil
}
`,
			},
		},
		{
			name: "buffers",
			give: `func f() (chan int, chan int) {
	return make(chan int, 4), make(chan int)
}
`,
			want: []string{
				`unbuffered:
func f() (chan int, chan int) {
	return make(chan int), make(chan int)
}
`,
				`buffered:
func f() (chan int, chan int) {
	return make(chan int, 4), make(chan int, 1)
}
`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, ms := snippetMutants(t, tt.give)
			var got []string
			for _, m := range ms {
				if m.outcome == noCompile {
					t.Errorf("mutant %s does not compile: %s\n%s", m.Key(), m.detail, m.src)
				}
				got = append(got, describeMutant(t, m))
			}
			if len(got) != len(tt.want) {
				t.Errorf("%d mutants, want %d:\n%s", len(got), len(tt.want), strings.Join(got, "\n---\n"))
				return
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("mutant %d:\n%s\nwant:\n%s", i+1, got[i], tt.want[i])
				}
			}
		})
	}
}

// TestSchemaCompiles renders each snippet's mutants together as a schema, the way a test
// binary holds them, and type-checks it with the schema's helper file.
func TestSchemaCompiles(t *testing.T) {
	bodies := []string{
		`func f(ctx context.Context, ch chan int) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	g, ctx := errgroup.WithContext(ctx)
	done := make(chan struct{})
	var mu sync.Mutex
	n := 0
	g.Go(func() error {
		defer close(done)
		mu.Lock()
		defer mu.Unlock()
		n++
		select {
		case <-ctx.Done():
			return fmt.Errorf("%w: %w", ctx.Err(), context.Cause(ctx))
		case ch <- n:
		}
		return nil
	})
	go func() { <-done; cancel(nil) }()
	<-done
	if err := g.Wait(); err != nil {
		return err
	}
	err := run(ctx)
	return err
}
`,
		`func f(ctx context.Context, ch chan int) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
loop:
	for {
		select {
		case <-ctx.Done():
			break loop
		case ch <- 1:
		}
	}
	var wg sync.WaitGroup
	res := make(chan error, 1)
	wg.Go(func() { res <- run(ctx) })
	wg.Wait()
	return <-res
}
`,
	}
	for i, body := range bodies {
		tc, cp, all := snippetMutants(t, body)
		var ms []*Mutant
		for _, m := range all {
			if m.outcome != noCompile && !m.alone {
				ms = append(ms, m)
			}
		}
		if len(ms) < 5 {
			t.Errorf("snippet %d: %d mutants in the schema, want 5 or more", i, len(ms))
		}
		schema := &checkedPkg{
			listed: cp.listed,
			names:  []string{"p.go", "zz_kata_mutant.go"},
			srcs: map[string][]byte{
				"p.go":              renderSchema(cp.srcs["p.go"], ms),
				"zz_kata_mutant.go": fmt.Appendf(nil, schemaHelper, "p"),
			},
			files: map[string]*ast.File{},
		}
		if errs := tc.typeCheck(schema, "", nil); len(errs) > 0 {
			t.Errorf("snippet %d: the schema does not type-check: %v\n%s", i, errs, schema.srcs["p.go"])
		}
	}
}

// TestAlone checks which mutants a schema cannot hold: a statement that holds a label, or
// one that declares a name.
func TestAlone(t *testing.T) {
	_, _, ms := snippetMutants(t, `func f(ctx context.Context, ch chan int) error {
loop:
	for {
		select {
		case <-ctx.Done():
			break loop
		case ch <- 1:
		}
	}
L:
	select {
	case <-ctx.Done():
		break L
	case <-ch:
	}
	var g errgroup.Group
	err := g.Wait()
	return err
}
`)
	var got []string
	for _, m := range ms {
		got = append(got, fmt.Sprintf("%s %s alone=%t", m.Op, m.Text, m.alone))
	}
	want := []string{
		"drop-ctx-case case <-ctx.Done() alone=false",
		"drop-ctx-case case <-ctx.Done() alone=true",
		"drop-wait err := g.Wait() alone=true",
		"return-nil return err alone=false",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("mutants:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestKey(t *testing.T) {
	_, _, ms := snippetMutants(t, `func f(err, cause error) error {
	return fmt.Errorf("%w: %w", err, cause)
}
`)
	var got []string
	for _, m := range ms {
		got = append(got, m.Key())
	}
	want := []string{
		`p.go | errorf-v | f | fmt.Errorf("%w: %w", err, cause)`,
		`p.go | errorf-v | f | fmt.Errorf("%w: %w", err, cause) #2`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("keys:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

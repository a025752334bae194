package mutate

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFakeModule runs the whole check on testdata/fakemod, a kata module with two solution
// files: Sum survives two mutants (its channel's buffer and a synchronous go change
// nothing its test sees), Wrap's one mutant (%v for %w) is killed.
func TestFakeModule(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs test binaries")
	}
	root, err := filepath.Abs(filepath.Join("testdata", "fakemod"))
	if err != nil {
		t.Fatal(err)
	}
	const (
		unbuffered = "solutions/kata/sum.go | unbuffered | Sum | make(chan int, len(xs))"
		syncGo     = "solutions/kata/sum.go | sync-go | Sum | go func() { results <- x }()"
		errorfV    = `solutions/kata/wrap.go | errorf-v | Wrap | fmt.Errorf("%s: %w", where, err)`
	)
	tests := []struct {
		name      string
		giveArgs  []string
		giveAllow []string
		wantErr   []string // each in the error; none: the check passes
		wantOut   []string // each in the output
	}{
		{
			name:      "a survivor not listed, two stale entries",
			giveAllow: []string{syncGo + " | the buffer holds every result", errorfV + " | wrong: it is killed", "solutions/kata/sum.go | drop-close | Sum | close(results) | no such mutant", "solutions/kata/gone.go | drop-wait | Gone | wg.Wait() | no such file"},
			wantErr:   []string{"1 survivor not in", "3 stale entries"},
			wantOut: []string{
				"solutions/kata/sum.go:6: unbuffered in Sum: make(chan int, len(xs))",
				"allow-list line: " + unbuffered + " | <why it is harmless by design>",
				"  -\tresults := make(chan int, len(xs))\n  +\tresults := make(chan int)\n",
				errorfV + ": killed now (TestWrap: wrap_test.go:10: Wrap(here, ErrBoom) = here: boom, want an error that matches ErrBoom)",
				"close(results): no such mutant any more",
				"solutions/kata/gone.go: no such solution file with tests",
				"3 mutants: 1 killed, 2 survived (1 allowed), 0 skipped",
			},
		},
		{
			name:      "every survivor listed, each mutant built on its own",
			giveArgs:  []string{"-alone"},
			giveAllow: []string{"# harmless by design", unbuffered + " | the receiving loop takes every result", syncGo + " | the buffer holds every result"},
			wantOut:   []string{"(3 mutants each built on its own later)", "3 mutants: 1 killed, 2 survived (2 allowed), 0 skipped"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			allow := filepath.Join(t.TempDir(), "harmless.txt")
			if err := os.WriteFile(allow, []byte(strings.Join(tt.giveAllow, "\n")+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer
			err := Command(t.Context(), root, append([]string{"-race=false", "-allow", allow}, tt.giveArgs...), &out, &out)
			switch {
			case len(tt.wantErr) == 0 && err != nil:
				t.Errorf("Command = %v, want nil", err)
			case len(tt.wantErr) > 0 && err == nil:
				t.Errorf("Command = nil, want an error")
			}
			for _, w := range tt.wantErr {
				if err != nil && !strings.Contains(err.Error(), w) {
					t.Errorf("Command = %v, want an error that says %q", err, w)
				}
			}
			for _, w := range tt.wantOut {
				if !strings.Contains(out.String(), w) {
					t.Errorf("the output does not say %q", w)
				}
			}
			if t.Failed() {
				t.Logf("output:\n%s", out.String())
			}
		})
	}
}

// TestFakeModuleList lists the mutants of testdata/fakemod without running them, with the
// flags after the package.
func TestFakeModuleList(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("testdata", "fakemod"))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := Command(t.Context(), root, []string{"./kata", "-list", "-run", "sum"}, &out, &out); err != nil {
		t.Fatalf("Command(./kata -list -run sum) = %v, want nil\n%s", err, out.String())
	}
	for _, w := range []string{
		"1 solution file in 1 package",
		"solutions/kata/sum.go (TestSum)",
		"1:6    unbuffered     Sum: make(chan int, len(xs))",
		"2:8    sync-go        Sum: go func() { results <- x }()",
	} {
		if !strings.Contains(out.String(), w) {
			t.Errorf("the output does not say %q:\n%s", w, out.String())
		}
	}
	if strings.Contains(out.String(), "wrap.go") {
		t.Errorf("-run sum listed wrap.go:\n%s", out.String())
	}
}

package render

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

func TestWhere(t *testing.T) {
	root := filepath.FromSlash("/repo")
	tests := []struct {
		wd                string
		wantPath, wantDir string
		wantKata          string
	}{
		{"", filepath.FromSlash("part1_concurrency/sum.go"), "./part1_concurrency", "go run ./cmd/kata"},
		{root, filepath.FromSlash("part1_concurrency/sum.go"), "./part1_concurrency", "go run ./cmd/kata"},
		{filepath.Join(root, "part1_concurrency"), "sum.go", ".", "go run ../cmd/kata"},
		{filepath.Join(root, "advanced", "future"), filepath.FromSlash("../../part1_concurrency/sum.go"), "../../part1_concurrency", "go run ../../cmd/kata"},
		{filepath.FromSlash("/elsewhere"), filepath.FromSlash("part1_concurrency/sum.go"), "./part1_concurrency", "go run ./cmd/kata"},
	}
	for _, tt := range tests {
		w := Where{Root: root, WD: tt.wd}
		if got := w.Path("part1_concurrency/sum.go"); got != tt.wantPath {
			t.Errorf("Where{WD: %q}.Path(part1_concurrency/sum.go) = %q, want %q", tt.wd, got, tt.wantPath)
		}
		if got := w.Dir("part1_concurrency"); got != tt.wantDir {
			t.Errorf("Where{WD: %q}.Dir(part1_concurrency) = %q, want %q", tt.wd, got, tt.wantDir)
		}
		if got := w.Kata(); got != tt.wantKata {
			t.Errorf("Where{WD: %q}.Kata() = %q, want %q", tt.wd, got, tt.wantKata)
		}
	}
}

func TestPlural(t *testing.T) {
	for _, tt := range []struct {
		n    int
		want string
	}{{0, "0 tasks"}, {1, "1 task"}, {2, "2 tasks"}} {
		if got := Plural(tt.n, "task", "tasks"); got != tt.want {
			t.Errorf("Plural(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
}

func TestASCII(t *testing.T) {
	var b strings.Builder
	fmt.Fprintf(ASCII(&b), "  ✓ sum\n  ✗ tasks  ← next\nNext: tasks — N tasks at once\nCompiling…")
	want := "  v sum\n  x tasks  <- next\nNext: tasks - N tasks at once\nCompiling..."
	if got := b.String(); got != want {
		t.Errorf("ASCII(w) wrote %q, want %q", got, want)
	}
}

package render

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-async-katas/katas/internal/catalog"
	"github.com/go-async-katas/katas/internal/gorun"
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

// TestCrashes checks which go test outputs count as a crash of the test binary.
func TestCrashes(t *testing.T) {
	tests := []struct {
		name       string
		give       string // go test -json lines
		wantCrash  string
		wantTest   string
		wantWhy    string // in the board's reason for kata "k" with test TestHang
		wantDetail string // in the lines the board shows below the reason
	}{
		{
			name: "panic text in an example's output",
			give: `{"Action":"run","Package":"p","Test":"TestHang"}
{"Action":"output","Package":"p","Test":"TestHang","Output":"got:\npanic: boom\nwant:\nno panic\n"}
{"Action":"fail","Package":"p","Test":"TestHang"}
{"Action":"fail","Package":"p"}`,
			wantWhy: "TestHang fails",
		},
		{
			name: "panic in a goroutine",
			give: `{"Action":"run","Package":"p","Test":"TestHang"}
{"Action":"output","Package":"p","Test":"TestHang","Output":"panic: boom\n"}
{"Action":"output","Package":"p","Test":"TestHang","Output":"\n"}
{"Action":"output","Package":"p","Test":"TestHang","Output":"goroutine 7 [running]:\n"}
{"Action":"fail","Package":"p","Test":"TestHang"}
{"Action":"fail","Package":"p"}`,
			wantCrash: "panic: boom",
			wantTest:  "TestHang",
			wantWhy:   "TestHang crashed the test binary: panic: boom",
		},
		{
			name: "send on a closed channel, in a goroutine",
			give: `{"Action":"run","Package":"p","Test":"TestHang"}
{"Action":"output","Package":"p","Test":"TestHang","Output":"panic: send on closed channel\n"}
{"Action":"output","Package":"p","Test":"TestHang","Output":"\n"}
{"Action":"output","Package":"p","Test":"TestHang","Output":"goroutine 7 [running]:\n"}
{"Action":"fail","Package":"p","Test":"TestHang"}
{"Action":"fail","Package":"p"}`,
			wantCrash: "panic: send on closed channel",
			wantTest:  "TestHang",
			wantWhy:   "it ends the whole run)\nA goroutine sent on a channel that was already closed. Close a channel only on its\nsending side",
		},
		{
			name: "data race",
			give: `{"Action":"run","Package":"p","Test":"TestHang"}
{"Action":"output","Package":"p","Test":"TestHang","Output":"==================\n"}
{"Action":"output","Package":"p","Test":"TestHang","Output":"WARNING: DATA RACE\n"}
{"Action":"output","Package":"p","Test":"TestHang","Output":"Write at 0x00c0000186c8 by goroutine 13:\n"}
{"Action":"output","Package":"p","Test":"TestHang","Output":"  example.com/k.Sum.func2()\n"}
{"Action":"output","Package":"p","Test":"TestHang","Output":"      /home/me/k/sum.go:15 +0x6c\n"}
{"Action":"output","Package":"p","Test":"TestHang","Output":"  testing.tRunner()\n"}
{"Action":"output","Package":"p","Test":"TestHang","Output":"      /usr/local/go/src/testing/testing.go:2036 +0x21c\n"}
{"Action":"output","Package":"p","Test":"TestHang","Output":"==================\n"}
{"Action":"output","Package":"p","Test":"TestHang","Output":"    testing.go:1617: race detected during execution of test\n"}
{"Action":"fail","Package":"p","Test":"TestHang"}
{"Action":"fail","Package":"p"}`,
			wantWhy:    "TestHang fails: a data race",
			wantDetail: "Write at 0x00c0000186c8 by goroutine 13:\n  k.Sum.func2 (sum.go:15)",
		},
		{
			name: "timeout",
			give: `{"Action":"run","Package":"p","Test":"TestHang"}
{"Action":"output","Package":"p","Test":"TestHang","Output":"panic: test timed out after 1m0s\n"}
{"Action":"output","Package":"p","Test":"TestHang","Output":"\trunning tests:\n"}
{"Action":"output","Package":"p","Test":"TestHang","Output":"goroutine 5 [running]:\n"}
{"Action":"fail","Package":"p","Test":"TestHang"}
{"Action":"fail","Package":"p"}`,
			wantCrash: "panic: test timed out after 1m0s",
			wantTest:  "TestHang",
			wantWhy:   "TestHang did not finish: test timed out after 1m0s",
		},
		{
			name: "the harness's hang report",
			give: `{"Action":"run","Package":"p","Test":"TestHang"}
{"Action":"run","Package":"p","Test":"TestHang/seed"}
{"Action":"output","Package":"p","Test":"TestHang/seed","Output":"--- HANG: TestHang/seed (no progress for 10s of real time)\n"}
{"Action":"output","Package":"p","Test":"TestHang/seed","Output":"    Stuck goroutines (your code first):\n"}
{"Action":"output","Package":"p","Test":"TestHang/seed","Output":"      goroutine 7 [sync.Mutex.Lock]\n"}
{"Action":"output","Package":"p","Test":"TestHang/seed","Output":"          k.GatherAll (k.go:23)\n"}
{"Action":"fail","Package":"p"}`,
			wantWhy:    "it hangs: TestHang/seed (no progress for 10s of real time)",
			wantDetail: "goroutine 7 [sync.Mutex.Lock]\n      k.GatherAll (k.go:23)",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := gorun.ParseEvents(strings.NewReader(tt.give), nil)["p"]
			require.NotNil(t, p)
			crash, test := p.Crash()
			assert.Equal(t, tt.wantCrash, crash)
			assert.Equal(t, tt.wantTest, test)
			st := StatusOf(&catalog.Kata{Name: "k", Tests: []string{"TestHang"}}, p)
			assert.Contains(t, st.Reason, tt.wantWhy)
			assert.Contains(t, strings.Join(st.Detail, "\n"), tt.wantDetail)
			cmd := TestCommand(Where{}, &catalog.Kata{Pkg: &catalog.Package{Dir: "p"}, Name: "k", Tests: []string{"TestHang"}}, st)
			assert.Contains(t, cmd, " -timeout 2m ", "the Test: command never waits go test's default 10 minutes")
			if strings.Contains(tt.wantWhy, "data race") {
				assert.Contains(t, cmd, " -race ", "the Test: command of a race shows the race")
			} else {
				assert.NotContains(t, cmd, "-race")
			}
		})
	}
}

func TestBar(t *testing.T) {
	tests := []struct {
		done, total int
		want        string
	}{
		{0, 28, "[....................]"},
		{1, 28, "[#...................]"},
		{14, 28, "[##########..........]"},
		{27, 28, "[###################.]"},
		{28, 28, "[####################]"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, Painter{}.Bar(tt.done, tt.total, 20), "bar(%d, %d)", tt.done, tt.total)
	}
}

package gorun

import (
	"strings"
	"testing"

	"github.com/go-async-katas/katas/internal/catalog"
)

// pkgOf returns a package with katas a (TestA) and b (TestB).
func pkgOf() (*catalog.Package, *catalog.Kata, *catalog.Kata) {
	p := &catalog.Package{Dir: "p"}
	a := &catalog.Kata{Pkg: p, Name: "a", Tests: []string{"TestA"}}
	b := &catalog.Kata{Pkg: p, Name: "b", Tests: []string{"TestB"}}
	p.Katas = []*catalog.Kata{a, b}
	return p, a, b
}

func TestDiedAndCulprit(t *testing.T) {
	p, a, _ := pkgOf()
	tests := []struct {
		name        string
		give        string
		wantDied    string // "" for a binary that ended normally
		wantCulprit *catalog.Kata
	}{
		{
			name: "tests fail, the binary ends normally",
			give: `{"Action":"run","Package":"p","Test":"TestA"}
{"Action":"fail","Package":"p","Test":"TestA"}
{"Action":"run","Package":"p","Test":"TestB"}
{"Action":"pass","Package":"p","Test":"TestB"}
{"Action":"fail","Package":"p"}`,
		},
		{
			name: "a hang in a's code",
			give: `{"Action":"run","Package":"p","Test":"TestA"}
{"Action":"output","Package":"p","Test":"TestA","Output":"--- HANG: TestA (no progress for 2s of real time)\n"}
{"Action":"output","Package":"p","Test":"TestA","Output":"      p.A (a.go:12)\n"}
{"Action":"fail","Package":"p"}`,
			wantDied:    "TestA hung",
			wantCulprit: a,
		},
		{
			name: "a hang in TestA, but the stuck line is b's",
			give: `{"Action":"run","Package":"p","Test":"TestA"}
{"Action":"output","Package":"p","Test":"TestA","Output":"--- HANG: TestA (no progress for 2s of real time)\n"}
{"Action":"output","Package":"p","Test":"TestA","Output":"      p.B (b.go:7)\n"}
{"Action":"fail","Package":"p"}`,
			wantDied: "TestA hung",
		},
		{
			name: "a crash in a's code",
			give: `{"Action":"run","Package":"p","Test":"TestA"}
{"Action":"output","Package":"p","Test":"TestA","Output":"panic: close of closed channel\n"}
{"Action":"output","Package":"p","Test":"TestA","Output":"goroutine 9 [running]:\n"}
{"Action":"output","Package":"p","Test":"TestA","Output":"p.A.func1()\n"}
{"Action":"output","Package":"p","Test":"TestA","Output":"\t/src/p/a.go:20 +0x1d\n"}
{"Action":"fail","Package":"p","Test":"TestA"}
{"Action":"fail","Package":"p"}`,
			wantDied:    "its test binary crashed in TestA (panic: close of closed channel)",
			wantCulprit: a,
		},
		{
			name: "every test passed, then the binary failed",
			give: `{"Action":"run","Package":"p","Test":"TestA"}
{"Action":"pass","Package":"p","Test":"TestA"}
{"Action":"run","Package":"p","Test":"TestB"}
{"Action":"pass","Package":"p","Test":"TestB"}
{"Action":"output","Package":"p","Output":"goleak: Errors on successful test run: found unexpected goroutines:\n"}
{"Action":"fail","Package":"p"}`,
			wantDied: "its test binary failed after every test passed",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pr := ParseEvents(strings.NewReader(tt.give), nil)["p"]
			if got := pr.Died(p); got != tt.wantDied {
				t.Errorf("Died() = %q, want %q", got, tt.wantDied)
			}
			if tt.wantDied == "" {
				return
			}
			if got := pr.culprit(p); got != tt.wantCulprit {
				t.Errorf("culprit() = %v, want %v: only a kata whose own file the report names keeps the run", got, tt.wantCulprit)
			}
		})
	}
}

func TestRunPattern(t *testing.T) {
	if got, want := RunPattern([]string{"TestA", "TestA2"}), "^(TestA|TestA2)$"; got != want {
		t.Errorf("RunPattern = %q, want %q", got, want)
	}
}

func TestNothingBuilt(t *testing.T) {
	built := `{"Action":"start","Package":"a"}
{"Action":"run","Package":"a","Test":"TestA"}
{"Action":"fail","Package":"a","Test":"TestA"}
{"Action":"fail","Package":"a"}`
	broken := `{"ImportPath":"b [b.test]","Action":"build-output","Output":"# runtime/cgo\n"}
{"ImportPath":"b [b.test]","Action":"build-fail"}
{"Action":"start","Package":"b"}
{"Action":"output","Package":"b","Output":"FAIL\tb [build failed]\n"}
{"Action":"fail","Package":"b","FailedBuild":"b [b.test]"}`
	if !NothingBuilt(ParseEvents(strings.NewReader(broken), nil)) {
		t.Error("NothingBuilt = false for a run whose only package did not build, want true")
	}
	if NothingBuilt(ParseEvents(strings.NewReader(built+"\n"+broken), nil)) {
		t.Error("NothingBuilt = true, want false: package a built and ran")
	}
}

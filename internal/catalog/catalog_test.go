package catalog

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeTree writes files (slash path → content) under a new folder and returns it.
func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for name, content := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func TestLoadOrderAndTitles(t *testing.T) {
	root := writeTree(t, map[string]string{
		"katas.json": `{"folders": [
			{"path": "b", "katas": [{"name": "zeta", "title": "first"}, {"name": "alpha", "title": "second"}]},
			{"path": "a", "katas": [{"name": "one", "title": ""}]}]}`,
		"a/one.go": "package a\n", "a/one_test.go": "package a\nimport \"testing\"\nfunc TestOne(t *testing.T) {}\n",
		"b/zeta.go": "package b\n", "b/zeta_test.go": "package b\nimport \"testing\"\nfunc TestZeta(t *testing.T) {}\nfunc TestZetaMore(t *testing.T) {}\n",
		"b/alpha.go": "package b\n", "b/alpha_extra_test.go": "package b\nimport \"testing\"\nfunc TestAlpha(t *testing.T) {}\n",
		"solutions/a/one.go": "package a\n", "solutions/b/zeta.go": "package b\n", "solutions/b/alpha.go": "package b\n",
	})
	tr, err := Load(root)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, k := range tr.Katas() {
		got = append(got, k.ID()+" "+k.Title+" "+strings.Join(k.Tests, ","))
	}
	want := []string{"b/zeta first TestZeta,TestZetaMore", "b/alpha second TestAlpha", "a/one  TestOne"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("Load gave the katas\n%s\nwant the manifest's order and titles, with each kata's tests:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(tr.Problems) > 0 || len(tr.Packages[0].Problems) > 0 || len(tr.Packages[1].Problems) > 0 {
		t.Errorf("Load found problems in a sound tree: %q %q %q", tr.Problems, tr.Packages[0].Problems, tr.Packages[1].Problems)
	}
}

func TestLoadProblems(t *testing.T) {
	root := writeTree(t, map[string]string{
		"katas.json": `{"folders": [{"path": "a", "katas": [{"name": "one"}, {"name": "ghost"}, {"name": "bare"}]}]}`,
		"a/one.go":   "package a\n", "a/one_test.go": "package a\nimport \"testing\"\nfunc TestOne(t *testing.T) {}\n",
		"a/two.go": "package a\n", "a/two_test.go": "package a\nimport \"testing\"\nfunc TestTwo(t *testing.T) {}\n",
		"a/bare.go":          "package a\n",
		"solutions/a/one.go": "package a\n", "solutions/a/two.go": "package a\n", "solutions/a/bare.go": "package a\n",
		"c/x.go": "package c\n", "solutions/c/x.go": "package c\n",
	})
	tr, err := Load(root)
	if err != nil {
		t.Fatal(err)
	}
	all := strings.Join(append(tr.Problems, tr.Packages[0].Problems...), "\n")
	for _, want := range []string{
		"solutions/c replaces files of c, a folder katas.json does not list",
		"solutions/a/two.go is the solution of a kata katas.json does not list in a",
		"katas.json lists kata a/ghost, but there is no a/ghost.go with a solution solutions/a/ghost.go",
		"kata a/bare has no tests",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("Load's problems do not say %q; they are:\n%s", want, all)
		}
	}
	if got := tr.Packages[0].Orphans; len(got) != 1 || !strings.HasPrefix(got[0], "TestTwo in a/two_test.go") {
		t.Errorf("Orphans = %q, want TestTwo, whose kata is not listed", got)
	}
}

func TestLoadWithoutManifest(t *testing.T) {
	if _, err := Load(t.TempDir()); err == nil || !strings.Contains(err.Error(), "reading the kata catalog") {
		t.Errorf("Load of a tree without %s: err = %v, want it to say the catalog could not be read", ManifestFile, err)
	}
}

func TestMatches(t *testing.T) {
	tests := []struct {
		give    []string
		giveDir string
		want    bool
	}{
		{nil, "part1_concurrency", true},
		{[]string{"./part1_concurrency"}, "part1_concurrency", true},
		{[]string{"part1_concurrency/"}, "part1_concurrency", true},
		{[]string{"part1_concurrency"}, "part1_concurrency/loader", false},
		{[]string{"./part1_concurrency/..."}, "part1_concurrency/loader", true},
		{[]string{"./advanced/..."}, "advanced", true},
		{[]string{"./advanced/..."}, "advancedx", false},
		{[]string{"./..."}, "cmd/kata", true},
		{[]string{"."}, "cmd/kata", true},
	}
	for _, tt := range tests {
		if got := Matches(tt.give, tt.giveDir); got != tt.want {
			t.Errorf("Matches(%q, %q) = %v, want %v", tt.give, tt.giveDir, got, tt.want)
		}
	}
}

// Package catalog is the kata tool's view of a kata repository: which katas there are, in
// what order, with what titles, where each one's stub, solution and tests live, and how a
// learner may name one.
//
// The order and the titles have one home, the repository's manifest [ManifestFile]: a list
// of kata folders, each with its katas. [Load] reads it and checks it against the tree (every
// listed kata has a stub, a solution and tests; every solution file is listed; every test
// belongs to a kata) and keeps what does not match in the problems verify reports. Nothing
// is inferred from README prose.
package catalog

import (
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ManifestFile is the manifest's name, at the repository's root.
const ManifestFile = "katas.json"

// A Tree is a kata repository: its kata packages in learning order.
type Tree struct {
	Root     string     // absolute
	Packages []*Package // in the manifest's order
	Problems []string   // where the manifest and the tree disagree
}

// A Package is a kata folder: a package with files that solutions/ replaces.
type Package struct {
	Dir      string   // slash path relative to the root: "part1_concurrency"
	Replaced []string // names of the files that solutions/ replaces
	Katas    []*Kata  // in learning order
	Orphans  []string // tests in files that belong to no kata
	Problems []string // ways the package breaks the layout rules
}

// A Kata is a stub file with the tests that belong to it.
type Kata struct {
	Pkg   *Package
	Name  string   // the stub file's name without .go: "sum"
	Title string   // from the manifest: "the concurrent sum"
	Tests []string // top-level Test, Example and Fuzz functions, in file order
}

// StubPath is the slash path of the file the learner edits.
func (k *Kata) StubPath() string { return path.Join(k.Pkg.Dir, k.Name+".go") }

// SolutionPath is the slash path of the kata's solution.
func (k *Kata) SolutionPath() string { return path.Join("solutions", k.Pkg.Dir, k.Name+".go") }

// ID is the kata's full name: its folder and its stub file's name without .go.
func (k *Kata) ID() string { return k.Pkg.Dir + "/" + k.Name }

func (k *Kata) String() string { return k.StubPath() }

// manifest is the shape of [ManifestFile].
type manifest struct {
	Folders []struct {
		Path  string `json:"path"`
		Katas []struct {
			Name  string `json:"name"`
			Title string `json:"title"`
		} `json:"katas"`
	} `json:"folders"`
}

// Load reads the manifest of the repository at root and the kata folders it lists, and
// checks them against the tree. A missing or unreadable manifest is an error; a manifest
// that disagrees with the tree is not: the disagreements are in the Problems of the tree and
// of its packages.
func Load(root string) (*Tree, error) {
	b, err := os.ReadFile(filepath.Join(root, ManifestFile))
	if err != nil {
		return nil, fmt.Errorf("reading the kata catalog: %w", err)
	}
	var m manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("reading the kata catalog %s: %w", ManifestFile, err)
	}
	t := &Tree{Root: root}
	listed := map[string]bool{}
	for _, f := range m.Folders {
		dir := path.Clean(f.Path)
		if listed[dir] {
			t.Problems = append(t.Problems, fmt.Sprintf("%s lists folder %s twice", ManifestFile, dir))
			continue
		}
		listed[dir] = true
		p := &Package{Dir: dir}
		var names []string
		titles := map[string]string{}
		for _, k := range f.Katas {
			names = append(names, k.Name)
			titles[k.Name] = k.Title
		}
		loadPackage(root, p, names, titles)
		t.Packages = append(t.Packages, p)
	}

	// Every folder of solutions/ with Go files must be listed, but for programs (package
	// main) that run the solutions: they are not katas.
	solutions := filepath.Join(root, "solutions")
	err = filepath.WalkDir(solutions, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		if name := d.Name(); p != solutions && (name == "testdata" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
			return filepath.SkipDir
		}
		rel, err := filepath.Rel(solutions, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if files := goFiles(p); len(files) > 0 && !listed[rel] && !isMain(filepath.Join(p, files[0])) {
			t.Problems = append(t.Problems, fmt.Sprintf("solutions/%s replaces files of %s, a folder %s does not list: add it with its katas", rel, rel, ManifestFile))
		}
		return nil
	})
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("reading the katas: %w", err)
	}
	return t, nil
}

// goFiles returns the names of the non-test Go files in dir.
func goFiles(dir string) []string {
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		if n := e.Name(); !e.IsDir() && strings.HasSuffix(n, ".go") && !strings.HasSuffix(n, "_test.go") {
			names = append(names, n)
		}
	}
	return names
}

// isMain reports whether the Go file is in package main.
func isMain(file string) bool {
	f, err := parser.ParseFile(token.NewFileSet(), file, nil, parser.PackageClauseOnly)
	return err == nil && f.Name.Name == "main"
}

// loadPackage fills p with the katas the manifest lists for it, in that order, and checks
// them against the folder and its solutions.
func loadPackage(root string, p *Package, names []string, titles map[string]string) {
	abs := filepath.Join(root, filepath.FromSlash(p.Dir))
	solutionFiles := goFiles(filepath.Join(root, "solutions", filepath.FromSlash(p.Dir)))
	for _, f := range solutionFiles {
		if _, err := os.Stat(filepath.Join(abs, f)); err != nil {
			p.Problems = append(p.Problems, fmt.Sprintf("solutions/%s/%s replaces no file: there is no %s/%s", p.Dir, f, p.Dir, f))
			continue
		}
		p.Replaced = append(p.Replaced, f)
		if !slices.Contains(names, strings.TrimSuffix(f, ".go")) {
			p.Problems = append(p.Problems, fmt.Sprintf("solutions/%s/%s is the solution of a kata %s does not list in %s", p.Dir, f, ManifestFile, p.Dir))
		}
	}
	byName := map[string]*Kata{}
	for _, n := range names {
		if byName[n] != nil {
			p.Problems = append(p.Problems, fmt.Sprintf("%s lists kata %s twice", ManifestFile, path.Join(p.Dir, n)))
			continue
		}
		k := &Kata{Pkg: p, Name: n, Title: titles[n]}
		byName[n] = k
		if !slices.Contains(p.Replaced, n+".go") {
			p.Problems = append(p.Problems, fmt.Sprintf("%s lists kata %s, but there is no %s with a solution %s",
				ManifestFile, k.ID(), k.StubPath(), k.SolutionPath()))
			continue
		}
		p.Katas = append(p.Katas, k)
	}
	entries, err := os.ReadDir(abs)
	if err != nil {
		return
	}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, "_test.go") {
			continue
		}
		tests, err := testFuncs(filepath.Join(abs, name))
		if err != nil {
			continue // a test file that does not parse fails the build; go test reports it
		}
		for _, tn := range tests {
			if strings.HasPrefix(tn, "Example") {
				p.Problems = append(p.Problems, fmt.Sprintf("%s in %s/%s runs on the real clock beside the learner's stub, "+
					"where a deadlock would hang it: move it to solutions/%s/example_test.go", tn, p.Dir, name, p.Dir))
			}
		}
		k := ownerKata(p.Katas, strings.TrimSuffix(name, "_test.go"))
		if k == nil {
			for _, tn := range tests {
				p.Orphans = append(p.Orphans, tn+" in "+p.Dir+"/"+name)
			}
			continue
		}
		k.Tests = append(k.Tests, tests...)
	}
	p.Katas = slices.DeleteFunc(p.Katas, func(k *Kata) bool {
		if len(k.Tests) == 0 {
			p.Problems = append(p.Problems, fmt.Sprintf("kata %s has no tests: they go in %s_test.go", k.ID(), path.Join(p.Dir, k.Name)))
			return true
		}
		return false
	})
}

// ownerKata returns the kata a test file with the given stem belongs to: "sum" and
// "sum_extra" belong to kata "sum"; the longest matching kata name wins.
func ownerKata(katas []*Kata, stem string) *Kata {
	var best *Kata
	for _, k := range katas {
		if (stem == k.Name || strings.HasPrefix(stem, k.Name+"_")) && (best == nil || len(k.Name) > len(best.Name)) {
			best = k
		}
	}
	return best
}

// testFuncs returns the names of the top-level tests, examples and fuzz targets of a file.
func testFuncs(file string) ([]string, error) {
	f, err := parser.ParseFile(token.NewFileSet(), file, nil, parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, d := range f.Decls {
		fn, ok := d.(*ast.FuncDecl)
		if !ok || fn.Recv != nil {
			continue
		}
		name := fn.Name.Name
		if name == "TestMain" {
			continue
		}
		if isTestName(name, "Test") || isTestName(name, "Example") || isTestName(name, "Fuzz") {
			names = append(names, name)
		}
	}
	return names, nil
}

// isTestName reports whether name is prefix followed by nothing or by a non-lowercase
// letter, the rule go test uses.
func isTestName(name, prefix string) bool {
	rest, ok := strings.CutPrefix(name, prefix)
	if !ok {
		return false
	}
	if rest == "" {
		return true
	}
	r, _ := utf8.DecodeRuneInString(rest)
	return !unicode.IsLower(r)
}

// Katas returns every kata in learning order.
func (t *Tree) Katas() []*Kata {
	var all []*Kata
	for _, p := range t.Packages {
		all = append(all, p.Katas...)
	}
	return all
}

// Overlay returns the go build -overlay replacements that swap the solutions in:
// absolute stub path → absolute solution path.
func (t *Tree) Overlay() map[string]string {
	m := map[string]string{}
	for _, p := range t.Packages {
		for _, f := range p.Replaced {
			rel := filepath.FromSlash(p.Dir + "/" + f)
			m[filepath.Join(t.Root, rel)] = filepath.Join(t.Root, "solutions", rel)
		}
	}
	return m
}

// Find returns the kata called name: its stem ("sum"), its folder and stem
// ("part1_concurrency/sum"), or the stem with the end of its folder ("future/task" for
// "advanced/future/task"); ".go" and a leading "./" are allowed.
func (t *Tree) Find(name string) (*Kata, error) {
	found := t.match(name)
	switch len(found) {
	case 0:
		return nil, fmt.Errorf("there is no kata called %q: `go run ./cmd/kata list` shows them all", name)
	case 1:
		return found[0], nil
	}
	var names []string
	for _, k := range found {
		names = append(names, t.ShortName(k))
	}
	return nil, fmt.Errorf("%q names %d katas: %s; say which, with its folder", name, len(found), strings.Join(names, ", "))
}

// match returns the katas name could mean: only one when it is a kata's full id.
func (t *Tree) match(name string) []*Kata {
	n := strings.TrimPrefix(strings.TrimSuffix(filepath.ToSlash(name), ".go"), "./")
	var found []*Kata
	for _, k := range t.Katas() {
		if k.ID() == n {
			return []*Kata{k}
		}
		if k.Name == n || strings.HasSuffix(k.ID(), "/"+n) {
			found = append(found, k)
		}
	}
	return found
}

// ShortName is the shortest name Find takes for k: its stem when no other kata has it,
// else the stem with as many of its folders as it takes ("future/task").
func (t *Tree) ShortName(k *Kata) string {
	parts := strings.Split(k.ID(), "/")
	for n := 1; n < len(parts); n++ {
		name := strings.Join(parts[len(parts)-n:], "/")
		if found := t.match(name); len(found) == 1 && found[0] == k {
			return name
		}
	}
	return k.ID()
}

// Matches reports whether the slash path dir is selected by package patterns as the go
// command takes them: none selects all; "x" selects x, "x/..." selects x and everything
// below it, and "..." everything (a leading "./" is optional).
func Matches(patterns []string, dir string) bool {
	if len(patterns) == 0 {
		return true
	}
	for _, p := range patterns {
		p = strings.TrimSuffix(strings.TrimPrefix(filepath.ToSlash(p), "./"), "/")
		if p == "..." || p == "." || p == "" || p == dir {
			return true
		}
		if prefix, ok := strings.CutSuffix(p, "/..."); ok && (dir == prefix || strings.HasPrefix(dir, prefix+"/")) {
			return true
		}
	}
	return false
}

// FindRoot returns the nearest folder at or above dir that holds go.mod and solutions/.
func FindRoot(dir string) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for d := dir; ; {
		if isFile(filepath.Join(d, "go.mod")) && isDir(filepath.Join(d, "solutions")) {
			return d, nil
		}
		parent := filepath.Dir(d)
		if parent == d {
			return "", fmt.Errorf("no kata repository (a folder with go.mod and solutions/) at or above %s", dir)
		}
		d = parent
	}
}

func isFile(p string) bool { fi, err := os.Stat(p); return err == nil && fi.Mode().IsRegular() }
func isDir(p string) bool  { fi, err := os.Stat(p); return err == nil && fi.IsDir() }

package mutate

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// A kataPkg is a package with files that solutions/ replaces.
type kataPkg struct {
	dir      string   // slash path relative to the root: "advanced/wait"
	replaced []string // names of the stub files solutions/ replaces
	targets  []*target
	bin      string // the schema's test binary, once built
}

// A target is a solution file with tests: the file mutated, and the tests run on its mutants.
type target struct {
	pkg   *kataPkg
	stem  string   // "wait" for solutions/advanced/wait/wait.go
	tests []string // the top-level tests in <stem>_test.go and <stem>_*_test.go
	muts  []*Mutant
	src   []byte        // the solution's source
	ok    bool          // its tests pass on the schema with no mutant switched on
	hang  time.Duration // the hang detector's bound for its mutants' runs
}

func (t *target) solution() string { return path.Join("solutions", t.pkg.dir, t.stem+".go") }

// findPackages finds the kata packages below root: every folder of solutions/ with Go files
// names a kata package at the same path outside solutions/. Only packages matching
// patterns are returned (all if there are none).
func findPackages(root string, patterns []string) ([]*kataPkg, error) {
	var pkgs []*kataPkg
	solutions := filepath.Join(root, "solutions")
	err := filepath.WalkDir(solutions, func(p string, d fs.DirEntry, err error) error {
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
		dir := filepath.ToSlash(rel)
		if dir == "." || !matches(patterns, dir) {
			return nil
		}
		pkg := &kataPkg{dir: dir}
		entries, _ := os.ReadDir(p)
		for _, e := range entries {
			n := e.Name()
			if e.IsDir() || !strings.HasSuffix(n, ".go") || strings.HasSuffix(n, "_test.go") {
				continue
			}
			if _, err := os.Stat(filepath.Join(root, rel, n)); err == nil {
				pkg.replaced = append(pkg.replaced, n)
			}
		}
		if len(pkg.replaced) > 0 {
			pkgs = append(pkgs, pkg)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, pkg := range pkgs {
		if err := pkg.findTests(root); err != nil {
			return nil, err
		}
	}
	return pkgs, nil
}

// findTests finds each replaced file's tests: the top-level Test, Fuzz and Example
// functions of <stem>_test.go and <stem>_*_test.go (the longest matching stem wins).
func (pkg *kataPkg) findTests(root string) error {
	byStem := map[string]*target{}
	for _, f := range pkg.replaced {
		stem := strings.TrimSuffix(f, ".go")
		byStem[stem] = &target{pkg: pkg, stem: stem}
	}
	abs := filepath.Join(root, filepath.FromSlash(pkg.dir))
	entries, err := os.ReadDir(abs)
	if err != nil {
		return err
	}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, "_test.go") {
			continue
		}
		stem := strings.TrimSuffix(name, "_test.go")
		var owner *target
		for s, t := range byStem {
			if (stem == s || strings.HasPrefix(stem, s+"_")) && (owner == nil || len(s) > len(owner.stem)) {
				owner = t
			}
		}
		if owner == nil {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), filepath.Join(abs, name), nil, parser.SkipObjectResolution)
		if err != nil {
			continue // go test reports it
		}
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Recv != nil || fn.Name.Name == "TestMain" {
				continue
			}
			if n := fn.Name.Name; isTestName(n, "Test") || isTestName(n, "Fuzz") || isTestName(n, "Example") {
				owner.tests = append(owner.tests, n)
			}
		}
	}
	for _, f := range pkg.replaced {
		if t := byStem[strings.TrimSuffix(f, ".go")]; len(t.tests) > 0 {
			slices.Sort(t.tests)
			pkg.targets = append(pkg.targets, t)
		}
	}
	return nil
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

// matches reports whether dir matches one of the package patterns ("./advanced/...",
// "part2_errors"), or whether there are none.
func matches(patterns []string, dir string) bool {
	if len(patterns) == 0 {
		return true
	}
	for _, p := range patterns {
		p = strings.TrimPrefix(filepath.ToSlash(p), "./")
		p = strings.TrimSuffix(p, "/")
		if p == "..." || p == "." || p == "" {
			return true
		}
		if base, ok := strings.CutSuffix(p, "/..."); ok {
			if dir == base || strings.HasPrefix(dir, base+"/") {
				return true
			}
		} else if dir == p {
			return true
		}
	}
	return false
}

// overlay returns the go build -overlay replacements that swap every solution in:
// absolute stub path → absolute solution path.
func overlay(root string, pkgs []*kataPkg) map[string]string {
	m := map[string]string{}
	for _, p := range pkgs {
		for _, f := range p.replaced {
			rel := filepath.FromSlash(p.dir + "/" + f)
			m[filepath.Join(root, rel)] = filepath.Join(root, "solutions", rel)
		}
	}
	return m
}

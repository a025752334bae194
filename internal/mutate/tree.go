package mutate

import (
	"path"
	"path/filepath"
	"slices"
	"time"

	"github.com/go-async-katas/katas/internal/catalog"
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

// findPackages finds the kata packages of the repository at root, as the kata catalog
// (katas.json, checked against the tree) lists them, with each kata's solution file and its
// tests. Only packages matching patterns are returned (all if there are none).
func findPackages(root string, patterns []string) ([]*kataPkg, error) {
	tree, err := catalog.Load(root)
	if err != nil {
		return nil, err
	}
	var pkgs []*kataPkg
	for _, p := range tree.Packages {
		if !catalog.Matches(patterns, p.Dir) {
			continue
		}
		pkg := &kataPkg{dir: p.Dir, replaced: p.Replaced}
		for _, k := range p.Katas {
			if len(k.Tests) > 0 {
				pkg.targets = append(pkg.targets, &target{pkg: pkg, stem: k.Name, tests: slices.Sorted(slices.Values(k.Tests))})
			}
		}
		pkgs = append(pkgs, pkg)
	}
	return pkgs, nil
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

package main

import (
	"cmp"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// topFolders is the learning order of the top-level folders; others come after them.
var topFolders = []string{"part1_concurrency", "part2_errors", "part3_busboard", "ex25_prodcons", "advanced"}

// A tree is a kata repository: kata packages in learning order, found from solutions/.
type tree struct {
	root     string
	packages []*kataPackage
}

// A kataPackage is a package with files that solutions/ replaces.
type kataPackage struct {
	dir      string   // slash path relative to the root: "part1_concurrency"
	replaced []string // names of the files that solutions/ replaces
	katas    []*kata  // in learning order
	orphans  []string // tests in files that belong to no kata
	problems []string // ways the package breaks the layout rules
}

// A kata is a stub file with the tests that belong to it.
type kata struct {
	pkg   *kataPackage
	name  string   // the stub file's name without .go: "sum"
	title string   // from its README heading: "the concurrent sum"
	tests []string // top-level Test, Example and Fuzz functions, in file order
}

func (k *kata) stubPath() string     { return path.Join(k.pkg.dir, k.name+".go") }
func (k *kata) solutionPath() string { return path.Join("solutions", k.pkg.dir, k.name+".go") }
func (k *kata) String() string       { return k.stubPath() }

// loadTree finds the kata packages below root: every folder of solutions/ with Go files
// names a kata package at the same path outside solutions/.
func loadTree(root string) (*tree, error) {
	t := &tree{root: root}
	solutions := filepath.Join(root, "solutions")
	err := filepath.WalkDir(solutions, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		if name := d.Name(); p != solutions && (name == "testdata" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
			return filepath.SkipDir
		}
		files := goFiles(p)
		if len(files) == 0 {
			return nil
		}
		rel, err := filepath.Rel(solutions, p)
		if err != nil {
			return err
		}
		pkg, err := loadPackage(root, filepath.ToSlash(rel), files)
		if err != nil {
			return err
		}
		t.packages = append(t.packages, pkg)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reading the katas: %w", err)
	}
	orderPackages(root, t.packages)
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

func loadPackage(root, dir string, solutionFiles []string) (*kataPackage, error) {
	pkg := &kataPackage{dir: dir}
	abs := filepath.Join(root, filepath.FromSlash(dir))
	for _, f := range solutionFiles {
		if _, err := os.Stat(filepath.Join(abs, f)); err != nil {
			pkg.problems = append(pkg.problems, fmt.Sprintf("solutions/%s/%s replaces no file: there is no %s/%s", dir, f, dir, f))
			continue
		}
		pkg.replaced = append(pkg.replaced, f)
	}
	entries, err := os.ReadDir(abs)
	if err != nil {
		return pkg, nil // reported through problems: nothing to test
	}
	byStem := map[string]*kata{}
	for _, f := range pkg.replaced {
		stem := strings.TrimSuffix(f, ".go")
		byStem[stem] = &kata{pkg: pkg, name: stem}
	}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, "_test.go") {
			continue
		}
		tests, err := testFuncs(filepath.Join(abs, name))
		if err != nil {
			// A test file that does not parse fails the build; go test reports it.
			continue
		}
		for _, tn := range tests {
			if strings.HasPrefix(tn, "Example") {
				pkg.problems = append(pkg.problems, fmt.Sprintf("%s in %s/%s runs on the real clock beside the learner's stub, "+
					"where a deadlock would hang it: move it to solutions/%s/example_test.go", tn, dir, name, dir))
			}
		}
		k := ownerKata(byStem, strings.TrimSuffix(name, "_test.go"))
		if k == nil {
			for _, tn := range tests {
				pkg.orphans = append(pkg.orphans, tn+" in "+dir+"/"+name)
			}
			continue
		}
		k.tests = append(k.tests, tests...)
	}
	for _, k := range byStem {
		if len(k.tests) > 0 {
			pkg.katas = append(pkg.katas, k)
		}
	}
	orderKatas(abs, pkg.katas)
	return pkg, nil
}

// ownerKata returns the kata a test file with the given stem belongs to: "sum" and
// "sum_extra" belong to kata "sum"; the longest matching kata name wins.
func ownerKata(byStem map[string]*kata, stem string) *kata {
	var best *kata
	for name, k := range byStem {
		if (stem == name || strings.HasPrefix(stem, name+"_")) && (best == nil || len(name) > len(best.name)) {
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

var kataHeadingRE = regexp.MustCompile("(?m)^##[^#\n]*`([A-Za-z0-9_]+)\\.go`[ \t]*(?:—|–|-|:)?[ \t]*(.*)$")

// orderKatas sorts katas by the order of the "## Kata N: `name.go`" headings in the
// package's README.md; katas without a heading come last, by name.
func orderKatas(dir string, katas []*kata) {
	readme, _ := os.ReadFile(filepath.Join(dir, "README.md"))
	rank, title := map[string]int{}, map[string]string{}
	for _, m := range kataHeadingRE.FindAllStringSubmatch(string(readme), -1) {
		if _, seen := rank[m[1]]; !seen {
			rank[m[1]] = len(rank)
			title[m[1]] = strings.TrimSpace(m[2])
		}
	}
	for _, k := range katas {
		k.title = title[k.name]
	}
	slices.SortFunc(katas, func(a, b *kata) int {
		return cmp.Or(cmp.Compare(rankOf(rank, a.name), rankOf(rank, b.name)), cmp.Compare(a.name, b.name))
	})
}

func rankOf(rank map[string]int, name string) int {
	if r, ok := rank[name]; ok {
		return r
	}
	return len(rank)
}

// orderPackages sorts packages into learning order: by top-level folder (topFolders), then
// by where the folder's README.md first mentions each sub-folder ("future/"), then by path.
func orderPackages(root string, pkgs []*kataPackage) {
	readmes := map[string]string{}
	mention := func(p *kataPackage) int {
		top, sub, ok := strings.Cut(p.dir, "/")
		if !ok {
			return -1
		}
		if _, done := readmes[top]; !done {
			b, _ := os.ReadFile(filepath.Join(root, top, "README.md"))
			readmes[top] = string(b)
		}
		first, _, _ := strings.Cut(sub, "/")
		if i := strings.Index(readmes[top], first+"/"); i >= 0 {
			return i
		}
		return len(readmes[top])
	}
	topRank := func(p *kataPackage) int {
		top, _, _ := strings.Cut(p.dir, "/")
		if i := slices.Index(topFolders, top); i >= 0 {
			return i
		}
		return len(topFolders)
	}
	slices.SortStableFunc(pkgs, func(a, b *kataPackage) int {
		return cmp.Or(
			cmp.Compare(topRank(a), topRank(b)),
			cmp.Compare(strings.SplitN(a.dir, "/", 2)[0], strings.SplitN(b.dir, "/", 2)[0]),
			cmp.Compare(mention(a), mention(b)),
			cmp.Compare(a.dir, b.dir),
		)
	})
}

// katas returns every kata in learning order.
func (t *tree) katas() []*kata {
	var all []*kata
	for _, p := range t.packages {
		all = append(all, p.katas...)
	}
	return all
}

// overlay returns the go build -overlay replacements that swap the solutions in:
// absolute stub path → absolute solution path.
func (t *tree) overlay() map[string]string {
	m := map[string]string{}
	for _, p := range t.packages {
		for _, f := range p.replaced {
			rel := filepath.FromSlash(p.dir + "/" + f)
			m[filepath.Join(t.root, rel)] = filepath.Join(t.root, "solutions", rel)
		}
	}
	return m
}

// testPackages returns the "./dir" patterns of the kata packages that have tests.
func (t *tree) testPackages() []string {
	var dirs []string
	for _, p := range t.packages {
		if len(p.katas) > 0 || len(p.orphans) > 0 {
			dirs = append(dirs, "./"+p.dir)
		}
	}
	return dirs
}

// findRoot returns the nearest folder at or above dir that holds go.mod and solutions/.
func findRoot(dir string) (string, error) {
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

package mutate

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"path/filepath"
)

// A listedPkg is what go list says about a package.
type listedPkg struct {
	ImportPath string
	Name       string
	Dir        string
	Export     string
	GoFiles    []string
	Error      *struct{ Err string }
}

// A checker type-checks packages from source, importing their dependencies from the export
// data go list -export leaves in the build cache.
type checker struct {
	fset    *token.FileSet
	imp     types.Importer
	listed  map[string]*listedPkg // by Dir
	exports map[string]string     // import path → export data file
}

// newChecker lists patterns and their dependencies (with overlay, a go build -overlay file,
// if not "") in dir, building their export data.
func newChecker(ctx context.Context, dir, overlayFile string, patterns []string) (*checker, error) {
	args := []string{"list", "-e", "-export", "-deps", "-json=ImportPath,Name,Dir,Export,GoFiles,Error"}
	if overlayFile != "" {
		args = append(args, "-overlay", overlayFile)
	}
	cmd := exec.CommandContext(ctx, "go", append(args, patterns...)...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go list: %w\n%s", err, stderr.String())
	}
	c := &checker{fset: token.NewFileSet(), listed: map[string]*listedPkg{}, exports: map[string]string{}}
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p listedPkg
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return nil, fmt.Errorf("go list: %w", err)
		}
		if p.Export != "" {
			c.exports[p.ImportPath] = p.Export
		}
		c.listed[p.Dir] = &p
	}
	c.imp = importer.ForCompiler(c.fset, "gc", func(path string) (io.ReadCloser, error) {
		f, ok := c.exports[path]
		if !ok {
			return nil, fmt.Errorf("no export data for %q", path)
		}
		return os.Open(f)
	})
	return c, nil
}

// A checkedPkg is a package parsed and type-checked.
type checkedPkg struct {
	listed *listedPkg
	names  []string          // file names, as in listed.GoFiles
	srcs   map[string][]byte // by file name
	files  map[string]*ast.File
	info   *types.Info
}

// check parses and type-checks the package in dir; read returns a file's source (a stub's
// is its solution's).
func (c *checker) check(dir string, read func(name string) ([]byte, error)) (*checkedPkg, error) {
	lp := c.listed[dir]
	if lp == nil {
		return nil, fmt.Errorf("go list did not list %s", dir)
	}
	if lp.Error != nil {
		return nil, fmt.Errorf("%s: %s", dir, lp.Error.Err)
	}
	cp := &checkedPkg{listed: lp, names: lp.GoFiles, srcs: map[string][]byte{}, files: map[string]*ast.File{}}
	for _, n := range lp.GoFiles {
		src, err := read(n)
		if err != nil {
			return nil, err
		}
		cp.srcs[n] = src
	}
	errs := c.typeCheck(cp, "", nil)
	if len(errs) > 0 {
		return nil, fmt.Errorf("%s does not type-check: %v", dir, errs[0])
	}
	return cp, nil
}

// typeCheck checks cp, with the file named replace's source replaced by src if replace is
// not "". It fills cp.files and cp.info when replace is "", and returns the errors found.
func (c *checker) typeCheck(cp *checkedPkg, replace string, src []byte) []error {
	var files []*ast.File
	var errs []error
	for _, n := range cp.names {
		s := cp.srcs[n]
		if n == replace {
			s = src
		}
		f, err := parser.ParseFile(c.fset, filepath.Join(cp.listed.Dir, n), s, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			return []error{err}
		}
		files = append(files, f)
		if replace == "" {
			cp.files[n] = f
		}
	}
	info := &types.Info{
		Types:      map[ast.Expr]types.TypeAndValue{},
		Defs:       map[*ast.Ident]types.Object{},
		Uses:       map[*ast.Ident]types.Object{},
		Selections: map[*ast.SelectorExpr]*types.Selection{},
	}
	conf := types.Config{Importer: c.imp, Error: func(err error) { errs = append(errs, err) }}
	conf.Check(cp.listed.ImportPath, c.fset, files, info)
	if replace == "" {
		cp.info = info
	}
	return errs
}

// fileList returns the package's files in the order of names.
func (cp *checkedPkg) fileList() []*ast.File {
	var fs []*ast.File
	for _, n := range cp.names {
		fs = append(fs, cp.files[n])
	}
	return fs
}

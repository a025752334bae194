package main

import (
	"path/filepath"
	"strings"
)

// A where turns the repository's paths and commands into what the learner types from the
// folder they stand in: "part1_concurrency/sum.go" is "sum.go" in part1_concurrency, and
// "go run ./cmd/kata" is "go run ../cmd/kata" there. Outside the repository (kata -C dir),
// paths stay relative to its root.
type where struct {
	root string // the repository; "" when not found yet
	wd   string // where the learner stands; "" for the root
}

func (a *app) where() where { return where{root: a.root, wd: a.wd} }

// inside reports whether the learner stands in the repository.
func (w where) inside() bool {
	if w.root == "" || w.wd == "" {
		return false
	}
	r, err := filepath.Rel(w.root, w.wd)
	return err == nil && r != ".." && !strings.HasPrefix(r, ".."+string(filepath.Separator)) && !filepath.IsAbs(r)
}

// path is the slash path p, relative to the root, as the learner types it.
func (w where) path(p string) string {
	if !w.inside() {
		return filepath.FromSlash(p)
	}
	r, err := filepath.Rel(w.wd, filepath.Join(w.root, filepath.FromSlash(p)))
	if err != nil {
		return filepath.FromSlash(p)
	}
	return r
}

// dir is a package folder as go test and go run take it: "./part1_concurrency", "." or
// "../part2_errors".
func (w where) dir(d string) string {
	r := filepath.ToSlash(w.path(d))
	if r == "." || strings.HasPrefix(r, "../") {
		return r
	}
	return "./" + r
}

// kata is how the learner runs this tool: "go run ./cmd/kata".
func (w where) kata() string { return "go run " + w.dir("cmd/kata") }

package main

import (
	"context"
	"fmt"

	"github.com/go-async-katas/katas/internal/catalog"
	"github.com/go-async-katas/katas/internal/gorun"
	"github.com/go-async-katas/katas/internal/render"
)

// runBoard runs the tests of the katas in pkgs (all when nil) as the board does, with a
// status line on a terminal while it runs.
func (a *app) runBoard(ctx context.Context, t *catalog.Tree, race bool, pkgs []*catalog.Package) (gorun.Results, error) {
	if pkgs == nil {
		pkgs = t.Packages
	}
	if len(t.Katas()) == 0 {
		return nil, fmt.Errorf("no katas found under %s", t.Root)
	}
	st := startStatus(a.stderr, a.terminal)
	defer st.end()
	r := gorun.NewRunner(t.Root, race, st.set)
	if a.runKatas != nil {
		return a.runKatas(ctx, r, pkgs)
	}
	return r.Run(ctx, pkgs)
}

// showBoard runs the learner's kata tests and prints the board and the next kata.
func (a *app) showBoard(ctx context.Context, t *catalog.Tree, race bool) error {
	res, err := a.runBoard(ctx, t, race, nil)
	if err != nil {
		return err
	}
	render.Board(a.stdout, a.paint, a.where(), t, render.ProgressOf(t, res))
	return nil
}

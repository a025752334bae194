package gorun

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"
)

// A Build says how GoTestBuilt builds and runs test binaries: go test's flags of the same
// names.
type Build struct {
	Race     bool
	Overlay  string        // a go test -overlay file, or ""
	Timeout  time.Duration // -timeout
	Parallel int           // how many test binaries run at once (-p)
	// BinDir is where the test binaries are kept from one run to the next, "" for a
	// temporary folder: go test -c links again only a binary whose sources changed since
	// it wrote it there.
	BinDir string
}

// GoTestBuilt runs the tests of pkgs once each (as GoTest with -count=1 would) and collects
// what happened the same way, but it builds the test binaries with go test -c into b.BinDir,
// which links again only a binary whose sources changed since the last run, where go test
// links every one afresh (0.5s of CPU for a small package under -race, against 0.14s), and
// runs them itself, b.Parallel at a time, each in its package's folder through go tool
// test2json. A package whose binary does not build is run by go test, which says why. env is
// added to the binaries' environment.
func GoTestBuilt(ctx context.Context, dir string, env []string, b Build, pkgs []string) (RunResult, error) {
	list, err := listTested(ctx, dir, pkgs)
	if err != nil {
		return nil, err
	}
	bins := b.BinDir
	if bins == "" {
		if bins, err = os.MkdirTemp("", "kata-tests-"); err != nil {
			return nil, err
		}
		defer os.RemoveAll(bins)
	}

	// go test -c writes <last element>.test: packages that share a last element are built in
	// separate go commands.
	var groups [][]testedPkg
	for _, p := range list {
		placed := false
		for i, g := range groups {
			if !containsBase(g, p.base()) {
				groups[i], placed = append(g, p), true
				break
			}
		}
		if !placed {
			groups = append(groups, []testedPkg{p})
		}
	}
	var built, unbuilt []testedPkg
	for i, g := range groups {
		out := filepath.Join(bins, fmt.Sprint(i)) + string(filepath.Separator)
		if err := os.MkdirAll(out, 0o755); err != nil {
			return nil, err
		}
		args := []string{"test", "-c", "-vet=off", "-o", out}
		if b.Race {
			args = append(args, "-race")
		}
		if b.Overlay != "" {
			args = append(args, "-overlay", b.Overlay)
		}
		for _, p := range g {
			args = append(args, p.ImportPath)
		}
		cmd := exec.CommandContext(ctx, "go", args...)
		cmd.Dir = dir
		if err := cmd.Run(); err != nil {
			// Some package did not build, and the others' binaries may be a run's before:
			// go test runs them all below, and says which did not build and why.
			unbuilt = append(unbuilt, g...)
			continue
		}
		for _, p := range g {
			p.bin = p.binIn(out)
			built = append(built, p)
		}
	}
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}

	res := RunResult{}
	var (
		mu    sync.Mutex
		wg    sync.WaitGroup
		errs  []error
		slots = make(chan struct{}, max(1, b.Parallel))
	)
	for _, p := range built {
		wg.Go(func() {
			slots <- struct{}{}
			defer func() { <-slots }()
			pr, err := runBinary(ctx, p, env, b.Timeout)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, err)
				return
			}
			res[p.ImportPath] = pr
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	if len(unbuilt) > 0 {
		args := []string{"-count=1", "-vet=off", "-timeout", b.Timeout.String()}
		if b.Race {
			args = append(args, "-race")
		}
		if b.Overlay != "" {
			args = append(args, "-overlay", b.Overlay)
		}
		for _, p := range unbuilt {
			args = append(args, p.ImportPath)
		}
		more, err := GoTest(ctx, dir, env, nil, args...)
		if err != nil {
			return nil, err
		}
		for ip, pr := range more {
			res[ip] = pr
		}
	}
	return res, nil
}

// A testedPkg is a package with tests, and where its test binary is once built.
type testedPkg struct {
	ImportPath, Dir string
	bin             string
}

func (p testedPkg) base() string { return path.Base(p.ImportPath) }

// binIn is where go test -c -o dir/ writes p's test binary.
func (p testedPkg) binIn(dir string) string { return filepath.Join(dir, p.base()+".test"+exeSuffix()) }

func containsBase(g []testedPkg, base string) bool {
	for _, p := range g {
		if p.base() == base {
			return true
		}
	}
	return false
}

// listTested returns the packages of pkgs that have test files, with their folders.
func listTested(ctx context.Context, dir string, pkgs []string) ([]testedPkg, error) {
	cmd := exec.CommandContext(ctx, "go", append([]string{"list", "-e", "-f",
		"{{.ImportPath}}\t{{.Dir}}\t{{len .TestGoFiles}}\t{{len .XTestGoFiles}}"}, pkgs...)...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go list: %w\n%s", err, stderr.String())
	}
	var list []testedPkg
	for l := range strings.Lines(string(out)) {
		f := strings.Split(strings.TrimRight(l, "\r\n"), "\t")
		if len(f) == 4 && (f[2] != "0" || f[3] != "0") {
			list = append(list, testedPkg{ImportPath: f[0], Dir: f[1]})
		}
	}
	return list, nil
}

// runBinary runs p's test binary in p's folder as go test would, through go tool test2json,
// and returns what it did. A binary that ends without saying PASS or FAIL (a crash) failed.
func runBinary(ctx context.Context, p testedPkg, env []string, timeout time.Duration) (*PkgResult, error) {
	cmd := exec.CommandContext(ctx, "go", "tool", "test2json", "-t", "-p", p.ImportPath, p.bin,
		"-test.v=test2json", "-test.paniconexit0", "-test.count=1", "-test.timeout="+timeout.String())
	cmd.Dir = p.Dir
	parsed, stderr, exit, err := runJSON(ctx, cmd, env, nil)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("go tool test2json %s: %w", p.bin, err)
	}
	pr := parsed.pkg(p.ImportPath)
	if s := strings.TrimSpace(stderr); s != "" {
		pr.Output = append(pr.Output, strings.Split(s, "\n")...)
	}
	switch {
	case exit != nil && pr.Status != "fail":
		pr.Status = "fail"
		pr.Output = append(pr.Output, exit.Error())
	case exit == nil && pr.Status == "":
		pr.Status = "pass"
	}
	return pr, nil
}

func exeSuffix() string {
	if runtime.GOOS == "windows" {
		return ".exe"
	}
	return ""
}

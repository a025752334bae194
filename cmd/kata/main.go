// Command kata is the learner's and the maintainer's tool for the Go Async Katas.
//
//	go run ./cmd/kata          runs your kata tests and shows the board and the next kata
//	go run ./cmd/kata watch    re-runs the current kata's tests each time you save a .go file
//	go run ./cmd/kata hint     hints for the current kata, one more each time you ask
//	go run ./cmd/kata list     every kata with its state, folder and file
//	go run ./cmd/kata next     where to start on the next unsolved kata
//	go run ./cmd/kata compare  your file beside the reference solution, as a unified diff
//	go run ./cmd/kata verify   proves every kata test fails on its stub and passes on its solution
//
// It needs only the go command; it never uses the network beyond what go itself fetches.
// It colours its output only on a terminal, and never when NO_COLOR is set.
package main

import (
	"github.com/go-async-katas/katas/internal/catalog"

	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/fatih/color"
)

const usage = `Usage:
  go run ./cmd/kata [-C dir] [-race=auto|on|off] [command]

Commands for learners:
  (none)              the board: what you solved, and the next kata with its first failure
  watch               the board, re-run each time you save a .go file: it re-runs the current
                      kata's tests and moves on when they pass (press Enter to re-run by hand,
                      Ctrl-C or Ctrl-D to stop)
  hint [-all|-reset] [kata]
                      a hint for the current kata (or the one named): a nudge first, one more
                      each time you ask; -all shows them all; -reset starts again from the first
  list                every kata with its state, folder and file
  next                where to start on the next unsolved kata: the file, lesson and test command
  compare [kata]      your file beside the reference solution (a unified diff); warns you when
                      the kata is not solved yet, since the diff gives the answer away

Commands for maintainers:
  verify [packages]   prove each kata test fails on its stub and passes on its solution (CI)
  test-solutions [go test flags] [packages]
                      go test with the solutions swapped in for the stubs, for anything verify
                      does not do, such as benchmarks:
                      test-solutions -run '^$' -bench . ./ex25_prodcons
  help                this text

A kata is named by its file's name without .go ("sum"), or with its folder when the name is
not unique ("part1_concurrency/sum").
-C dir: the kata repository (default: the one around the current folder).
-race: run tests with the race detector; "auto" (the default) uses it where cgo is available.
packages: folders such as ./part1_concurrency or ./advanced/...; all when none is given.
Colour is used only on a terminal and never when NO_COLOR is set. Hint progress is kept in
your user cache folder, never in the repository.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	a := &app{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr}
	if !color.NoColor { // stdout is a terminal, NO_COLOR is unset and TERM is not "dumb"
		a.stdout, a.stderr = color.Output, color.Error // translate escapes on old Windows consoles
		a.paint, a.terminal = painter{on: true}, true
	}
	os.Exit(a.run(ctx, os.Args[1:]))
}

// An app is the command with its surroundings: where it reads and writes, and its settings.
type app struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	paint          painter
	terminal       bool          // stdout is a terminal that takes escape codes: watch clears the screen
	stateDir       string        // where hint progress is kept; "" means the user cache folder
	debounce       time.Duration // watch: how long saves must stop before the tests re-run
}

// errUsage marks a command line that could not be understood.
var errUsage = errors.New("usage")

// run is the whole command without colour, reading stdin; it returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return (&app{stdin: os.Stdin, stdout: stdout, stderr: stderr}).run(ctx, args)
}

// run is the whole command; it returns the exit code: 0 for success, 1 when verify finds a
// problem or the tool fails, 2 for a bad command line.
func (a *app) run(ctx context.Context, args []string) int {
	err := a.runCmd(ctx, args)
	var failed verifyFailed
	var code exitCode
	switch {
	case err == nil:
		return 0
	case errors.As(err, &failed):
		return 1
	case errors.As(err, &code):
		return int(code)
	case errors.Is(err, errUsage):
		fmt.Fprintf(a.stderr, "kata: %v\n\n%s", err, usage)
		return 2
	default:
		fmt.Fprintf(a.stderr, "kata: %v\n", err)
		return 1
	}
}

// exitCode ends the command with a code whose reason has already been printed.
type exitCode int

func (c exitCode) Error() string { return fmt.Sprintf("exit code %d", int(c)) }

// verifyFailed is returned when verify ran and found problems (already printed).
type verifyFailed struct{ failed int }

func (v verifyFailed) Error() string { return fmt.Sprintf("%d checks failed", v.failed) }

// commandArgs is how many arguments (not flags) each command takes at most.
var commandArgs = map[string]int{"": 0, "verify": -1, "test-solutions": -1, "watch": 1, "hint": 1, "list": 0, "next": 0, "compare": 1}

func (a *app) runCmd(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("kata", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	dir := fs.String("C", "", "")
	raceMode := fs.String("race", "auto", "")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	cmd, rest := fs.Arg(0), fs.Args()[min(1, fs.NArg()):]
	if cmd == "help" {
		fmt.Fprint(a.stdout, usage)
		return nil
	}
	maxArgs, known := commandArgs[cmd]
	if !known {
		return fmt.Errorf("%w: unknown command %q", errUsage, cmd)
	}
	var opts hintOptions
	if cmd == "hint" {
		var err error
		if opts, rest, err = parseHintArgs(rest); err != nil {
			return err
		}
	}
	if maxArgs >= 0 && len(rest) > maxArgs {
		return fmt.Errorf("%w: unexpected %q", errUsage, strings.Join(rest[maxArgs:], " "))
	}
	name := ""
	if len(rest) > 0 {
		name = rest[0]
	}

	start := *dir
	if start == "" {
		wd, err := os.Getwd()
		if err != nil {
			return err
		}
		start = wd
	}
	root, err := catalog.FindRoot(start)
	if err != nil {
		return err
	}
	t, err := catalog.Load(root)
	if err != nil {
		return err
	}
	race, err := useRace(ctx, *raceMode)
	if err != nil {
		return err
	}

	switch cmd {
	case "":
		return a.showBoard(ctx, t, race)
	case "watch":
		return a.watch(ctx, t, race, name)
	case "hint":
		return a.hint(ctx, t, race, name, opts)
	case "list":
		return a.list(ctx, t, race)
	case "next":
		return a.next(ctx, t, race)
	case "compare":
		return a.compare(ctx, t, race, name)
	case "test-solutions":
		return a.testSolutions(ctx, t, rest)
	}
	tl, err := verify(ctx, a.stdout, t, rest, race)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "\n%d passed, %d failed\n", tl.passed, tl.failed)
	if tl.failed > 0 {
		return verifyFailed{tl.failed}
	}
	return nil
}

func useRace(ctx context.Context, mode string) (bool, error) {
	switch mode {
	case "on", "true":
		return true, nil
	case "off", "false":
		return false, nil
	case "auto":
		return raceSupported(ctx), nil
	}
	return false, fmt.Errorf("%w: -race takes auto, on or off, not %q", errUsage, mode)
}

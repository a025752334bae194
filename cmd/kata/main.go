// Command kata is the learner's and the maintainer's tool for the Go Async Katas.
//
//	go run ./cmd/kata          runs your kata tests and shows the board and the next kata
//	go run ./cmd/kata verify   proves every kata test fails on its stub and passes on its solution
//
// It needs only the go command; it never uses the network beyond what go itself fetches.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
)

const usage = `Usage:
  go run ./cmd/kata [-C dir] [-race=auto|on|off]            the board: what you solved, and the next kata
  go run ./cmd/kata [-C dir] [-race=auto|on|off] verify [packages]
                                                          prove each kata test fails on its stub and
                                                          passes on its solution (maintainers, CI)
  go run ./cmd/kata help                                  this text

-race: run tests with the race detector; "auto" (the default) uses it where cgo is available.
packages: folders such as ./part1_concurrency or ./advanced/...; all when none is given.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// errUsage marks a command line that could not be understood.
var errUsage = errors.New("usage")

// run is the whole command; it returns the exit code: 0 for success, 1 when verify finds a
// problem or the tool fails, 2 for a bad command line.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	err := runCmd(ctx, args, stdout)
	var failed verifyFailed
	switch {
	case err == nil:
		return 0
	case errors.As(err, &failed):
		return 1
	case errors.Is(err, errUsage):
		fmt.Fprintf(stderr, "kata: %v\n\n%s", err, usage)
		return 2
	default:
		fmt.Fprintf(stderr, "kata: %v\n", err)
		return 1
	}
}

// verifyFailed is returned when verify ran and found problems (already printed).
type verifyFailed struct{ failed int }

func (v verifyFailed) Error() string { return fmt.Sprintf("%d checks failed", v.failed) }

func runCmd(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("kata", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	dir := fs.String("C", "", "")
	raceMode := fs.String("race", "auto", "")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	cmd, rest := fs.Arg(0), fs.Args()[min(1, fs.NArg()):]
	if cmd == "help" {
		fmt.Fprint(stdout, usage)
		return nil
	}
	if cmd != "" && cmd != "verify" {
		return fmt.Errorf("%w: unknown command %q", errUsage, cmd)
	}
	if cmd == "" && len(rest) > 0 {
		return fmt.Errorf("%w: unexpected %q", errUsage, strings.Join(rest, " "))
	}

	start := *dir
	if start == "" {
		wd, err := os.Getwd()
		if err != nil {
			return err
		}
		start = wd
	}
	root, err := findRoot(start)
	if err != nil {
		return err
	}
	t, err := loadTree(root)
	if err != nil {
		return err
	}
	race, err := useRace(ctx, *raceMode)
	if err != nil {
		return err
	}

	if cmd == "" {
		return showBoard(ctx, stdout, t, race)
	}
	tl, err := verify(ctx, stdout, t, rest, race)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\n%d passed, %d failed\n", tl.passed, tl.failed)
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

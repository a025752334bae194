// Package cli is the given code of the busboard program: flags, wiring and the terminal. The
// program's main is a few lines that hand the kata functions to Main; you do not need to
// change this package.
package cli

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/go-async-katas/katas/part3_busboard/api"
)

// Katas are the functions the program runs: the learner's (part3_busboard) or the
// solutions'.
type Katas struct {
	Background func(ctx context.Context, call func() ([]api.Board, error)) ([]api.Board, error)
	Boards     func(ctx context.Context, s *api.Services, postcode string) ([]api.Board, error)
	Classify   func(err error) api.Problem
	Run        func(ctx context.Context, lines <-chan string, out io.Writer, boards api.BoardsFunc) error
}

// Exit codes of Main.
const (
	ExitOK          = 0   // the end of input, or a one-shot lookup that found boards
	ExitFailed      = 1   // a one-shot lookup failed, or the program could not run
	ExitUsage       = 2   // bad flags
	ExitInterrupted = 130 // Ctrl-C, as shells report it
)

// Main runs the busboard program with args (without the program's name) and returns its exit
// code. ctx ends when the person presses Ctrl-C (main uses signal.NotifyContext); every
// request in flight is then cancelled. stdin is read on a goroutine of its own (see Lines).
func Main(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, k Katas) int {
	fs := flag.NewFlagSet("busboard", flag.ContinueOnError)
	fs.SetOutput(stderr)
	postcode := fs.String("postcode", "", "look up this postcode once and exit, instead of prompting")
	timeout := fs.Duration("timeout", 10*time.Second, "give up on a lookup after this long")
	offline := fs.Bool("offline", false, "answer from embedded fixtures instead of the real APIs (no network needed)")
	blocking := fs.Bool("blocking", false, "use the half-built blocking lookup, run with Background")
	halfBuilt := fs.Bool("halfbuilt", false, "run the half-built app (api.RunSequential) instead of your katas")
	verbose := fs.Bool("v", false, "print how long each lookup took, on stderr")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: busboard [flags]\n\nShows the next buses at the two stops nearest a UK postcode, from TfL.\n"+
			"Set %s to use your TfL app key. Ctrl-D ends, Ctrl-C cancels.\n\n", api.AppKeyEnv)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return ExitOK
		}
		return ExitUsage
	}
	if fs.NArg() > 0 || *timeout <= 0 {
		fs.Usage()
		return ExitUsage
	}

	var hc *http.Client
	if *offline {
		hc = &http.Client{Transport: api.Offline()}
		fmt.Fprintln(stderr, "Offline mode: answers come from embedded fixtures. Postcodes to try:")
		for _, o := range api.OfflinePostcodes {
			fmt.Fprintf(stderr, "  %-9s %s\n", o.Postcode, o.Shows)
		}
	}
	services := api.NewServices(hc)
	boards := func(ctx context.Context, postcode string) ([]api.Board, error) {
		ctx, cancel := context.WithTimeout(ctx, *timeout)
		defer cancel()
		start := time.Now()
		defer func() {
			if *verbose {
				fmt.Fprintf(stderr, "(lookup took %v)\n", time.Since(start).Round(time.Millisecond))
			}
		}()
		if *blocking {
			return k.Background(ctx, func() ([]api.Board, error) { return services.BoardsSequential(postcode) })
		}
		return k.Boards(ctx, &services, postcode)
	}

	if *halfBuilt {
		return runHalfBuilt(ctx, stdin, stdout, stderr, &services)
	}
	if *postcode != "" {
		return oneShot(ctx, *postcode, stdout, stderr, boards, k.Classify)
	}
	err := k.Run(ctx, Lines(ctx, stdin), stdout, boards)
	switch {
	case err == nil:
		return ExitOK
	case ctx.Err() != nil && errors.Is(err, ctx.Err()):
		fmt.Fprintln(stdout, "\nBye.")
		return ExitInterrupted
	default:
		fmt.Fprintf(stderr, "busboard: %v\n", explain(err))
		return ExitFailed
	}
}

func oneShot(ctx context.Context, postcode string, stdout, stderr io.Writer, boards api.BoardsFunc, classify func(error) api.Problem) int {
	found, err := boards(ctx, postcode)
	switch {
	case err == nil:
		if err := api.Print(stdout, found); err != nil {
			fmt.Fprintf(stderr, "busboard: %v\n", err)
			return ExitFailed
		}
		return ExitOK
	case ctx.Err() != nil:
		fmt.Fprintln(stdout, "Bye.")
		return ExitInterrupted
	case errors.Is(err, api.ErrNotImplemented):
		fmt.Fprintf(stderr, "busboard: %v\n", explain(err))
		return ExitFailed
	default:
		fmt.Fprintln(stdout, classify(err).Explain(err))
		return ExitFailed
	}
}

// runHalfBuilt runs api.RunSequential, which knows nothing of ctx: on Ctrl-C it stops
// waiting for it, and the program's exit ends it.
func runHalfBuilt(ctx context.Context, stdin io.Reader, stdout, stderr io.Writer, s *api.Services) int {
	done := make(chan error, 1) // room for the result: nobody may be left to receive it
	go func() { done <- api.RunSequential(stdin, stdout, s) }()
	select {
	case err := <-done:
		if err != nil {
			fmt.Fprintf(stderr, "busboard: %v\n", err)
			return ExitFailed
		}
		return ExitOK
	case <-ctx.Done():
		fmt.Fprintln(stdout, "\nBye.")
		return ExitInterrupted
	}
}

// explain adds where to look when err is a kata not written yet.
func explain(err error) string {
	if errors.Is(err, api.ErrNotImplemented) {
		return err.Error() + ": write the katas in part3_busboard (see its README.md)"
	}
	return err.Error()
}

// MaxLineBytes is how much of a line Lines keeps: the rest of a longer line is read and
// dropped, so no input is too long to handle.
const MaxLineBytes = 1024

// Lines reads r line by line on a goroutine of its own and sends each line, without its line
// ending and surrounding spaces and cut to MaxLineBytes, on the returned channel. The channel
// is closed at the end of r (or on a read error) and when ctx ends.
//
// A read from a terminal cannot be interrupted, so when ctx ends while the goroutine is
// waiting in r.Read, it stays there until the read returns (at the latest when the program
// exits); it then exits without blocking. That is what Background does for any blocking call.
func Lines(ctx context.Context, r io.Reader) <-chan string {
	lines := make(chan string)
	go func() {
		defer close(lines)
		br := bufio.NewReader(r)
		for {
			line, err := readLine(br)
			if err != nil && line == "" {
				return
			}
			select {
			case lines <- strings.TrimSpace(line):
			case <-ctx.Done():
				return
			}
			if err != nil {
				return
			}
		}
	}()
	return lines
}

// readLine returns the next line of br, at most MaxLineBytes of it. At the end of the input
// it returns the last, unterminated line (if any) with io.EOF.
func readLine(br *bufio.Reader) (string, error) {
	var line []byte
	for {
		chunk, more, err := br.ReadLine()
		if err != nil {
			return string(line), err
		}
		line = append(line, chunk[:min(len(chunk), MaxLineBytes-len(line))]...)
		if !more {
			return string(line), nil
		}
	}
}

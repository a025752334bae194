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
//
// -h prints what the program does and its flags on stdout, and exits 0. Any other mistake in
// the arguments is one line on stderr saying what is wrong, and exit code 2.
func Main(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, k Katas) int {
	fs := flag.NewFlagSet("busboard", flag.ContinueOnError)
	postcode := fs.String("postcode", "", "look up this postcode once and exit, instead of prompting")
	timeout := fs.Duration("timeout", 10*time.Second, "give up on a lookup after this long (with -halfbuilt, on each request:\nthe half-built app takes no context, so only its HTTP client can have a limit)")
	offline := fs.Bool("offline", false, "answer from embedded fixtures instead of the real APIs (no network needed)")
	blocking := fs.Bool("blocking", false, "use the half-built blocking lookup, run with Background")
	halfBuilt := fs.Bool("halfbuilt", false, "run the half-built app (api.RunSequential) instead of your katas")
	verbose := fs.Bool("v", false, "print how long each lookup took, on stderr")
	// The flag package would print the whole usage after any mistake: say only what is wrong.
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintf(stdout, "usage: busboard [flags]\n\n"+
				"Shows the next buses at the two stops nearest a UK postcode, from postcodes.io and TfL.\n"+
				"It prompts for postcodes until the end of input (Ctrl-D); Ctrl-C cancels and exits.\n"+
				"Set %s to use your TfL app key. Try it with no network: busboard -offline\n\nFlags:\n", api.AppKeyEnv)
			fs.SetOutput(stdout)
			fs.PrintDefaults()
			return ExitOK
		}
		return usageError(stderr, "%v", err)
	}
	switch {
	case fs.NArg() > 0:
		return usageError(stderr, "unexpected argument %q: give a postcode with -postcode", fs.Arg(0))
	case *timeout <= 0:
		return usageError(stderr, "-timeout must be more than 0, got %v", *timeout)
	case *halfBuilt && *blocking:
		return usageError(stderr, "-halfbuilt and -blocking cannot go together: -halfbuilt runs none of your katas")
	}

	var hc *http.Client
	if *offline {
		hc = &http.Client{Transport: api.Offline()}
		if *postcode == "" { // a one-shot lookup needs no list of postcodes to try
			fmt.Fprintln(stderr, "Offline mode: answers come from embedded fixtures. Postcodes to try:")
			for _, o := range api.OfflinePostcodes {
				fmt.Fprintf(stderr, "  %-9s %s\n", o.Postcode, o.Shows)
			}
		}
	}
	if *halfBuilt {
		// The half-built app takes no context: the HTTP client's own time limit, per
		// request, is the only one it can have.
		if hc == nil {
			hc = &http.Client{}
		}
		hc.Timeout = *timeout
		services := api.NewServices(hc)
		return runHalfBuilt(ctx, *postcode, stdin, stdout, stderr, &services)
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

// usageError prints one line saying what is wrong with the arguments, and returns ExitUsage.
func usageError(stderr io.Writer, format string, args ...any) int {
	fmt.Fprintf(stderr, "busboard: %s (busboard -h lists the flags)\n", fmt.Sprintf(format, args...))
	return ExitUsage
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

// runHalfBuilt runs the half-built app: api.RunSequential, or for a postcode given with
// -postcode one api.Services.BoardsSequential lookup, printed as RunSequential prints it.
// Neither knows anything of ctx: on Ctrl-C it stops waiting for them, and the program's exit
// ends them.
func runHalfBuilt(ctx context.Context, postcode string, stdin io.Reader, stdout, stderr io.Writer, s *api.Services) int {
	done := make(chan int, 1) // room for the result: nobody may be left to receive it
	go func() {
		if postcode != "" {
			boards, err := s.BoardsSequential(postcode)
			if err != nil {
				fmt.Fprintf(stdout, "Error: %v\n", err)
				done <- ExitFailed
				return
			}
			_ = api.Print(stdout, boards)
			done <- ExitOK
			return
		}
		if err := api.RunSequential(stdin, stdout, s); err != nil {
			fmt.Fprintf(stderr, "busboard: %v\n", err)
			done <- ExitFailed
			return
		}
		done <- ExitOK
	}()
	select {
	case code := <-done:
		return code
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

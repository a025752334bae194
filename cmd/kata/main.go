// Command kata is the learner's and the maintainer's tool for the Go Async Katas.
//
//	go run ./cmd/kata          runs your kata tests and shows the board and the next kata
//	go run ./cmd/kata watch    re-runs the tests each time you save a .go file
//	go run ./cmd/kata hint     hints for the current kata, one more each time you ask
//	go run ./cmd/kata help     every command and flag
//	go run ./cmd/kata verify   proves every kata test fails on its stub and passes on its solution
//
// Every command is one row of [commands]: its name, arguments, flags, help line and handler.
// It needs only the go command (and git for reset); it never uses the network beyond what go
// itself fetches. It colours its output only on a terminal, and never when NO_COLOR is set.
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
	"syscall"
	"time"

	"github.com/fatih/color"

	"github.com/go-async-katas/katas/internal/catalog"
	"github.com/go-async-katas/katas/internal/gorun"
	"github.com/go-async-katas/katas/internal/mutate"
	"github.com/go-async-katas/katas/internal/render"
	"github.com/go-async-katas/katas/internal/timeline"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	a := &app{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, interactive: isTerminal(os.Stdin)}
	if isTerminal(os.Stdout) && os.Getenv("TERM") != "dumb" {
		// The status line and watch's redraw need escape codes, not colour: NO_COLOR
		// (color.NoColor) turns off colour only.
		a.stdout, a.stderr = color.Output, color.Error // translate escapes on old Windows consoles
		a.paint, a.terminal = render.Painter{On: !color.NoColor}, true
	}
	if timeline.StyleFromEnv().ASCII { // the locale is not UTF-8, as the tests' timelines see it
		a.stdout, a.stderr = render.ASCII(a.stdout), render.ASCII(a.stderr)
	}
	if wd, err := os.Getwd(); err == nil {
		a.wd = wd
	}
	os.Exit(a.run(ctx, os.Args[1:]))
}

// isTerminal reports whether f is a terminal, where a question can be answered: a character
// device other than the null device (`kata watch </dev/null` has no one to ask).
func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	if err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		return false
	}
	null, err := os.Stat(os.DevNull)
	return err != nil || !os.SameFile(fi, null)
}

// An app is the command with its surroundings: where it reads and writes, and its settings.
type app struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	paint          render.Painter
	terminal       bool          // stdout is a terminal that takes escape codes: status lines, watch clears the screen
	interactive    bool          // stdin is a terminal: reset and compare may ask a question
	wd             string        // where the learner stands: paths are printed relative to it ("" for the root)
	root           string        // the repository, once found
	stateDir       string        // where hint progress is kept; "" means the user cache folder
	debounce       time.Duration // watch: how long saves must stop before the tests re-run
	// runKatas, if not nil, runs the board's tests in place of r.Run (the tool's tests share
	// one run of a tree that never changes).
	runKatas func(ctx context.Context, r *gorun.Runner, pkgs []*catalog.Package) (gorun.Results, error)
}

// A command is one thing kata does: a row of the command table.
type command struct {
	name    string
	args    string // its arguments, for the help: "[kata]"
	maxArgs int    // how many arguments it takes at most; -1 for any number
	help    string // what it does, for the help
	forHelp string // "learner" or "maintainer"
	// flags adds the command's own flags to fs, with o's values as their defaults (fs is made
	// anew after each argument, and must not undo a flag seen before it); nil for none.
	flags func(fs *flag.FlagSet, o *options)
	// raw commands take their arguments as they are (go test flags), after the name.
	raw bool
	run func(ctx context.Context, a *app, e *env, args []string) error
}

// options are the flags of every command.
type options struct {
	dir   string // -C
	race  string // -race
	all   bool   // hint -all
	reset bool   // hint -reset
	force bool   // reset -force, compare -force
}

// An env is what a command runs with: the repository, its catalog and the flags.
type env struct {
	tree *catalog.Tree
	race bool
	opts options
}

// commands is the command table. The first row, with no name, is the board.
var commands = []command{
	{name: "", help: "the board: what you solved, and the next kata with its first failure", forHelp: "learner",
		run: func(ctx context.Context, a *app, e *env, _ []string) error { return a.showBoard(ctx, e.tree, e.race) }},
	{name: "watch", args: "[kata]", maxArgs: 1, forHelp: "learner",
		help: "the board, re-run each time you save a .go file: a save re-runs the tests of its folder (and the current kata's), " +
			"moving on when the kata passes; starts at the kata named; Enter re-runs, Ctrl-C stops",
		run: func(ctx context.Context, a *app, e *env, args []string) error {
			return a.watch(ctx, e.tree, e.race, first(args))
		}},
	{name: "hint", args: "[-all] [-reset] [kata]", maxArgs: 1, forHelp: "learner",
		help: "a hint for the current kata (or the one named): a nudge first, one more each time you ask; " +
			"-all shows them all; -reset starts again from the first",
		flags: func(fs *flag.FlagSet, o *options) {
			fs.BoolVar(&o.all, "all", o.all, "")
			fs.BoolVar(&o.reset, "reset", o.reset, "")
		},
		run: func(ctx context.Context, a *app, e *env, args []string) error {
			return a.hint(ctx, e.tree, e.race, first(args), e.opts)
		}},
	{name: "list", forHelp: "learner", help: "every kata with its state, folder and file",
		run: func(ctx context.Context, a *app, e *env, _ []string) error { return a.list(ctx, e.tree, e.race) }},
	{name: "next", forHelp: "learner", help: "where to start on the next unsolved kata: the file, lesson and test command",
		run: func(ctx context.Context, a *app, e *env, _ []string) error { return a.next(ctx, e.tree, e.race) }},
	{name: "compare", args: "[-force] [kata]", maxArgs: 1, forHelp: "learner",
		help: "your file beside the reference solution (a unified diff); for a kata you have not solved it asks " +
			"first, since the diff gives the answer away (-force does not ask)",
		flags: func(fs *flag.FlagSet, o *options) { fs.BoolVar(&o.force, "force", o.force, "") },
		run: func(ctx context.Context, a *app, e *env, args []string) error {
			return a.compare(ctx, e.tree, e.race, first(args), e.opts.force)
		}},
	{name: "reset", args: "[-force] [kata]", maxArgs: 1, forHelp: "learner",
		help: "puts the kata's file (the current kata's, or the one named) back to the stub as the repository " +
			"shipped it, after asking you (-force does not ask): the newest version in git's history that still " +
			"has its // TODO line, looking first at the branch you cloned from (@{upstream}), then at your own " +
			"commits, so work you committed is undone too",
		flags: func(fs *flag.FlagSet, o *options) { fs.BoolVar(&o.force, "force", o.force, "") },
		run: func(ctx context.Context, a *app, e *env, args []string) error {
			return a.reset(ctx, e.tree, e.race, first(args), e.opts.force)
		}},
	{name: "verify", args: "[packages]", maxArgs: -1, forHelp: "maintainer",
		help: "prove each kata test fails on its stub and passes on its solution, check the catalog, the doc " +
			"comments and go vet, and run every other package's tests (CI)",
		run: func(ctx context.Context, a *app, e *env, args []string) error {
			tl, err := verify(ctx, a.stdout, e.tree, args, e.race)
			if err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "\n%d passed, %d failed\n", tl.passed, tl.failed)
			if tl.failed > 0 {
				return exitCode(1)
			}
			return nil
		}},
	{name: "test-solutions", args: "[go test flags] [packages]", maxArgs: -1, raw: true, forHelp: "maintainer",
		help: "go test with the solutions swapped in for the stubs, for what verify does not do, such as " +
			"benchmarks: test-solutions -run '^$' -bench . ./ex25_prodcons",
		run: func(ctx context.Context, a *app, e *env, args []string) error {
			return a.testSolutions(ctx, e.tree, args)
		}},
	{name: "mutate", args: "[flags] [packages]", maxArgs: -1, raw: true, forHelp: "maintainer",
		help: "concurrency mutation check of the solutions: every mutant must be caught, or listed as harmless " +
			"(mutate -h for its flags)",
		run: func(ctx context.Context, a *app, e *env, args []string) error {
			err := mutate.Command(ctx, e.tree.Root, args, a.stdout, a.stderr)
			if errors.Is(err, flag.ErrHelp) {
				return nil // it printed its own help
			}
			if err != nil {
				return fmt.Errorf("mutate: %w", err)
			}
			return nil
		}},
	{name: "help", forHelp: "help", help: "this text (so do -h and --help)"}, // runCmd prints it
}

func first(args []string) string {
	if len(args) == 0 {
		return ""
	}
	return args[0]
}

// usage is the help text, made from the command table.
func usage() string {
	var b strings.Builder
	b.WriteString("Usage:\n  go run ./cmd/kata [command] [flags] [arguments]\n")
	for _, group := range []struct{ name, title string }{{"learner", "Commands for learners"}, {"maintainer", "Commands for maintainers"}, {"help", "Help"}} {
		fmt.Fprintf(&b, "\n%s:\n", group.title)
		for _, c := range commands {
			if c.forHelp != group.name {
				continue
			}
			name := strings.TrimSpace(c.name + " " + c.args)
			if name == "" {
				name = "(none)"
			}
			fmt.Fprintf(&b, "  %s\n%s", name, wrap(c.help, "      ", 92))
		}
	}
	b.WriteString(`
Flags every command takes, before or after its name:
  -C dir            the kata repository (default: the one around the current folder)
  -race=auto|on|off run tests with the race detector; "auto" (the default) uses it where
                    cgo is available

A kata is named by its file's name without .go ("sum"), or with its folder when the name is
not unique ("part1_concurrency/sum"). packages: folders such as ./part1_concurrency or
./advanced/...; all when none is given. Colour is used only on a terminal and never when
NO_COLOR is set; where the locale is not UTF-8 (or KATA_ASCII=1), everything is drawn in
ASCII. How many hints you have seen is kept in your user cache folder, never in the repository.
`)
	return b.String()
}

// wrap breaks text into lines of at most width columns, each starting with indent.
func wrap(text, indent string, width int) string {
	var b strings.Builder
	line := indent
	for _, word := range strings.Fields(text) {
		if len(line) > len(indent) && len(line)+1+len(word) > width {
			b.WriteString(line + "\n")
			line = indent
		}
		if len(line) > len(indent) {
			line += " "
		}
		line += word
	}
	b.WriteString(line + "\n")
	return b.String()
}

// errUsage marks a command line that could not be understood.
var errUsage = errors.New("usage")

// usageError is a command line that could not be understood: it says the one thing wrong.
func usageError(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{errUsage}, args...)...)
}

// run is the whole command without colour, reading stdin; it returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return (&app{stdin: os.Stdin, stdout: stdout, stderr: stderr}).run(ctx, args)
}

// run is the whole command; it returns the exit code: 0 for success, 1 when verify finds a
// problem or the tool fails, 2 for a bad command line.
func (a *app) run(ctx context.Context, args []string) int {
	err := a.runCmd(ctx, args)
	var code exitCode
	switch {
	case err == nil:
		return 0
	case errors.As(err, &code):
		return int(code)
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprint(a.stdout, usage())
		return 0
	case errors.Is(err, errUsage):
		fmt.Fprintf(a.stderr, "kata: %s\nRun '%s help' for the commands and their flags.\n", strings.TrimPrefix(err.Error(), "usage: "), a.where().Kata())
		return 2
	default:
		fmt.Fprintf(a.stderr, "kata: %v\n", err)
		return 1
	}
}

// exitCode ends the command with a code whose reason has already been printed.
type exitCode int

func (c exitCode) Error() string { return fmt.Sprintf("exit code %d", int(c)) }

// parseArgs finds the command in args and parses every flag, before the command's name or
// after it, among its arguments, the same way for every command.
func parseArgs(args []string) (*command, options, []string, error) {
	opts := options{race: "auto"}
	cmd := &commands[0]
	var rest []string
	named := false
	for {
		fs := flag.NewFlagSet("kata", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		fs.StringVar(&opts.dir, "C", opts.dir, "")
		fs.StringVar(&opts.race, "race", opts.race, "")
		if named && cmd.flags != nil {
			cmd.flags(fs, &opts)
		}
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, opts, nil, err
			}
			what := "kata"
			if named && cmd.name != "" {
				what = cmd.name
			}
			if flagName, ok := strings.CutPrefix(err.Error(), "flag provided but not defined: "); ok {
				return nil, opts, nil, usageError("%s has no flag %s", what, flagName)
			}
			return nil, opts, nil, usageError("%s: %v", what, err)
		}
		args = fs.Args()
		if len(args) == 0 {
			break
		}
		if !named {
			named = true
			if args[0] == "-h" || args[0] == "--help" {
				return nil, opts, nil, flag.ErrHelp
			}
			i := indexCommand(args[0])
			if i < 0 {
				return nil, opts, nil, usageError("there is no command %q", args[0])
			}
			cmd = &commands[i]
			args = args[1:]
			if cmd.raw {
				return cmd, opts, args, nil
			}
			continue
		}
		rest = append(rest, args[0])
		args = args[1:]
	}
	if cmd.maxArgs >= 0 && len(rest) > cmd.maxArgs {
		what := "no arguments"
		if cmd.maxArgs == 1 {
			what = "one " + strings.Trim(strings.Fields(cmd.args)[len(strings.Fields(cmd.args))-1], "[]")
		}
		name := cmd.name
		if name == "" {
			name = "the board"
		}
		return nil, opts, nil, usageError("%s takes %s, not %q", name, what, strings.Join(rest[cmd.maxArgs:], " "))
	}
	return cmd, opts, rest, nil
}

func indexCommand(name string) int {
	for i, c := range commands {
		if c.name == name && name != "" {
			return i
		}
	}
	return -1
}

func (a *app) runCmd(ctx context.Context, args []string) error {
	cmd, opts, rest, err := parseArgs(args)
	if err != nil {
		return err
	}
	if cmd.name == "help" {
		fmt.Fprint(a.stdout, usage())
		return nil
	}
	start := opts.dir
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
	a.root = root
	race, err := useRace(ctx, opts.race)
	if err != nil {
		return err
	}
	return cmd.run(ctx, a, &env{tree: t, race: race, opts: opts}, rest)
}

func useRace(ctx context.Context, mode string) (bool, error) {
	switch mode {
	case "on", "true":
		return true, nil
	case "off", "false":
		return false, nil
	case "auto":
		return gorun.RaceSupported(ctx), nil
	}
	return false, usageError("-race takes auto, on or off, not %q", mode)
}

// where is where the learner stands, for printing paths and commands they can type.
func (a *app) where() render.Where { return render.Where{Root: a.root, WD: a.wd} }

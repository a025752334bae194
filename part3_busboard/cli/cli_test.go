package cli_test

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/go-async-katas/katas/internal/katatest"
	"github.com/go-async-katas/katas/part3_busboard/api"
	"github.com/go-async-katas/katas/part3_busboard/cli"
)

func TestMain(m *testing.M) { katatest.Main(m) }

// katas is a plain implementation of the kata functions, enough to test the wiring.
var katas = cli.Katas{
	Background: func(ctx context.Context, call func() ([]api.Board, error)) ([]api.Board, error) {
		return call()
	},
	Boards: func(ctx context.Context, s *api.Services, postcode string) ([]api.Board, error) {
		loc, err := s.Postcodes.Locate(ctx, postcode)
		if err != nil {
			return nil, err
		}
		stops, err := s.TfL.StopsNear(ctx, loc)
		if err != nil {
			return nil, err
		}
		arrivals, err := s.TfL.Arrivals(ctx, stops[0].NaptanID)
		if err != nil {
			return nil, err
		}
		return []api.Board{api.NewBoard(stops[0], arrivals)}, nil
	},
	Classify: func(err error) api.Problem {
		switch {
		case errors.Is(err, context.DeadlineExceeded):
			return api.TimedOut
		case errors.Is(err, api.ErrNoStops):
			return api.NoStops
		case errors.Is(err, api.ErrInvalidPostcode):
			return api.InvalidPostcode
		case errors.Is(err, api.ErrUnreachable):
			return api.Unreachable
		}
		return api.OtherProblem
	},
	Run: func(ctx context.Context, lines <-chan string, out io.Writer, boards api.BoardsFunc) error {
		for line := range lines {
			found, err := boards(ctx, line)
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if err != nil {
				_, _ = io.WriteString(out, err.Error()+"\n")
				continue
			}
			_ = api.Print(out, found)
		}
		return nil
	},
}

func run(ctx context.Context, k cli.Katas, stdin string, args ...string) (code int, stdout, stderr string) {
	var out, errOut strings.Builder
	code = cli.Main(ctx, args, strings.NewReader(stdin), &out, &errOut, k)
	return code, out.String(), errOut.String()
}

func TestMainOffline(t *testing.T) {
	katatest.Bubble(t, func(t *testing.T) {
		code, out, errOut := run(t.Context(), katas, "  nw5 1tl \nEH1 1YZ\n", "-offline")
		assert.Equal(t, cli.ExitOK, code)
		assert.Contains(t, out, "Departure board for Lady Somerset Road (Stop GZ):\n  3 minutes: C2 to Oxford Circus\n")
		assert.Contains(t, out, "no bus stops nearby")
		assert.Contains(t, errOut, "Offline mode")
	})
}

func TestMainHalfBuilt(t *testing.T) {
	katatest.Bubble(t, func(t *testing.T) {
		start := time.Now()
		code, out, _ := run(t.Context(), cli.Katas{}, "NW5 1TL\nEH1 1YZ\n", "-offline", "-halfbuilt")
		assert.Equal(t, cli.ExitOK, code)
		assert.Contains(t, out, api.Prompt+"Departure board for Lady Somerset Road (Stop GZ):\n")
		assert.Contains(t, out, api.Prompt+"Error: TfL: within 1000 m of 55.952061,-3.189552: no bus stops nearby\n")
		katatest.Elapsed(t, start, 800*time.Millisecond+200*time.Millisecond,
			"the half-built app runs one request after another: 100+100+300+300ms, then 100+100ms")
	})
}

func TestMainOneShot(t *testing.T) {
	tests := []struct {
		name     string
		give     []string
		wantCode int
		wantOut  string
	}{
		{"boards", []string{"-offline", "-postcode", "SW1Y 4QU"}, cli.ExitOK, "Departure board for Haymarket / Charles II Street (Stop P):\n"},
		{"blocking", []string{"-offline", "-blocking", "-postcode", "SW1Y 4QU"}, cli.ExitOK, "Departure board for Haymarket / Charles II Street (Stop P):\n"},
		{"no stops", []string{"-offline", "-postcode", "EH1 1YZ"}, cli.ExitFailed, api.NoStops.Message()},
		{"invalid", []string{"-offline", "-postcode", "???"}, cli.ExitFailed, api.InvalidPostcode.Message()},
		{"timeout", []string{"-offline", "-timeout", "3s", "-postcode", "SE1 7PB"}, cli.ExitFailed, api.TimedOut.Message()},
		{"unreachable", []string{"-offline", "-postcode", "W1A 1AA"}, cli.ExitFailed, "Sorry, I couldn't reach TfL. Are you online?"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			katatest.Bubble(t, func(t *testing.T) {
				code, out, _ := run(t.Context(), katas, "", tt.give...)
				assert.Equal(t, tt.wantCode, code)
				assert.Contains(t, out, tt.wantOut)
			})
		})
	}
}

func TestMainTimeoutIsPerLookup(t *testing.T) {
	katatest.Bubble(t, func(t *testing.T) {
		start := time.Now()
		code, _, _ := run(t.Context(), katas, "", "-offline", "-timeout", "3s", "-postcode", "SE1 7PB")
		assert.Equal(t, cli.ExitFailed, code)
		katatest.Elapsed(t, start, 3*time.Second, "-timeout bounds a lookup")
	})
}

func TestMainInterrupted(t *testing.T) {
	katatest.Bubble(t, func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), time.Second) // Ctrl-C after 1s
		defer cancel()
		code, out, _ := run(ctx, katas, "SE1 7PB\n", "-offline", "-timeout", "1m")
		assert.Equal(t, cli.ExitInterrupted, code)
		assert.Contains(t, out, "Bye.")
	})
}

func TestMainNotImplemented(t *testing.T) {
	stub := katas
	stub.Run = func(context.Context, <-chan string, io.Writer, api.BoardsFunc) error { return api.ErrNotImplemented }
	code, _, errOut := run(t.Context(), stub, "", "-offline")
	assert.Equal(t, cli.ExitFailed, code)
	assert.Contains(t, errOut, "part3_busboard (see its README.md)")
}

func TestMainUsage(t *testing.T) {
	tests := []struct {
		name string
		give []string
		want string // what the one line on stderr says
	}{
		{"unknown flag", []string{"-nope"}, "flag provided but not defined: -nope"},
		{"extra argument", []string{"SW1A"}, `unexpected argument "SW1A": give a postcode with -postcode`},
		{"zero timeout", []string{"-timeout", "0"}, "-timeout must be more than 0, got 0s"},
		{"negative timeout", []string{"-timeout", "-1s"}, "-timeout must be more than 0, got -1s"},
		{"bad duration", []string{"-timeout", "soon"}, `invalid value "soon" for flag -timeout`},
		{"halfbuilt and blocking", []string{"-halfbuilt", "-blocking"}, "-halfbuilt and -blocking cannot go together"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := run(t.Context(), katas, "", tt.give...)
			assert.Equal(t, cli.ExitUsage, code, "busboard %q", tt.give)
			assert.Contains(t, errOut, tt.want, "busboard %q says what is wrong", tt.give)
			assert.Equal(t, 1, strings.Count(errOut, "\n"), "busboard %q says it in one line, not the whole usage:\n%s", tt.give, errOut)
			assert.Contains(t, errOut, "busboard -h", "busboard %q points at -h", tt.give)
			assert.Empty(t, out, "busboard %q prints nothing else", tt.give)
		})
	}
}

func TestMainHelp(t *testing.T) {
	for _, give := range []string{"-h", "--help", "-help"} {
		code, out, errOut := run(t.Context(), katas, "", give)
		assert.Equal(t, cli.ExitOK, code, "busboard %s: help asked for is not an error", give)
		assert.Contains(t, out, "Shows the next buses at the two stops nearest a UK postcode", "busboard %s describes the program", give)
		assert.Contains(t, out, "-postcode", "busboard %s lists the flags", give)
		assert.Empty(t, errOut, "busboard %s", give)
	}
}

func TestMainOneShotNoBanner(t *testing.T) {
	katatest.Bubble(t, func(t *testing.T) {
		code, out, errOut := run(t.Context(), katas, "", "-offline", "-postcode", "NW5 1TL")
		assert.Equal(t, cli.ExitOK, code)
		assert.Contains(t, out, "Departure board for Lady Somerset Road (Stop GZ):\n")
		assert.NotContains(t, errOut, "Offline mode", "a one-shot lookup prints no list of postcodes to try")
	})
}

func TestMainHalfBuiltOneShot(t *testing.T) {
	tests := []struct {
		name     string
		give     string
		wantCode int
		wantOut  string
	}{
		{"boards", "NW5 1TL", cli.ExitOK, "Departure board for Lady Somerset Road (Stop GZ):\n"},
		{"no stops", "EH1 1YZ", cli.ExitFailed, "Error: TfL: within 1000 m of 55.952061,-3.189552: no bus stops nearby\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			katatest.Bubble(t, func(t *testing.T) {
				code, out, _ := run(t.Context(), cli.Katas{}, "", "-offline", "-halfbuilt", "-postcode", tt.give)
				assert.Equal(t, tt.wantCode, code)
				assert.Contains(t, out, tt.wantOut)
				assert.NotContains(t, out, api.Prompt, "-postcode looks up once, without prompting")
			})
		})
	}
}

func TestMainHalfBuiltTimeout(t *testing.T) {
	katatest.Bubble(t, func(t *testing.T) {
		start := time.Now()
		code, out, _ := run(t.Context(), cli.Katas{}, "SE1 7PB\n", "-offline", "-halfbuilt", "-timeout", "1s")
		assert.Equal(t, cli.ExitOK, code)
		assert.Contains(t, out, api.Prompt+"Error: ")
		assert.Regexp(t, `Error: .*(deadline exceeded|Timeout exceeded)`, out, "the request's time limit ended it")
		assert.Less(t, time.Since(start), 3*time.Second, "-timeout 1s bounds each request of the half-built app")
	})
}

func TestMainHalfBuiltLongLine(t *testing.T) {
	katatest.Bubble(t, func(t *testing.T) {
		code, out, errOut := run(t.Context(), cli.Katas{}, strings.Repeat("A", 70_000)+"\nNW5 1TL\n", "-offline", "-halfbuilt")
		assert.Equal(t, cli.ExitFailed, code, "a line the half-built app cannot read is a failure, not the end of input")
		assert.Contains(t, errOut, "longer than the 65536 bytes the half-built app can read")
		assert.NotContains(t, out, "Departure board", "nothing after the long line is looked up")
	})
}

func TestLines(t *testing.T) {
	var got []string
	for l := range cli.Lines(t.Context(), strings.NewReader("  sw1a 2aa \r\n\nN9 0AB")) {
		got = append(got, l)
	}
	assert.Equal(t, []string{"sw1a 2aa", "", "N9 0AB"}, got)
}

func TestLinesLong(t *testing.T) {
	long := strings.Repeat("A", 100_000)
	var got []string
	for l := range cli.Lines(t.Context(), strings.NewReader(long+"\nNW5 1TL\n")) {
		got = append(got, l)
	}
	assert.Equal(t, []string{long[:cli.MaxLineBytes], "NW5 1TL"}, got, "a long line is cut, and the next one still read")
}

func TestLinesStopsWithContext(t *testing.T) {
	katatest.Bubble(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		lines := cli.Lines(ctx, strings.NewReader("one\ntwo\n"))
		assert.Equal(t, "one", <-lines)
		cancel()
		for range lines { // "two" may or may not come: then the channel closes
		}
	})
}

// FuzzLines checks that any input a person (or a pipe) gives splits into short lines without
// line breaks, and never panics.
func FuzzLines(f *testing.F) {
	for _, s := range []string{"", "\n", "SW1A 2AA\r\n", "a\nb", strings.Repeat("x", 5000) + "\ny", "\x00\xff\n\r"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, give string) {
		for l := range cli.Lines(t.Context(), strings.NewReader(give)) {
			if len(l) > cli.MaxLineBytes || strings.ContainsAny(l, "\n") {
				t.Fatalf("Lines(%q) sent %q: want at most %d bytes and no line break", give, l, cli.MaxLineBytes)
			}
		}
	})
}

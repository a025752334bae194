package main

import (
	"strings"

	"github.com/fatih/color"
)

// A painter colours text when on is set: only when stdout is a terminal and NO_COLOR is
// unset (see main). Off, it returns the text as it is, so output has no escape codes.
type painter struct{ on bool }

func (p painter) paint(s string, attrs ...color.Attribute) string {
	if !p.on || s == "" {
		return s
	}
	c := color.New(attrs...)
	c.EnableColor() // the choice was made in main; don't let fatih/color's global undo it
	return c.Sprint(s)
}

func (p painter) good(s string) string { return p.paint(s, color.FgGreen) }
func (p painter) bad(s string) string  { return p.paint(s, color.FgRed) }
func (p painter) warn(s string) string { return p.paint(s, color.FgYellow, color.Bold) }
func (p painter) bold(s string) string { return p.paint(s, color.Bold) }
func (p painter) dim(s string) string  { return p.paint(s, color.Faint) }
func (p painter) code(s string) string { return p.paint(s, color.FgCyan) }

// mark is ✓ for a solved kata, ✗ for one that is not.
func (p painter) mark(solved bool) string {
	if solved {
		return p.good("✓")
	}
	return p.bad("✗")
}

// bar is a progress bar of width characters: [#####.....].
func (p painter) bar(done, total, width int) string {
	if total == 0 {
		return ""
	}
	filled := done * width / total
	switch {
	case done > 0 && filled == 0:
		filled = 1 // some progress always shows
	case done < total && filled == width:
		filled = width - 1 // and a full bar means every kata
	}
	return "[" + p.good(strings.Repeat("#", filled)) + strings.Repeat(".", width-filled) + "]"
}

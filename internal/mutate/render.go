package mutate

import (
	"bytes"
	"fmt"
	"go/format"
	"slices"
	"strings"
)

// A schema is a solution file with many mutants compiled in, each switched on at run time
// when the environment variable KATA_MUTANT holds its ID: one test binary per package
// serves every mutant of the package, instead of one build per mutant. A statement site
// becomes
//
//	if !_kataOn(7) { original } else { mutant }
//
// and an expression site _kataPick(7, original, mutant). Sites nest: a site inside another
// is rendered, switchable, in both branches (in the mutant branch only where the outer
// mutant's edits leave it). Line directives keep the original text at its own line, so
// stacks and messages in the schema name the lines of the solution file.

// schemaHelper is the file added to each package built as a schema.
const schemaHelper = `package %s

import (
	"context"
	"os"
	"strconv"
)

var _kataMutant = func() int {
	n, _ := strconv.Atoi(os.Getenv("KATA_MUTANT"))
	return n
}()

func _kataOn(id int) bool { return _kataMutant == id }

func _kataPick[T any](id int, original, mutant T) T {
	if _kataMutant == id {
		return mutant
	}
	return original
}

func _kataBackground() context.Context { return context.Background() }
`

// A schemaSite is a site with the ID of its mutant.
type schemaSite struct {
	id int
	site
}

type schemaWriter struct {
	src        []byte
	lineStarts []int
}

// renderSchema returns src with the sites of the given mutants switchable.
func renderSchema(src []byte, ms []*Mutant) []byte {
	var sites []schemaSite
	for _, m := range ms {
		for _, s := range m.sites {
			sites = append(sites, schemaSite{m.ID, s})
		}
	}
	sortSites(sites)
	w := &schemaWriter{src: src, lineStarts: []int{0}}
	for i, c := range src {
		if c == '\n' {
			w.lineStarts = append(w.lineStarts, i+1)
		}
	}
	var b strings.Builder
	w.render(&b, 0, len(src), sites)
	return []byte(b.String())
}

func sortSites(sites []schemaSite) {
	slices.SortStableFunc(sites, func(a, b schemaSite) int {
		if a.start != b.start {
			return a.start - b.start
		}
		return b.end - a.end // the outer one first
	})
}

// lineDirective places the text after it at src offset off.
func (w *schemaWriter) lineDirective(off int) string {
	line, _ := slices.BinarySearch(w.lineStarts, off+1)
	return fmt.Sprintf("/*line :%d:%d*/", line, off-w.lineStarts[line-1]+1)
}

// render writes src[start:end] with sites (sorted, all inside the range) switchable.
func (w *schemaWriter) render(b *strings.Builder, start, end int, sites []schemaSite) {
	pos := start
	for i := 0; i < len(sites); {
		outer := sites[i]
		j := i + 1
		for j < len(sites) && sites[j].start < outer.end {
			j++
		}
		inner := sites[i+1 : j]
		b.Write(w.src[pos:outer.start])
		var orig, mut strings.Builder
		w.render(&orig, outer.start, outer.end, inner)
		w.renderEdits(&mut, outer.site, inner)
		if outer.stmt {
			fmt.Fprintf(b, "if !_kataOn(%d) {%s%s } else { %s }%s", outer.id, w.lineDirective(outer.start), orig.String(), mut.String(), w.lineDirective(outer.end))
		} else {
			fmt.Fprintf(b, "_kataPick(%d, %s%s, %s)%s", outer.id, w.lineDirective(outer.start), orig.String(), mut.String(), w.lineDirective(outer.end))
		}
		pos = outer.end
		i = j
	}
	b.Write(w.src[pos:end])
}

// renderEdits writes the mutant branch of site s: its edits, and the inner sites that lie
// between them.
func (w *schemaWriter) renderEdits(b *strings.Builder, s site, inner []schemaSite) {
	edits := slices.Clone(s.edits)
	slices.SortFunc(edits, func(a, b edit) int { return a.start - b.start })
	pos := s.start
	gap := func(end int) {
		var in []schemaSite
		for _, x := range inner {
			if x.start >= pos && x.end <= end {
				in = append(in, x)
			}
		}
		// Inner sites may nest among themselves: keep only the ones that fit, sorted.
		w.render(b, pos, end, in)
	}
	for _, e := range edits {
		if e.start < pos {
			continue
		}
		gap(e.start)
		b.WriteString(e.schemaText())
		pos = e.end
	}
	gap(s.end)
}

// renderAlone returns the mutant's own source of src: its edits applied, import "context"
// added if it needs one, gofmt'ed (or as it is if gofmt fails).
func renderAlone(src []byte, m *Mutant) []byte {
	out, _, _ := rawAlone(src, m)
	if f, err := format.Source(out); err == nil {
		return f
	}
	return out
}

// rawAlone is the mutant's own source before gofmt; if it added an import, it did so at
// offset at, adding n bytes.
func rawAlone(src []byte, m *Mutant) (out []byte, at, n int) {
	out = applyAlone(src, m)
	if m.ctxImport {
		before := len(out)
		out, at = addImport(out, "context")
		n = len(out) - before
	}
	return out, at, n
}

// addImport adds import path after the package clause, at offset at.
func addImport(src []byte, path string) (out []byte, at int) {
	i := 0
	if !bytes.HasPrefix(src, []byte("package ")) {
		i = bytes.Index(src, []byte("\npackage "))
		if i < 0 {
			return src, 0
		}
		i++
	}
	nl := bytes.IndexByte(src[i:], '\n')
	if nl < 0 {
		return src, 0
	}
	at = i + nl + 1
	return slices.Concat(src[:at], []byte("\nimport \""+path+"\"\n"), src[at:]), at
}

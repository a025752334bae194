package main

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strings"

	"github.com/go-async-katas/katas/internal/catalog"
)

// docDiffs compares the doc comments of a kata's stub with its solution's: the package doc
// and each exported identifier's. The stub's doc comment is the spec the solution
// implements, so they must say the same. It returns one line per difference.
func docDiffs(root string, k *catalog.Kata) ([]string, error) {
	stub, err := docsOf(filepath.Join(root, filepath.FromSlash(k.StubPath())))
	if err != nil {
		return nil, err
	}
	sol, err := docsOf(filepath.Join(root, filepath.FromSlash(k.SolutionPath())))
	if err != nil {
		return nil, err
	}
	var names []string
	for name := range stub {
		names = append(names, name)
	}
	for name := range sol {
		if _, ok := stub[name]; !ok {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	var out []string
	for _, name := range names {
		s, inStub := stub[name]
		o, inSol := sol[name]
		switch {
		case !inSol:
			out = append(out, fmt.Sprintf("%s is in %s but not in %s", name, k.StubPath(), k.SolutionPath()))
		case !inStub:
			out = append(out, fmt.Sprintf("%s is in %s but not in %s", name, k.SolutionPath(), k.StubPath()))
		case s != o:
			out = append(out, fmt.Sprintf("the doc comment of %s differs between %s and %s", name, k.StubPath(), k.SolutionPath()))
		}
	}
	return out, nil
}

// docsOf returns the doc comments of a Go file: "package" for the package doc, and each
// exported identifier's ("Sum", "Future.Await") for those that have one or are exported.
func docsOf(file string) (map[string]string, error) {
	f, err := parser.ParseFile(token.NewFileSet(), file, nil, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	docs := map[string]string{}
	if f.Doc != nil {
		docs["package"] = f.Doc.Text()
	}
	text := func(g *ast.CommentGroup) string {
		if g == nil {
			return ""
		}
		return g.Text()
	}
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if !d.Name.IsExported() {
				continue
			}
			name := d.Name.Name
			if d.Recv != nil && len(d.Recv.List) > 0 {
				recv := receiverName(d.Recv.List[0].Type)
				if !ast.IsExported(recv) {
					continue
				}
				name = recv + "." + name
			}
			docs[name] = text(d.Doc)
		case *ast.GenDecl:
			for _, spec := range d.Specs {
				doc := text(d.Doc)
				var idents []*ast.Ident
				switch s := spec.(type) {
				case *ast.TypeSpec:
					idents, doc = []*ast.Ident{s.Name}, strings.TrimSpace(doc+text(s.Doc))
				case *ast.ValueSpec:
					idents, doc = s.Names, strings.TrimSpace(doc+text(s.Doc))
				}
				for _, id := range idents {
					if id.IsExported() {
						docs[id.Name] = doc
					}
				}
			}
		}
	}
	return docs, nil
}

// receiverName is the type's name in a method's receiver: "Future" for *Future[T].
func receiverName(e ast.Expr) string {
	for {
		switch x := e.(type) {
		case *ast.StarExpr:
			e = x.X
		case *ast.IndexExpr:
			e = x.X
		case *ast.IndexListExpr:
			e = x.X
		case *ast.Ident:
			return x.Name
		default:
			return ""
		}
	}
}

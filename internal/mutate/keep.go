package mutate

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"
)

// checkMutant type-checks mutant m of file name of cp and returns its errors. When the
// only errors are variables the mutant left unused, it adds "_ = x" for each and checks
// again; m.src is then the mutant's source with them.
func (tc *checker) checkMutant(cp *checkedPkg, name string, m *Mutant) []error {
	src := cp.srcs[name]
	raw, at, n := rawAlone(src, m)
	errs := tc.typeCheck(cp, name, raw)
	if len(errs) == 0 {
		return nil
	}
	keep, ok := keepUsed(tc.fset, cp.files[name], cp.info, m, at, n, errs)
	if !ok {
		return errs
	}
	m.keep = keep
	raw, _, _ = rawAlone(src, m)
	m.src = renderAlone(src, m)
	return tc.typeCheck(cp, name, raw)
}

// keepUsed returns the edits that keep used each variable a mutant left unused, as errs
// (the mutant's type errors) report: "_ = x" after the statement that declares x, so that
// dropping "defer cancel()" is a mutant that compiles. ok is false if an error is of
// another kind or no such edit fits.
func keepUsed(fset *token.FileSet, f *ast.File, info *types.Info, m *Mutant, importAt, importLen int, errs []error) (edits []edit, ok bool) {
	tf := fset.File(f.Pos())
	parents := map[ast.Node]ast.Node{}
	var stack []ast.Node
	ast.Inspect(f, func(n ast.Node) bool {
		if n == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		if len(stack) > 0 {
			parents[n] = stack[len(stack)-1]
		}
		stack = append(stack, n)
		return true
	})
	byOffset := map[int]*ast.Ident{}
	for id := range info.Defs {
		if id.Pos().IsValid() && tf.Base() <= int(id.Pos()) && int(id.Pos()) <= tf.Base()+tf.Size() {
			byOffset[tf.Offset(id.Pos())] = id
		}
	}
	for _, err := range errs {
		te, isType := err.(types.Error)
		if !isType {
			return nil, false
		}
		name, unused := strings.CutPrefix(te.Msg, "declared and not used: ")
		if !unused {
			return nil, false
		}
		off := te.Fset.Position(te.Pos).Offset
		if importLen > 0 && off >= importAt {
			off -= importLen
		}
		orig, inSrc := originalOffset(m, off)
		id := byOffset[orig]
		if !inSrc || id == nil || id.Name != name {
			return nil, false
		}
		var n ast.Node = id
		for {
			p := parents[n]
			if p == nil {
				return nil, false
			}
			if _, inList := p.(*ast.BlockStmt); inList {
				break
			}
			if _, inList := p.(*ast.CaseClause); inList {
				break
			}
			if cc, inList := p.(*ast.CommClause); inList && cc.Comm != n {
				break
			}
			n = p
		}
		switch s := n.(type) {
		case *ast.AssignStmt:
			if s.Tok != token.DEFINE {
				return nil, false
			}
		case *ast.DeclStmt:
		default:
			return nil, false
		}
		end := tf.Offset(n.End())
		edits = append(edits, edit{start: end, end: end, text: "; _ = " + name})
	}
	return edits, len(edits) > 0
}

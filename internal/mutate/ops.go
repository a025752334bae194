package mutate

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strconv"
	"strings"
)

// A generator finds the mutants of one type-checked file.
type generator struct {
	fset    *token.FileSet
	tf      *token.File
	file    *ast.File
	src     []byte
	info    *types.Info
	name    string // the file's slash path, for Mutant.File
	parents map[ast.Node]ast.Node
	fn      string // the enclosing top-level function
	muts    []*Mutant
	// sendsSignal: the package sends on a chan struct{} somewhere. If it does not, its
	// chan struct{} values are only closed and received from, where a buffer changes
	// nothing: they get no "buffered" mutant.
	sendsSignal bool
}

// sendsSignal reports whether files send on a channel of struct{} anywhere.
func sendsSignal(files []*ast.File, info *types.Info) bool {
	found := false
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			if s, ok := n.(*ast.SendStmt); ok && isSignal(info.TypeOf(s.Chan)) {
				found = true
			}
			return !found
		})
	}
	return found
}

// isSignal reports whether t is a channel of struct{}.
func isSignal(t types.Type) bool {
	if t == nil {
		return false
	}
	c, ok := t.Underlying().(*types.Chan)
	if !ok {
		return false
	}
	st, ok := c.Elem().Underlying().(*types.Struct)
	return ok && st.NumFields() == 0
}

// generate returns the mutants of file, in source order, numbered (Index) but without IDs.
// pkgFiles are all the files of its package (file among them), type-checked into info.
func generate(fset *token.FileSet, file *ast.File, src []byte, info *types.Info, name string, pkgFiles []*ast.File) []*Mutant {
	g := &generator{fset: fset, tf: fset.File(file.Pos()), file: file, src: src, info: info, name: name,
		parents: map[ast.Node]ast.Node{}, sendsSignal: sendsSignal(pkgFiles, info)}
	var stack []ast.Node
	ast.Inspect(file, func(n ast.Node) bool {
		if n == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		if len(stack) > 0 {
			g.parents[n] = stack[len(stack)-1]
		}
		stack = append(stack, n)
		return true
	})
	for _, d := range file.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Body == nil {
			continue
		}
		g.fn = funcName(fd)
		ast.Inspect(fd.Body, g.visit)
		g.locks(fd.Body)
		ast.Inspect(fd.Body, func(n ast.Node) bool {
			if fl, ok := n.(*ast.FuncLit); ok {
				g.locks(fl.Body)
			}
			return true
		})
	}
	sortMutants(g.muts)
	numberMutants(g.muts)
	return g.muts
}

func funcName(fd *ast.FuncDecl) string {
	if fd.Recv == nil || len(fd.Recv.List) == 0 {
		return fd.Name.Name
	}
	t := fd.Recv.List[0].Type
	for {
		switch x := t.(type) {
		case *ast.StarExpr:
			t = x.X
			continue
		case *ast.IndexExpr:
			t = x.X
			continue
		case *ast.IndexListExpr:
			t = x.X
			continue
		case *ast.Ident:
			return x.Name + "." + fd.Name.Name
		}
		return fd.Name.Name
	}
}

func (g *generator) off(p token.Pos) int { return g.tf.Offset(p) }

func (g *generator) text(n ast.Node) string { return string(g.src[g.off(n.Pos()):g.off(n.End())]) }

// oneLine is the first line of a node's source, its blanks collapsed, at most 80 bytes.
func oneLine(s string) string {
	first, _, _ := strings.Cut(s, "\n")
	first = strings.Join(strings.Fields(first), " ")
	if len(first) > 80 {
		first = first[:77] + "..."
	}
	return first
}

func (g *generator) add(op string, at ast.Node, text string, alone bool, sites ...site) *Mutant {
	m := &Mutant{File: g.name, Op: op, Func: g.fn, Text: oneLine(text), Line: g.fset.Position(at.Pos()).Line,
		sites: sites, alone: alone}
	g.muts = append(g.muts, m)
	return m
}

func (g *generator) visit(n ast.Node) bool {
	switch n := n.(type) {
	case *ast.ExprStmt:
		g.exprStmt(n)
	case *ast.DeferStmt:
		if g.isWait(n.Call) {
			g.dropStmt(OpDropWait, n)
		} else if g.isBuiltin(n.Call, "close") {
			g.dropStmt(OpDropClose, n)
		} else if g.isCancel(n.Call) {
			g.dropStmt(OpDropCancel, n)
		}
	case *ast.GoStmt:
		s, alone := g.stmtSite(n)
		s.edits = []edit{{start: g.off(n.Pos()), end: g.off(n.Call.Pos())}}
		g.add(OpSyncGo, n, g.text(n), alone, s)
	case *ast.CallExpr:
		g.call(n)
	case *ast.SelectStmt:
		g.selectCases(n)
	case *ast.ReturnStmt:
		for _, r := range n.Results {
			id, ok := r.(*ast.Ident)
			if !ok || id.Name == "nil" || !g.isError(g.info.TypeOf(id)) {
				continue
			}
			g.add(OpReturnNil, n, g.text(n), false, g.exprSite(id, "nil"))
		}
	}
	return true
}

func (g *generator) exprStmt(n *ast.ExprStmt) {
	if cc, ok := g.parents[n].(*ast.CommClause); ok && cc.Comm == n {
		return // a select's case: drop-ctx-case
	}
	if u, ok := n.X.(*ast.UnaryExpr); ok && u.Op == token.ARROW {
		g.dropStmt(OpDropReceive, n)
		return
	}
	call, ok := n.X.(*ast.CallExpr)
	if !ok {
		return
	}
	switch {
	case g.isWait(call):
		g.dropStmt(OpDropWait, n)
	case g.isBuiltin(call, "close"):
		g.dropStmt(OpDropClose, n)
	case g.isCancel(call):
		g.dropStmt(OpDropCancel, n)
	case len(call.Args) == 1 && (g.isMethod(call, "sync", "WaitGroup", "Go") || g.isMethod(call, "golang.org/x/sync/errgroup", "Group", "Go")):
		s, alone := g.stmtSite(n)
		arg := call.Args[0]
		if g.isMethod(call, "sync", "WaitGroup", "Go") {
			s.edits = []edit{
				{start: g.off(n.Pos()), end: g.off(arg.Pos())},
				{start: g.off(arg.End()), end: g.off(n.End()), text: "()"},
			}
		} else {
			recv := g.text(call.Fun.(*ast.SelectorExpr).X)
			s.edits = []edit{
				{start: g.off(n.Pos()), end: g.off(arg.Pos()), text: "if err := "},
				{start: g.off(arg.End()), end: g.off(n.End()), text: "(); err != nil {\n" + recv + ".Go(func() error { return err })\n}"},
			}
		}
		g.add(OpSyncGo, n, g.text(n), alone, s)
	}
}

// call finds the mutants of an expression: a context argument, an errgroup Wait used as a
// value, a recover, a %w, a make(chan).
func (g *generator) call(call *ast.CallExpr) {
	for _, a := range call.Args {
		// context.WithoutCancel(ctx) with context.Background() differs only in ctx's values:
		// the mutant of the whole call covers it.
		// context.WithoutCancel(x) and context.Background() differ only in x's values.
		if inner, ok := a.(*ast.CallExpr); ok && g.isFunc(inner, "context", "WithoutCancel") {
			continue
		}
		if !g.isContext(g.info.TypeOf(a)) || g.isBackground(a) || g.isFunc(call, "context", "WithoutCancel") {
			continue
		}
		s := g.exprSite(a, "context.Background()")
		s.edits[0].schema, s.edits[0].useSchema = "_kataBackground()", true
		m := g.add(OpCtxBG, call, g.text(call), false, s)
		m.ctxImport = !g.importsContext()
	}
	switch p := g.parents[call].(type) {
	case *ast.ExprStmt, *ast.DeferStmt, *ast.GoStmt:
	default:
		if g.isMethod(call, "golang.org/x/sync/errgroup", "Group", "Wait") {
			stmt, s, alone := g.enclosingSite(call)
			s.edits = []edit{{start: g.off(call.Pos()), end: g.off(call.End()), text: nilFor(p, "error")}}
			g.add(OpDropWait, call, g.text(stmt), alone, s)
		}
	}
	if g.isBuiltin(call, "recover") {
		stmt, s, alone := g.enclosingSite(call)
		s.edits = []edit{{start: g.off(call.Pos()), end: g.off(call.End()), text: nilFor(g.parents[call], "any")}}
		g.add(OpDropRecover, call, g.text(stmt), alone, s)
	}
	if g.isFunc(call, "fmt", "Errorf") && len(call.Args) > 0 {
		if lit, ok := call.Args[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
			for _, i := range verbW(lit.Value) {
				mutated := lit.Value[:i] + "%v" + lit.Value[i+2:]
				g.add(OpErrorfV, call, g.text(call), false, g.exprSite(lit, mutated))
			}
		}
	}
	if g.isBuiltin(call, "make") && len(call.Args) > 0 {
		if _, ok := g.info.TypeOf(call).Underlying().(*types.Chan); ok {
			switch {
			case len(call.Args) == 1 && isSignal(g.info.TypeOf(call)) && !g.sendsSignal:
				// Only closed and received from: a buffer changes nothing.
			case len(call.Args) == 1:
				s := g.exprSite(call, "")
				s.edits = []edit{{start: g.off(call.Args[0].End()), end: g.off(call.Args[0].End()), text: ", 1"}}
				g.add(OpBuffered, call, g.text(call), false, s)
			case isZero(call.Args[1]):
				s := g.exprSite(call, "")
				s.edits = []edit{{start: g.off(call.Args[1].Pos()), end: g.off(call.Args[1].End()), text: "1"}}
				g.add(OpBuffered, call, g.text(call), false, s)
			default:
				s := g.exprSite(call, "")
				s.edits = []edit{{start: g.off(call.Args[0].End()), end: g.off(call.Args[1].End())}}
				g.add(OpUnbuffered, call, g.text(call), false, s)
			}
		}
	}
}

func isZero(e ast.Expr) bool {
	lit, ok := e.(*ast.BasicLit)
	return ok && lit.Kind == token.INT && lit.Value == "0"
}

// nilFor is the nil that replaces an expression: typed where the expression declares a
// variable (x := nil does not compile).
func nilFor(parent ast.Node, typ string) string {
	switch p := parent.(type) {
	case *ast.AssignStmt:
		if p.Tok == token.DEFINE {
			return typ + "(nil)"
		}
	case *ast.ValueSpec:
		if p.Type == nil {
			return typ + "(nil)"
		}
	}
	return "nil"
}

// verbW returns the offsets of each %w verb in a Go string literal's source.
func verbW(lit string) []int {
	var at []int
	for i := 0; i < len(lit)-1; i++ {
		if lit[i] != '%' {
			continue
		}
		if lit[i+1] == '%' {
			i++
			continue
		}
		if lit[i+1] == 'w' {
			at = append(at, i)
		}
	}
	return at
}

// selectCases drops each case <-ctx.Done(): of a select that has another case.
func (g *generator) selectCases(sel *ast.SelectStmt) {
	clauses := sel.Body.List
	if len(clauses) < 2 {
		return
	}
	for i, c := range clauses {
		cc := c.(*ast.CommClause)
		if cc.Comm == nil || !g.isCtxDone(cc.Comm) {
			continue
		}
		s, alone := g.stmtSite(sel)
		start := g.off(cc.Pos())
		var e edit
		if i+1 < len(clauses) {
			e = edit{start: start, end: g.off(clauses[i+1].Pos())}
		} else {
			end := g.off(cc.End())
			e = edit{start: g.lineStart(start), end: g.lineEnd(end)}
		}
		s.edits = []edit{e}
		g.add(OpDropCtxCase, cc, "case "+g.text(cc.Comm), alone, s)
	}
}

// isCtxDone reports whether a select's comm is a receive from the Done channel of a
// context.Context.
func (g *generator) isCtxDone(comm ast.Stmt) bool {
	var x ast.Expr
	switch c := comm.(type) {
	case *ast.ExprStmt:
		x = c.X
	case *ast.AssignStmt:
		if len(c.Rhs) == 1 {
			x = c.Rhs[0]
		}
	}
	u, ok := x.(*ast.UnaryExpr)
	if !ok || u.Op != token.ARROW {
		return false
	}
	call, ok := ast.Unparen(u.X).(*ast.CallExpr)
	if !ok || len(call.Args) != 0 {
		return false
	}
	sel, ok := call.Fun.(*ast.SelectorExpr)
	return ok && sel.Sel.Name == "Done" && g.isContext(g.info.TypeOf(sel.X))
}

// locks drops each mu.Lock() (or RLock) of a function body with the Unlock calls that
// follow it on the same mutex, up to its next Lock: nested function literals are left to
// their own call.
func (g *generator) locks(body *ast.BlockStmt) {
	type lockStmt struct {
		stmt       ast.Stmt
		recv, name string
	}
	var all []lockStmt
	ast.Inspect(body, func(n ast.Node) bool {
		if _, ok := n.(*ast.FuncLit); ok {
			return false
		}
		var call *ast.CallExpr
		switch s := n.(type) {
		case *ast.ExprStmt:
			call, _ = s.X.(*ast.CallExpr)
		case *ast.DeferStmt:
			call = s.Call
		default:
			return true
		}
		if call == nil {
			return true
		}
		for _, name := range []string{"Lock", "Unlock", "RLock", "RUnlock"} {
			if g.isMethod(call, "sync", "Mutex", name) || g.isMethod(call, "sync", "RWMutex", name) {
				all = append(all, lockStmt{n.(ast.Stmt), g.text(call.Fun.(*ast.SelectorExpr).X), name})
			}
		}
		return true
	})
	for i, l := range all {
		if _, isDefer := l.stmt.(*ast.DeferStmt); isDefer || (l.name != "Lock" && l.name != "RLock") {
			continue
		}
		s, alone := g.stmtSite(l.stmt)
		s.edits = []edit{g.deletion(l.stmt)}
		sites := []site{s}
		unlock := "Unlock"
		if l.name == "RLock" {
			unlock = "RUnlock"
		}
		for _, u := range all[i+1:] {
			if u.recv != l.recv {
				continue
			}
			if u.name == l.name {
				break
			}
			if u.name == unlock {
				us, a := g.stmtSite(u.stmt)
				us.edits = []edit{g.deletion(u.stmt)}
				sites = append(sites, us)
				alone = alone || a
			}
		}
		if len(sites) > 1 {
			g.add(OpDropLock, l.stmt, g.text(l.stmt), alone, sites...)
		}
	}
}

func (g *generator) dropStmt(op string, n ast.Stmt) {
	s, alone := g.stmtSite(n)
	s.edits = []edit{g.deletion(n)}
	g.add(op, n, g.text(n), alone, s)
}

// deletion removes a statement; on its own, the mutant loses the statement's whole line
// when nothing else is on it but a comment.
func (g *generator) deletion(n ast.Node) edit {
	start, end := g.off(n.Pos()), g.off(n.End())
	e := edit{start: start, end: end}
	ls := g.lineStart(start)
	rest := end
	for rest < len(g.src) && (g.src[rest] == ' ' || g.src[rest] == '\t') {
		rest++
	}
	if strings.TrimSpace(string(g.src[ls:start])) == "" &&
		(rest == len(g.src) || g.src[rest] == '\n' || strings.HasPrefix(string(g.src[rest:]), "//")) {
		e.wideStart, e.wideEnd = ls, g.lineEnd(end)
	}
	return e
}

// lineStart is the offset of the start of the line holding off.
func (g *generator) lineStart(off int) int {
	for off > 0 && g.src[off-1] != '\n' {
		off--
	}
	return off
}

// lineEnd is the offset just past the newline ending the line holding off.
func (g *generator) lineEnd(off int) int {
	for off < len(g.src) && g.src[off] != '\n' {
		off++
	}
	if off < len(g.src) {
		off++
	}
	return off
}

// exprSite is a site that replaces expression e with text.
func (g *generator) exprSite(e ast.Expr, text string) site {
	start, end := g.off(e.Pos()), g.off(e.End())
	return site{start: start, end: end, edits: []edit{{start: start, end: end, text: text}}}
}

// stmtSite is a site for statement n; alone reports that a schema cannot switch it:
// it is not in a statement list, it declares names its block uses, or it holds a label.
func (g *generator) stmtSite(n ast.Stmt) (s site, alone bool) {
	s = site{start: g.off(n.Pos()), end: g.off(n.End()), stmt: true}
	return s, !g.switchable(n)
}

func (g *generator) switchable(n ast.Stmt) bool {
	switch p := g.parents[n].(type) {
	case *ast.BlockStmt, *ast.CaseClause:
	case *ast.CommClause:
		if p.Comm == n {
			return false
		}
	default:
		return false
	}
	switch s := n.(type) {
	case *ast.AssignStmt:
		if s.Tok == token.DEFINE {
			return false
		}
	case *ast.DeclStmt, *ast.LabeledStmt:
		return false
	}
	labels := false
	ast.Inspect(n, func(x ast.Node) bool {
		if _, ok := x.(*ast.LabeledStmt); ok {
			labels = true
		}
		return !labels
	})
	return !labels
}

// enclosingSite is the site of the statement that holds expression e: the nearest one in a
// statement list.
func (g *generator) enclosingSite(e ast.Expr) (ast.Stmt, site, bool) {
	var n ast.Node = e
	for {
		p := g.parents[n]
		if st, ok := n.(ast.Stmt); ok {
			switch p.(type) {
			case *ast.BlockStmt, *ast.CaseClause, *ast.CommClause:
				s, alone := g.stmtSite(st)
				return st, s, alone
			}
		}
		if p == nil {
			// Not in a statement: cannot happen inside a function body.
			start, end := g.off(e.Pos()), g.off(e.End())
			return nil, site{start: start, end: end}, true
		}
		n = p
	}
}

// Type questions.

func (g *generator) isContext(t types.Type) bool { return isNamed(t, "context", "Context") }

func (g *generator) isError(t types.Type) bool {
	return t != nil && types.Identical(t, types.Universe.Lookup("error").Type())
}

func isNamed(t types.Type, pkg, name string) bool {
	if t == nil {
		return false
	}
	t = types.Unalias(t)
	if p, ok := t.(*types.Pointer); ok {
		t = types.Unalias(p.Elem())
	}
	n, ok := t.(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == pkg && n.Obj().Name() == name
}

func (g *generator) isBackground(e ast.Expr) bool {
	call, ok := e.(*ast.CallExpr)
	return ok && (g.isFunc(call, "context", "Background") || g.isFunc(call, "context", "TODO"))
}

func (g *generator) importsContext() bool {
	for _, im := range g.file.Imports {
		if p, _ := strconv.Unquote(im.Path.Value); p == "context" && (im.Name == nil || im.Name.Name == "context") {
			return true
		}
	}
	return false
}

// isMethod reports whether call calls method name of type pkg.typ (or of a pointer to it).
func (g *generator) isMethod(call *ast.CallExpr, pkg, typ, name string) bool {
	se, ok := call.Fun.(*ast.SelectorExpr)
	if !ok || se.Sel.Name != name {
		return false
	}
	sel := g.info.Selections[se]
	if sel == nil || sel.Kind() != types.MethodVal {
		return false
	}
	fn, ok := sel.Obj().(*types.Func)
	if !ok {
		return false
	}
	recv := fn.Type().(*types.Signature).Recv()
	return recv != nil && isNamed(recv.Type(), pkg, typ)
}

func (g *generator) isWait(call *ast.CallExpr) bool {
	return g.isMethod(call, "sync", "WaitGroup", "Wait") || g.isMethod(call, "golang.org/x/sync/errgroup", "Group", "Wait")
}

// isFunc reports whether call calls the package-level function pkg.name.
func (g *generator) isFunc(call *ast.CallExpr, pkg, name string) bool {
	se, ok := call.Fun.(*ast.SelectorExpr)
	if !ok {
		return false
	}
	fn, ok := g.info.Uses[se.Sel].(*types.Func)
	return ok && fn.Pkg() != nil && fn.Pkg().Path() == pkg && fn.Name() == name
}

func (g *generator) isBuiltin(call *ast.CallExpr, name string) bool {
	id, ok := ast.Unparen(call.Fun).(*ast.Ident)
	if !ok {
		return false
	}
	b, ok := g.info.Uses[id].(*types.Builtin)
	return ok && b.Name() == name
}

// isCancel reports whether call calls a context.CancelFunc or context.CancelCauseFunc.
func (g *generator) isCancel(call *ast.CallExpr) bool {
	t := g.info.TypeOf(call.Fun)
	return isNamed(t, "context", "CancelFunc") || isNamed(t, "context", "CancelCauseFunc")
}

// sortMutants puts mutants in source order: by their first edit.
func sortMutants(ms []*Mutant) {
	first := func(m *Mutant) int {
		if len(m.sites) == 0 || len(m.sites[0].edits) == 0 {
			return 0
		}
		return m.sites[0].edits[0].start
	}
	slices.SortStableFunc(ms, func(a, b *Mutant) int { return first(a) - first(b) })
}

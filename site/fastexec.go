package site

// The fast executor runs a layout's templates as html/template has
// escaped them, without text/template's reflective engine: each template
// is compiled once to a tree of closures. Values are plain interfaces;
// methods and fields are found once for each place in a layout and type of
// value (fastvalue.go), the generator's functions are called directly
// where their types are known, and html/template's escapers are written
// out (fastescape.go).
//
// html/template stays the reference. A layout is compiled only after
// html/template has run it once (which escapes it); anything the fast
// executor does not handle, a kind of node, function or value, makes it
// give up, at compilation for the whole layout or at run time for one
// execution, and that execution runs on html/template, so that every
// error is html/template's own. fastexec_test.go holds the two to the same
// bytes.

import (
	"bytes"
	"context"
	"fmt"
	"html/template"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"text/template/parse"
)

// fastLeaf is the fast program of one leaf (or partial), compiled after
// its first execution by html/template. prog is nil until then; a
// program that could not be compiled has no entry.
type fastLeaf struct {
	once sync.Once
	prog atomic.Pointer[fastProgram]
}

// fastProgram is the compiled templates of one template set, from an
// entry template. It is safe for concurrent use.
type fastProgram struct {
	entry  *fastTemplate // nil when the templates could not be compiled
	err    error         // why they could not
	states sync.Pool     // *fastState, for their stacks
}

// fastTemplate is one compiled template: its body and how many variables
// it declares ($ among them).
type fastTemplate struct {
	name  string
	body  fastNode
	nvars int
}

// ctl is how a node's execution ends: normally, or at a break or
// continue of the range it is in.
type ctl uint8

const (
	ctlNone ctl = iota
	ctlBreak
	ctlContinue
)

type (
	fastNode func(s *fastState, dot any, vars []any) (ctl, error)
	fastEval func(s *fastState, dot any, vars []any) (any, error)
	fastCmd  func(s *fastState, dot any, vars []any, final any) (any, error)
)

// fastState is the state of one execution.
type fastState struct {
	w     *budgetWriter
	stack []any // the variables of the templates being run
	sp    int
}

// writeError is an error of the writer: the budget, the depth of
// templates or cancellation stopped the execution, as html/template
// would have been stopped (text/template returns it as it is).
type writeError struct{ err error }

func (e *writeError) Error() string { return e.err.Error() }

// frame gives a called template its n variables.
func (s *fastState) frame(n int) []any {
	if s.sp+n > len(s.stack) {
		s.stack = make([]any, max(2*len(s.stack), s.sp+n+32))
	}
	f := s.stack[s.sp : s.sp+n : s.sp+n]
	s.sp += n
	return f
}

// release ends a frame given by frame.
func (s *fastState) release(f []any) {
	clear(f)
	s.sp -= len(f)
}

// run executes the program on data into w. ok is false when the fast
// executor gave up (for a case it does not handle, an error or a panic),
// with err saying why: the caller discards what it wrote and runs
// html/template.
func (p *fastProgram) run(w *budgetWriter, data any) (err error, ok bool) {
	if p == nil || p.entry == nil {
		return p.err, false
	}
	defer func() {
		if r := recover(); r != nil {
			err, ok = fmt.Errorf("panic: %v", r), false
		}
	}()
	if data == nil {
		data = noValue{}
	}
	s, _ := p.states.Get().(*fastState)
	if s == nil {
		s = &fastState{}
	}
	s.w = w
	f := s.frame(p.entry.nvars)
	f[0] = data
	_, err = p.entry.body(s, data, f)
	s.release(f)
	s.w = nil
	p.states.Put(s) // not after a panic: its stack may be left in use
	if err == nil {
		return nil, true
	}
	if we, isWrite := err.(*writeError); isWrite {
		return we.err, true
	}
	return err, false
}

// write writes a text node's bytes as they are (an empty one can be a
// mark, see guard).
func (s *fastState) write(p []byte) error {
	if _, err := s.w.Write(p); err != nil {
		return &writeError{err}
	}
	return nil
}

func (s *fastState) writeString(str string) error {
	if err := s.w.writeString(str); err != nil {
		return &writeError{err}
	}
	return nil
}

// fastCompiler compiles the escaped templates of one set.
type fastCompiler struct {
	set   *template.Template
	funcs template.FuncMap
	tmpls map[string]*fastTemplate
	scope []scopeVar // the variables in scope, innermost last
	nvars int        // variables of the template being compiled
}

type scopeVar struct {
	name string
	slot int
}

// errCompile is a template the fast executor cannot compile.
type errCompile struct{ what string }

func (e *errCompile) Error() string { return "fast executor: " + e.what }

func unsupported(format string, args ...any) error {
	return &errCompile{fmt.Sprintf(format, args...)}
}

// compileFast compiles the template entry of set, and the templates it
// calls, as html/template has escaped them: it must have executed entry.
//
// A panic while compiling (a bug) leaves the templates to html/template.
func compileFast(set *template.Template, funcs template.FuncMap, entry string) (p *fastProgram, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("fast executor: compiling %s: %v", entry, r)
			p = &fastProgram{err: err}
		}
	}()
	c := &fastCompiler{set: set, funcs: funcs, tmpls: map[string]*fastTemplate{}}
	t, err := c.template(entry)
	if err != nil {
		return &fastProgram{err: err}, err
	}
	return &fastProgram{entry: t}, nil
}

// template compiles a template by name, once.
func (c *fastCompiler) template(name string) (*fastTemplate, error) {
	if t, ok := c.tmpls[name]; ok {
		return t, nil
	}
	ht := c.set.Lookup(name)
	if ht == nil || ht.Tree == nil || ht.Tree.Root == nil {
		return nil, unsupported("template %q not found", name)
	}
	t := &fastTemplate{name: name}
	c.tmpls[name] = t
	scope, nvars := c.scope, c.nvars
	c.scope, c.nvars = []scopeVar{{"$", 0}}, 1
	body, err := c.list(ht.Tree.Root)
	t.body, t.nvars = body, c.nvars
	c.scope, c.nvars = scope, nvars
	return t, err
}

// declare adds a variable to the scope.
func (c *fastCompiler) declare(name string) int {
	c.scope = append(c.scope, scopeVar{name, c.nvars})
	c.nvars++
	return c.nvars - 1
}

// lookup finds the slot of a variable in scope.
func (c *fastCompiler) lookup(name string) (int, error) {
	for i := len(c.scope) - 1; i >= 0; i-- {
		if c.scope[i].name == name {
			return c.scope[i].slot, nil
		}
	}
	return 0, unsupported("variable %s not in scope", name)
}

// node compiles one node of a template body.
func (c *fastCompiler) node(n parse.Node) (fastNode, error) {
	switch n := n.(type) {
	case *parse.ListNode:
		return c.list(n)
	case *parse.TextNode:
		text := n.Text
		return func(s *fastState, _ any, _ []any) (ctl, error) { return ctlNone, s.write(text) }, nil
	case *parse.ActionNode:
		return c.action(n)
	case *parse.IfNode:
		return c.ifWith(false, &n.BranchNode)
	case *parse.WithNode:
		return c.ifWith(true, &n.BranchNode)
	case *parse.RangeNode:
		return c.rangeNode(n)
	case *parse.TemplateNode:
		return c.templateCall(n)
	case *parse.BreakNode:
		return func(*fastState, any, []any) (ctl, error) { return ctlBreak, nil }, nil
	case *parse.ContinueNode:
		return func(*fastState, any, []any) (ctl, error) { return ctlContinue, nil }, nil
	case *parse.CommentNode:
		return func(*fastState, any, []any) (ctl, error) { return ctlNone, nil }, nil
	}
	return nil, unsupported("node %T", n)
}

// list compiles a list of nodes.
func (c *fastCompiler) list(l *parse.ListNode) (fastNode, error) {
	if l == nil {
		return func(*fastState, any, []any) (ctl, error) { return ctlNone, nil }, nil
	}
	nodes := make([]fastNode, 0, len(l.Nodes))
	for _, n := range l.Nodes {
		f, err := c.node(n)
		if err != nil {
			return nil, err
		}
		nodes = append(nodes, f)
	}
	return func(s *fastState, dot any, vars []any) (ctl, error) {
		for _, n := range nodes {
			if c, err := n(s, dot, vars); c != ctlNone || err != nil {
				return c, err
			}
		}
		return ctlNone, nil
	}, nil
}

// scoped compiles a list in a scope of its own: the variables it
// declares end with it.
func (c *fastCompiler) scoped(l *parse.ListNode) (fastNode, error) {
	mark := len(c.scope)
	f, err := c.list(l)
	c.scope = c.scope[:mark]
	return f, err
}

// action compiles {{ pipeline }}: it writes the pipeline's value, which
// html/template's escapers have made a string, unless the pipeline
// declares variables. The last escaper is called here, so that its
// string is written without being boxed.
func (c *fastCompiler) action(n *parse.ActionNode) (fastNode, error) {
	if len(n.Pipe.Decl) > 0 {
		pipe, err := c.pipeline(n.Pipe)
		if err != nil {
			return nil, err
		}
		return func(s *fastState, dot any, vars []any) (ctl, error) {
			_, err := pipe(s, dot, vars)
			return ctlNone, err
		}, nil
	}
	if f, err := c.escapedAction(n.Pipe); f != nil || err != nil {
		return f, err
	}
	pipe, err := c.pipeline(n.Pipe)
	if err != nil {
		return nil, err
	}
	return func(s *fastState, dot any, vars []any) (ctl, error) {
		v, err := pipe(s, dot, vars)
		if err != nil {
			return ctlNone, err
		}
		str, ok := v.(string)
		if !ok {
			return ctlNone, errFastUnsupported
		}
		return ctlNone, s.writeString(str)
	}, nil
}

// escapedAction compiles an action whose pipeline ends in escapers, as
// html/template leaves nearly all: the value, then the escapers, each on
// the string of the one before (which stringEscaper does without
// boxing). A field or method of type string reaches the escapers as a
// string. It returns nil for any other pipeline.
func (c *fastCompiler) escapedAction(pipe *parse.PipeNode) (fastNode, error) {
	cmds := pipe.Cmds
	k := len(cmds)
	for k > 1 && isEscaperCmd(cmds[k-1]) {
		k--
	}
	if k == len(cmds) {
		return nil, nil
	}
	first := fastEscaperFor(cmds[k].Args[0].(*parse.IdentifierNode).Ident)
	var rest []func(string) string
	for _, cmd := range cmds[k+1:] {
		rest = append(rest, stringEscaper(cmd.Args[0].(*parse.IdentifierNode).Ident))
	}
	firstStr := stringEscaper(cmds[k].Args[0].(*parse.IdentifierNode).Ident)
	value, err := c.stringOrValue(&parse.PipeNode{NodeType: parse.NodePipe, Pos: pipe.Pos, Cmds: cmds[:k]})
	if err != nil {
		return nil, err
	}
	return func(s *fastState, dot any, vars []any) (ctl, error) {
		v, str, isStr, err := value(s, dot, vars)
		if err != nil {
			return ctlNone, err
		}
		if isStr && firstStr != nil {
			str = firstStr(str)
		} else if str, err = first(v); err != nil {
			return ctlNone, err
		}
		for _, e := range rest {
			str = e(str)
		}
		return ctlNone, s.writeString(str)
	}, nil
}

// isEscaperCmd reports a command that is an escaper of its own, taking
// only the value before it, whose string form stringEscaper knows.
func isEscaperCmd(cmd *parse.CommandNode) bool {
	id, ok := cmd.Args[0].(*parse.IdentifierNode)
	return ok && len(cmd.Args) == 1 && fastEscaperFor(id.Ident) != nil && stringEscaper(id.Ident) != nil
}

// stringEval gives a value, or a string (isStr) without boxing it.
type stringEval func(s *fastState, dot any, vars []any) (v any, str string, isStr bool, err error)

// stringOrValue compiles the pipeline before an action's escapers: a
// field chain alone gives a string field or method result as a string,
// and so does a call of a layout function of type string.
func (c *fastCompiler) stringOrValue(p *parse.PipeNode) (stringEval, error) {
	if len(p.Cmds) == 1 && len(p.Cmds[0].Args) == 1 {
		if f, ok := p.Cmds[0].Args[0].(*parse.FieldNode); ok {
			return c.fieldString(func(_ *fastState, dot any, _ []any) (any, error) { return dot, nil }, f.Ident), nil
		}
	}
	if len(p.Cmds) == 1 {
		if f, err := c.stringCall(p.Cmds[0]); f != nil || err != nil {
			return f, err
		}
	}
	pipe, err := c.pipeline(p)
	if err != nil {
		return nil, err
	}
	return func(s *fastState, dot any, vars []any) (any, string, bool, error) {
		v, err := pipe(s, dot, vars)
		return v, "", false, err
	}, nil
}

// fieldString compiles .A.B on recv, giving B as a string when it is a
// field or a method of type string.
func (c *fastCompiler) fieldString(recv fastEval, names []string) stringEval {
	sites := make([]*fieldSite, len(names))
	for i, name := range names {
		sites[i] = &fieldSite{name: name}
	}
	last := sites[len(sites)-1]
	inner := sites[:len(sites)-1]
	return func(s *fastState, dot any, vars []any) (any, string, bool, error) {
		r, err := recv(s, dot, vars)
		if err != nil {
			return nil, "", false, err
		}
		for _, f := range inner {
			if r, err = fieldOf(s, dot, vars, f, r, nil, missingArg{}); err != nil {
				return nil, "", false, err
			}
		}
		if str, ok := stringField(last, r); ok {
			return nil, str, true, nil
		}
		v, err := fieldOf(s, dot, vars, last, r, nil, missingArg{})
		return v, "", false, err
	}
}

// ifWith compiles {{ if }} and {{ with }}, with their else branches.
func (c *fastCompiler) ifWith(with bool, b *parse.BranchNode) (fastNode, error) {
	mark := len(c.scope)
	defer func() { c.scope = c.scope[:mark] }()
	pipe, err := c.pipeline(b.Pipe)
	if err != nil {
		return nil, err
	}
	list, err := c.scoped(b.List)
	if err != nil {
		return nil, err
	}
	var elseList fastNode
	if b.ElseList != nil {
		if elseList, err = c.scoped(b.ElseList); err != nil {
			return nil, err
		}
	}
	return func(s *fastState, dot any, vars []any) (ctl, error) {
		v, err := pipe(s, dot, vars)
		if err != nil {
			return ctlNone, err
		}
		t, ok := truth(v)
		switch {
		case !ok:
			return ctlNone, errFastUnsupported
		case t && with:
			return list(s, v, vars)
		case t:
			return list(s, dot, vars)
		case elseList != nil:
			return elseList(s, dot, vars)
		}
		return ctlNone, nil
	}, nil
}

// rangeNode compiles {{ range }} over a slice or an array; anything else
// to range over is left to html/template.
func (c *fastCompiler) rangeNode(r *parse.RangeNode) (fastNode, error) {
	mark := len(c.scope)
	defer func() { c.scope = c.scope[:mark] }()
	pipe, err := c.pipeline(r.Pipe)
	if err != nil {
		return nil, err
	}
	elemSlot, indexSlot := -1, -1
	switch len(r.Pipe.Decl) {
	case 1:
		elemSlot, _ = c.lookup(r.Pipe.Decl[0].Ident[0])
	case 2:
		indexSlot, _ = c.lookup(r.Pipe.Decl[0].Ident[0])
		elemSlot, _ = c.lookup(r.Pipe.Decl[1].Ident[0])
	}
	body, err := c.scoped(r.List)
	if err != nil {
		return nil, err
	}
	var elseList fastNode
	if r.ElseList != nil {
		if elseList, err = c.scoped(r.ElseList); err != nil {
			return nil, err
		}
	}
	loop := &rangeLoop{body: body, elemSlot: elemSlot, indexSlot: indexSlot}
	return func(s *fastState, dot any, vars []any) (ctl, error) {
		v, err := pipe(s, dot, vars)
		if err != nil {
			return ctlNone, err
		}
		ran, err := loop.run(s, v, vars)
		if err != nil || ran || elseList == nil {
			return ctlNone, err
		}
		return elseList(s, dot, vars)
	}, nil
}

// rangeLoop is the body of a range and the variables it sets.
type rangeLoop struct {
	body                fastNode
	elemSlot, indexSlot int
}

// run runs the body for each element; ran is false for an empty slice
// or no value, when the else branch runs.
func (l *rangeLoop) run(s *fastState, v any, vars []any) (ran bool, err error) {
	switch x := v.(type) {
	case []*Page:
		for i, p := range x {
			if c, err := l.once(s, i, p, vars); err != nil || c == ctlBreak {
				return true, err
			}
		}
		return len(x) > 0, nil
	case noValue:
		return false, nil
	case nil, nilAny:
		return false, errFastUnsupported
	}
	rv := reflect.ValueOf(v)
	if k := rv.Kind(); k != reflect.Slice && k != reflect.Array {
		return false, errFastUnsupported
	}
	for i := range rv.Len() {
		e, err := fromValue(rv.Index(i))
		if err != nil {
			return true, err
		}
		if c, err := l.once(s, i, e, vars); err != nil || c == ctlBreak {
			return true, err
		}
	}
	return rv.Len() > 0, nil
}

// once runs the body for one element.
func (l *rangeLoop) once(s *fastState, i int, e any, vars []any) (ctl, error) {
	if l.elemSlot >= 0 {
		vars[l.elemSlot] = e
	}
	if l.indexSlot >= 0 {
		vars[l.indexSlot] = i
	}
	return l.body(s, e, vars)
}

// templateCall compiles {{ template "name" pipeline }}: the template
// runs with the pipeline's value as its dot and $, and no other
// variables.
func (c *fastCompiler) templateCall(n *parse.TemplateNode) (fastNode, error) {
	var pipe fastEval
	if n.Pipe != nil {
		p, err := c.pipeline(n.Pipe)
		if err != nil {
			return nil, err
		}
		pipe = p
	}
	t, err := c.template(n.Name)
	if err != nil {
		return nil, err
	}
	return func(s *fastState, dot any, vars []any) (ctl, error) {
		var v any = noValue{}
		if pipe != nil {
			var err error
			if v, err = pipe(s, dot, vars); err != nil {
				return ctlNone, err
			}
		}
		f := s.frame(t.nvars)
		f[0] = v
		_, err := t.body(s, v, f)
		s.release(f)
		return ctlNone, err
	}, nil
}

// pipeline compiles a pipeline: each command's value is the last
// argument of the next, and the last is the pipeline's value, given to
// the variables it declares.
func (c *fastCompiler) pipeline(p *parse.PipeNode) (fastEval, error) {
	if p == nil || len(p.Cmds) == 0 {
		return nil, unsupported("empty pipeline")
	}
	cmds := make([]fastCmd, len(p.Cmds))
	for i, cmd := range p.Cmds {
		f, err := c.command(cmd, i > 0)
		if err != nil {
			return nil, err
		}
		cmds[i] = f
	}
	slots := make([]int, len(p.Decl))
	for i, d := range p.Decl {
		if len(d.Ident) != 1 {
			return nil, unsupported("declaration %s", d)
		}
		if p.IsAssign {
			slot, err := c.lookup(d.Ident[0])
			if err != nil {
				return nil, err
			}
			slots[i] = slot
		} else {
			slots[i] = c.declare(d.Ident[0])
		}
	}
	return func(s *fastState, dot any, vars []any) (any, error) {
		var v any = missingArg{}
		for _, cmd := range cmds {
			var err error
			if v, err = cmd(s, dot, vars, v); err != nil {
				return nil, err
			}
			if _, ok := v.(nilAny); ok {
				v = noValue{}
			}
		}
		for _, slot := range slots {
			vars[slot] = v
		}
		return v, nil
	}, nil
}

// command compiles one command of a pipeline; final tells whether a
// value comes to it from the command before.
func (c *fastCompiler) command(cmd *parse.CommandNode, final bool) (fastCmd, error) {
	args := cmd.Args[1:]
	switch n := cmd.Args[0].(type) {
	case *parse.FieldNode:
		return c.fieldChain(func(_ *fastState, dot any, _ []any) (any, error) { return dot, nil }, n.Ident, args, final)
	case *parse.ChainNode:
		recv, err := c.operand(n.Node)
		if err != nil {
			return nil, err
		}
		return c.fieldChain(recv, n.Field, args, final)
	case *parse.VariableNode:
		slot, err := c.lookup(n.Ident[0])
		if err != nil {
			return nil, err
		}
		recv := func(_ *fastState, _ any, vars []any) (any, error) { return vars[slot], nil }
		if len(n.Ident) > 1 {
			return c.fieldChain(recv, n.Ident[1:], args, final)
		}
		return notAFunction(recv, args, final)
	case *parse.IdentifierNode:
		return c.call(n.Ident, args, final)
	case *parse.PipeNode, *parse.DotNode, *parse.StringNode, *parse.NumberNode, *parse.BoolNode:
		v, err := c.operand(n)
		if err != nil {
			return nil, err
		}
		return notAFunction(v, args, final)
	}
	return nil, unsupported("command %s", cmd)
}

// notAFunction is a command that takes no arguments.
func notAFunction(v fastEval, args []parse.Node, final bool) (fastCmd, error) {
	if len(args) > 0 || final {
		return nil, unsupported("arguments to a value")
	}
	return func(s *fastState, dot any, vars []any, _ any) (any, error) { return v(s, dot, vars) }, nil
}

// operand compiles a node that gives a value without conversion: an
// argument of a chain, a constant as an argument of type any.
func (c *fastCompiler) operand(n parse.Node) (fastEval, error) {
	switch n := n.(type) {
	case *parse.DotNode:
		return func(_ *fastState, dot any, _ []any) (any, error) { return dot, nil }, nil
	case *parse.PipeNode:
		if len(n.Decl) > 0 {
			return nil, unsupported("declaration in a parenthesized pipeline")
		}
		return c.pipeline(n)
	case *parse.FieldNode, *parse.VariableNode, *parse.IdentifierNode, *parse.ChainNode:
		cmd, err := c.command(&parse.CommandNode{NodeType: parse.NodeCommand, Args: []parse.Node{n}}, false)
		if err != nil {
			return nil, err
		}
		return func(s *fastState, dot any, vars []any) (any, error) { return cmd(s, dot, vars, missingArg{}) }, nil
	case *parse.StringNode:
		v := any(n.Text)
		return func(*fastState, any, []any) (any, error) { return v, nil }, nil
	case *parse.BoolNode:
		v := any(n.True)
		return func(*fastState, any, []any) (any, error) { return v, nil }, nil
	case *parse.NumberNode:
		v, err := idealConstant(n)
		if err != nil {
			return nil, err
		}
		return func(*fastState, any, []any) (any, error) { return v, nil }, nil
	}
	return nil, unsupported("operand %s", n)
}

// idealConstant is text/template's: the value of a number constant given
// to an argument of type any.
func idealConstant(n *parse.NumberNode) (any, error) {
	switch {
	case n.IsComplex:
		return nil, unsupported("number %s", n.Text)
	case n.IsFloat && !isHexInt(n.Text) && !strings.HasPrefix(n.Text, "'") && strings.ContainsAny(n.Text, ".eEpP"):
		return n.Float64, nil
	case n.IsInt:
		i := int(n.Int64)
		if int64(i) != n.Int64 {
			return nil, unsupported("number %s", n.Text)
		}
		return i, nil
	}
	return nil, unsupported("number %s", n.Text)
}

// isHexInt is text/template's: a hexadecimal integer, not a float.
func isHexInt(s string) bool {
	return len(s) > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && !strings.ContainsAny(s, "pP")
}

// fieldChain compiles .A.B.C on the receiver recv: the last name gets the
// arguments.
func (c *fastCompiler) fieldChain(recv fastEval, names []string, args []parse.Node, final bool) (fastCmd, error) {
	sites := make([]*fieldSite, len(names))
	for i, name := range names {
		sites[i] = &fieldSite{name: name}
	}
	last := sites[len(sites)-1]
	inner := sites[:len(sites)-1]
	argv, err := c.methodArgs(args)
	if err != nil {
		return nil, err
	}
	return func(s *fastState, dot any, vars []any, fin any) (any, error) {
		r, err := recv(s, dot, vars)
		if err != nil {
			return nil, err
		}
		for _, f := range inner {
			if r, err = fieldOf(s, dot, vars, f, r, nil, missingArg{}); err != nil {
				return nil, err
			}
		}
		return fieldOf(s, dot, vars, last, r, argv, fin)
	}, nil
}

// methodArg is an argument of a method, converted to the method's
// parameter type once the method is known.
type methodArg struct {
	node  parse.Node
	eval  fastEval                   // nil for a constant
	konst atomic.Pointer[constValue] // a constant's last conversion
}

// constValue is a constant converted for a parameter type.
type constValue struct {
	typ reflect.Type
	v   any
	err error
}

func (c *fastCompiler) methodArgs(args []parse.Node) ([]methodArg, error) {
	out := make([]methodArg, len(args))
	for i, a := range args {
		out[i].node = a
		switch a.(type) {
		case *parse.StringNode, *parse.NumberNode, *parse.BoolNode, *parse.NilNode:
			continue
		}
		f, err := c.operand(a)
		if err != nil {
			return nil, err
		}
		out[i].eval = f
	}
	return out, nil
}

// fieldOf is text/template's evalField: the method, field or map value
// name of the receiver r.
func fieldOf(s *fastState, dot any, vars []any, f *fieldSite, r any, args []methodArg, final any) (any, error) {
	switch r.(type) {
	case noValue:
		return noValue{}, nil
	case nilAny, nil:
		return nil, fmt.Errorf("%w: .%s of nil", errFastUnsupported, f.name)
	}
	st := f.step(reflect.TypeOf(r))
	_, noFinal := final.(missingArg)
	switch {
	case st.err != nil:
		return nil, fmt.Errorf("%w: .%s of %T", st.err, f.name, r)
	case st.method.Func.IsValid():
		switch {
		case st.call0 != nil && len(args) == 0 && noFinal:
			return st.call0(r)
		case st.call1 != nil && len(args) == 1 && noFinal:
			a, err := methodArgValue(s, dot, vars, &args[0], st.method.Type.In(1))
			if err != nil {
				return nil, err
			}
			return st.call1(r, a)
		}
		return callMethod(s, dot, vars, st.method, r, args, final)
	case len(args) > 0 || !noFinal:
		return nil, errFastUnsupported
	case st.mapKey:
		rv := reflect.ValueOf(r).MapIndex(reflect.ValueOf(f.name))
		return fromValue(rv)
	}
	rv := reflect.ValueOf(r)
	if st.ptr {
		if rv.IsNil() {
			return nil, errFastUnsupported
		}
		rv = rv.Elem()
	}
	fv, err := rv.FieldByIndexErr(st.index)
	if err != nil {
		return nil, errFastUnsupported
	}
	return fromValue(fv)
}

// callMethod calls a method with arguments through reflect.
func callMethod(s *fastState, dot any, vars []any, m reflect.Method, r any, args []methodArg, final any) (any, error) {
	ft := m.Func.Type()
	if err := checkFuncType(ft); err != nil {
		return nil, err
	}
	_, noFinal := final.(missingArg)
	n := len(args)
	if !noFinal {
		n++
	}
	if ft.IsVariadic() || ft.NumIn() != n+1 {
		return nil, errFastUnsupported
	}
	in := make([]reflect.Value, n+1)
	in[0] = reflect.ValueOf(r)
	for i := range args {
		v, err := methodArgValue(s, dot, vars, &args[i], ft.In(i+1))
		if err != nil {
			return nil, err
		}
		in[i+1] = reflectArg(v, ft.In(i+1))
	}
	if !noFinal {
		v, err := convert(final, ft.In(n))
		if err != nil {
			return nil, err
		}
		in[n] = reflectArg(v, ft.In(n))
	}
	return fromResults(m.Func.Call(in))
}

// methodArgValue evaluates an argument for a parameter of type typ.
func methodArgValue(s *fastState, dot any, vars []any, a *methodArg, typ reflect.Type) (any, error) {
	if a.eval == nil {
		if k := a.konst.Load(); k != nil && k.typ == typ {
			return k.v, k.err
		}
		v, err := constantArg(a.node, typ)
		a.konst.Store(&constValue{typ, v, err})
		return v, err
	}
	v, err := a.eval(s, dot, vars)
	if err != nil {
		return nil, err
	}
	return convert(v, typ)
}

// constantArg is text/template's evalArg of a constant for a parameter
// of type typ.
func constantArg(n parse.Node, typ reflect.Type) (any, error) {
	if typ.Kind() == reflect.Interface && typ.NumMethod() == 0 {
		switch n := n.(type) {
		case *parse.StringNode:
			return n.Text, nil
		case *parse.BoolNode:
			return n.True, nil
		case *parse.NumberNode:
			return idealConstant(n)
		case *parse.NilNode:
			return nil, nil
		}
		return nil, errFastUnsupported
	}
	v := reflect.New(typ).Elem()
	switch n := n.(type) {
	case *parse.StringNode:
		if typ.Kind() != reflect.String {
			return nil, errFastUnsupported
		}
		v.SetString(n.Text)
	case *parse.BoolNode:
		if typ.Kind() != reflect.Bool {
			return nil, errFastUnsupported
		}
		v.SetBool(n.True)
	case *parse.NumberNode:
		switch {
		case n.IsInt && v.CanInt():
			v.SetInt(n.Int64)
		case n.IsFloat && v.CanFloat():
			v.SetFloat(n.Float64)
		default:
			return nil, errFastUnsupported
		}
	case *parse.NilNode:
		if !canBeNil(typ) {
			return nil, errFastUnsupported
		}
		return zeroOf(typ), nil
	default:
		return nil, errFastUnsupported
	}
	return v.Interface(), nil
}

// fastRun executes a compiled program into w within the budget, or
// reports that html/template must run it (ok false), having discarded
// what it wrote.
func fastRun(ctx context.Context, p *fastProgram, w *bytes.Buffer, data any, bg budget, marks *templateMarks) (error, bool) {
	start := w.Len()
	err, ok := p.run(newBudgetWriter(ctx, w, bg, marks), data)
	if !ok {
		w.Truncate(start)
	}
	return err, ok
}

// program returns the leaf's program, or nil until html/template
// has run it once.
func (f *fastLeaf) program() *fastProgram {
	if f == nil {
		return nil
	}
	return f.prog.Load()
}

// compileOnce compiles the program after html/template has run entry
// of set once, without error.
func (f *fastLeaf) compileOnce(set *template.Template, funcs template.FuncMap, entry string) {
	if f == nil {
		return
	}
	f.once.Do(func() {
		p, _ := compileFast(set, funcs, entry)
		f.prog.Store(p)
	})
}

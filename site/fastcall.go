package site

// Function calls of the fast executor (fastexec.go): the layout functions
// (Builder.templateFuncs and those compile adds), text/template's
// builtins and html/template's escapers.

import (
	"fmt"
	"html/template"
	"reflect"
	"slices"
	"strings"
	"time"

	"text/template/parse"
)

// call compiles a call of the function name. As in text/template, the
// layout functions come before the builtins; html/template's escapers
// come before both.
func (c *fastCompiler) call(name string, args []parse.Node, final bool) (fastCmd, error) {
	if esc := fastEscaperFor(name); esc != nil {
		if len(args) > 0 || !final {
			return nil, unsupported("escaper %s with arguments", name)
		}
		return func(_ *fastState, _ any, _ []any, v any) (any, error) { return esc(v) }, nil
	}
	if strings.HasPrefix(name, "_html_template_") || name == "_eval_args_" {
		return nil, unsupported("escaper %s", name)
	}
	if fn, ok := c.funcs[name]; ok {
		return c.callFunc(name, reflect.ValueOf(fn), args, final)
	}
	switch name {
	case "and", "or":
		return c.andOr(name == "or", args, final)
	case "not", "len":
		return c.builtin1(name, args, final)
	case "index", "eq", "ne", "lt", "le", "gt", "ge":
		return c.builtin2(name, args, final)
	case "print":
		return c.callFunc(name, reflect.ValueOf(fmt.Sprint), args, final)
	case "printf":
		return c.callFunc(name, reflect.ValueOf(fmt.Sprintf), args, final)
	case "println":
		return c.callFunc(name, reflect.ValueOf(fmt.Sprintln), args, final)
	}
	return nil, unsupported("function %s", name)
}

// callFunc compiles a call of a layout function: its arguments are
// converted to its parameter types, as text/template's evalCall does.
func (c *fastCompiler) callFunc(name string, fn reflect.Value, args []parse.Node, final bool) (fastCmd, error) {
	fc, err := c.funcCall(name, fn, args, final)
	if err != nil {
		return nil, err
	}
	invoke := adapterFor(fn)
	return func(s *fastState, dot any, vars []any, fin any) (any, error) {
		a, err := fc.args(s, dot, vars, fin)
		defer s.release(a)
		if err != nil {
			return nil, err
		}
		return invoke(a)
	}, nil
}

// funcCall is the compiled arguments of a call of a layout function.
type funcCall struct {
	evals     []fastEval
	finalType reflect.Type // nil without a final value
	numIn     int
}

// funcCall compiles the arguments of a call of fn.
func (c *fastCompiler) funcCall(name string, fn reflect.Value, args []parse.Node, final bool) (*funcCall, error) {
	ft := fn.Type()
	if ft.Kind() != reflect.Func || checkFuncType(ft) != nil {
		return nil, unsupported("function %s", name)
	}
	params, err := paramTypes(name, ft, len(args), final)
	if err != nil {
		return nil, err
	}
	fc := &funcCall{evals: make([]fastEval, len(args)), numIn: len(params)}
	for i, a := range args {
		if fc.evals[i], err = c.arg(a, params[i]); err != nil {
			return nil, err
		}
	}
	if final {
		fc.finalType = params[len(params)-1]
	}
	return fc, nil
}

// args evaluates the arguments into a frame, which the caller releases.
func (fc *funcCall) args(s *fastState, dot any, vars []any, fin any) ([]any, error) {
	a := s.frame(fc.numIn)
	for i, e := range fc.evals {
		v, err := e(s, dot, vars)
		if err != nil {
			return a, err
		}
		a[i] = v
	}
	if fc.finalType != nil {
		v, err := convert(fin, fc.finalType)
		if err != nil {
			return a, err
		}
		a[fc.numIn-1] = v
	}
	return a, nil
}

// stringCall compiles a call of a layout function of type string, alone
// in the pipeline before an action's escapers, to give its string
// without boxing it; nil for any other call.
func (c *fastCompiler) stringCall(cmd *parse.CommandNode) (stringEval, error) {
	id, ok := cmd.Args[0].(*parse.IdentifierNode)
	if !ok || fastEscaperFor(id.Ident) != nil || strings.HasPrefix(id.Ident, "_") {
		return nil, nil
	}
	fn, ok := c.funcs[id.Ident]
	if !ok {
		return nil, nil
	}
	invoke := stringAdapterFor(reflect.ValueOf(fn))
	if invoke == nil {
		return nil, nil
	}
	fc, err := c.funcCall(id.Ident, reflect.ValueOf(fn), cmd.Args[1:], false)
	if err != nil {
		return nil, err
	}
	return func(s *fastState, dot any, vars []any) (any, string, bool, error) {
		a, err := fc.args(s, dot, vars, missingArg{})
		defer s.release(a)
		if err != nil {
			return nil, "", false, err
		}
		str, err := invoke(a)
		return nil, str, err == nil, err
	}, nil
}

// stringAdapterFor calls a function of type string directly, for the
// types of the layout functions that return one; nil for any other.
func stringAdapterFor(fn reflect.Value) func(a []any) (string, error) {
	switch f := fn.Interface().(type) {
	case func(string) string:
		return func(a []any) (string, error) { return f(a[0].(string)), nil }
	case func(time.Time) string:
		return func(a []any) (string, error) { return f(a[0].(time.Time)), nil }
	case func(any, string) (string, error):
		return func(a []any) (string, error) { return stringResult(f(a[0], a[1].(string))) }
	case func(any, time.Time) (string, error):
		return func(a []any) (string, error) { return stringResult(f(a[0], a[1].(time.Time))) }
	}
	return nil
}

// stringResult is result for a string.
func stringResult(s string, err error) (string, error) {
	if err != nil {
		return "", fmt.Errorf("%w: %v", errFastUnsupported, err)
	}
	return s, nil
}

// paramTypes is the type of each argument of a call of a function of
// type ft, with n arguments and the final value if final.
func paramTypes(name string, ft reflect.Type, n int, final bool) ([]reflect.Type, error) {
	numIn := n
	if final {
		numIn++
	}
	numFixed := n
	if ft.IsVariadic() {
		numFixed = ft.NumIn() - 1
		if numIn < numFixed {
			return nil, unsupported("arguments of %s", name)
		}
	} else if numIn != ft.NumIn() {
		return nil, unsupported("arguments of %s", name)
	}
	params := make([]reflect.Type, numIn)
	for i := range numIn {
		if i < numFixed || !ft.IsVariadic() {
			params[i] = ft.In(i)
		} else {
			params[i] = ft.In(ft.NumIn() - 1).Elem()
		}
	}
	return params, nil
}

// arg compiles an argument for a parameter of type typ: a constant is
// converted once, any other value when it is known.
func (c *fastCompiler) arg(n parse.Node, typ reflect.Type) (fastEval, error) {
	switch n.(type) {
	case *parse.StringNode, *parse.NumberNode, *parse.BoolNode, *parse.NilNode:
		v, err := constantArg(n, typ)
		if err != nil {
			return nil, unsupported("argument %s", n)
		}
		return func(*fastState, any, []any) (any, error) { return v, nil }, nil
	}
	e, err := c.operand(n)
	if err != nil {
		return nil, err
	}
	if typ == reflect.TypeFor[string]() {
		return func(s *fastState, dot any, vars []any) (any, error) {
			v, err := e(s, dot, vars)
			if _, ok := v.(string); ok || err != nil {
				return v, err
			}
			return convert(v, typ)
		}, nil
	}
	return func(s *fastState, dot any, vars []any) (any, error) {
		v, err := e(s, dot, vars)
		if err != nil {
			return nil, err
		}
		return convert(v, typ)
	}, nil
}

// adapterFor calls a function with converted arguments: directly for the
// function types layouts use most, else through reflect. A variadic
// argument list is copied, as the function may keep it.
func adapterFor(fn reflect.Value) func(a []any) (any, error) {
	switch f := fn.Interface().(type) {
	case func(string) string:
		return func(a []any) (any, error) { return f(a[0].(string)), nil }
	case func(string, string) bool:
		return func(a []any) (any, error) { return f(a[0].(string), a[1].(string)), nil }
	case func(string, string, string) string:
		return func(a []any) (any, error) { return f(a[0].(string), a[1].(string), a[2].(string)), nil }
	case func(time.Time) string:
		return func(a []any) (any, error) { return f(a[0].(time.Time)), nil }
	case func(any, string) (string, error):
		return func(a []any) (any, error) { return result(f(a[0], a[1].(string))) }
	case func(any, time.Time) (string, error):
		return func(a []any) (any, error) { return result(f(a[0], a[1].(time.Time))) }
	case func(template.HTML, *Page) template.HTML:
		return func(a []any) (any, error) {
			p, _ := a[1].(*Page)
			return f(a[0].(template.HTML), p), nil
		}
	case func(*Page) (template.JS, error):
		return func(a []any) (any, error) {
			p, _ := a[0].(*Page)
			return result(f(p))
		}
	case func(string, any, ...any) (template.HTML, error):
		return func(a []any) (any, error) { return result(f(a[0].(string), a[1], slices.Clone(a[2:])...)) }
	case func(int, int) int:
		return func(a []any) (any, error) { return f(a[0].(int), a[1].(int)), nil }
	case func(...any) string:
		return func(a []any) (any, error) { return f(slices.Clone(a)...), nil }
	}
	ft := fn.Type()
	return func(a []any) (any, error) {
		in := make([]reflect.Value, len(a))
		for i, v := range a {
			t := ft.In(min(i, ft.NumIn()-1))
			if ft.IsVariadic() && i >= ft.NumIn()-1 {
				t = t.Elem()
			}
			in[i] = reflectArg(v, t)
		}
		return fromResults(fn.Call(in))
	}
}

// result is a function's value, or its error, after which html/template
// runs the layout and reports it.
func result[T any](v T, err error) (any, error) {
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errFastUnsupported, err)
	}
	return v, nil
}

// builtinArg compiles an argument of a builtin, which text/template
// passes as a reflect.Value: no value is an error there.
func (c *fastCompiler) builtinArg(n parse.Node) (fastEval, error) {
	e, err := c.operand(n)
	if err != nil {
		return nil, err
	}
	return func(s *fastState, dot any, vars []any) (any, error) {
		v, err := e(s, dot, vars)
		if _, ok := v.(noValue); ok {
			return nil, errFastUnsupported
		}
		return v, err
	}, nil
}

// builtinArgs compiles the arguments of a builtin, the value of the
// command before last.
func (c *fastCompiler) builtinArgs(args []parse.Node, final bool) ([]fastEval, error) {
	evals := make([]fastEval, 0, len(args)+1)
	for _, a := range args {
		e, err := c.builtinArg(a)
		if err != nil {
			return nil, err
		}
		evals = append(evals, e)
	}
	if final {
		evals = append(evals, nil) // the final value
	}
	return evals, nil
}

// evalBuiltinArg evaluates argument i; a nil eval is the final value.
func evalBuiltinArg(e fastEval, s *fastState, dot any, vars []any, fin any) (any, error) {
	if e == nil {
		if _, ok := fin.(noValue); ok {
			return nil, errFastUnsupported
		}
		return fin, nil
	}
	return e(s, dot, vars)
}

// andOr compiles and and or, which stop at the first argument that
// decides, and give that argument.
func (c *fastCompiler) andOr(or bool, args []parse.Node, final bool) (fastCmd, error) {
	evals, err := c.builtinArgs(args, final)
	if err != nil {
		return nil, err
	}
	if len(evals) == 0 {
		return nil, unsupported("and, or")
	}
	return func(s *fastState, dot any, vars []any, fin any) (any, error) {
		var v any
		for _, e := range evals {
			var err error
			if v, err = evalBuiltinArg(e, s, dot, vars, fin); err != nil {
				return nil, err
			}
			t, _ := truth(v)
			if e != nil && t == or {
				return v, nil
			}
		}
		return v, nil
	}, nil
}

// builtin1 compiles not and len, of one argument.
func (c *fastCompiler) builtin1(name string, args []parse.Node, final bool) (fastCmd, error) {
	evals, err := c.builtinArgs(args, final)
	if err != nil {
		return nil, err
	}
	if len(evals) != 1 {
		return nil, unsupported("arguments of %s", name)
	}
	e := evals[0]
	return func(s *fastState, dot any, vars []any, fin any) (any, error) {
		v, err := evalBuiltinArg(e, s, dot, vars, fin)
		if err != nil {
			return nil, err
		}
		if name == "not" {
			t, _ := truth(v)
			return !t, nil
		}
		return lengthOf(v)
	}, nil
}

// builtin2 compiles the builtins of two arguments: index and the
// comparisons.
func (c *fastCompiler) builtin2(name string, args []parse.Node, final bool) (fastCmd, error) {
	evals, err := c.builtinArgs(args, final)
	if err != nil {
		return nil, err
	}
	if len(evals) != 2 {
		return nil, unsupported("arguments of %s", name)
	}
	return func(s *fastState, dot any, vars []any, fin any) (any, error) {
		a, err := evalBuiltinArg(evals[0], s, dot, vars, fin)
		if err != nil {
			return nil, err
		}
		b, err := evalBuiltinArg(evals[1], s, dot, vars, fin)
		if err != nil {
			return nil, err
		}
		if name == "index" {
			return indexOf(a, b)
		}
		return compare(name, a, b)
	}, nil
}

// compare is text/template's eq, ne, lt, le, gt and ge on two strings,
// two integers, two floats (not NaN) or (for eq and ne) two booleans or two pointers of one
// type; other values are left to html/template.
func compare(name string, a, b any) (any, error) {
	if sa, ok := a.(string); ok {
		if sb, ok := b.(string); ok {
			return compared(name, strings.Compare(sa, sb)), nil
		}
	}
	ra, rb := reflect.ValueOf(a), reflect.ValueOf(b)
	switch {
	case !ra.IsValid() || !rb.IsValid():
	case ra.Kind() == reflect.String && rb.Kind() == reflect.String:
		return compared(name, strings.Compare(ra.String(), rb.String())), nil
	case ra.CanInt() && rb.CanInt():
		return compared(name, cmpInt(ra.Int(), rb.Int())), nil
	case ra.CanFloat() && rb.CanFloat():
		x, y := ra.Float(), rb.Float()
		switch {
		case x == y:
			return compared(name, 0), nil
		case x < y:
			return compared(name, -1), nil
		case x > y:
			return compared(name, 1), nil
		}
	case ra.Kind() == reflect.Pointer && ra.Type() == rb.Type() && (name == "eq" || name == "ne"):
		if a == b {
			return compared(name, 0), nil
		}
		return compared(name, 1), nil
	case ra.Kind() == reflect.Bool && rb.Kind() == reflect.Bool && (name == "eq" || name == "ne"):
		return compared(name, cmpInt(boolInt(ra.Bool()), boolInt(rb.Bool()))), nil
	}
	return nil, errFastUnsupported
}

// compared is the comparison name for c, the result of a comparison.
func compared(name string, c int) bool {
	switch name {
	case "eq":
		return c == 0
	case "ne":
		return c != 0
	case "lt":
		return c < 0
	case "le":
		return c <= 0
	case "gt":
		return c > 0
	}
	return c >= 0
}

func boolInt(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// lengthOf is text/template's len, but for pointers.
func lengthOf(v any) (any, error) {
	switch x := v.(type) {
	case string:
		return len(x), nil
	case []*Page:
		return len(x), nil
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Array, reflect.Chan, reflect.Map, reflect.Slice, reflect.String:
		return rv.Len(), nil
	}
	return nil, errFastUnsupported
}

// indexOf is text/template's index with one index: of a slice or an
// array by an integer in range, or of a map by a key of its key type.
func indexOf(item, index any) (any, error) {
	rv := reflect.ValueOf(item)
	ri := reflect.ValueOf(index)
	if !rv.IsValid() || !ri.IsValid() {
		return nil, errFastUnsupported
	}
	switch rv.Kind() {
	case reflect.Slice, reflect.Array:
		if !ri.CanInt() {
			return nil, errFastUnsupported
		}
		i := ri.Int()
		if i < 0 || i >= int64(rv.Len()) {
			return nil, errFastUnsupported
		}
		return fromValue(rv.Index(int(i)))
	case reflect.Map:
		if ri.Type() != rv.Type().Key() {
			return nil, errFastUnsupported
		}
		if x := rv.MapIndex(ri); x.IsValid() {
			return fromValue(x)
		}
		return fromValue(reflect.Zero(rv.Type().Elem()))
	}
	return nil, errFastUnsupported
}

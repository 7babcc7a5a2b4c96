package site

// The values of the fast executor (fastexec.go) and how it reaches fields
// and methods. A value is held as a plain interface, not a reflect.Value;
// two marker types stand for what text/template keeps apart in its
// reflect.Values: noValue, the invalid value (a missing map key, a
// template called without data), and nilAny, a nil held in an interface
// (a field of type any, a map value) before text/template unwraps it at
// the end of a pipeline command.

import (
	"fmt"
	"html/template"
	"reflect"
	"sync"
	"sync/atomic"
	"time"
)

// noValue is text/template's invalid reflect.Value ("<no value>").
type noValue struct{}

// nilAny is a nil interface value, as a struct field, map value or
// function result of type any gives.
type nilAny struct{}

// missingArg marks a pipeline command with no value before it (the first
// command of a pipeline), text/template's missingVal.
type missingArg struct{}

// fromValue turns a reflect.Value that text/template would hold into the
// fast executor's value. A nil interface of a type with methods is left
// to html/template.
func fromValue(v reflect.Value) (any, error) {
	if !v.IsValid() {
		return noValue{}, nil
	}
	if v.Kind() == reflect.Interface {
		if v.Type().NumMethod() != 0 {
			return nil, errFastUnsupported
		}
		if v.IsNil() {
			return nilAny{}, nil
		}
		return v.Elem().Interface(), nil
	}
	if !v.CanInterface() {
		return nil, errFastUnsupported
	}
	return v.Interface(), nil
}

// truth is text/template's isTrue on a value.
func truth(v any) (bool, bool) {
	switch x := v.(type) {
	case bool:
		return x, true
	case string:
		return x != "", true
	case template.HTML:
		return x != "", true
	case *Page:
		return x != nil, true
	case []*Page:
		return len(x) > 0, true
	case int:
		return x != 0, true
	case noValue, nilAny:
		return false, true
	case nil:
		return false, true
	}
	return isTrueValue(reflect.ValueOf(v))
}

// isTrueValue is text/template's isTrue.
func isTrueValue(val reflect.Value) (truth, ok bool) {
	switch val.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		truth = val.Len() > 0
	case reflect.Bool:
		truth = val.Bool()
	case reflect.Complex64, reflect.Complex128:
		truth = val.Complex() != 0
	case reflect.Chan, reflect.Func, reflect.Pointer, reflect.UnsafePointer, reflect.Interface:
		truth = !val.IsNil()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		truth = val.Int() != 0
	case reflect.Float32, reflect.Float64:
		truth = val.Float() != 0
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		truth = val.Uint() != 0
	case reflect.Struct:
		truth = true
	default:
		return false, false
	}
	return truth, true
}

// fieldStep is how one name of a field chain (.Title, .Site.Title) is
// reached on receivers of one type: a method, a struct field or a map
// key.
type fieldStep struct {
	typ    reflect.Type
	method reflect.Method // with method.Func set, for a method
	call0  func(recv any) (any, error)
	call1  func(recv, arg any) (any, error) // for a method of one argument
	str    func(recv any) string            // for a method or field of type string
	index  []int                            // of a struct field
	ptr    bool                             // the field is reached through a pointer to the struct
	mapKey bool
	err    error // the name cannot be reached on this type
}

// fieldSite is one name of a field chain in a layout, with the steps it
// has taken on each type of receiver it has met. The last step is kept
// apart, as nearly every receiver has the same type.
type fieldSite struct {
	name  string
	last  atomic.Pointer[fieldStep]
	steps sync.Map // reflect.Type -> *fieldStep
}

// step finds how the name is reached on a receiver of type t.
func (f *fieldSite) step(t reflect.Type) *fieldStep {
	if st := f.last.Load(); st != nil && st.typ == t {
		return st
	}
	if st, ok := f.steps.Load(t); ok {
		f.last.Store(st.(*fieldStep))
		return st.(*fieldStep)
	}
	st := resolveField(t, f.name)
	f.steps.Store(t, st)
	f.last.Store(st)
	return st
}

// resolveField is text/template's evalField, decided once for a type:
// a method of the type (of the pointer, for a pointer to a struct), else
// a field of the struct, else a key of a map with string keys. A struct
// held by value whose pointer has the method is left to html/template,
// which can take the address of an addressable value.
func resolveField(t reflect.Type, name string) *fieldStep {
	st := &fieldStep{typ: t}
	if m, ok := t.MethodByName(name); ok {
		st.method = m
		st.call0 = methodCall0(m)
		st.call1 = methodCall1(m)
		switch f := m.Func.Interface().(type) {
		case func(*Page) string:
			st.str = func(r any) string { return f(r.(*Page)) }
		case func(*Site) string:
			st.str = func(r any) string { return f(r.(*Site)) }
		}
		return st
	}
	switch t.Kind() {
	case reflect.Struct:
		if _, ok := reflect.PointerTo(t).MethodByName(name); ok {
			st.err = errFastUnsupported
			return st
		}
		st.err = structField(st, t, name)
	case reflect.Pointer:
		if t.Elem().Kind() != reflect.Struct {
			st.err = errFastUnsupported
			return st
		}
		st.ptr = true
		st.err = structField(st, t.Elem(), name)
	case reflect.Map:
		if t.Key() != reflect.TypeFor[string]() {
			st.err = errFastUnsupported
			return st
		}
		st.mapKey = true
	default:
		st.err = errFastUnsupported
	}
	return st
}

// structField finds an exported field of a struct type.
func structField(st *fieldStep, t reflect.Type, name string) error {
	f, ok := t.FieldByName(name)
	if !ok || !f.IsExported() {
		return errFastUnsupported
	}
	st.index = f.Index
	if f.Type == reflect.TypeFor[string]() && st.ptr && len(f.Index) == 1 {
		i := f.Index[0]
		st.str = func(r any) string { return reflect.ValueOf(r).Elem().Field(i).String() }
	}
	return nil
}

// stringField gives the name f of r as a string, when it is a field of
// type string of a struct r points to (not nil), or a method of type
// string.
func stringField(f *fieldSite, r any) (string, bool) {
	switch r.(type) {
	case noValue, nilAny, nil:
		return "", false
	}
	st := f.step(reflect.TypeOf(r))
	if st.err != nil || st.str == nil {
		return "", false
	}
	if st.ptr && reflect.ValueOf(r).IsNil() {
		return "", false
	}
	return st.str(r), true
}

// methodCall0 is a direct call of a method that takes no arguments and
// returns one value, for the method types layouts use most; nil for any
// other, which goes through reflect.
func methodCall0(m reflect.Method) func(any) (any, error) {
	switch f := m.Func.Interface().(type) {
	case func(*Page) string:
		return func(r any) (any, error) { return f(r.(*Page)), nil }
	case func(*Page) bool:
		return func(r any) (any, error) { return f(r.(*Page)), nil }
	case func(*Page) template.HTML:
		return func(r any) (any, error) { return f(r.(*Page)), nil }
	case func(*Page) *Page:
		return func(r any) (any, error) { return f(r.(*Page)), nil }
	case func(*Page) []*Page:
		return func(r any) (any, error) { return f(r.(*Page)), nil }
	case func(*Page) []Heading:
		return func(r any) (any, error) { return f(r.(*Page)), nil }
	case func(*Site) string:
		return func(r any) (any, error) { return f(r.(*Site)), nil }
	case func(*Site) *Page:
		return func(r any) (any, error) { return f(r.(*Site)), nil }
	case func(*Site) []*Page:
		return func(r any) (any, error) { return f(r.(*Site)), nil }
	case func(time.Time) bool:
		return func(r any) (any, error) { return f(r.(time.Time)), nil }
	}
	return nil
}

// methodCall1 is a direct call of a method of one argument, for the
// method types layouts use most, or nil. The argument has been converted
// to the parameter's type.
func methodCall1(m reflect.Method) func(any, any) (any, error) {
	switch f := m.Func.Interface().(type) {
	case func(*Page, int) template.HTML:
		return func(r, a any) (any, error) { return f(r.(*Page), a.(int)), nil }
	case func(*Page, string) *Page:
		return func(r, a any) (any, error) { return f(r.(*Page), a.(string)), nil }
	case func(*Site, string) *Page:
		return func(r, a any) (any, error) { return f(r.(*Site), a.(string)), nil }
	case func(time.Time, time.Time) bool:
		return func(r, a any) (any, error) { return f(r.(time.Time), a.(time.Time)), nil }
	}
	return nil
}

// checkFuncType is text/template's goodFunc: one result, or two of which
// the second is an error.
func checkFuncType(t reflect.Type) error {
	switch {
	case t.NumOut() == 1:
		return nil
	case t.NumOut() == 2 && t.Out(1) == errorType:
		return nil
	}
	return errFastUnsupported
}

// fromResults is the value of a call made through reflect, or its error.
func fromResults(out []reflect.Value) (any, error) {
	if len(out) == 2 && !out[1].IsNil() {
		return nil, fmt.Errorf("%w: %v", errFastUnsupported, out[1].Interface())
	}
	return fromValue(out[0])
}

// convert is text/template's validateType: a value made fit for an
// argument of type typ, as an interface ready for a direct call or for
// reflect.ValueOf (a nil for a nil interface, pointer or slice argument).
func convert(v any, typ reflect.Type) (any, error) {
	switch v.(type) {
	case noValue:
		if canBeNil(typ) {
			return zeroOf(typ), nil
		}
		return nil, errFastUnsupported
	case nilAny:
		if typ.Kind() == reflect.Interface && typ.NumMethod() == 0 {
			return nil, nil
		}
		return nil, errFastUnsupported
	}
	if typ.Kind() == reflect.Interface && typ.NumMethod() == 0 {
		return v, nil
	}
	vt := reflect.TypeOf(v)
	if vt == typ || vt.AssignableTo(typ) {
		return v, nil
	}
	if vt.Kind() == reflect.Pointer && vt.Elem().AssignableTo(typ) {
		rv := reflect.ValueOf(v)
		if rv.IsNil() {
			return nil, errFastUnsupported
		}
		return rv.Elem().Interface(), nil
	}
	return nil, fmt.Errorf("%w: a %s for a %s", errFastUnsupported, vt, typ)
}

// zeroOf is the zero value of a type that can be nil, as an interface.
func zeroOf(typ reflect.Type) any {
	if typ.Kind() == reflect.Interface {
		return nil
	}
	return reflect.Zero(typ).Interface()
}

// canBeNil is text/template's.
func canBeNil(typ reflect.Type) bool {
	switch typ.Kind() {
	case reflect.Chan, reflect.Func, reflect.Interface, reflect.Map, reflect.Pointer, reflect.Slice:
		return true
	case reflect.Struct:
		return typ == reflect.TypeFor[reflect.Value]()
	}
	return false
}

// reflectArg is a converted argument as a reflect.Value of type typ.
func reflectArg(v any, typ reflect.Type) reflect.Value {
	if v == nil {
		return reflect.Zero(typ)
	}
	return reflect.ValueOf(v)
}

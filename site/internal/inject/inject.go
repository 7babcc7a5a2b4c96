// Package inject carries faults that tests put into a run through its
// context, to prove that a panic in any page's work becomes an error that
// names the page, and never a crash. Nothing outside tests sets them.
package inject

import "context"

// Faults says where a run panics on purpose. The zero value injects
// nothing.
type Faults struct {
	// Rule is the name of a check rule added to the run that panics on
	// every page whose source file is File.
	Rule string
	// Func is the name of a template function added to the layouts that
	// panics with a runtime error when a layout calls it.
	Func string
	// Render panics while the page whose source file is File renders.
	Render bool
	// File is the content file the faults above hit.
	File string
}

type key struct{}

// With returns a context that carries the faults.
func With(ctx context.Context, f Faults) context.Context {
	return context.WithValue(ctx, key{}, f)
}

// From returns the faults ctx carries; the zero Faults when none.
func From(ctx context.Context) Faults {
	f, _ := ctx.Value(key{}).(Faults)
	return f
}

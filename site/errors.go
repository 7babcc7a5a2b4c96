package site

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"

	"charter/site/internal/printable"
)

// An Error is a problem in the site's input, tied to the file (relative to
// the site root, slash-separated) and, where known, the line it comes from.
type Error struct {
	File string
	Line int // 1-based; 0 when the whole file is meant
	Msg  string

	// Rule is the check rule of a problem that a KeepGoing build hands to
	// check instead of failing: broken-link, draft-link, broken-fragment,
	// or build for what leaves a page out.
	Rule string
}

// Error prints the problem as file:line: message, with any control
// character escaped (see printable).
func (e *Error) Error() string {
	switch {
	case e.File == "":
		return printable.Escape(e.Msg, "\n")
	case e.Line > 0:
		return fmt.Sprintf("%s:%d: %s", printable.Escape(e.File, ""), e.Line, printable.Escape(e.Msg, "\n"))
	default:
		return fmt.Sprintf("%s: %s", printable.Escape(e.File, ""), printable.Escape(e.Msg, "\n"))
	}
}

// internalError is the error for a panic in the work on one file: a bug
// in the generator, reported at the file so that the build goes on with
// the others and fails with every problem it found.
func internalError(file, stage string, v any) *Error {
	if file == "" {
		return errorf("", 0, "internal error while %s: %v; this is a bug, please report it", stage, v)
	}
	return errorf(file, 0, "internal error while %s %s: %v; this is a bug, please report it", stage, file, v)
}

// pageFile names a page in errors: its content file, or its output file
// for a generated page.
func pageFile(p *Page) string {
	if p.Source != "" {
		return p.Source
	}
	return outputFile(p.Path)
}

func errorf(file string, line int, format string, args ...any) *Error {
	return &Error{File: file, Line: line, Msg: fmt.Sprintf(format, args...)}
}

// Errors is every problem a build found, sorted by file and line.
type Errors []*Error

func (es Errors) Error() string {
	var b strings.Builder
	for i, e := range es {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

func (es Errors) sorted() Errors {
	slices.SortStableFunc(es, func(a, b *Error) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Msg, b.Msg))
	})
	return slices.CompactFunc(es, func(a, b *Error) bool { return *a == *b })
}

// AsErrors returns the input errors in err, if err holds any.
func AsErrors(err error) (Errors, bool) {
	var es Errors
	if errors.As(err, &es) {
		return es, true
	}
	var e *Error
	if errors.As(err, &e) {
		return Errors{e}, true
	}
	return nil, false
}

package site

import (
	"errors"
	"fmt"
	"html/template"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"text/template/parse"
)

// templateMarks names the empty writes that guard puts at the start and
// end of each template. A mark is a zero-length slice of enter or exit
// whose capacity, less one, is the template's index: text/template writes
// a text node's bytes as they are, so the writer can tell them apart from
// any other write without looking at text.
type templateMarks struct {
	enter, exit []byte
	names       []string
	where       []*Error // where each template is defined
}

// find reports which template's mark p is, and whether it is the start;
// -1 when p is no mark.
func (m *templateMarks) find(p []byte) (int, bool) {
	c := cap(p)
	if c == 0 || c > len(m.names) {
		return -1, false
	}
	switch &p[:1][0] {
	case &m.enter[0]:
		return c - 1, true
	case &m.exit[0]:
		return c - 1, false
	}
	return -1, false
}

// newTemplateMarks makes room for the marks of n templates.
func newTemplateMarks(n int) *templateMarks {
	return &templateMarks{enter: make([]byte, max(n, 1)), exit: make([]byte, max(n, 1))}
}

// guard prepares the templates of a set to run within a budget: every
// range iteration writes an empty text (so that the writer can stop a loop
// that writes nothing), and every template starts and ends with its marks
// (so that the writer can stop a template that calls itself without end).
// Trees already guarded (shared between sets) are left alone.
func (m *templateMarks) guard(set *template.Template, seen map[*parse.Tree]bool) {
	for _, t := range set.Templates() {
		tr := t.Tree
		if tr == nil || tr.Root == nil || seen[tr] {
			continue
		}
		seen[tr] = true
		guardRanges(tr.Root)
		i := len(m.names)
		if i >= len(m.enter) {
			continue // more templates than counted: those go unmarked
		}
		m.names = append(m.names, t.Name())
		m.where = append(m.where, definedAt(tr))
		enter := &parse.TextNode{NodeType: parse.NodeText, Pos: tr.Root.Pos, Text: m.enter[0 : 0 : i+1]}
		exit := &parse.TextNode{NodeType: parse.NodeText, Pos: tr.Root.Pos, Text: m.exit[0 : 0 : i+1]}
		tr.Root.Nodes = append(append([]parse.Node{enter}, tr.Root.Nodes...), exit)
	}
}

// guardRanges adds an empty text to the end of the body of every range
// under n.
func guardRanges(n parse.Node) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, c := range n.Nodes {
			guardRanges(c)
		}
	case *parse.RangeNode:
		guardRanges(n.List)
		guardRanges(n.ElseList)
		if n.List != nil {
			n.List.Nodes = append(n.List.Nodes, &parse.TextNode{NodeType: parse.NodeText, Pos: n.Pos, Text: []byte{}})
		}
	case *parse.IfNode:
		guardRanges(n.List)
		guardRanges(n.ElseList)
	case *parse.WithNode:
		guardRanges(n.List)
		guardRanges(n.ElseList)
	}
}

// definedAt is the layout file and line where a template's text starts.
func definedAt(tr *parse.Tree) *Error {
	loc, _ := tr.ErrorContext(tr.Root)
	file, rest, _ := strings.Cut(loc, ":")
	lineText, _, _ := strings.Cut(rest, ":")
	line, _ := strconv.Atoi(lineText)
	if tr.ParseName != "" {
		file = tr.ParseName
	}
	return &Error{File: "layouts/" + file, Line: line}
}

// countTemplates is the number of templates in a set.
func countTemplates(set *template.Template) int { return len(set.Templates()) }

// maxPartialFrames is how deep the Go stack may be when partialCached
// runs a partial: a few hundred nested partials (a level takes some 13
// to 30 frames). Beyond it a partial calls itself without end, and would
// crash the program with a stack overflow, which no recover catches.
const maxPartialFrames = 6000

// partialsTooDeep reports a Go stack deeper than maxPartialFrames, given
// the number of partials running now in every goroutine. Walking the
// stack costs as much as the stack is deep, so it looks only when many
// partials run at once, which one goroutine's partials calling each
// other makes happen, and then only at 64, 128, 256 and so on, and at
// every 1,024th after that: a loop is found within twice the depth
// allowed, after a handful of walks instead of one every few levels (at
// every 8th, a loop cost some 80 ms a page).
func partialsTooDeep(running int64) bool {
	if running < 64 || running&(running-1) != 0 && running%1024 != 0 {
		return false
	}
	var pc [1]uintptr
	return runtime.Callers(maxPartialFrames, pc[:]) > 0
}

// partialLoopError is a partial that partialCached calls within itself
// without end. chain holds the partials from the innermost outwards, each
// with the place where it calls the next inner one.
type partialLoopError struct {
	chain []loopStep
}

type loopStep struct {
	name  string
	where *Error
}

func (e *partialLoopError) Error() string {
	names, _ := e.cycle()
	return fmt.Sprintf("partialCached %s: the partials call each other without end", names)
}

// cycle shows one turn of the loop, outermost first, starting from the
// partial whose name sorts first, so that the report does not depend on
// where the loop was stopped: "a.html → b.html → a.html". where is the
// call in that partial that goes on round the loop.
func (e *partialLoopError) cycle() (string, *Error) {
	turn := e.chain
	for j := 1; j < len(e.chain); j++ {
		if e.chain[j].name == e.chain[0].name {
			turn = e.chain[:j]
			break
		}
	}
	m := 0
	for i, s := range turn {
		if s.name < turn[m].name {
			m = i
		}
	}
	names := []string{turn[m].name}
	for k := 1; k <= len(turn); k++ {
		names = append(names, turn[(m-k+len(turn))%len(turn)].name)
	}
	return strings.Join(names, " → "), turn[m].where
}

// partialLoop adds a partial to the loop that err reports, if it does,
// with the place of its call that err names. Other errors are returned
// as they are. Once the loop holds a whole turn, it is kept in the cache
// of partials, so that any page that calls a partial of the loop later
// in the build fails at once: finding a loop runs the partial a few
// hundred levels deep, some 18 ms a page.
func (l *layouts) partialLoop(err error, s *templateSet, name string) error {
	var pl *partialLoopError
	if !errors.As(err, &pl) {
		return err
	}
	if len(pl.chain) < 32 {
		e := templateError(err)
		pl.chain = append(pl.chain, loopStep{name, &Error{File: e.File, Line: e.Line}})
	}
	if pl.wholeTurn() {
		for _, step := range pl.chain {
			l.cache.LoadOrStore(loopKey{s, step.name}, pl.again())
		}
	}
	return pl
}

// wholeTurn reports whether the chain goes once round the loop: the
// innermost partial comes round again, or the chain is as long as it
// gets.
func (e *partialLoopError) wholeTurn() bool {
	if len(e.chain) == 0 {
		return false
	}
	for _, step := range e.chain[1:] {
		if step.name == e.chain[0].name {
			return true
		}
	}
	return len(e.chain) >= 32
}

// again is a copy of the loop, for another page to report.
func (e *partialLoopError) again() *partialLoopError {
	return &partialLoopError{chain: slices.Clone(e.chain)}
}

// explain turns an execution error into an Error naming the layout file
// and line: a loop of templates or partials where it is written, a layout
// ending inside a comment or element where that opens.
func (l *layouts) explain(err error) *Error {
	var pl *partialLoopError
	var tl *templateLoopError
	var he *template.Error
	switch {
	case errors.As(err, &pl) && len(pl.chain) > 0:
		names, where := pl.cycle()
		return errorf(where.File, where.Line, "partialCached %s: the partials call each other without end; make sure the recursion stops, for example with {{ with .Parent }}", names)
	case errors.As(err, &tl):
		return errorf(tl.where.File, tl.where.Line, "template %q calls itself, directly or through other templates, more than %d deep; make sure the recursion stops, for example with {{ with .Parent }}", tl.name, maxTemplateDepth)
	case errors.As(err, &he) && he.ErrorCode == template.ErrEndContext:
		return l.unclosed(he)
	}
	return templateError(err)
}

var (
	endStateRE   = regexp.MustCompile(`\{(state\w+)`)
	endElementRE = regexp.MustCompile(`\belement(\w+)`)
)

// unclosed reports a template that ends inside a comment, a tag or an
// element such as textarea, at the line where that opens.
func (l *layouts) unclosed(he *template.Error) *Error {
	file, text := l.definingFile(he.Name)
	state, elem := "", ""
	if m := endStateRE.FindStringSubmatch(he.Description); m != nil {
		state = m[1]
	}
	if m := endElementRE.FindStringSubmatch(he.Description); m != nil {
		elem = strings.ToLower(m[1])
	}
	lower := strings.ToLower(text)
	open, what, fix := -1, "", ""
	switch {
	case state == "stateHTMLCmt":
		open, what, fix = strings.LastIndex(lower, "<!--"), "the comment <!--", "close it with -->"
	case elem != "" && elem != "none":
		open, what, fix = strings.LastIndex(lower, "<"+elem), "the <"+elem+"> element", "close it with </"+elem+">"
	default:
		open, what, fix = strings.LastIndex(lower, "<"), "the tag", "close it with >, and close any quote"
	}
	line := 0
	if open >= 0 {
		line = 1 + strings.Count(text[:open], "\n")
	}
	if file == "" {
		return &Error{File: "layouts", Msg: he.Error()}
	}
	return errorf("layouts/"+file, line, "%s opened here is never closed, so the layout ends inside it; %s", what, fix)
}

// definingFile finds the layout file that defines a template: the file of
// that name, or the one with {{ define "name" }}.
func (l *layouts) definingFile(name string) (string, string) {
	if text, ok := l.files[name]; ok {
		return name, text
	}
	for _, f := range sortedKeys(l.files) {
		if strings.Contains(l.files[f], `define "`+name+`"`) || strings.Contains(l.files[f], `block "`+name+`"`) {
			return f, l.files[f]
		}
	}
	return "", ""
}

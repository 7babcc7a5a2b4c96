package site

import (
	"reflect"
	"strings"
	"sync"
	"unsafe"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/lexers"
)

// A tokenGuard stops a tokenising that has stopped moving on: more than
// maxStuckSteps empty tokens in a row, or more text in tokens than twice
// the text given (a lexer only cuts its text up). chroma's tokeniser
// loops for ever where a rule matches the empty string and leaves the
// state as it was (JSONata at a lone quote, Jungle, SquidConf), and a
// lexer that embeds another one reaches that loop through chroma's own
// tokeniser. The guard panics with errStuck, which the highlighter
// recovers from: chroma's emitters have no way to return an error.
type tokenGuard struct {
	empties, bytes, limit int
}

// newTokenGuard is a guard for tokenising text.
func newTokenGuard(text string) *tokenGuard {
	return &tokenGuard{limit: 2*len(text) + 64}
}

// check counts token t, and panics with errStuck past the guard's bounds.
func (g *tokenGuard) check(t chroma.Token) {
	if t.Value == "" {
		if g.empties++; g.empties > maxStuckSteps {
			panic(errStuck)
		}
		return
	}
	g.empties = 0
	if g.bytes += len(t.Value); g.bytes > g.limit {
		panic(errStuck)
	}
}

// iterator is it with each token checked.
func (g *tokenGuard) iterator(it chroma.Iterator) chroma.Iterator {
	return func() chroma.Token {
		t := it()
		if t != chroma.EOF {
			g.check(t)
		}
		return t
	}
}

// newBoundedRegistry is chroma's registry of lexers with every lexer
// wrapped in a boundedLexer, so that a lexer that looks another one up
// by name (markdown's fences, Svelte's script language, HTTP's content
// type) gets a bounded one. Building it costs about a millisecond; a
// highlighter builds it when it first meets a language.
func newBoundedRegistry() *chroma.LexerRegistry {
	reg := chroma.NewLexerRegistry()
	for _, l := range lexers.GlobalLexerRegistry.Lexers {
		reg.Register(&boundedLexer{base: l})
	}
	return reg
}

// A boundedLexer tokenises as its base lexer does, with every tokenising
// bounded: a RegexLexer through a ruleLexer, which gives up when stuck,
// looking up other lexers in the bounded registry; any other lexer (a
// delegating, remapping or wrapping lexer) as a copy of itself whose
// inner lexers are bounded, its tokens checked by a tokenGuard. It is
// safe for concurrent use once registered.
type boundedLexer struct {
	base chroma.Lexer
	reg  *chroma.LexerRegistry

	once  sync.Once
	rules *ruleLexer // when base is a RegexLexer
	inner tokeniser  // otherwise: base with its inner lexers bounded
	err   error
}

var _ chroma.Lexer = (*boundedLexer)(nil)

// Config is the base lexer's.
func (b *boundedLexer) Config() *chroma.Config { return b.base.Config() }

// SetRegistry sets the registry lexers are looked up in; the base lexer
// keeps its own.
func (b *boundedLexer) SetRegistry(r *chroma.LexerRegistry) chroma.Lexer {
	b.reg = r
	return b
}

// SetAnalyser leaves the base lexer, which is chroma's and shared, as it is.
func (b *boundedLexer) SetAnalyser(func(string) float32) chroma.Lexer { return b }

// AnalyseText is the base lexer's.
func (b *boundedLexer) AnalyseText(text string) float32 { return b.base.AnalyseText(text) }

// Tokenise tokenises text as the base lexer does; the iterator panics
// with errStuck where the base lexer would not end.
func (b *boundedLexer) Tokenise(opts *chroma.TokeniseOptions, text string) (chroma.Iterator, error) {
	b.once.Do(b.prepare)
	if b.err != nil {
		return nil, b.err
	}
	g := newTokenGuard(text)
	if b.rules != nil {
		var out []chroma.Token
		err := b.rules.tokenise(opts, text, func(t chroma.Token) {
			g.check(t)
			out = append(out, t)
		})
		if err != nil {
			return nil, err
		}
		return chroma.Literator(out...), nil
	}
	it, err := b.inner.Tokenise(opts, text)
	if err != nil {
		return nil, err
	}
	return g.iterator(it), nil
}

// ruleLexer is the ruleLexer of a RegexLexer base, or nil.
func (b *boundedLexer) ruleLexer() *ruleLexer {
	b.once.Do(b.prepare)
	return b.rules
}

// prepare makes the bounded form of the base lexer.
func (b *boundedLexer) prepare() {
	if rl, ok := b.base.(*chroma.RegexLexer); ok {
		b.rules, b.err = newRuleLexer(rl, b.reg)
		return
	}
	b.inner = b.rewired(b.base)
	if v := reflect.ValueOf(b.base); v.Type().String() == "*lexers.httpBodyContentTyper" {
		if inner, ok := v.Elem().FieldByName("Lexer").Interface().(chroma.Lexer); ok {
			b.inner = &httpBodyLexer{http: b.bounded(inner), reg: b.reg}
		}
	}
}

// A tokeniser is the part of a chroma Lexer that tokenises.
type tokeniser interface {
	Tokenise(opts *chroma.TokeniseOptions, text string) (chroma.Iterator, error)
}

// lexerType is the type of chroma's Lexer interface.
var lexerType = reflect.TypeFor[chroma.Lexer]()

// rewired is a copy of lexer l, a pointer to a struct, with each field
// that holds a lexer holding it bounded: chroma's delegating lexer keeps
// its two lexers in unexported fields, and its markdown and HTTP lexers
// wrap a RegexLexer. Any other lexer is l itself.
func (b *boundedLexer) rewired(l chroma.Lexer) chroma.Lexer {
	v := reflect.ValueOf(l)
	if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
		return l
	}
	c := reflect.New(v.Elem().Type())
	c.Elem().Set(v.Elem())
	for i := range c.Elem().NumField() {
		f := c.Elem().Field(i)
		if f.Type() != lexerType || f.IsNil() {
			continue
		}
		f = reflect.NewAt(f.Type(), unsafe.Pointer(f.UnsafeAddr())).Elem()
		f.Set(reflect.ValueOf(b.bounded(f.Interface().(chroma.Lexer))))
	}
	return c.Interface().(chroma.Lexer)
}

// bounded is lexer l bounded: the registered one when l is registered,
// so that its rules are compiled once.
func (b *boundedLexer) bounded(l chroma.Lexer) chroma.Lexer {
	if r, ok := b.reg.Get(l.Config().Name).(*boundedLexer); ok && r.base == l {
		return r
	}
	return &boundedLexer{base: l, reg: b.reg}
}

// An httpBodyLexer is chroma's HTTP lexer with the body lexed by the
// lexer of its Content-Type from the bounded registry: chroma's looks the
// type up in its global registry, whose lexers are not bounded (a body of
// type application/x-svelte reached chroma's delegating lexer, which
// collects tokens without end from a stuck lexer). It tokenises as
// chroma's httpBodyContentTyper does, token for token.
type httpBodyLexer struct {
	http chroma.Lexer // the HTTP RegexLexer inside chroma's, bounded
	reg  *chroma.LexerRegistry
}

// Tokenise: the value of a Content-Type header (up to any ;) picks the
// body's lexer by MIME type, or by the type after the + when none has it
// (application/calendar+xml as application/xml). The body's first token
// comes where the body is, the rest after the HTTP lexer's last token.
func (h *httpBodyLexer) Tokenise(opts *chroma.TokeniseOptions, text string) (chroma.Iterator, error) {
	it, err := h.http.Tokenise(opts, text)
	if err != nil {
		return nil, err
	}
	var contentType string
	var isContentType bool
	var body chroma.Iterator
	return func() chroma.Token {
		t := it()
		switch {
		case t == chroma.EOF:
			if body != nil {
				return body()
			}
		case t.Type == chroma.Name && strings.ToLower(t.Value) == "content-type":
			isContentType = true
		case t.Type == chroma.Literal && isContentType:
			isContentType = false
			contentType = strings.TrimSpace(t.Value)
			if i := strings.Index(contentType, ";"); i > 0 {
				contentType = strings.TrimSpace(contentType[:i])
			}
		case t.Type == chroma.Generic && contentType != "":
			lexer := h.reg.MatchMimeType(contentType)
			if lexer == nil && strings.Contains(contentType, "+") {
				slash, plus := strings.Index(contentType, "/"), strings.LastIndex(contentType, "+")
				contentType = contentType[:slash+1] + contentType[plus+1:]
				lexer = h.reg.MatchMimeType(contentType)
			}
			if lexer == nil {
				t.Type = chroma.Text
				break
			}
			if body, err = lexer.Tokenise(nil, t.Value); err != nil {
				panic(err)
			}
			return body()
		}
		return t
	}, nil
}

package site

import (
	"bytes"
	"hash/maphash"
	"html"
	"io"
	"strings"
	"sync"

	"github.com/alecthomas/chroma/v2"
	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
)

// Bounds of a highlighter's caches. A fence's language is what its author
// wrote, so a hostile site could name a new language in every fence, and
// code need not repeat: past these bounds the highlighter still works, it
// only stops remembering.
const (
	maxLexerNames = 1024     // language names remembered, found or not
	maxSeenBlocks = 1 << 16  // hashes of blocks seen once
	maxCodeCache  = 16 << 20 // bytes of code and highlighted HTML kept
)

// A highlighter turns fenced code into HTML with chroma's CSS classes. It
// looks each fence language up once, and remembers the HTML of a block it
// sees a second time. One highlighter serves one build (one goldmark
// instance); it is safe for concurrent use.
type highlighter struct {
	seed     maphash.Seed
	limit    highlightLimits
	bufs     sync.Pool                    // *bytes.Buffer for HTML being written
	registry func() *chroma.LexerRegistry // chroma's lexers, bounded; made when first needed

	mu     sync.Mutex
	lexers map[string]*codeLexer // language as written -> lexer, nil when none
	seen   map[uint64]bool       // hashes of (language, code) seen once
	html   map[codeKey]string    // highlighted HTML of blocks seen twice
	size   int                   // bytes held by html
}

// highlightLimits bound a highlighter's caches.
type highlightLimits struct{ names, seen, bytes int }

// codeKey identifies a highlighted block: the output depends on the
// language as written (it names the CSS class) and the code.
type codeKey struct{ lang, code string }

// codeFormatter is chroma's HTML formatter as the stylesheet is written
// for it; codeHTML writes the same HTML.
var codeFormatter = chromahtml.New(chromahtml.WithClasses(true), chromahtml.ClassPrefix(""))

// A codeLexer is the lexer of one fence language: chroma's, bounded,
// and the faster ruleLexer over the same rules where chroma's is a
// RegexLexer.
type codeLexer struct {
	chroma *boundedLexer
	rules  *ruleLexer // nil: tokenise with chroma's, bounded
	open   string     // the <pre> and <code> tags, with the language's class
}

func newHighlighter() *highlighter {
	return &highlighter{seed: maphash.MakeSeed(), registry: sync.OnceValue(newBoundedRegistry),
		limit:  highlightLimits{maxLexerNames, maxSeenBlocks, maxCodeCache},
		bufs:   sync.Pool{New: func() any { return new(bytes.Buffer) }},
		lexers: map[string]*codeLexer{}, seen: map[uint64]bool{}, html: map[codeKey]string{}}
}

// lexer returns the lexer for a fence language, or nil when chroma has
// none. chroma's own lookup matches an unknown name against every
// lexer's file patterns, which costs far more than highlighting.
func (h *highlighter) lexer(lang string) *codeLexer {
	h.mu.Lock()
	l, ok := h.lexers[lang]
	h.mu.Unlock()
	if ok {
		return l
	}
	if found, ok := h.registry().Get(lang).(*boundedLexer); ok {
		l = &codeLexer{chroma: found, rules: found.ruleLexer(),
			open: `<pre class="chroma language-` + html.EscapeString(strings.ToLower(lang)) + `"><code>`}
	}
	h.mu.Lock()
	if len(h.lexers) < h.limit.names {
		h.lexers[lang] = l
	}
	h.mu.Unlock()
	return l
}

// codeWriter is what fenced code is written to.
type codeWriter interface {
	io.Writer
	io.StringWriter
}

// write writes the HTML of a code block in language lang ("" for none).
func (h *highlighter) write(w codeWriter, lang, code string) {
	if lang == "" {
		writePlainCode(w, code)
		return
	}
	k := codeKey{lang, code}
	var mh maphash.Hash
	mh.SetSeed(h.seed)
	mh.WriteString(lang)
	mh.WriteByte(0)
	mh.WriteString(code)
	sum := mh.Sum64()
	h.mu.Lock()
	out, cached := h.html[k]
	again := h.seen[sum]
	h.mu.Unlock()
	if cached {
		_, _ = w.WriteString(out)
		return
	}
	b := h.bufs.Get().(*bytes.Buffer)
	defer h.bufs.Put(b)
	b.Reset()
	if !h.highlight(b, lang, code) {
		writePlainCode(w, code)
		return
	}
	_, _ = w.Write(b.Bytes())
	h.remember(k, sum, again, b.Bytes())
}

// remember records a block seen once by its hash, and keeps the HTML of
// a block seen twice, within the cache's bounds.
func (h *highlighter) remember(k codeKey, sum uint64, again bool, out []byte) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !again {
		if len(h.seen) < h.limit.seen {
			h.seen[sum] = true
		}
		return
	}
	if n := len(k.lang) + len(k.code) + len(out); h.size+n <= h.limit.bytes {
		h.html[k] = string(out)
		h.size += n
	}
}

// highlight writes code highlighted with the lexer of lang to b; false
// when there is none or chroma fails (b then holds part of a block). A
// panic in chroma's lexers leaves the block plain, as an error would, and
// so does a tokenising that stops moving on (see tokenGuard).
func (h *highlighter) highlight(b *bytes.Buffer, lang, code string) (ok bool) {
	lexer := h.lexer(lang)
	if lexer == nil {
		return false
	}
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	cw := codeHTML{b: b}
	g := newTokenGuard(code)
	emit := func(t chroma.Token) {
		g.check(t)
		cw.token(t)
	}
	b.WriteString(lexer.open)
	if lexer.rules != nil {
		if lexer.rules.tokens(code, emit) != nil {
			return false
		}
	} else {
		it, err := lexer.chroma.Tokenise(nil, code)
		if err != nil {
			return false
		}
		for t := it(); t != chroma.EOF; t = it() {
			emit(t)
		}
	}
	cw.end()
	b.WriteString("</code></pre>")
	return true
}

// writePlainCode writes code without highlighting.
func writePlainCode(w codeWriter, code string) {
	_, _ = w.WriteString("<pre><code>")
	_, _ = codeEscaper.WriteString(w, code)
	_, _ = w.WriteString("</code></pre>\n")
}

package site

import (
	"bytes"
	"hash/maphash"
	"html"
	"strings"
	"sync"

	"github.com/alecthomas/chroma/v2"
	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/alecthomas/chroma/v2/styles"
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
	style *chroma.Style
	seed  maphash.Seed
	limit highlightLimits

	mu     sync.Mutex
	lexers map[string]chroma.Lexer // language as written -> coalesced lexer, nil when none
	seen   map[uint64]bool         // hashes of (language, code) seen once
	html   map[codeKey]string      // highlighted HTML of blocks seen twice
	size   int                     // bytes held by html
}

// highlightLimits bound a highlighter's caches.
type highlightLimits struct{ names, seen, bytes int }

// codeKey identifies a highlighted block: the output depends on the
// language as written (it names the CSS class) and the code.
type codeKey struct{ lang, code string }

var codeFormatter = chromahtml.New(chromahtml.WithClasses(true), chromahtml.ClassPrefix(""))

func newHighlighter() *highlighter {
	return &highlighter{style: styles.Get(highlightStyle), seed: maphash.MakeSeed(),
		limit:  highlightLimits{maxLexerNames, maxSeenBlocks, maxCodeCache},
		lexers: map[string]chroma.Lexer{}, seen: map[uint64]bool{}, html: map[codeKey]string{}}
}

// lexer returns the lexer for a fence language, or nil when chroma has
// none. chroma's own lookup matches an unknown name against every
// lexer's file patterns, which costs far more than highlighting.
func (h *highlighter) lexer(lang string) chroma.Lexer {
	h.mu.Lock()
	l, ok := h.lexers[lang]
	h.mu.Unlock()
	if ok {
		return l
	}
	if found := lexers.Get(lang); found != nil {
		l = chroma.Coalesce(found)
	}
	h.mu.Lock()
	if len(h.lexers) < h.limit.names {
		h.lexers[lang] = l
	}
	h.mu.Unlock()
	return l
}

// write writes the HTML of a code block in language lang ("" for none).
func (h *highlighter) write(w interface{ WriteString(string) (int, error) }, lang, code string) {
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
	out, ok := h.highlight(lang, code)
	if !ok {
		writePlainCode(w, code)
		return
	}
	_, _ = w.WriteString(out)
	h.remember(k, sum, again, out)
}

// remember records a block seen once by its hash, and keeps the HTML of
// a block seen twice, within the cache's bounds.
func (h *highlighter) remember(k codeKey, sum uint64, again bool, out string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !again {
		if len(h.seen) < h.limit.seen {
			h.seen[sum] = true
		}
		return
	}
	if n := len(k.lang) + len(k.code) + len(out); h.size+n <= h.limit.bytes {
		h.html[k] = out
		h.size += n
	}
}

// highlight highlights code with the lexer of lang; false when there is
// none or chroma fails.
func (h *highlighter) highlight(lang, code string) (string, bool) {
	lexer := h.lexer(lang)
	if lexer == nil {
		return "", false
	}
	it, err := lexer.Tokenise(nil, code)
	if err != nil {
		return "", false
	}
	var out bytes.Buffer
	if codeFormatter.Format(&out, h.style, it) != nil {
		return "", false
	}
	return string(bytes.Replace(out.Bytes(), []byte(`<pre class="chroma"`), []byte(`<pre class="chroma language-`+html.EscapeString(strings.ToLower(lang))+`"`), 1)), true
}

// writePlainCode writes code without highlighting.
func writePlainCode(w interface{ WriteString(string) (int, error) }, code string) {
	_, _ = w.WriteString("<pre><code>")
	_, _ = w.WriteString(html.EscapeString(code))
	_, _ = w.WriteString("</code></pre>\n")
}

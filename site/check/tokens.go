package check

import (
	"bytes"
	"strings"
	"unsafe"

	"github.com/tdewolff/parse/v2"
	tdhtml "github.com/tdewolff/parse/v2/html"
	"golang.org/x/net/html"
)

// tokKind is the kind of an HTML token.
type tokKind int

const (
	tokEOF tokKind = iota
	tokDoctype
	tokText
	tokStart
	tokSelfClosing
	tokEnd
	tokComment
)

// A tokenSource splits HTML into tokens for the parser. Its tokens are
// those of golang.org/x/net/html's tokenizer: text with entities decoded
// (except in script and style), tag names and attribute keys in lower
// case, the first of each attribute name only, values decoded.
type tokenSource interface {
	next() tokKind
	offset() int             // byte offset of the current token
	raw() []byte             // the current token as written; a start tag from < to >
	text() []byte            // the text of a text or doctype token
	tagName() []byte         // the name of a start or end tag
	attrs(dst []Attr) []Attr // appends the start tag's attributes
	// noDuplicates reports that the start tag is known to write no
	// attribute name twice, so the parser need not look for repeats.
	noDuplicates() bool
}

// lexTokens is the tokenSource that scanTokens hands the rest of a page
// to from the first token it does not read itself: tdewolff's HTML
// lexer, some three times as fast as x/net's tokenizer on our pages, made
// to give x/net's tokens. An svg or math element, which the lexer returns whole,
// and a start tag whose attributes hold entities are tokenized by x/net;
// from anything written oddly enough that the two could split it apart
// differently, x/net reads the rest of the page. TestParseMatchesXnet,
// TestParseMatchesXnetCases and FuzzParse hold it to x/net, alone and
// behind scanTokens.
type lexTokens struct {
	src []byte // as given
	str string // src as a string, whose slices are the attribute values
	buf []byte // a copy the lexer may change (it lower-cases names in place)
	l   *tdhtml.Lexer

	kind     tokKind
	off      int
	rawB     []byte
	textB    []byte
	name     []byte
	attrB    []Attr
	attrBuf  []Attr
	distinct bool // the current start tag's attribute names, as the lexer read them, are all different

	queue []queued // tokens of an element tokenized by x/net

	// x, once set, tokenizes the rest of the input: from the first tag
	// written so oddly that the two tokenizers might not agree where it
	// ends. Pages as the build writes them never need it.
	x    *html.Tokenizer
	xoff int // offset in src of x's next token
}

type queued struct {
	kind      tokKind
	off       int
	raw, text []byte
	name      []byte
	attrs     []Attr
}

// newLexTokens tokenizes src, whose text str is: the attribute values it
// gives are slices of str.
func newLexTokens(src []byte, str string) *lexTokens {
	// One byte of room, so that the lexer's end marker does not move
	// the buffer: token offsets come from where their bytes lie in it.
	buf := make([]byte, len(src), len(src)+1)
	copy(buf, src)
	t := &lexTokens{src: src, str: str, buf: buf, l: tdhtml.NewLexer(parse.NewInputBytes(buf))}
	if bytes.IndexByte(src, 0) >= 0 {
		t.switchToXnet(0) // NUL bytes, which x/net replaces by context, and the lexer ends at
	}
	return t
}

// at is the offset in buf of b, a slice of it. The lexer's tokens lie
// in buf but leave out some spaces (before > and />), so the offset comes
// from where b starts, not from adding up lengths.
func (t *lexTokens) at(b []byte) int {
	if len(b) == 0 {
		return t.off
	}
	off := int(uintptr(unsafe.Pointer(unsafe.SliceData(b))) - uintptr(unsafe.Pointer(unsafe.SliceData(t.buf))))
	if off < 0 || off+len(b) > len(t.buf) {
		return t.off // not in buf: cannot happen with this lexer
	}
	return off
}

func (t *lexTokens) offset() int { return t.off }
func (t *lexTokens) raw() []byte { return t.rawB }
func (t *lexTokens) text() []byte {
	if t.x != nil && t.textB == nil && (t.kind == tokText || t.kind == tokDoctype) {
		return t.x.Text() // x/net's Text changes raw in place: asked for only now
	}
	return t.textB
}
func (t *lexTokens) tagName() []byte         { return t.name }
func (t *lexTokens) attrs(dst []Attr) []Attr { return append(dst, t.attrB...) }
func (t *lexTokens) noDuplicates() bool      { return t.x == nil && t.distinct }

func (t *lexTokens) next() tokKind {
	t.distinct = false
	if len(t.queue) > 0 {
		q := t.queue[0]
		t.queue = t.queue[1:]
		t.kind, t.off, t.rawB, t.textB, t.name, t.attrB = q.kind, q.off, q.raw, q.text, q.name, q.attrs
		return t.kind
	}
	t.textB, t.name, t.attrB = nil, nil, nil
	if t.x != nil {
		return t.xnext()
	}
	for {
		tt, data := t.l.Next()
		switch tt {
		case tdhtml.ErrorToken:
			t.kind, t.off, t.rawB = tokEOF, len(t.src), nil
			return tokEOF
		case tdhtml.XMLToken, tdhtml.TemplateToken:
			// An xml element, which the lexer reads whole: x/net reads
			// on from here.
			t.switchToXnet(t.at(data))
			return t.xnext()
		case tdhtml.CommentToken:
			if oddComment(data) {
				// x/net ends <!--> and <!---> at once, and a comment
				// at --!>: it reads on from here.
				t.switchToXnet(t.at(data))
				return t.xnext()
			}
			t.set(tokComment, data)
		case tdhtml.DoctypeToken:
			t.set(tokDoctype, data)
			t.textB = bytes.TrimSpace(t.l.Text())
		case tdhtml.TextToken:
			if hasTagStart(data) {
				// A tag or comment the lexer read as text (</>, </0,
				// an unclosed <![CDATA[): x/net drops it or reads a
				// comment.
				t.switchToXnet(t.at(data))
				return t.xnext()
			}
			t.set(tokText, data)
			t.textB = decodeText(t.src[t.off : t.off+len(data)])
		case tdhtml.EndTagToken:
			if data[len(data)-1] != '>' || !plainName(t.l.Text()) {
				t.switchToXnet(t.at(data))
				return t.xnext()
			}
			t.set(tokEnd, data)
			t.name = t.l.Text()
		case tdhtml.StartTagToken:
			if t.startTag(data); t.x != nil {
				return t.xnext()
			}
		case tdhtml.SVGToken, tdhtml.MathToken:
			t.foreign(data)
			return t.next()
		default:
			continue // attribute and tag-close tokens belong to a start tag
		}
		return t.kind
	}
}

func (t *lexTokens) set(k tokKind, data []byte) {
	t.kind, t.off = k, t.at(data)
	t.rawB = t.src[t.off : t.off+len(data)]
}

// startTag reads a start tag with its attributes.
func (t *lexTokens) startTag(data []byte) {
	start := t.at(data)
	name := t.l.Text()
	end := start + len(data)
	kind := tokStart
	attrs := t.attrBuf[:0] // reused: the parser copies the attributes it keeps
	defer func() { t.attrBuf = attrs[:0] }()
	entity := false // x/net decodes values by rules of its own: it reads such a tag
	distinct := true
loop:
	for {
		tt, d := t.l.Next()
		switch tt {
		case tdhtml.AttributeToken:
			end = t.at(d) + len(d)
			key := t.l.AttrKey()
			if !plainName(key) || !plainAttr(d, len(key)) {
				t.switchToXnet(start)
				return
			}
			val := unquote(t.l.AttrVal())
			if bytes.IndexByte(val, '&') >= 0 && !plainRefs(val) {
				entity = true
			}
			if !hasAttr(attrs, key) {
				attrs = append(attrs, Attr{Key: intern(key), Val: t.attrVal(val)})
			} else {
				distinct = false
			}
		case tdhtml.StartTagCloseToken, tdhtml.StartTagVoidToken:
			end = t.at(d) + len(d)
			if tt == tdhtml.StartTagVoidToken {
				kind = tokSelfClosing
			}
			break loop
		default:
			// The input ends inside the tag.
			t.switchToXnet(start)
			return
		}
	}
	if !plainName(name) {
		t.switchToXnet(start)
		return
	}
	t.kind, t.off, t.rawB, t.name = kind, start, t.src[start:end], name
	t.attrB, t.distinct = attrs, distinct && !entity
	if entity {
		// An "&copy=" in a URL stays as written, for one.
		z := html.NewTokenizer(bytes.NewReader(t.rawB))
		z.Next()
		_, more := z.TagName()
		t.attrB = xnetAttrs(z, more, nil)
	}
	if kind == tokSelfClosing && rawTextElement(name) {
		// x/net reads <title/> as <title>: its content is raw text to the
		// end tag, which the lexer does not know. Rare: x/net reads on.
		t.switchToXnet(start)
		return
	}
	if kind != tokStart {
		return
	}
	switch string(name) {
	case "script", "style", "xmp", "iframe", "title", "textarea":
		// Text up to the end tag. Where it has none, or a script holds
		// <!-- (which has rules of its own), x/net reads on.
		close := endTagAt(t.src, end, name)
		if close < 0 || string(name) == "script" && bytes.Contains(t.src[end:close], []byte("<!--")) {
			t.switchToXnet(start)
			return
		}
		// The text, up to where x/net ends it: the lexer ends a script
		// at "</script" followed by anything ("</sCript<"), x/net only
		// at one followed by a space, / or >; and it reads tags in a
		// title ("<title><A</title>").
		t.rawUntil(end, name)
	case "plaintext":
		t.switchToXnet(start)
	case "noscript", "noembed", "noframes":
		if endTagAt(t.src, end, name) < 0 {
			t.switchToXnet(start)
			return
		}
		t.rawUntil(end, name)
	}
}

// attrVal is an attribute value, val, as the lexer gives it (a slice of
// buf), with its character references decoded: a slice of str when it
// has none.
func (t *lexTokens) attrVal(val []byte) string {
	if bytes.IndexByte(val, '&') >= 0 {
		return html.UnescapeString(string(convertNewlines(val))) // plainRefs: decoded alike in attributes and text
	}
	if len(val) == 0 {
		return ""
	}
	if bytes.IndexByte(val, '\r') >= 0 {
		return string(convertNewlines(val)) // as x/net gives it
	}
	off := t.at(val)
	return t.str[off : off+len(val)]
}

// plainRefs reports whether each & of an attribute value starts a
// character reference that x/net decodes in an attribute as it does in
// text: a numeric one ended by a semicolon, or one of the named ones a
// minifier writes (&amp; &lt; &gt; &quot; &apos;). Those html.UnescapeString
// decodes as x/net's tokenizer does the value.
func plainRefs(v []byte) bool {
	for i := bytes.IndexByte(v, '&'); i >= 0; i = bytes.IndexByte(v, '&') {
		v = v[i+1:]
		n := numericRef(v)
		if n == 0 {
			for _, name := range []string{"amp;", "lt;", "gt;", "quot;", "apos;"} {
				if bytes.HasPrefix(v, []byte(name)) {
					n = len(name)
					break
				}
			}
		}
		if n == 0 {
			return false
		}
		v = v[n:]
	}
	return true
}

// numericRef is the length of the numeric character reference that v
// starts with after its &, "#43;" or "#x2B;", with its semicolon; 0 when
// v does not start with one.
func numericRef(v []byte) int {
	if len(v) < 3 || v[0] != '#' {
		return 0
	}
	i, hex := 1, false
	if v[1] == 'x' || v[1] == 'X' {
		i, hex = 2, true
	}
	start := i
	for i < len(v) && i-start < 8 && (v[i] >= '0' && v[i] <= '9' || hex && (v[i]|0x20 >= 'a' && v[i]|0x20 <= 'f')) {
		i++
	}
	if i == start || i >= len(v) || v[i] != ';' {
		return 0
	}
	return i + 1
}

// oddComment reports whether a comment token of the lexer is one that
// x/net might end elsewhere: one that starts with <!--> or <!--->, holds
// --!, or does not end with -->.
func oddComment(data []byte) bool {
	body, ok := bytes.CutPrefix(data, []byte("<!--"))
	if !ok {
		return false // <!x>, <?x>: bogus comments, which both end at >
	}
	return bytes.HasPrefix(body, []byte(">")) || bytes.HasPrefix(body, []byte("->")) ||
		bytes.Contains(body, []byte("--!")) || !bytes.HasSuffix(body, []byte("-->"))
}

// rawTextElement reports the elements whose content x/net reads as raw
// text (or plain text) after their start tag, even one written <x/>.
func rawTextElement(name []byte) bool {
	switch strings.ToLower(string(name)) {
	case "script", "style", "xmp", "iframe", "title", "textarea", "plaintext", "noscript", "noembed", "noframes":
		return true
	}
	return false
}

// endTagAt is the offset of the end tag of a raw text element named name
// at or after from: </name followed by a space, / or >, and then by a >
// with no quote before it. It is -1 when there is none, and when the
// first such end tag has a quote before its > or the input ends inside it:
// x/net reads quotes in an end tag as in a start tag, and drops a tag the
// input ends in, so x/net must read on from the start tag.
func endTagAt(src []byte, from int, name []byte) int {
	for i := from; i < len(src); {
		j := bytes.Index(src[i:], []byte("</"))
		if j < 0 {
			return -1
		}
		k := i + j + 2
		if k+len(name) < len(src) && bytes.EqualFold(src[k:k+len(name)], name) &&
			bytes.IndexByte([]byte(" \t\n\f\r/>"), src[k+len(name)]) >= 0 {
			if e := bytes.IndexAny(src[k+len(name):], "'\">"); e < 0 || src[k+len(name)+e] != '>' {
				return -1
			}
			return i + j
		}
		i = k
	}
	return -1
}

// rawUntil queues the text after a start tag whose content x/net reads as
// raw text (or, in a title or textarea, as text with character
// references) and the lexer does not, up to its end tag, and restarts the
// lexer there.
func (t *lexTokens) rawUntil(from int, name []byte) {
	end := endTagAt(t.src, from, name)
	if end < 0 {
		end = len(t.src)
	}
	if end > from {
		text := convertNewlines(t.src[from:end])
		if string(name) == "title" || string(name) == "textarea" {
			text = decodeText(t.src[from:end]) // with character references, as x/net reads them
		}
		t.queue = append(t.queue, queued{kind: tokText, off: from, raw: t.src[from:end], text: text})
	}
	t.l = tdhtml.NewLexer(parse.NewInputBytes(t.buf[end:]))
}

// switchToXnet has x/net tokenize the input from byte from on.
func (t *lexTokens) switchToXnet(from int) {
	t.x, t.xoff, t.queue = html.NewTokenizer(bytes.NewReader(t.src[from:])), from, nil
}

// xnext reads the next token from x/net.
func (t *lexTokens) xnext() tokKind {
	tt := t.x.Next()
	t.off, t.rawB = t.xoff, t.x.Raw()
	t.xoff += len(t.rawB)
	t.textB, t.name, t.attrB = nil, nil, nil
	// Text and doctype: text() asks x/net, which changes raw in place.
	switch t.kind = xnetKind(tt); t.kind {
	case tokStart, tokSelfClosing:
		name, more := t.x.TagName()
		t.name = name
		t.attrB = xnetAttrs(t.x, more, nil)
	case tokEnd:
		t.name, _ = t.x.TagName()
	}
	return t.kind
}

// xnetKind is the kind of an x/net token.
func xnetKind(tt html.TokenType) tokKind {
	switch tt {
	case html.ErrorToken:
		return tokEOF
	case html.DoctypeToken:
		return tokDoctype
	case html.TextToken:
		return tokText
	case html.StartTagToken:
		return tokStart
	case html.SelfClosingTagToken:
		return tokSelfClosing
	case html.EndTagToken:
		return tokEnd
	}
	return tokComment
}

// foreign queues the tokens of an svg or math element, as x/net gives
// them.
func (t *lexTokens) foreign(data []byte) {
	base := t.at(data)
	raw := t.src[base : base+len(data)]
	z := html.NewTokenizer(bytes.NewReader(raw))
	off := 0
	for {
		tt := z.Next()
		// Text changes the raw bytes in place (\r to \n): the raw are
		// kept first, as the other tokens count their lines.
		r := z.Raw()
		q := queued{kind: xnetKind(tt), off: base + off, raw: bytes.Clone(r)}
		off += len(r)
		switch q.kind {
		case tokEOF:
			if q.off < base+len(raw) {
				// The input ends inside a tag, which x/net drops.
				t.queue = append(t.queue, queued{kind: tokEOF, off: q.off})
			}
			return
		case tokText, tokDoctype:
			q.text = bytes.Clone(z.Text())
		case tokStart, tokSelfClosing:
			name, more := z.TagName()
			q.name = bytes.Clone(name)
			q.attrs = xnetAttrs(z, more, nil)
		case tokEnd:
			name, _ := z.TagName()
			q.name = bytes.Clone(name)
		}
		t.queue = append(t.queue, q)
	}
}

// xnetAttrs appends the attributes of x/net's current start tag.
func xnetAttrs(z *html.Tokenizer, more bool, dst []Attr) []Attr {
	for more {
		var k, v []byte
		k, v, more = z.TagAttr()
		dst = append(dst, Attr{Key: intern(k), Val: string(v)})
	}
	return dst
}

// plainName reports whether an attribute name has only the characters
// that both tokenizers read alike.
func plainName(b []byte) bool {
	for _, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == ':' || c == '.') {
			return false
		}
	}
	return len(b) > 0
}

// plainAttr reports whether an attribute token, as the lexer gives it
// (white space, the name of n bytes, then perhaps = and a value), is
// written plainly enough that x/net reads it alike: a quoted value, or an
// unquoted one that does not end in /.
func plainAttr(d []byte, n int) bool {
	i := 0
	for i < len(d) && isSpace(d[i]) {
		i++
	}
	i += n
	if i == len(d) {
		return true
	}
	if i > len(d) || d[i] != '=' {
		return false
	}
	v := d[i+1:]
	switch {
	case len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0]:
		return bytes.IndexByte(v[1:len(v)-1], v[0]) < 0
	case len(v) == 0 || v[len(v)-1] == '/':
		return false
	}
	return bytes.IndexAny(v, "\"'=<>`\t\n\f\r ") < 0
}

func hasAttr(attrs []Attr, key []byte) bool {
	for _, a := range attrs {
		if a.Key == string(key) {
			return true
		}
	}
	return false
}

// unquote strips the quotes of an attribute value as the lexer gives it.
func unquote(v []byte) []byte {
	if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
		return v[1 : len(v)-1]
	}
	if len(v) >= 1 && (v[0] == '"' || v[0] == '\'') {
		return v[1:] // unterminated at the end of the input
	}
	return v
}

// decodeText decodes the entities of text, and its line endings, as
// x/net does.
func decodeText(b []byte) []byte {
	b = convertNewlines(b)
	if bytes.IndexByte(b, '&') < 0 {
		return b
	}
	return []byte(html.UnescapeString(string(b)))
}

// convertNewlines turns \r\n and \r into \n.
func convertNewlines(b []byte) []byte {
	if bytes.IndexByte(b, '\r') < 0 {
		return b
	}
	b = bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n"))
	return bytes.ReplaceAll(b, []byte("\r"), []byte("\n"))
}

package check

import (
	"bytes"
	"strings"

	"golang.org/x/net/html"
)

// scanTokens is the tokenSource Parse uses: a scanner for HTML written
// as the build writes it (lower-case tag names, attributes quoted or
// plain, no NUL bytes), about twice as fast as lexTokens on our pages
// because it only looks for what such HTML holds. Like x/net's tokenizer,
// it reads svg and math elements as any other. From the first token
// written any other way (an upper-case tag name, a value with an entity
// it does not know, a < in an attribute name) it hands the rest of the
// page to lexTokens, which gives x/net's tokens for any input. FuzzParse and
// TestParseMatchesXnetCases hold it to x/net.
type scanTokens struct {
	src []byte
	str string // src as a string, whose slices are the attribute values
	pos int    // where the next token starts

	kind    tokKind
	off     int
	rawB    []byte
	textB   []byte
	name    []byte
	attrB   []Attr
	attrBuf []Attr

	distinct bool // the current start tag's attribute names are all different
	rawEnd   int  // after the start tag of a raw text element: where its text ends, else -1
	rcdata   bool // that text has its entities decoded (title, textarea)

	foreign bool // an svg or math start tag has been read

	names nameCache // attribute names

	// rest, once set, tokenizes the input from byte restOff on.
	rest    *lexTokens
	restOff int
}

func newScanTokens(src []byte, str string) *scanTokens {
	t := &scanTokens{src: src, str: str, rawEnd: -1}
	if bytes.IndexByte(src, 0) >= 0 {
		t.handOver(0) // NUL bytes, which x/net replaces by context
	}
	return t
}

// handOver has lexTokens tokenize the input from byte from on; after an
// svg or math start tag, x/net, since lexTokens reads such elements whole
// and would not know it is inside one.
func (t *scanTokens) handOver(from int) {
	t.rest, t.restOff = newLexTokens(t.src[from:], t.str[from:]), from
	if t.foreign {
		t.rest.switchToXnet(0)
	}
}

func (t *scanTokens) offset() int {
	if t.rest != nil {
		return t.restOff + t.rest.offset()
	}
	return t.off
}

func (t *scanTokens) raw() []byte {
	if t.rest != nil {
		return t.rest.raw()
	}
	return t.rawB
}

func (t *scanTokens) text() []byte {
	if t.rest != nil {
		return t.rest.text()
	}
	return t.textB
}

func (t *scanTokens) tagName() []byte {
	if t.rest != nil {
		return t.rest.tagName()
	}
	return t.name
}

func (t *scanTokens) attrs(dst []Attr) []Attr {
	if t.rest != nil {
		return t.rest.attrs(dst)
	}
	return append(dst, t.attrB...)
}

func (t *scanTokens) noDuplicates() bool {
	if t.rest != nil {
		return t.rest.noDuplicates()
	}
	return t.distinct
}

func (t *scanTokens) next() tokKind {
	if t.rest != nil {
		return t.rest.next()
	}
	t.textB, t.name, t.attrB, t.distinct = nil, nil, nil, false
	if t.rawEnd >= 0 {
		end := t.rawEnd
		t.rawEnd = -1
		if end > t.pos {
			t.token(tokText, end)
			if t.rcdata {
				t.textB = decodeText(t.rawB)
			} else {
				t.textB = convertNewlines(t.rawB)
			}
			return t.kind
		}
	}
	if t.pos >= len(t.src) {
		t.kind, t.off, t.rawB = tokEOF, len(t.src), nil
		return tokEOF
	}
	if !startsTag(t.src, t.pos) {
		t.token(tokText, textEnd(t.src, t.pos))
		t.textB = decodeText(t.rawB)
		return t.kind
	}
	if t.scanTag() {
		return t.kind
	}
	t.handOver(t.pos)
	return t.rest.next()
}

// token makes the bytes from t.pos to end the current token, of kind k.
func (t *scanTokens) token(k tokKind, end int) {
	t.kind, t.off, t.rawB = k, t.pos, t.src[t.pos:end]
	t.pos = end
}

// scanTag reads the tag, comment or doctype at t.pos, which is a <; it
// reports false, reading nothing, when it is not written as the build
// writes it.
func (t *scanTokens) scanTag() bool {
	s := t.src
	i := t.pos + 1
	switch {
	case i < len(s) && isLower(s[i]):
		return t.startTag()
	case i+1 < len(s) && s[i] == '/' && isLower(s[i+1]):
		j := tagNameEnd(s, i+1)
		if j >= len(s) || s[j] != '>' {
			return false
		}
		t.token(tokEnd, j+1)
		t.name = s[i+1 : j]
		return true
	case bytes.HasPrefix(s[i:], []byte("!--")):
		return t.comment()
	case len(s)-i >= len("!doctype html>") && bytes.EqualFold(s[i:i+len("!doctype html>")], []byte("!doctype html>")):
		t.token(tokDoctype, i+len("!doctype html>"))
		t.textB = t.rawB[len("<!doctype ") : len(t.rawB)-1]
		return true
	}
	return false
}

// comment reads a comment that ends at its first -->, and holds no --!>
// (which ends a comment too) and does not start with > or -> (which end
// it at once).
func (t *scanTokens) comment() bool {
	body := t.src[t.pos+len("<!--"):]
	end := bytes.Index(body, []byte("-->"))
	if end < 0 || bytes.HasPrefix(body, []byte(">")) || bytes.HasPrefix(body, []byte("->")) ||
		bytes.Contains(body[:end], []byte("--!")) {
		return false
	}
	t.token(tokComment, t.pos+len("<!--")+end+len("-->"))
	return true
}

// startTag reads a start tag: a lower-case name and attributes, each a
// plain name alone or with a quoted value, or a plain one, separated by
// spaces.
func (t *scanTokens) startTag() bool {
	s := t.src
	nameEnd := tagNameEnd(s, t.pos+1)
	attrs := t.attrBuf[:0] // reused: the parser copies the attributes it keeps
	defer func() { t.attrBuf = attrs[:0] }()
	distinct := true
	i := nameEnd
	for {
		spaced := i < len(s) && isTagSpace(s[i])
		for i < len(s) && isTagSpace(s[i]) {
			i++
		}
		if i >= len(s) {
			return false
		}
		if s[i] == '>' || s[i] == '/' && i+1 < len(s) && s[i+1] == '>' {
			break
		}
		if !spaced {
			return false // such as <p"x"> or a="x"b="y"
		}
		var a Attr
		var ok bool
		if a, i, ok = t.attr(i); !ok {
			return false
		}
		if hasKey(attrs, a.Key) {
			distinct = false // x/net keeps the first
			continue
		}
		attrs = append(attrs, a)
	}
	name := s[t.pos+1 : nameEnd]
	selfClosing := s[i] == '/'
	end := i + 1
	if selfClosing {
		end = i + 2
	}
	if !t.rawText(name, end, selfClosing) {
		return false
	}
	kind := tokStart
	if selfClosing {
		kind = tokSelfClosing
	}
	t.token(kind, end)
	t.name, t.attrB, t.distinct = name, attrs, distinct
	t.foreign = t.foreign || string(name) == "svg" || string(name) == "math"
	return true
}

// attr reads the attribute at s[i], returning it and the index after
// it.
func (t *scanTokens) attr(i int) (Attr, int, bool) {
	s := t.src
	start, upper := i, false
	for i < len(s) && (isAttrNameByte(s[i]) || s[i] >= 'A' && s[i] <= 'Z') {
		upper = upper || s[i] <= 'Z' && s[i] >= 'A'
		i++
	}
	if i == start || i >= len(s) {
		return Attr{}, 0, false
	}
	key := t.names.intern(s[start:i])
	if upper {
		key = strings.ToLower(string(s[start:i])) // as x/net gives it: viewBox is viewbox
	}
	if s[i] == '=' {
		val, end, ok := t.attrValue(i + 1)
		return Attr{Key: key, Val: val}, end, ok
	}
	// A name alone, which x/net would join to a value after spaces.
	j := i
	for j < len(s) && isTagSpace(s[j]) {
		j++
	}
	if j < len(s) && s[j] == '=' || s[i] == '/' && (i+1 >= len(s) || s[i+1] != '>') {
		return Attr{}, 0, false
	}
	if !isTagSpace(s[i]) && s[i] != '>' && s[i] != '/' {
		return Attr{}, 0, false
	}
	return Attr{Key: key}, i, true
}

// attrValue reads the attribute value at s[i], after its =, quoted or
// plain, returning it decoded and the index after it.
func (t *scanTokens) attrValue(i int) (string, int, bool) {
	s := t.src
	var val []byte
	vStart := i
	if i < len(s) && (s[i] == '"' || s[i] == '\'') {
		q := s[i]
		j := bytes.IndexByte(s[i+1:], q)
		if j < 0 {
			return "", 0, false
		}
		vStart = i + 1
		val, i = s[i+1:i+1+j], i+1+j+1
	} else {
		j := i
		for j < len(s) && !isTagSpace(s[j]) && s[j] != '>' {
			j++
		}
		val, i = s[i:j], j
		if len(val) == 0 || val[len(val)-1] == '/' || bytes.ContainsAny(val, "\"'=<`") {
			return "", 0, false
		}
	}
	if bytes.IndexByte(val, '\r') >= 0 {
		return "", 0, false
	}
	if bytes.IndexByte(val, '&') >= 0 {
		if !plainRefs(val) {
			return "", 0, false
		}
		return html.UnescapeString(string(val)), i, true
	}
	return t.str[vStart : vStart+len(val)], i, true
}

// rawText notes, after the start tag of an element whose content x/net
// reads as text up to its end tag, where that text ends; it reports false
// for such an element written so that lexTokens should read it (with no
// end tag, written <x/>, a script holding <!--, or plaintext).
func (t *scanTokens) rawText(name []byte, end int, selfClosing bool) bool {
	switch string(name) {
	case "script", "style", "xmp", "iframe", "noembed", "noframes", "noscript", "title", "textarea":
	case "plaintext":
		return false
	default:
		return true
	}
	if selfClosing {
		return false
	}
	close := endTagAt(t.src, end, name)
	if close < 0 || string(name) == "script" && bytes.Contains(t.src[end:close], []byte("<!--")) {
		return false
	}
	t.rawEnd, t.rcdata = close, string(name) == "title" || string(name) == "textarea"
	return true
}

// A nameCache holds names interned lately, one in each slot: a page
// repeats a few tag and attribute names, which it finds again by a
// comparison rather than an atom lookup.
type nameCache [64]string

// intern is intern(b), from the cache when it holds b.
func (c *nameCache) intern(b []byte) string {
	if len(b) == 0 {
		return intern(b)
	}
	slot := &c[(int(b[0])*31+int(b[len(b)-1])*7+len(b))&63]
	if *slot == string(b) {
		return *slot
	}
	*slot = intern(b)
	return *slot
}

// tagNameEnd is the index after the tag name that starts at s[i]: lower-case
// letters, digits and hyphens.
func tagNameEnd(s []byte, i int) int {
	for i < len(s) && (isLower(s[i]) || s[i] >= '0' && s[i] <= '9' || s[i] == '-') {
		i++
	}
	return i
}

// startsTag reports whether s[i] is a < that x/net reads as the start of
// a tag, a comment or the like, and not as text: one followed by a
// letter, /, ! or ?.
func startsTag(s []byte, i int) bool {
	if s[i] != '<' || i+1 >= len(s) {
		return false
	}
	c := s[i+1]
	return c|0x20 >= 'a' && c|0x20 <= 'z' || c == '/' || c == '!' || c == '?'
}

// hasTagStart reports whether text holds a < that x/net would read as the
// start of a tag or the like (see startsTag).
func hasTagStart(text []byte) bool {
	for i := bytes.IndexByte(text, '<'); i >= 0; {
		if startsTag(text, i) {
			return true
		}
		j := bytes.IndexByte(text[i+1:], '<')
		if j < 0 {
			return false
		}
		i += 1 + j
	}
	return false
}

// textEnd is the end of the text that starts at s[i]: the next < that
// starts a tag, or the end of s.
func textEnd(s []byte, i int) int {
	for {
		j := bytes.IndexByte(s[i+1:], '<')
		if j < 0 {
			return len(s)
		}
		if i += 1 + j; startsTag(s, i) {
			return i
		}
	}
}

func hasKey(attrs []Attr, key string) bool {
	for _, a := range attrs {
		if a.Key == key {
			return true
		}
	}
	return false
}

func isLower(c byte) bool { return c >= 'a' && c <= 'z' }

// isTagSpace reports the white space the scanner takes between
// attributes (not \r or \f, which x/net reads alike but which it leaves
// to lexTokens).
func isTagSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\t' }

// isAttrNameByte reports the bytes of an attribute name both tokenizers
// read alike (see plainName).
func isAttrNameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == ':' || c == '.'
}

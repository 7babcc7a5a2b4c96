package check

import (
	"bytes"
	"fmt"
	"strings"
	"unsafe"

	"golang.org/x/net/html/atom"
)

// A Document is a page's HTML parsed into a tree in one pass of the
// tokenizer, with the validity problems found on the way.
type Document struct {
	Root             *Node   // the document; its child is the html element
	HTML, Head, Body *Node   // never nil after Parse; made when the tags are left out
	Elements         []*Node // every element written in the source, in document order

	// Problems are what makes the HTML invalid: unclosed and misnested
	// elements, stray end tags, duplicate attributes. Their File is empty;
	// Line and Col are in the parsed HTML.
	Problems []Finding

	slabs   *slabs // where the nodes are, when they came from a slabPool
	idScans int    // look-ups ID answered by a scan
	ids     map[string]*Node
	mdLinks map[*Node]int // Markdown lines of links and images, see Page.at
	mdHeads map[*Node]int // and of headings
}

// ID returns the first element with the id, or else the first a element
// with that name, or nil.
func (d *Document) ID(id string) *Node {
	if d.ids == nil && d.idScans < idScansBeforeMap {
		// A page asks for an id or two (its skip link's target): a scan
		// costs less than a map of every id.
		d.idScans++
		return d.scanID(id)
	}
	if d.ids == nil {
		d.ids = make(map[string]*Node)
		for _, n := range d.Elements {
			if v, ok := n.Attr("id"); ok && d.ids[v] == nil {
				d.ids[v] = n
			}
		}
		for _, n := range d.Elements {
			if v, ok := n.Attr("name"); ok && n.Tag == "a" && d.ids[v] == nil {
				d.ids[v] = n
			}
		}
	}
	return d.ids[id]
}

// idScansBeforeMap is how many look-ups ID answers by scanning the
// elements before it makes a map of the page's ids.
const idScansBeforeMap = 4

// scanID is ID(id) found by scanning the elements: what ID's map holds.
func (d *Document) scanID(id string) *Node {
	for _, n := range d.Elements {
		if v, ok := n.Attr("id"); ok && v == id {
			return n
		}
	}
	for _, n := range d.Elements {
		if v, ok := n.Attr("name"); ok && v == id && n.Tag == "a" {
			return n
		}
	}
	return nil
}

// Parse parses a page's HTML. It never fails: like a browser it builds a
// tree from any input, and records in Problems where the input breaks the
// HTML syntax. It knows the elements whose end tags (and html, head and
// body start tags) may be left out, as a minifier does, so valid minified
// HTML has no problems.
func Parse(src []byte) *Document { return parsePooled(src, nil) }

// parsePooled is Parse taking the tree's memory from pool (nil: none).
// Give the document back with pool.put(d.slabs) once it and every node
// of it are done with.
func parsePooled(src []byte, pool *slabPool) *Document {
	str := string(src)
	return parseTokens(src, str, newScanTokens(src, str), pool)
}

// parseTokens builds the tree from a token source over src, whose text
// str is: text nodes are slices of it where they can be. The tree's
// strings may share str's memory, so what outlives the tree copies them.
// Its nodes come from pool's slabs (see parsePooled).
func parseTokens(src []byte, str string, z tokenSource, pool *slabPool) *Document {
	p := &parser{z: z, input: src, str: str, lastNL: -1, curLine: 1}
	p.findNL(0)
	p.doc = &Document{Root: &Node{Tag: "#document", Line: 1, Col: 1}}
	// About one node a tag (elements, and the text between tags), and one
	// attribute an = sign: room for them at once.
	tags := bytes.Count(src, []byte{'<'})
	sl := pool.get(min(tags+8, 1<<16), min(bytes.Count(src, []byte{'='})+4, 1<<16), min(tags/2+8, 1<<16))
	p.slab, p.attrs, p.doc.Elements = sl.nodes, sl.attrs, sl.elements
	p.run()
	if pool != nil {
		sl.used(p.slab, p.attrs, p.doc.Elements)
		p.doc.slabs = sl
	}
	return p.doc
}

// parser is the state of one Parse.
type parser struct {
	z     tokenSource
	input []byte // the HTML, for counting lines
	str   string // the HTML as a string, for text nodes
	raw   []byte // the current token as written
	doc   *Document
	stack []*Node

	off, curLine, lastNL int // byte offset of the next token, its line, offset of the last newline
	nlFrom, nextNL       int // the first newline at or after byte nlFrom is at nextNL; see count
	line, col            int // position of the current token

	slab    []Node
	attrs   []Attr
	scratch []Attr
	names   [][]byte

	tagNames   nameCache      // tag names
	foreign    int            // number of svg and math elements open
	openP      int            // number of p elements open
	endedEarly map[string]int // elements closed by a misnested end tag: their own end tag is not stray
	bodyEnded  bool
	doctype    bool
}

func (p *parser) run() {
	for {
		tt := p.z.next()
		p.raw = p.z.raw()
		p.advance(p.z.offset(), p.raw)
		switch tt {
		case tokEOF:
			p.eof()
			return
		case tokDoctype:
			p.doctype = p.doctype || strings.HasPrefix(strings.ToLower(string(p.z.text())), "html")
		case tokText:
			p.text(p.z.text())
		case tokStart, tokSelfClosing:
			p.startTag(tt == tokSelfClosing)
		case tokEnd:
			p.end(p.tagNames.intern(p.z.tagName()))
		}
	}
}

// advance records the position of the token that starts at byte off and
// whose raw text is raw, and moves past it. Bytes a token source skipped
// before it count too.
func (p *parser) advance(off int, raw []byte) {
	if off > p.off && off <= len(p.input) {
		p.count(p.off, p.input[p.off:off])
	}
	p.line, p.col = p.curLine, off-p.lastNL
	p.count(off, raw)
}

// count moves past b, which starts at byte off. A b of the input that
// ends before the next newline known (nextNL, the first at or after
// nlFrom) has none to count: a minified page has few newlines, and most
// tokens none, which costs a comparison rather than a call to
// bytes.Count.
func (p *parser) count(off int, b []byte) {
	end := off + len(b)
	in := p.isInput(off, b)
	if in && off >= p.nlFrom && end <= p.nextNL {
		p.off = end
		return
	}
	if n := bytes.Count(b, []byte{'\n'}); n > 0 {
		p.curLine += n
		p.lastNL = off + bytes.LastIndexByte(b, '\n')
	}
	p.off = end
	if in {
		p.findNL(end)
	}
}

// findNL sets nextNL to the first newline of the input at or after from
// (the input's length when there is none).
func (p *parser) findNL(from int) {
	p.nlFrom, p.nextNL = from, len(p.input)
	if i := bytes.IndexByte(p.input[from:], '\n'); i >= 0 {
		p.nextNL = from + i
	}
}

// isInput reports whether b is the input's bytes from off on, not a copy.
func (p *parser) isInput(off int, b []byte) bool {
	return off >= 0 && off+len(b) <= len(p.input) && len(b) > 0 && &p.input[off] == &b[0]
}

func (p *parser) problem(rule, fix, format string, args ...any) {
	p.doc.Problems = append(p.doc.Problems, Finding{
		Line: p.line, Col: p.col, Rule: rule, Message: fmt.Sprintf(format, args...), Fix: fix,
	})
}

// stringOf is b as a string: a slice of p.str when b is a slice of the
// input, else a copy.
func (p *parser) stringOf(b []byte) string {
	if len(b) == 0 || len(p.input) == 0 {
		return string(b)
	}
	off := int(uintptr(unsafe.Pointer(unsafe.SliceData(b))) - uintptr(unsafe.Pointer(unsafe.SliceData(p.input))))
	if off < 0 || off+len(b) > len(p.input) || len(p.str) != len(p.input) {
		return string(b)
	}
	return p.str[off : off+len(b)]
}

func intern(b []byte) string {
	if a := atom.Lookup(b); a != 0 {
		return a.String()
	}
	return string(b)
}

func (p *parser) newNode(tag string) *Node {
	if len(p.slab) == cap(p.slab) {
		p.slab = make([]Node, 0, 256)
	}
	p.slab = p.slab[:len(p.slab)+1]
	n := &p.slab[len(p.slab)-1]
	n.Tag, n.Line, n.Col, n.flags = tag, p.line, p.col, flagsOf(tag)
	return n
}

func (p *parser) current() *Node {
	if len(p.stack) == 0 {
		return p.doc.Root
	}
	return p.stack[len(p.stack)-1]
}

func (p *parser) push(n *Node) {
	p.stack = append(p.stack, n)
	if n.flags&(fForeign|fP) != 0 {
		p.countOpen(n, 1)
	}
}

// countOpen adds d to the count of open elements of n's kind, for the
// foreign and p elements that the parser counts.
func (p *parser) countOpen(n *Node, d int) {
	if n.flags&fForeign != 0 {
		p.foreign += d
	}
	if n.flags&fP != 0 {
		p.openP += d
	}
}

func (p *parser) pop() *Node {
	n := p.stack[len(p.stack)-1]
	p.stack = p.stack[:len(p.stack)-1]
	if n.flags&(fForeign|fP) != 0 {
		p.countOpen(n, -1)
	}
	return n
}

// readAttrs reads the current tag's attributes, reporting duplicates.
func (p *parser) readAttrs(tag string, more bool) []Attr {
	p.scratch = p.scratch[:0]
	if more {
		p.scratch = p.z.attrs(p.scratch)
	}
	if len(p.scratch) > 0 && !p.z.noDuplicates() {
		p.duplicateAttrs(tag)
	}
	if len(p.scratch) == 0 {
		return nil
	}
	start := len(p.attrs)
	p.attrs = append(p.attrs, p.scratch...)
	return p.attrs[start:len(p.attrs):len(p.attrs)]
}

func (p *parser) text(b []byte) {
	top := p.current()
	blank := isBlankBytes(b)
	if p.foreign == 0 && (top == p.doc.Root || top.Tag == "html" || top.Tag == "head") {
		if blank {
			return
		}
		p.context(textFlags)
		top = p.current()
	}
	if p.bodyEnded && !blank {
		p.afterBody("text")
	}
	if last := top.LastChild; last != nil && last.Tag == "" {
		last.Text += string(b) // one text node, however the tokenizer split it
		return
	}
	n := p.newNode("")
	n.Text = p.stringOf(b)
	top.appendChild(n)
}

func (p *parser) startTag(selfClosing bool) {
	tag := p.tagNames.intern(p.z.tagName())
	more := true
	n := p.newNode(tag)
	n.Attrs = p.readAttrs(tag, more)
	if p.foreign > 0 {
		p.current().appendChild(n)
		p.doc.Elements = append(p.doc.Elements, n)
		if !selfClosing {
			p.push(n)
		}
		return
	}
	if p.documentTag(n) {
		return
	}
	if selfClosing && n.flags&(fVoid|fForeign) == 0 {
		p.problem("html-self-closing", fmt.Sprintf("write <%s></%s>; only void elements such as <br> may end with />", tag, tag),
			"<%s/> does not close the element in HTML", tag)
	}
	p.context(n.flags)
	if p.bodyEnded {
		p.afterBody("<" + tag + ">")
	}
	p.implyEnds(tag, n.flags)
	p.current().appendChild(n)
	p.doc.Elements = append(p.doc.Elements, n)
	if n.flags&fVoid == 0 && !selfClosing { // a reported <div/> is taken as closed, to report no more
		p.push(n)
	}
}

func (p *parser) afterBody(what string) {
	p.problem("html-misnested", "move the content inside <body>, before </body>", "%s after </body>", what)
	p.bodyEnded = false
}

// documentTag handles html, head and body start tags.
func (p *parser) documentTag(n *Node) bool {
	d := p.doc
	switch n.Tag {
	case "html":
		if d.HTML != nil {
			p.problem("html-misnested", "remove the second <html> tag", "a second <html> start tag")
			return true
		}
		d.HTML = n
		d.Root.appendChild(n)
		p.push(n)
	case "head":
		p.ensureHTML()
		if d.Head != nil || p.current().Tag != "html" {
			p.problem("html-misnested", "keep one <head>, right after <html>", "<head> where it is not allowed")
			return true
		}
		d.Head = n
		d.HTML.appendChild(n)
		p.push(n)
	case "body":
		p.ensureHTML()
		if p.current().Tag == "head" {
			p.pop()
		}
		if d.Body != nil || p.current().Tag != "html" {
			p.problem("html-misnested", "keep one <body>, right after </head>", "<body> where it is not allowed")
			return true
		}
		p.implicitHead()
		d.Body = n
		d.HTML.appendChild(n)
		p.push(n)
	default:
		return false
	}
	d.Elements = append(d.Elements, n)
	return true
}

func (p *parser) ensureHTML() {
	if len(p.stack) == 0 && p.doc.HTML == nil {
		n := p.newNode("html")
		n.implicit = true
		p.doc.HTML = n
		p.doc.Root.appendChild(n)
		p.push(n)
	}
}

func (p *parser) implicitHead() {
	if p.doc.Head == nil {
		n := p.newNode("head")
		n.implicit = true
		p.doc.Head = n
		p.doc.HTML.appendChild(n)
	}
}

// textFlags are the flags of text, for context: none, as text belongs in
// the body.
const textFlags tagFlags = 0

// context opens the html, head and body elements that a tag or text
// implies when their tags are left out.
func (p *parser) context(flags tagFlags) {
	p.ensureHTML()
	d := p.doc
	top := p.current()
	head := flags&fHead != 0
	if top.Tag == "head" && !head {
		p.pop()
		top = p.current()
	}
	if top.Tag != "html" || d.Body != nil {
		return
	}
	if head && d.Head == nil {
		p.implicitHead()
		p.push(d.Head)
		return
	}
	if head {
		return // between </head> and <body>: kept where it is
	}
	p.implicitHead()
	n := p.newNode("body")
	n.implicit = true
	d.Body = n
	d.HTML.appendChild(n)
	p.push(n)
}

// duplicateAttrs reports attributes written twice in the current start
// tag. The tokenizer keeps only the first of each, so the raw tag is
// scanned for attribute names.
func (p *parser) duplicateAttrs(tag string) {
	names := p.names[:0]
	raw := p.raw
	i := 1
	for i < len(raw) && !isSpace(raw[i]) && raw[i] != '/' && raw[i] != '>' {
		i++ // the tag name
	}
	for i < len(raw) {
		for i < len(raw) && (isSpace(raw[i]) || raw[i] == '/') {
			i++
		}
		if i >= len(raw) || raw[i] == '>' {
			break
		}
		start := i
		for i++; i < len(raw) && !isSpace(raw[i]) && raw[i] != '/' && raw[i] != '>' && raw[i] != '='; i++ {
		}
		names = append(names, raw[start:i])
		for i < len(raw) && isSpace(raw[i]) {
			i++
		}
		if i < len(raw) && raw[i] == '=' {
			i = skipAttrValue(raw, i+1)
		}
	}
	p.names = names
	if len(names) == len(p.scratch) {
		return
	}
	for j, a := range names {
		for _, b := range names[:j] {
			if bytes.EqualFold(a, b) {
				p.problem("html-duplicate-attribute", "keep one of the attributes; browsers ignore every copy after the first",
					"<%s> has the attribute %s more than once", tag, strings.ToLower(string(a)))
				break
			}
		}
	}
}

// skipAttrValue returns the index just past the attribute value that
// starts at raw[i] (after the = sign).
func skipAttrValue(raw []byte, i int) int {
	for i < len(raw) && isSpace(raw[i]) {
		i++
	}
	if i < len(raw) && (raw[i] == '"' || raw[i] == '\'') {
		q := raw[i]
		if j := bytes.IndexByte(raw[i+1:], q); j >= 0 {
			return i + 1 + j + 1
		}
		return len(raw)
	}
	for i < len(raw) && !isSpace(raw[i]) && raw[i] != '>' {
		i++
	}
	return i
}

func isBlankBytes(b []byte) bool {
	for _, c := range b {
		if !isSpace(c) {
			return false
		}
	}
	return true
}

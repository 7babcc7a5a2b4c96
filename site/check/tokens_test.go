package check

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// xnetTokens is the reference tokenSource: x/net's tokenizer, which Parse
// used before lexTokens. The differential tests hold lexTokens to it.
type xnetTokens struct {
	z    *html.Tokenizer
	off  int
	cur  []byte
	name []byte
	more bool
	kind tokKind
}

func newXnetTokens(src []byte) *xnetTokens {
	return &xnetTokens{z: html.NewTokenizer(bytes.NewReader(src))}
}

func (x *xnetTokens) next() tokKind {
	x.off += len(x.cur)
	tt := x.z.Next()
	x.cur = x.z.Raw()
	x.name, x.more = nil, false
	switch x.kind = xnetKind(tt); x.kind {
	case tokStart, tokSelfClosing:
		x.name, x.more = x.z.TagName()
	case tokEnd:
		x.name, _ = x.z.TagName()
	}
	return x.kind
}

func (x *xnetTokens) offset() int             { return x.off }
func (x *xnetTokens) raw() []byte             { return x.cur }
func (x *xnetTokens) text() []byte            { return x.z.Text() }
func (x *xnetTokens) tagName() []byte         { return x.name }
func (x *xnetTokens) attrs(dst []Attr) []Attr { return xnetAttrs(x.z, x.more, dst) }
func (x *xnetTokens) noDuplicates() bool      { return false }

// dump writes a document's tree, positions and problems, to compare two
// parses of the same HTML.
func dump(d *Document) string {
	var b strings.Builder
	var walk func(n *Node, depth int)
	walk = func(n *Node, depth int) {
		if n.Tag == "" {
			fmt.Fprintf(&b, "%*s%q\n", depth, "", n.Text)
		} else {
			fmt.Fprintf(&b, "%*s<%s> %d:%d implicit=%v %v\n", depth, "", n.Tag, n.Line, n.Col, n.implicit, n.Attrs)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, depth+1)
		}
	}
	walk(d.Root, 0)
	for _, e := range d.Elements {
		fmt.Fprintf(&b, "element %s %d:%d\n", e.Tag, e.Line, e.Col)
	}
	for _, p := range d.Problems {
		fmt.Fprintf(&b, "problem %d:%d %s %s\n", p.Line, p.Col, p.Rule, p.Message)
	}
	return b.String()
}

// ParseWithXnet and DumpDocument let the external tests hold Parse to
// the x/net reference.
var (
	ParseWithXnet = func(src []byte) *Document { return parseTokens(src, string(src), newXnetTokens(src), nil) }
	DumpDocument  = dump
)

// Parse gives what the x/net tokenizer gave on the parser's own cases,
// valid and invalid, and on hand-picked awkward HTML.
func TestParseMatchesXnetCases(t *testing.T) {
	for i, c := range parseCases {
		src := []byte(c)
		want := dump(ParseWithXnet(src))
		if got := dump(Parse(src)); got != want {
			t.Errorf("case %d %q:\n--- got\n%s--- want (x/net)\n%s", i, c, got, want)
		}
		if got := dump(parseWithLexer(src)); got != want {
			t.Errorf("case %d %q: lexTokens:\n--- got\n%s--- want (x/net)\n%s", i, c, got, want)
		}
	}
}

// parseWithLexer parses src with lexTokens alone, which Parse hands what
// scanTokens does not read.
func parseWithLexer(src []byte) *Document {
	str := string(src)
	return parseTokens(src, str, newLexTokens(src, str), nil)
}

// parseCases are hand-picked awkward HTML, for TestParseMatchesXnetCases
// and as seeds of FuzzParse.
var parseCases = []string{
	`<!DOCTYPE html><P Class=x class=y id='a&amp;b' checked>Fish &amp; chips<BR/><title>A &amp; B</title>`,
	`<script>if (a<b) x='&amp;'</script><style>p>a{}</style><svg viewBox="0 0 1 1"><circle r=1 /><text>a&amp;b</text></svg>`,
	`<a href="?a=1&copy=2&amp;b=3&not">x &copy y &notit; z</a><img alt=a&amp;b src=x>`,
	"<p>line\r\nbreak\rhere</p><textarea>a &lt; b\r\n</textarea><pre>\n\nx</pre>",
	`<math><mi>x</mi></math><p>after`,
	`<!-- c --><!x><?xml x?><p>bogus</p></br></p></>`,
	`<div a="unterminated`,
	`<p title='x' title="y" TITLE=z>dup</p>`,
	`<noscript><p>no <a href=/x>js</a></p></noscript>`,
	`<iframe src=x><p>raw</p></iframe><xmp><b>raw</b></xmp>`,
	"<p>\x00nul</p>",
	`<table><tr><td>1<td>2</table><select><option>a<option>b</select>`,
	`<a href="x"<b>odd</b>`,
	`<img src="a.png"alt="no space">`,
	`<P>UPPER</P><SVG><Path D="M0"/></SVG>`,
	// Repeated attributes right after a tag without (the lexer's
	// shortcut must not carry over to queued or x/net tokens).
	`<p class=a><svg><path d=1 d=2/></svg><p id=x id=y>`,
	`<a href=x><img src="a&#43;b" alt=1 alt=2><b c=1 C=2>`,
	`<p title=x><noscript a=1 a=2>x</noscript><i a=1 b=2 a=3>`,
	`<link href="/x.css" integrity="sha384-a&#43;b&#x2F;c&amp;d&lt;&gt;&quot;&apos;" rel=x>`,
	`<a href="?a=1&amp;copy=2&#43" title="&#0;&#x110000;&#128;">x</a>`,
	// What scanTokens reads itself, and what it hands over to lexTokens.
	`<!DOCTYPE html><!-- a --><!----><!--><!---><p>x<!-- b --!> c --><!-- d --->`,
	`<!doctype HTML><!DOCTYPE html5><!doctype  html><html lang=en-GB><title>A &amp; B</title><textarea>a &lt;b&gt;</textarea>`,
	`<script type=application/ld+json>{"a":"</p>"}</script ><style>p>a{}</style><script></script><script>a</SCRIPT>`,
	`<p a = "x" b ="y" c= z><p a="x"b><input disabled/><input disabled /><a href=x/><a href=x/y>`,
	"a < b <3 <= c <\n<p>x</p\n><p>y</p >z</0></><p\tclass=a\nid=b>t</p>",
	"<p title=\"a\r\nb\" class='c\nd'>x</p><p a=\"x\" a='y' A=z>",
	`<P>x</P><aB>y</aB><a-b>z</a-b><h1>t</h1><p_x>u<svg><path d=1 /></svg><math></math>`,
	`<p a=&amp; b="&#43;&#x2B;&quot;" c="&copy" d="&foo;" e='&lt;&gt;'>`,
	`<noscript><p>a</p></noscript><iframe>x</iframe><xmp>y</xmp><noembed>z</noembed><plaintext>w`,
	`<title/>x<script/>y<p/>`,
	`<svg class=i aria-hidden=true viewBox="0 0 24 24" VIEWBOX=x><title>a &amp; b</title><path d="M0 0"/><circle r=1 /></svg>`,
	`<math><mi mathVariant=bold>x</mi></math><svg><foreignObject><p>x</p></foreignObject><![CDATA[y]]></svg>`,
	`<sCript></sCript>&ac;0<style></style>&amp;<script></script>&lt;`,
	`<div><p>unclosed`,
	`<p a="unterminated`, `<p a=`, `<p a`, `<p `, `<!--`, `</p`, `<!doctype html`,
}

// FuzzParse holds Parse (scanTokens, and lexTokens alone) to x/net's tokenizer on any input: the same tree,
// positions and problems, and never a panic.
func FuzzParse(f *testing.F) {
	for _, c := range []string{
		`<!doctype html><html lang=en><head><title>x</title></head><body><p class=a>x &amp; y<br/></p></body></html>`,
		`<svg><path d="M0"/></svg><math><mi>x</mi></math><noscript><a href=x>y</a></noscript>`,
		`<a href="?a=1&copy=2">x</a><script>a<b</script><style>p>a{}</style><textarea> a </textarea>`,
		`<p a=1 a=2 b='x'c="y"/>`, `</>`, `<!x>`, `<div a="`, "<p>\r\n</p>",
	} {
		f.Add([]byte(c))
	}
	for _, c := range parseCases {
		f.Add([]byte(c))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		want := dump(ParseWithXnet(src))
		if got := dump(Parse(src)); got != want {
			t.Errorf("%q:\n--- got\n%s--- want (x/net)\n%s", src, got, want)
		}
		if got := dump(parseWithLexer(src)); got != want {
			t.Errorf("%q: lexTokens:\n--- got\n%s--- want (x/net)\n%s", src, got, want)
		}
	})
}

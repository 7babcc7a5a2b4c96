package site

import (
	"bytes"
	"html"
	"slices"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	goldhtml "github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// highlightStyle is the chroma style of the written stylesheet. Its colours
// keep at least 4.5:1 contrast on a white background.
const highlightStyle = "vs"

var stateKey = parser.NewContextKey()

// newMarkdown builds the one goldmark instance a build uses. It is safe
// for concurrent use; per-page state travels in the parser context.
func newMarkdown(rawHTML bool) goldmark.Markdown {
	opts := []renderer.Option{}
	if rawHTML {
		opts = append(opts, goldhtml.WithUnsafe())
	}
	return goldmark.New(
		goldmark.WithExtensions(
			extension.GFM, extension.Footnote, extension.DefinitionList, extension.Typographer,
		),
		goldmark.WithParserOptions(
			parser.WithAutoHeadingID(),
			parser.WithAttribute(),
			parser.WithASTTransformers(util.Prioritized(pageTransformer{}, 1000)),
			parser.WithInlineParsers(util.Prioritized(budgetCheck{}, 0)),
			parser.WithBlockParsers(util.Prioritized(blockTrigger{}, 0)),
		),
		goldmark.WithRendererOptions(append(opts,
			renderer.WithNodeRenderers(util.Prioritized(&blockRenderer{raw: rawHTML, hl: newHighlighter()}, 100)))...),
	)
}

// blockRenderer renders fenced code with chroma's CSS classes, and raw
// HTML as visible, escaped text unless the site opted in to raw HTML.
type blockRenderer struct {
	raw bool
	hl  *highlighter
}

func (r *blockRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindFencedCodeBlock, r.renderCode)
	if !r.raw {
		reg.Register(ast.KindHTMLBlock, r.renderHTMLBlock)
		reg.Register(ast.KindRawHTML, r.renderRawHTML)
	}
}

func (r *blockRenderer) renderCode(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	n := node.(*ast.FencedCodeBlock)
	var code strings.Builder
	for i := range n.Lines().Len() {
		seg := n.Lines().At(i)
		code.Write(seg.Value(src))
	}
	lang := ""
	if n.Info != nil {
		lang, _, _ = strings.Cut(string(n.Language(src)), "{")
		lang = strings.TrimSpace(lang)
	}
	r.hl.write(w, lang, code.String())
	return ast.WalkSkipChildren, nil
}

func (r *blockRenderer) renderHTMLBlock(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*ast.HTMLBlock)
	if entering {
		_, _ = w.WriteString("<p>")
		for i := range n.Lines().Len() {
			seg := n.Lines().At(i)
			_, _ = w.WriteString(html.EscapeString(string(seg.Value(src))))
		}
	} else {
		if n.HasClosure() {
			_, _ = w.WriteString(html.EscapeString(string(n.ClosureLine.Value(src))))
		}
		_, _ = w.WriteString("</p>\n")
	}
	return ast.WalkContinue, nil
}

func (r *blockRenderer) renderRawHTML(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		n := node.(*ast.RawHTML)
		for i := range n.Segments.Len() {
			seg := n.Segments.At(i)
			_, _ = w.WriteString(html.EscapeString(string(seg.Value(src))))
		}
	}
	return ast.WalkSkipChildren, nil
}

// pageTransformer resolves links and images and records headings, using
// the renderState in the parser context.
type pageTransformer struct{}

func (pageTransformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	st, _ := pc.Get(stateKey).(*renderState)
	if st == nil {
		return
	}
	src := reader.Source()
	var unwrap []ast.Node
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			st.heading(n, src)
		case *ast.Link:
			if d, ok := st.link(string(n.Destination), n.Pos(), false); ok {
				n.Destination = []byte(d)
			} else {
				unwrap = append(unwrap, n)
			}
		case *ast.Image:
			if d, ok := st.link(string(n.Destination), n.Pos(), true); ok {
				n.Destination = []byte(d)
				st.imageAlt(n, src)
			} else {
				unwrap = append(unwrap, n)
			}
		case *ast.AutoLink:
			if n.AutoLinkType == ast.AutoLinkURL && isDangerous(string(n.URL(src))) {
				unwrap = append(unwrap, n)
			}
		}
		return ast.WalkContinue, nil
	})
	if st.keepProse {
		st.prose = proseBlocks(doc, src, &st.lines)
	}
	for _, n := range unwrap {
		unwrapNode(n, src)
	}
	if st.page.Layout == "faqs" {
		st.questions = questions(doc, src)
	}
}

// unwrapNode replaces a link or image with its text, so an unsafe URL
// never reaches the output.
func unwrapNode(n ast.Node, src []byte) {
	parent := n.Parent()
	if parent == nil {
		return
	}
	if _, ok := n.(*ast.Link); ok {
		for c := n.FirstChild(); c != nil; {
			next := c.NextSibling()
			parent.InsertBefore(parent, n, c)
			c = next
		}
	} else {
		parent.InsertBefore(parent, n, ast.NewString([]byte(nodeText(n, src))))
	}
	parent.RemoveChild(parent, n)
}

func (st *renderState) heading(n *ast.Heading, src []byte) {
	id, _ := n.AttributeString("id")
	idb, _ := id.([]byte)
	st.ids = append(st.ids, string(idb))
	if (n.Level == 2 || n.Level == 3) && len(idb) > 0 {
		st.toc = append(st.toc, Heading{Level: n.Level, ID: string(idb), Text: nodeText(n, src)})
	}
}

// questions pairs each level-2 heading with the text up to the next
// heading of level 2 or above.
func questions(doc ast.Node, src []byte) []Question {
	var qs []Question
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		h, ok := n.(*ast.Heading)
		if !ok || h.Level != 2 {
			continue
		}
		id, _ := h.AttributeString("id")
		idb, _ := id.([]byte)
		var answer []string
		for m := n.NextSibling(); m != nil; m = m.NextSibling() {
			if mh, ok := m.(*ast.Heading); ok && mh.Level <= 2 {
				break
			}
			if t := strings.TrimSpace(nodeText(m, src)); t != "" {
				answer = append(answer, t)
			}
		}
		qs = append(qs, Question{ID: string(idb), Question: nodeText(h, src), Answer: strings.Join(answer, "\n\n")})
	}
	return qs
}

// nodeText is the plain text of a node and its descendants, with
// typographic replacements applied.
func nodeText(n ast.Node, src []byte) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch c := c.(type) {
		case *ast.Text:
			b.Write(c.Segment.Value(src))
			if c.SoftLineBreak() || c.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(c.Value)
		case *ast.CodeSpan:
			for g := c.FirstChild(); g != nil; g = g.NextSibling() {
				if t, ok := g.(*ast.Text); ok {
					b.Write(t.Segment.Value(src))
				}
			}
			return ast.WalkSkipChildren, nil
		case *ast.AutoLink:
			b.Write(c.Label(src))
		case *ast.RawHTML, *ast.HTMLBlock:
			return ast.WalkSkipChildren, nil
		case *ast.Paragraph, *ast.ListItem:
			if b.Len() > 0 && c.PreviousSibling() != nil {
				b.WriteByte(' ')
			}
		}
		return ast.WalkContinue, nil
	})
	return cleanText(b.String())
}

// cleanText applies typographic replacements to s, collapses its runs of
// white space to one space, trims it and decodes its entities. Most
// headings need none of that and are returned as they are.
func cleanText(s string) string {
	if isCleanText(s) {
		return s
	}
	return html.UnescapeString(strings.Join(strings.Fields(typographic(s)), " "))
}

// isCleanText reports whether cleanText would leave s as it is: ASCII
// with no entity, no white space but single spaces between words, and
// none at either end.
func isCleanText(s string) bool {
	if s == "" || s[0] == ' ' || s[len(s)-1] == ' ' {
		return s == ""
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= 0x80, c == '&', c == '\t', c == '\n', c == '\v', c == '\f', c == '\r':
			return false
		case c == ' ' && s[i+1] == ' ':
			return false
		}
	}
	return true
}

var typoReplacer = strings.NewReplacer("&ldquo;", "“", "&rdquo;", "”", "&lsquo;", "‘", "&rsquo;", "’", "&ndash;", "–", "&mdash;", "—", "&hellip;", "…", "&laquo;", "«", "&raquo;", "»")

func typographic(s string) string { return typoReplacer.Replace(s) }

// lineIndex maps byte offsets of a body to file lines.
type lineIndex struct {
	body  []byte
	first int // file line of body[0]
	nl    []int
}

func (li *lineIndex) line(pos int) int {
	if pos < 0 {
		return li.first
	}
	if li.nl == nil {
		li.nl = []int{}
		for i := 0; ; {
			j := bytes.IndexByte(li.body[i:], '\n')
			if j < 0 {
				break
			}
			li.nl = append(li.nl, i+j)
			i += j + 1
		}
	}
	n, _ := slices.BinarySearch(li.nl, pos)
	return li.first + n
}

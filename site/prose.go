package site

import (
	"bytes"
	"context"
	"html"
	"strings"
	"time"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// A ProseBlock is a run of prose in a page's Markdown as goldmark parsed
// it: a paragraph, the text of a tight list item, a heading or a
// definition term, wherever it sits (in block quotes, lists, footnotes).
// Code, HTML blocks and tables are not prose. Its lines hold what a
// reader sees: emphasis marks, code spans, images, autolinks, footnote
// references and raw HTML are left out; links keep their text.
type ProseBlock struct {
	Heading int    // 1 to 6 for a heading, else 0
	Line    int    // the file line the block starts on
	Title   string // a heading's whole text, code spans included
	Lines   []ProseLine
}

// A ProseLine is the prose of a block on one line of the source file.
type ProseLine struct {
	Line int
	Text string
}

// proseBlocks returns the prose blocks of a parsed Markdown body, with the
// file lines that li gives for its byte offsets.
func proseBlocks(doc ast.Node, src []byte, li *lineIndex) []ProseBlock {
	var out []ProseBlock
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n.Kind() {
		case ast.KindParagraph, ast.KindTextBlock, ast.KindHeading, east.KindDefinitionTerm:
			if b, ok := proseBlock(n, src, li); ok {
				out = append(out, b)
			}
			return ast.WalkSkipChildren, nil
		case ast.KindCodeBlock, ast.KindFencedCodeBlock, ast.KindHTMLBlock, east.KindTable:
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return out
}

// proseBlock collects the text of one block whose children are inline.
// It reports false for a block with no prose, such as a lone image.
func proseBlock(n ast.Node, src []byte, li *lineIndex) (ProseBlock, bool) {
	var b ProseBlock
	if h, ok := n.(*ast.Heading); ok {
		b.Heading = h.Level
		b.Title = nodeText(h, src)
	}
	var cur strings.Builder
	line := 0
	flush := func() {
		if t := strings.TrimSpace(cur.String()); t != "" {
			b.Lines = append(b.Lines, ProseLine{Line: line, Text: t})
		}
		cur.Reset()
	}
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering || c == n {
			return ast.WalkContinue, nil
		}
		switch c := c.(type) {
		case *ast.Text:
			if l := li.line(c.Segment.Start); l != line {
				flush()
				line = l
			}
			writeInline(&cur, c.Segment.Value(src))
			if c.SoftLineBreak() || c.HardLineBreak() {
				cur.WriteByte(' ')
			}
		case *ast.String:
			cur.WriteString(html.UnescapeString(typographic(string(c.Value))))
		case *ast.CodeSpan, *ast.Image, *ast.AutoLink, *ast.RawHTML, *east.FootnoteLink, *east.TaskCheckBox:
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	flush()
	if len(b.Lines) == 0 {
		return b, false
	}
	b.Line = b.Lines[0].Line
	if n.Lines().Len() > 0 {
		b.Line = li.line(n.Lines().At(0).Start)
	}
	return b, true
}

// inlineText is a text segment as a reader sees it: backslash escapes
// and character references resolved.
func inlineText(v []byte) string {
	return html.UnescapeString(string(util.UnescapePunctuations(v)))
}

// writeInline writes inlineText(v) to b, and v as it is when it has
// neither escapes nor references (most text), without copying it first.
func writeInline(b *strings.Builder, v []byte) {
	if bytes.IndexByte(v, '\\') < 0 && bytes.IndexByte(v, '&') < 0 {
		b.Write(v)
		return
	}
	b.WriteString(inlineText(v))
}

// proseTimeout bounds PageProse's parse of one page, which the build
// already converted within its own time limit.
const proseTimeout = 10 * time.Second

// PageProse is the prose of a page's Markdown, block by block: what the
// build kept (with KeepGoing), else the Markdown read and parsed again as
// the build parses it. The preview's check panel asks for it one page at a
// time instead of keeping the prose of every page. It reads the page as
// the last build left it: do not call it while a build runs. It gives
// nothing for a page whose file changed since that build.
func (s *Site) PageProse(p *Page) (prose []ProseBlock) {
	if p.Prose != nil || p.src == nil || s.fsys == nil {
		return p.Prose
	}
	body, rerr := readBody(s.fsys, p.Source, p.src)
	if rerr != nil || len(body) == 0 {
		return nil
	}
	st := &renderState{page: p, site: s, lines: lineIndex{body: body, first: p.src.bodyLine}, keepProse: true}
	pc := parser.NewContext(parser.WithIDs(newHeadingIDs()))
	pc.Set(stateKey, st)
	pc.Set(budgetKey, deadlineStop(context.Background(), time.Now().Add(proseTimeout)))
	var err error
	func() {
		defer recoverStop(&err)
		newMarkdown(s.RawHTML).Parser().Parse(text.NewReader(body), parser.WithContext(pc))
	}()
	if err != nil {
		return nil
	}
	return st.prose
}

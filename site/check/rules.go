package check

import (
	"net/url"
	"strings"
)

// pageRules are the built-in per-page rules, in the order they run.
func pageRules(opts Options) []Rule {
	return []Rule{
		htmlRule{},
		rule{"html-lang", checkLang},
		rule{"page-title", checkTitle},
		rule{"h1", checkH1},
		rule{"heading-order", checkHeadingOrder},
		rule{"img-alt", checkImgAlt},
		rule{"img-alt-empty", checkMarkdownAlt},
		rule{"link-name", checkLinkName},
		rule{"button-name", checkButtonName},
		rule{"link-text", checkLinkText},
		rule{"ambiguous-link-text", checkAmbiguousLinks},
		rule{"table-header", checkTableHeaders},
		rule{"duplicate-id", checkDuplicateIDs},
		rule{"form-label", checkFormLabels},
		rule{"iframe-title", checkIframeTitle},
		rule{"tabindex", checkTabindex},
		rule{"skip-link", checkSkipLink},
		reviewRule{now: opts.Now},
		rule{"missing-description", checkDescription},
		rule{"change-note-missing", checkChangeNote},
		rule{"plain-english", checkPlainEnglish},
		rule{"translation", checkTranslations},
	}
}

// rule is a Rule made of a name and a function.
type rule struct {
	name  string
	check func(p *Page, d *Document, report func(Finding))
}

func (r rule) Name() string                        { return r.name }
func (r rule) Check(p *Page, report func(Finding)) { r.check(p, p.Doc(), report) }

var _ Rule = rule{}

// htmlRule reports the problems Parse found in the page's HTML, each with
// its own rule id (html-unclosed, html-misnested, html-stray-end-tag,
// html-duplicate-attribute, html-self-closing, html-doctype).
type htmlRule struct{}

func (htmlRule) Name() string { return "html" }
func (htmlRule) Check(p *Page, report func(Finding)) {
	for _, f := range p.Doc().Problems {
		report(f)
	}
}

// at is a finding placed where element n comes from: the Markdown line of
// a link, image or heading written in Markdown, else n's place in the
// output file.
func (p *Page) at(n *Node) Finding {
	d := p.Doc()
	lines := &d.mdLinks
	trace := traceLinks
	if headingLevel(n.Tag) > 0 {
		lines, trace = &d.mdHeads, traceHeadings
	}
	if *lines == nil {
		*lines = trace(d, p)
	}
	if line, ok := (*lines)[n]; ok {
		return Finding{File: p.Source, Line: line}
	}
	return Finding{Line: n.Line, Col: n.Col}
}

// traceLinks matches the links and images of a page's HTML with those
// written in its Markdown. Only elements inside <main> are matched when
// the page has one, since the layout's navigation often links to the
// same places. The n-th element with a URL takes the line of the n-th
// Markdown link with that URL (the last one when there are fewer).
func traceLinks(d *Document, p *Page) map[*Node]int {
	if p.Source == "" {
		return map[*Node]int{}
	}
	// The lines of each URL's links, in order: the first in a group of
	// its own, the others (few) in more; seen counts the elements taken.
	type group struct {
		first, seen int
		more        []int
	}
	index := make(map[mdKey]int, len(p.Links))
	groups := make([]group, 0, len(p.Links))
	for _, l := range p.Links {
		k := mdKey{unescapeURL(l.URL), l.Image}
		if i, ok := index[k]; ok {
			groups[i].more = append(groups[i].more, l.Line)
			continue
		}
		index[k] = len(groups)
		groups = append(groups, group{first: l.Line})
	}
	out := make(map[*Node]int, len(groups))
	if len(groups) == 0 {
		return out
	}
	for _, n := range contentElements(d) {
		var k mdKey
		switch n.Tag {
		case "a":
			k = mdKey{unescapeURL(n.AttrOr("href")), false}
		case "img":
			k = mdKey{unescapeURL(n.AttrOr("src")), true}
		default:
			continue
		}
		i, ok := index[k]
		if !ok {
			continue
		}
		g := &groups[i]
		line := g.first
		if j := min(g.seen, len(g.more)); j > 0 {
			line = g.more[j-1]
		}
		g.seen++
		out[n] = line
	}
	return out
}

// traceHeadings matches the headings of a page's HTML (inside <main>
// when it has one) with those written in its Markdown, by level and text.
func traceHeadings(d *Document, p *Page) map[*Node]int {
	out := map[*Node]int{}
	if p.Source == "" {
		return out
	}
	heads := markdownHeadings(p)
	for _, n := range contentElements(d) {
		if lv := headingLevel(n.Tag); lv > 0 {
			if line := heads.take(lv, n.TextContent()); line > 0 {
				out[n] = line
			}
		}
	}
	return out
}

// contentElements are the elements inside <main>, or every element when
// the page has no main element.
func contentElements(d *Document) []*Node {
	var out []*Node
	for _, n := range d.Elements {
		if n.Tag == "main" && n.Closest("main") == n {
			if out == nil {
				out = make([]*Node, 0, len(d.Elements))
			}
			out = appendElements(out, n)
		}
	}
	if out == nil {
		return d.Elements
	}
	return out
}

// appendElements appends n and the elements beneath it in document order
// (as n.Walk visits them) to out.
func appendElements(out []*Node, n *Node) []*Node {
	out = append(out, n)
	for c := n.FirstChild; c != nil; {
		if c.Tag != "" {
			out = append(out, c)
		}
		if c.FirstChild != nil {
			c = c.FirstChild
			continue
		}
		for c != n && c.NextSibling == nil {
			c = c.Parent
		}
		if c == n {
			break
		}
		c = c.NextSibling
	}
	return out
}

// unescapeURL decodes the %-escapes of a URL path; one it cannot decode
// stays as written. A URL without % is as written (the common case, for
// which url.PathUnescape would scan it to say so).
func unescapeURL(s string) string {
	if strings.IndexByte(s, '%') < 0 {
		return s
	}
	if u, err := url.PathUnescape(s); err == nil {
		return u
	}
	return s
}

// headingIndex finds the Markdown line of a heading by its level and text.
type headingIndex map[string][]int

func markdownHeadings(p *Page) headingIndex {
	idx := headingIndex{}
	for _, b := range p.Prose {
		if b.Heading > 0 {
			k := headingKey(b.Heading, b.Title)
			idx[k] = append(idx[k], b.Line)
		}
	}
	return idx
}

// take returns the line of the next unmatched heading, or 0.
func (h headingIndex) take(level int, text string) int {
	k := headingKey(level, text)
	ls := h[k]
	if len(ls) == 0 {
		return 0
	}
	h[k] = ls[1:]
	return ls[0]
}

// headingKey keeps only the letters and digits of a heading, so that the
// typographer's quotes and dashes do not matter.
func headingKey(level int, text string) string {
	var b strings.Builder
	b.WriteByte(byte('0' + level))
	for _, r := range strings.ToLower(text) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r > 127 && r != '’' && r != '‘' && r != '“' && r != '”' && r != '–' && r != '—' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

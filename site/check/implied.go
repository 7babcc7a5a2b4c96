package check

import "fmt"

// The tree construction rules for elements whose end tags may be left
// out, simplified from the HTML standard: enough that valid minified
// HTML parses without problems and that what a browser would repair is
// reported.

var (
	listItem  = setOf("li")
	defItem   = setOf("dd", "dt")
	paragraph = setOf("p")
	cells     = setOf("td", "th")
	rows      = setOf("tr")
	sections  = setOf("tbody", "thead", "tfoot")
	tableHead = setOf("caption", "colgroup")
	rubyText  = setOf("rb", "rp", "rt")
)

// implyEnds closes the open elements that a start tag ends.
func (p *parser) implyEnds(tag string) {
	by := "<" + tag + ">"
	switch {
	case tag == "li":
		p.closeListItem(listItem, by)
		p.closeP(by)
	case tag == "dd" || tag == "dt":
		p.closeListItem(defItem, by)
		p.closeP(by)
	case headingLevel(tag) > 0:
		p.closeP(by)
		if cur := p.current(); headingLevel(cur.Tag) > 0 {
			p.misnested(cur, by)
			p.pop()
		}
	case closesP[tag]:
		p.closeP(by)
	case tag == "option":
		p.popIf("option")
	case tag == "optgroup":
		p.popIf("option")
		p.popIf("optgroup")
	case rubyText[tag] || tag == "rtc":
		for rubyText[p.current().Tag] {
			p.pop()
		}
	case cells[tag]:
		p.closeNearest(cells, tableScopeStop, by, optionalEnd)
	case tag == "tr":
		p.closeNearest(cells, tableScopeStop, by, optionalEnd)
		p.closeNearest(rows, tableScopeStop, by, optionalEnd)
	case sections[tag] || tableHead[tag]:
		p.closeNearest(cells, tableScopeStop, by, optionalEnd)
		p.closeNearest(rows, tableScopeStop, by, optionalEnd)
		p.closeNearest(sections, tableScopeStop, by, optionalEnd)
		p.closeNearest(tableHead, tableScopeStop, by, optionalEnd)
	}
	if cur := p.current(); cur.Tag == "colgroup" && tag != "col" && tag != "template" {
		p.pop()
	}
}

func (p *parser) popIf(tag string) {
	if p.current().Tag == tag {
		p.pop()
	}
}

// closeP closes an open p element, as a block start tag or </p> does.
func (p *parser) closeP(by string) bool {
	return p.closeNearest(paragraph, buttonScopeStop, by, impliedEnd)
}

// closeListItem closes the li (or dd or dt) that a new one ends: the
// nearest one open, unless a special element other than address, div
// and p comes first.
func (p *parser) closeListItem(want tagSet, by string) {
	for i := len(p.stack) - 1; i >= 0; i-- {
		t := p.stack[i].Tag
		if want[t] {
			p.popTo(i, by, impliedEnd)
			return
		}
		if special[t] && t != "address" && t != "div" && t != "p" {
			return
		}
	}
}

// closeNearest pops the stack down to and including the nearest open
// element in want, if one comes before any element in stop. Elements
// popped on the way that are not in allowed are reported as misnested.
func (p *parser) closeNearest(want, stop tagSet, by string, allowed tagSet) bool {
	return p.closeFirst(func(t string) bool { return want[t] }, stop, by, allowed)
}

// closeTag is closeNearest for one tag.
func (p *parser) closeTag(tag string, stop tagSet, by string, allowed tagSet) bool {
	return p.closeFirst(func(t string) bool { return t == tag }, stop, by, allowed)
}

func (p *parser) closeFirst(want func(string) bool, stop tagSet, by string, allowed tagSet) bool {
	for i := len(p.stack) - 1; i >= 0; i-- {
		t := p.stack[i].Tag
		if want(t) {
			p.popTo(i, by, allowed)
			return true
		}
		if stop[t] {
			return false
		}
	}
	return false
}

// popTo pops the stack down to and including index i.
func (p *parser) popTo(i int, by string, allowed tagSet) {
	for len(p.stack) > i+1 {
		if n := p.pop(); !allowed[n.Tag] {
			p.misnested(n, by)
		}
	}
	p.pop()
}

func (p *parser) misnested(n *Node, by string) {
	p.problem("html-misnested", fmt.Sprintf("close <%s> with </%s> before %s", n.Tag, n.Tag, by),
		"<%s> (opened at %d:%d) is still open at %s", n.Tag, n.Line, n.Col, by)
	if p.endedEarly == nil {
		p.endedEarly = make(map[string]int)
	}
	p.endedEarly[n.Tag]++
}

// end handles an end tag.
func (p *parser) end(tag string) {
	by := "</" + tag + ">"
	if p.foreign > 0 {
		if !p.closeTag(tag, nil, by, nil) {
			p.stray(tag)
		}
		return
	}
	var ok bool
	switch {
	case voidTags[tag]:
		p.problem("html-stray-end-tag", fmt.Sprintf("remove </%s>; <%s> has no end tag", tag, tag), "end tag </%s> of a void element", tag)
		return
	case tag == "p":
		ok = p.closeP(by)
	case tag == "li":
		ok = p.closeNearest(listItem, listScopeStop, by, impliedEnd)
	case tag == "dd" || tag == "dt":
		ok = p.closeTag(tag, scopeStop, by, impliedEnd)
	case tag == "body" || tag == "html":
		ok = p.endDocument(tag, by)
	case tag == "head":
		ok = p.current().Tag == "head"
		if ok {
			p.pop()
		}
	case cells[tag] || rows[tag] || sections[tag] || tableHead[tag] || tag == "table":
		ok = p.closeTag(tag, tableScopeStop, by, optionalEnd)
	default:
		ok = p.closeTag(tag, scopeStop, by, optionalEnd)
	}
	if !ok {
		p.stray(tag)
	}
}

// endDocument handles </body> and </html>: every element still open
// inside must be one whose end tag may be left out. The body and html
// elements stay open, as in a browser.
func (p *parser) endDocument(tag, by string) bool {
	keep := -1
	for i, n := range p.stack {
		if n.Tag == tag {
			keep = i
		}
	}
	if keep < 0 {
		return false
	}
	if tag == "html" && p.doc.Body != nil {
		for i, n := range p.stack {
			if n == p.doc.Body {
				keep = i
			}
		}
	}
	for len(p.stack) > keep+1 {
		if n := p.pop(); !optionalEnd[n.Tag] {
			p.misnested(n, by)
		}
	}
	p.bodyEnded = true
	return true
}

func (p *parser) stray(tag string) {
	if p.endedEarly[tag] > 0 {
		p.endedEarly[tag]--
		return
	}
	p.problem("html-stray-end-tag", fmt.Sprintf("remove </%s>, or add the <%s> it should close", tag, tag),
		"end tag </%s> without an open <%s>", tag, tag)
}

// eof closes what is still open at the end of the file.
func (p *parser) eof() {
	for len(p.stack) > 0 {
		n := p.pop()
		if !optionalEnd[n.Tag] {
			p.doc.Problems = append(p.doc.Problems, Finding{
				Line: n.Line, Col: n.Col, Rule: "html-unclosed",
				Message: fmt.Sprintf("<%s> is never closed", n.Tag),
				Fix:     fmt.Sprintf("add </%s> where the element should end", n.Tag),
			})
		}
	}
	if !p.doctype {
		p.doc.Problems = append(p.doc.Problems, Finding{
			Line: 1, Col: 1, Rule: "html-doctype",
			Message: "the page does not start with <!DOCTYPE html>, so browsers show it in quirks mode",
			Fix:     "start the layout with <!DOCTYPE html>",
		})
	}
	if p.doc.HTML == nil {
		p.ensureHTML()
		p.stack = p.stack[:0]
	}
	p.implicitHead()
	if p.doc.Body == nil {
		n := p.newNode("body")
		n.implicit = true
		p.doc.Body = n
		p.doc.HTML.appendChild(n)
	}
}

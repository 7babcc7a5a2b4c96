package check

import "fmt"

// The tree construction rules for elements whose end tags may be left
// out, simplified from the HTML standard: enough that valid minified
// HTML parses without problems and that what a browser would repair is
// reported.

// cause is the tag that closes elements: a start tag, or an end tag.
type cause struct {
	tag string
	end bool
}

func (c cause) String() string {
	if c.end {
		return "</" + c.tag + ">"
	}
	return "<" + c.tag + ">"
}

// implyEnds closes the open elements that a start tag ends.
func (p *parser) implyEnds(tag string, f tagFlags) {
	by := cause{tag: tag}
	switch {
	case f&fLI != 0:
		p.closeListItem(fLI, by)
		p.closeP(by)
	case f&fDefItem != 0:
		p.closeListItem(fDefItem, by)
		p.closeP(by)
	case headingLevel(tag) > 0:
		p.closeP(by)
		if cur := p.current(); headingLevel(cur.Tag) > 0 {
			p.misnested(cur, by)
			p.pop()
		}
	case f&fClosesP != 0:
		p.closeP(by)
	case tag == "option":
		p.popIf("option")
	case tag == "optgroup":
		p.popIf("option")
		p.popIf("optgroup")
	case f&fRuby != 0 || tag == "rtc":
		for p.current().flags&fRuby != 0 {
			p.pop()
		}
	case f&fCell != 0:
		p.closeFirst(fCell, "", fTableScope, by, fOptionalEnd)
	case f&fRow != 0:
		p.closeFirst(fCell, "", fTableScope, by, fOptionalEnd)
		p.closeFirst(fRow, "", fTableScope, by, fOptionalEnd)
	case f&(fSection|fTableHead) != 0:
		p.closeFirst(fCell, "", fTableScope, by, fOptionalEnd)
		p.closeFirst(fRow, "", fTableScope, by, fOptionalEnd)
		p.closeFirst(fSection, "", fTableScope, by, fOptionalEnd)
		p.closeFirst(fTableHead, "", fTableScope, by, fOptionalEnd)
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
func (p *parser) closeP(by cause) bool {
	if p.openP == 0 {
		return false // no p to find: most block start tags
	}
	return p.closeFirst(fP, "", fButtonScope, by, fImpliedEnd)
}

// closeListItem closes the li (or dd or dt) that a new one ends: the
// nearest one open, unless a special element other than address, div
// and p comes first.
func (p *parser) closeListItem(want tagFlags, by cause) {
	for i := len(p.stack) - 1; i >= 0; i-- {
		n := p.stack[i]
		if n.flags&want != 0 {
			p.popTo(i, by, fImpliedEnd)
			return
		}
		if n.flags&fSpecial != 0 && n.Tag != "address" && n.Tag != "div" && n.Tag != "p" {
			return
		}
	}
}

// closeFirst pops the stack down to and including the nearest open
// element that is in want (or is the tag wantTag), if one comes before
// any element in stop. Elements popped on the way that are not in allowed
// are reported as misnested.
func (p *parser) closeFirst(want tagFlags, wantTag string, stop tagFlags, by cause, allowed tagFlags) bool {
	for i := len(p.stack) - 1; i >= 0; i-- {
		n := p.stack[i]
		if n.flags&want != 0 || n.Tag == wantTag {
			p.popTo(i, by, allowed)
			return true
		}
		if n.flags&stop != 0 {
			return false
		}
	}
	return false
}

// popTo pops the stack down to and including index i.
func (p *parser) popTo(i int, by cause, allowed tagFlags) {
	for len(p.stack) > i+1 {
		if n := p.pop(); n.flags&allowed == 0 {
			p.misnested(n, by)
		}
	}
	p.pop()
}

func (p *parser) misnested(n *Node, by cause) {
	p.problem("html-misnested", fmt.Sprintf("close <%s> with </%s> before %s", n.Tag, n.Tag, by),
		"<%s> (opened at %d:%d) is still open at %s", n.Tag, n.Line, n.Col, by)
	if p.endedEarly == nil {
		p.endedEarly = make(map[string]int)
	}
	p.endedEarly[n.Tag]++
}

// end handles an end tag.
func (p *parser) end(tag string) {
	by := cause{tag: tag, end: true}
	f := flagsOf(tag)
	if p.foreign > 0 {
		if !p.closeFirst(0, tag, 0, by, 0) {
			p.stray(tag)
		}
		return
	}
	var ok bool
	switch {
	case f&fVoid != 0:
		p.problem("html-stray-end-tag", fmt.Sprintf("remove </%s>; <%s> has no end tag", tag, tag), "end tag </%s> of a void element", tag)
		return
	case f&fP != 0:
		ok = p.closeP(by)
	case f&fLI != 0:
		ok = p.closeFirst(fLI, "", fListScope, by, fImpliedEnd&^fLI)
	case f&fDefItem != 0:
		ok = p.closeFirst(0, tag, fScope, by, fImpliedEnd&^fDefItem)
	case tag == "body" || tag == "html":
		ok = p.endDocument(tag, by)
	case tag == "head":
		ok = p.current().Tag == "head"
		if ok {
			p.pop()
		}
	case f&(fCell|fRow|fSection|fTableHead) != 0 || tag == "table":
		ok = p.closeFirst(0, tag, fTableScope, by, fOptionalEnd)
	default:
		ok = p.closeFirst(0, tag, fScope, by, fOptionalEnd)
	}
	if !ok {
		p.stray(tag)
	}
}

// endDocument handles </body> and </html>: every element still open
// inside must be one whose end tag may be left out. The body and html
// elements stay open, as in a browser.
func (p *parser) endDocument(tag string, by cause) bool {
	keep := -1
	for i, n := range p.stack {
		if n.Tag == tag || (tag == "html" && n == p.doc.Body) {
			keep = i
		}
	}
	if keep < 0 {
		return false
	}
	for len(p.stack) > keep+1 {
		if n := p.pop(); n.flags&fOptionalEnd == 0 {
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
		if n.flags&fOptionalEnd == 0 {
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

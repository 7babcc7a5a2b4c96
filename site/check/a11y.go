package check

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The static accessibility rules. Each reports an Error.

func checkLang(p *Page, d *Document, report func(Finding)) {
	if isBlank(d.HTML.AttrOr("lang")) {
		f := p.at(d.HTML)
		f.Message = "the <html> element has no lang attribute, so screen readers cannot tell the page's language"
		f.Fix = `add lang="en-GB" (the site's language) to the <html> tag in the base layout`
		report(f)
	}
}

// title is the page's title element, or nil.
func (d *Document) title() *Node {
	for _, n := range d.Elements {
		if n.Tag == "title" && n.Closest("svg") == nil {
			return n
		}
	}
	return nil
}

func checkTitle(p *Page, d *Document, report func(Finding)) {
	t := d.title()
	switch {
	case t == nil:
		f := p.at(d.Head)
		f.Message = "the page has no <title>"
		f.Fix = "add <title>{{ .Title }} – {{ .Site.Title }}</title> to the <head> of the base layout"
		report(f)
	case t.TextContent() == "":
		f := p.at(t)
		f.Message = "the page's <title> is empty"
		f.Fix = "give the page a title in its front matter, and make sure the layout writes it into <title>"
		report(f)
	}
}

func checkH1(p *Page, d *Document, report func(Finding)) {
	var h1s []*Node
	for _, n := range d.Elements {
		if n.Tag == "h1" {
			h1s = append(h1s, n)
		}
	}
	if len(h1s) == 0 {
		f := p.at(d.Body)
		f.Message = "the page has no <h1>"
		f.Fix = "make the layout write the page's title as its one <h1>"
		report(f)
	}
	for _, n := range h1s[min(1, len(h1s)):] {
		f := p.at(n)
		f.Message = fmt.Sprintf("a second <h1> %q; a page has exactly one", truncate(n.TextContent(), 60))
		f.Fix = "the layout already writes the title as <h1>: start headings in Markdown at ## instead of #"
		if f.File == "" {
			f.Fix = "keep one <h1> for the page's title and make the others <h2>"
		}
		report(f)
	}
}

func checkHeadingOrder(p *Page, d *Document, report func(Finding)) {
	prev := 0
	for _, n := range d.Elements {
		lv := headingLevel(n.Tag)
		if lv == 0 {
			continue
		}
		if prev > 0 && lv > prev+1 {
			f := p.at(n)
			f.Message = fmt.Sprintf("heading level skipped: <h%d> %q follows an <h%d>", lv, truncate(n.TextContent(), 60), prev)
			f.Fix = fmt.Sprintf("make it an <h%d> (%s in Markdown), so that levels go down one at a time", prev+1, strings.Repeat("#", prev+1))
			report(f)
		}
		prev = lv
	}
}

// decorative reports whether an element is hidden from assistive
// technology or marked as presentation.
func decorative(n *Node) bool {
	role := strings.ToLower(strings.TrimSpace(n.AttrOr("role")))
	return role == "presentation" || role == "none" || n.AttrOr("aria-hidden") == "true"
}

// checkMarkdownAlt warns about images written in Markdown with empty alt
// text: ![](chart.png) is most often alt text forgotten, while an image
// that only decorates says so with the title "decorative".
func checkMarkdownAlt(p *Page, _ *Document, report func(Finding)) {
	for _, l := range p.Links {
		if l.Image && l.NoAlt {
			report(Finding{
				File: p.Source, Line: l.Line, Severity: Warning,
				Message: fmt.Sprintf("the image %s has no alt text, so screen readers skip it or read its file name", l.Written),
				Fix:     `write what the image tells the reader between the brackets: ![Chart of requests by month](chart.png); if it only decorates, say so: ![](chart.png "decorative")`,
			})
		}
	}
}

func checkImgAlt(p *Page, d *Document, report func(Finding)) {
	for _, n := range d.Elements {
		isImage := n.Tag == "img" || (n.Tag == "input" && strings.EqualFold(n.AttrOr("type"), "image"))
		if !isImage || n.Has("alt") || decorative(n) {
			continue
		}
		f := p.at(n)
		f.Message = fmt.Sprintf("the image %s has no alt text", truncate(n.AttrOr("src"), 60))
		f.Fix = `add alt="…" saying what the image shows, or alt="" if it is only decoration`
		report(f)
	}
}

// accessibleName is the name assistive technology gives a link, button
// or control: aria-labelledby, aria-label, its content, then its title.
func accessibleName(d *Document, n *Node) string {
	if !n.named {
		n.name, n.named = computeName(d, n), true
	}
	return n.name
}

func computeName(d *Document, n *Node) string {
	if ids := strings.Fields(n.AttrOr("aria-labelledby")); len(ids) > 0 {
		var parts []string
		for _, id := range ids {
			if t := d.ID(id); t != nil {
				parts = append(parts, t.TextContent())
			}
		}
		if s := normaliseSpace(strings.Join(parts, " ")); s != "" {
			return s
		}
	}
	if s := normaliseSpace(n.AttrOr("aria-label")); s != "" {
		return s
	}
	if n.Tag == "input" {
		switch strings.ToLower(n.AttrOr("type")) {
		case "submit", "reset":
			if !n.Has("value") {
				return "submit"
			}
			return normaliseSpace(n.AttrOr("value"))
		case "button":
			return normaliseSpace(n.AttrOr("value"))
		}
	} else if s := n.TextContent(); s != "" {
		return s
	}
	return normaliseSpace(n.AttrOr("title"))
}

func isLink(n *Node) bool { return (n.Tag == "a" || n.Tag == "area") && n.Has("href") }

func checkLinkName(p *Page, d *Document, report func(Finding)) {
	for _, n := range d.Elements {
		if !isLink(n) || n.Tag == "area" && n.Has("alt") || accessibleName(d, n) != "" {
			continue
		}
		f := p.at(n)
		f.Message = fmt.Sprintf("the link to %s has no text, so screen readers cannot say where it goes", truncate(n.AttrOr("href"), 60))
		f.Fix = "give the link text; for a link around an image, give the image alt text"
		report(f)
	}
}

func isButton(n *Node) bool {
	if n.Tag == "button" {
		return true
	}
	if n.Tag != "input" {
		return false
	}
	t := strings.ToLower(n.AttrOr("type"))
	return t == "button" || t == "submit" || t == "reset"
}

func checkButtonName(p *Page, d *Document, report func(Finding)) {
	for _, n := range d.Elements {
		if !isButton(n) || decorative(n) || accessibleName(d, n) != "" {
			continue
		}
		f := p.at(n)
		f.Message = "the button has no text, so screen readers cannot say what it does"
		f.Fix = "give the button text, or an aria-label when it shows only an icon"
		report(f)
	}
}

// vagueLinkText is link text that says nothing about where a link goes.
var vagueLinkText = map[string]bool{"click here": true, "here": true, "more": true, "read more": true}

// vague returns why a link's name does not describe it, or "".
func vague(name string) string {
	if !mayBeVague(name) {
		return ""
	}
	// The trimmed characters have no case: trimming before lower-casing
	// trims the same. Text all ASCII is compared folding its case, not
	// lower-cased into a copy.
	s := strings.TrimLeft(strings.TrimRight(name, ".,;:!?…)» "), "(« ")
	if isASCII(s) {
		return vagueASCII(name, s)
	}
	s = strings.ToLower(s)
	if vagueLinkText[s] {
		return fmt.Sprintf("the link text %q does not say where the link goes", name)
	}
	if !strings.Contains(s, " ") && (strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "www.")) {
		return fmt.Sprintf("the link text is a bare address, %s, which screen readers spell out", truncate(name, 60))
	}
	return ""
}

// vagueASCII is vague for link text name whose trimmed form s is all
// ASCII: what vague finds in strings.ToLower(s), without the copy.
func vagueASCII(name, s string) string {
	for _, v := range vagueTexts {
		if strings.EqualFold(s, v) { // both ASCII: folds A-Z only
			return fmt.Sprintf("the link text %q does not say where the link goes", name)
		}
	}
	if !strings.Contains(s, " ") && (hasPrefixFold(s, "http://") || hasPrefixFold(s, "https://") || hasPrefixFold(s, "www.")) {
		return fmt.Sprintf("the link text is a bare address, %s, which screen readers spell out", truncate(name, 60))
	}
	return ""
}

// vagueTexts are the keys of vagueLinkText.
var vagueTexts = []string{"click here", "here", "more", "read more"}

// hasPrefixFold reports whether s starts with prefix, folding ASCII case.
func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// isASCII reports whether s is all ASCII.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// mayBeVague reports whether vague(name) may find something, from the
// first letter of the link text after any "(", "«" and spaces, which for
// every vague text and bare address is one of c, h, m, r, w in either
// case (no other letter has those as its lower case). Most link text is
// let go without lower-casing it.
func mayBeVague(name string) bool {
	for {
		switch {
		case strings.HasPrefix(name, "("), strings.HasPrefix(name, " "):
			name = name[1:]
		case strings.HasPrefix(name, "«"):
			name = name[len("«"):]
		default:
			return name != "" && strings.IndexByte("chmrwCHMRW", name[0]) >= 0
		}
	}
}

func checkLinkText(p *Page, d *Document, report func(Finding)) {
	for _, n := range d.Elements {
		if !isLink(n) {
			continue
		}
		if why := vague(accessibleName(d, n)); why != "" {
			f := p.at(n)
			f.Message = why
			f.Fix = "make the link text name its destination, such as [the data protection principles](principles.md)"
			report(f)
		}
	}
}

// checkAmbiguousLinks reports, once per link text, links with the same
// text (as assistive technology names them, case aside) that go to
// different places. The finding is at the first link that goes
// elsewhere than the first one. A page that lists many pages of one
// title (a section's navigation on every page of it) gives one finding,
// not one a link: one a link made findings grow with the square of the
// pages (four million at 2,000 pages).
func checkAmbiguousLinks(p *Page, d *Document, report func(Finding)) {
	links, keys := linkKeys(d)
	var order []int                            // groups with more than one place, in the order found
	groups := make([]linkGroup, 0, len(links)) // most link text differs: room for all at once
	byKey := make(map[string]int, len(links))
	for i, n := range links {
		k, ok := byKey[keys[i]]
		if !ok {
			byKey[keys[i]] = len(groups)
			groups = append(groups, linkGroup{first: n, href: absoluteHref(p.URL, n.AttrOr("href"))})
			continue
		}
		if groups[k].add(n, absoluteHref(p.URL, n.AttrOr("href"))) {
			order = append(order, k)
		}
	}
	for _, k := range order {
		report(groups[k].finding(p, d))
	}
}

// appendLower appends strings.ToLower(s) to b: s lower-cased in place
// once appended when it is all ASCII.
func appendLower(b []byte, s string) []byte {
	start := len(b)
	b = append(b, s...)
	for i := start; i < len(b); i++ {
		switch c := b[i]; {
		case c >= utf8.RuneSelf:
			return append(b[:start], strings.ToLower(s)...)
		case c >= 'A' && c <= 'Z':
			b[i] = c + 'a' - 'A'
		}
	}
	return b
}

// linkKeys returns the links of a page that ambiguous-link-text groups,
// those with a name and not a footnote's way back to its reference (read
// in its context), and the key of each: its name in lower case. The keys
// are slices of one string: names all ASCII are lower-cased into it byte
// by byte, others with strings.ToLower, so a page's links cost two
// allocations, not one a link with a capital.
func linkKeys(d *Document) (links []*Node, keys []string) {
	count := 0
	for _, n := range d.Elements {
		if isLink(n) {
			count++
		}
	}
	links = make([]*Node, 0, count)
	ends := make([]int, 0, count)
	buf := make([]byte, 0, 24*count) // room for names of 24 bytes, most link text
	for _, n := range d.Elements {
		if !isLink(n) || n.AttrOr("role") == "doc-backlink" {
			continue
		}
		name := accessibleName(d, n)
		if name == "" {
			continue
		}
		buf = appendLower(buf, name)
		links, ends = append(links, n), append(ends, len(buf))
	}
	all, start := string(buf), 0
	keys = make([]string, len(ends))
	for i, end := range ends {
		keys[i], start = all[start:end], end
	}
	return links, keys
}

// A linkGroup is the links of a page with one name: the first, and those
// that go elsewhere.
type linkGroup struct {
	first     *Node
	href      string
	links     int             // links with the name after the first
	elsewhere int             // those that go elsewhere than the first
	other     *Node           // the first link that goes elsewhere
	hrefs     []string        // where the others go, in order, each once
	places    map[string]bool // hrefs, as a set; nil until one goes elsewhere
}

// add counts link n, which goes to href; true when it is the first that
// goes elsewhere than the first link.
func (g *linkGroup) add(n *Node, href string) bool {
	g.links++
	if href == g.href {
		return false
	}
	g.elsewhere++
	if g.places == nil {
		g.places = map[string]bool{}
	}
	if !g.places[href] {
		g.places[href] = true
		g.hrefs = append(g.hrefs, href)
	}
	if g.other != nil {
		return false
	}
	g.other = n
	return true
}

// finding reports the group at its first link that goes elsewhere; with
// one such link, as the finding of that link always read.
func (g *linkGroup) finding(p *Page, d *Document) Finding {
	f := p.at(g.other)
	name := truncate(accessibleName(d, g.other), 60)
	if g.elsewhere == 1 {
		f.Message = fmt.Sprintf("two links called %q go to different places: %s (at %d:%d) and %s", name, g.href, g.first.Line, g.first.Col, g.hrefs[0])
	} else {
		shown := g.hrefs[:min(len(g.hrefs), 3)]
		more := ""
		if n := len(g.hrefs) - len(shown); n > 0 {
			more = fmt.Sprintf(" and %d more", n)
		}
		f.Message = fmt.Sprintf("%d links called %q go to %d different places: %s (at %d:%d), %s%s", g.links+1, name, len(g.hrefs)+1, g.href, g.first.Line, g.first.Col, strings.Join(shown, ", "), more)
	}
	f.Fix = "give each link text that names its own destination"
	return f
}

// absoluteHref resolves a relative href against the page's URL path, so
// that two ways of writing one address compare equal.
func absoluteHref(page, href string) string {
	href = strings.TrimSpace(href)
	if href == "" || href[0] == '/' || href[0] == '#' || href[0] == '?' || hasScheme(href) {
		return href
	}
	return resolvePath(page, href)
}

func checkTableHeaders(p *Page, d *Document, report func(Finding)) {
	for _, n := range d.Elements {
		if n.Tag != "table" || decorative(n) {
			continue
		}
		hasTH := false
		n.Walk(func(c *Node) bool {
			if c.Tag == "table" && c != n {
				return false
			}
			hasTH = hasTH || c.Tag == "th"
			return !hasTH
		})
		if !hasTH {
			f := p.at(n)
			f.Message = "the table has no header cells (<th>), so screen readers cannot say what each column holds"
			f.Fix = "give the table a header row: in Markdown, the first row followed by | --- |"
			report(f)
		}
	}
}

func checkDuplicateIDs(p *Page, d *Document, report func(Finding)) {
	seen := map[string]*Node{}
	for _, n := range d.Elements {
		id, ok := n.Attr("id")
		if !ok {
			continue
		}
		if first := seen[id]; first != nil {
			f := p.at(n)
			f.Message = fmt.Sprintf("the id %q is used more than once (first at %d:%d)", id, first.Line, first.Col)
			f.Fix = "give each element its own id; for headings, set one with ## Heading {#other-id}"
			report(f)
			continue
		}
		seen[id] = n
	}
}

// needsLabel reports whether n is a form control that must be labelled.
func needsLabel(n *Node) bool {
	switch n.Tag {
	case "select", "textarea":
		return true
	case "input":
		switch strings.ToLower(n.AttrOr("type")) {
		case "hidden", "submit", "button", "image", "reset":
			return false
		case "checkbox":
			// the box of a Markdown task list item (- [x] Done): it
			// cannot be changed, and the item's text says what it is
			return !(n.Has("disabled") && n.Parent.IsElement("li"))
		}
		return true
	}
	return false
}

func checkFormLabels(p *Page, d *Document, report func(Finding)) {
	var labelled map[string]bool
	for _, n := range d.Elements {
		if !needsLabel(n) || n.Closest("label") != nil || accessibleNameAttr(d, n) {
			continue
		}
		if labelled == nil {
			labelled = map[string]bool{}
			for _, l := range d.Elements {
				if l.Tag == "label" && l.Has("for") {
					labelled[l.AttrOr("for")] = true
				}
			}
		}
		if id, ok := n.Attr("id"); ok && labelled[id] {
			continue
		}
		f := p.at(n)
		f.Message = fmt.Sprintf("the form control <%s name=%q> has no label", n.Tag, n.AttrOr("name"))
		f.Fix = `add <label for="ID">…</label> and give the control that id, or give it an aria-label`
		report(f)
	}
}

// accessibleNameAttr reports whether n is named by aria-labelledby,
// aria-label or title.
func accessibleNameAttr(d *Document, n *Node) bool {
	for _, id := range strings.Fields(n.AttrOr("aria-labelledby")) {
		if d.ID(id) != nil {
			return true
		}
	}
	return !isBlank(n.AttrOr("aria-label")) || !isBlank(n.AttrOr("title"))
}

func checkIframeTitle(p *Page, d *Document, report func(Finding)) {
	for _, n := range d.Elements {
		if n.Tag == "iframe" && isBlank(n.AttrOr("title")) && !decorative(n) {
			f := p.at(n)
			f.Message = fmt.Sprintf("the <iframe> %s has no title", truncate(n.AttrOr("src"), 60))
			f.Fix = `add title="…" saying what the frame holds`
			report(f)
		}
	}
}

func checkTabindex(p *Page, d *Document, report func(Finding)) {
	for _, n := range d.Elements {
		v, ok := n.Attr("tabindex")
		if !ok {
			continue
		}
		if i, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && i > 0 {
			f := p.at(n)
			f.Message = fmt.Sprintf(`<%s tabindex="%d"> changes the order in which the keyboard moves through the page`, n.Tag, i)
			f.Fix = `use tabindex="0" or "-1", or none, and put the element where it belongs in the page`
			report(f)
		}
	}
}

// skipLink is the first link in the body when it goes to a fragment of
// the same page, or nil.
func (d *Document) skipLink() *Node {
	for _, n := range d.Elements {
		if n.Tag == "a" && n.Has("href") && n.Closest("body") != nil {
			if strings.HasPrefix(n.AttrOr("href"), "#") {
				return n
			}
			return nil
		}
	}
	return nil
}

func checkSkipLink(p *Page, d *Document, report func(Finding)) {
	n := d.skipLink()
	if n == nil {
		return
	}
	frag := unescapeURL(strings.TrimPrefix(n.AttrOr("href"), "#"))
	if frag != "" && d.ID(frag) != nil {
		return
	}
	f := p.at(n)
	f.Message = fmt.Sprintf("the skip link goes to #%s, but no element has that id", frag)
	f.Fix = `give the main content that id, such as <main id="main-content">, or point the link at the id it has`
	report(f)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && s[cut]&0xC0 == 0x80 {
		cut--
	}
	return s[:cut] + "…"
}

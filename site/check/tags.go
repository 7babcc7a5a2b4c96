package check

// What the parser's tree construction rules need to know of each element,
// from the HTML standard, cut down to what a generated site contains. Each
// element's memberships are a bit mask, looked up once per tag.

type tagFlags uint32

const (
	fVoid        tagFlags = 1 << iota // never has content or an end tag
	fHead                             // may appear in head; others start the body
	fClosesP                          // its start tag ends an open p
	fImpliedEnd                       // end tag may be left out when what follows ends it
	fOptionalEnd                      // end tag may be left out when its parent ends
	fSpecial                          // stops the search for an open li, dd or dt
	fScope                            // bounds "has an element in scope"
	fButtonScope                      // bounds "in button scope"
	fListScope                        // bounds "in list item scope"
	fTableScope                       // bounds "in table scope"
	fCell                             // td, th
	fRow                              // tr
	fSection                          // tbody, thead, tfoot
	fTableHead                        // caption, colgroup
	fRuby                             // rb, rp, rt
	fLI                               // li
	fDefItem                          // dd, dt
	fP                                // p
	fForeign                          // svg, math
	fURL                              // has attributes that hold URLs: a key of urlAttrs
)

var tagTable = map[string]tagFlags{}

// tagIndex holds tagTable's entries by the length and first letter of
// their tag, for flagsOf, which the parser calls for every tag: comparing
// a few strings is cheaper than hashing one. It is filled by init and
// only read after.
var tagIndex [maxTagLen + 1][26][]tagEntry

const maxTagLen = 10 // the longest tag in tagTable: "figcaption", "blockquote"

type tagEntry struct {
	tag   string
	flags tagFlags
}

// flagsOf is tagTable[tag].
func flagsOf(tag string) tagFlags {
	if len(tag) == 0 || len(tag) > maxTagLen || tag[0] < 'a' || tag[0] > 'z' {
		return 0
	}
	for _, e := range tagIndex[len(tag)][tag[0]-'a'] {
		if e.tag == tag {
			return e.flags
		}
	}
	return 0
}

// indexTags fills tagIndex from tagTable.
func indexTags() {
	for tag, f := range tagTable {
		if len(tag) > maxTagLen || tag[0] < 'a' || tag[0] > 'z' {
			panic("check: tag " + tag + " does not fit tagIndex") // a mistake in this file, caught by any test
		}
		b := &tagIndex[len(tag)][tag[0]-'a']
		*b = append(*b, tagEntry{tag, f})
	}
}

func addFlags(f tagFlags, tags ...string) {
	for _, t := range tags {
		tagTable[t] |= f
	}
}

func init() {
	addFlags(fVoid, "area", "base", "br", "col", "embed", "hr", "img", "input",
		"link", "meta", "param", "source", "track", "wbr", "keygen")
	addFlags(fHead, "base", "basefont", "bgsound", "link", "meta", "noscript",
		"script", "style", "template", "title")
	addFlags(fClosesP, "address", "article", "aside", "blockquote", "center",
		"details", "dialog", "dir", "div", "dl", "fieldset", "figcaption", "figure",
		"footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr",
		"main", "menu", "nav", "ol", "p", "pre", "listing", "search", "section",
		"summary", "table", "ul", "xmp", "plaintext", "li", "dd", "dt")
	addFlags(fImpliedEnd, "dd", "dt", "li", "optgroup", "option", "p", "rb", "rp", "rt", "rtc")
	addFlags(fOptionalEnd, "dd", "dt", "li", "optgroup", "option", "p", "rb", "rp", "rt", "rtc",
		"caption", "colgroup", "tbody", "td", "tfoot", "th", "thead", "tr", "html", "head", "body")
	addFlags(fSpecial, "address", "applet", "area", "article", "aside", "base",
		"basefont", "bgsound", "blockquote", "body", "br", "button", "caption",
		"center", "col", "colgroup", "dd", "details", "dir", "div", "dl", "dt",
		"embed", "fieldset", "figcaption", "figure", "footer", "form", "frame",
		"frameset", "h1", "h2", "h3", "h4", "h5", "h6", "head", "header", "hgroup",
		"hr", "html", "iframe", "img", "input", "keygen", "li", "link", "listing",
		"main", "marquee", "menu", "meta", "nav", "noembed", "noframes", "noscript",
		"object", "ol", "p", "param", "plaintext", "pre", "script", "search",
		"section", "select", "source", "style", "summary", "table", "tbody", "td",
		"template", "textarea", "tfoot", "th", "thead", "title", "tr", "track", "ul",
		"wbr", "xmp")
	scope := []string{"applet", "caption", "html", "table", "td", "th", "marquee", "object", "template"}
	addFlags(fScope|fButtonScope|fListScope, scope...)
	addFlags(fButtonScope, "button")
	addFlags(fListScope, "ol", "ul")
	addFlags(fTableScope, "html", "table", "template")
	addFlags(fCell, "td", "th")
	addFlags(fRow, "tr")
	addFlags(fSection, "tbody", "thead", "tfoot")
	addFlags(fTableHead, "caption", "colgroup")
	addFlags(fRuby, "rb", "rp", "rt")
	addFlags(fLI, "li")
	addFlags(fDefItem, "dd", "dt")
	addFlags(fP, "p")
	addFlags(fForeign, "svg", "math")
	for tag := range urlAttrs {
		addFlags(fURL, tag)
	}
	indexTags()
}

// headingLevel returns 1 to 6 for h1 to h6, else 0.
func headingLevel(tag string) int {
	if len(tag) == 2 && tag[0] == 'h' && tag[1] >= '1' && tag[1] <= '6' {
		return int(tag[1] - '0')
	}
	return 0
}

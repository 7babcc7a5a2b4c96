package check

// Sets of HTML elements that the parser's tree construction rules need,
// from the HTML standard, cut down to what a generated site contains.

type tagSet map[string]bool

func setOf(tags ...string) tagSet {
	s := make(tagSet, len(tags))
	for _, t := range tags {
		s[t] = true
	}
	return s
}

// voidTags never have content or an end tag.
var voidTags = setOf("area", "base", "br", "col", "embed", "hr", "img", "input",
	"link", "meta", "param", "source", "track", "wbr", "keygen")

// headTags may appear in head; others start the body.
var headTags = setOf("base", "basefont", "bgsound", "link", "meta", "noscript",
	"script", "style", "template", "title")

// closesP are the start tags that end an open p element.
var closesP = setOf("address", "article", "aside", "blockquote", "center",
	"details", "dialog", "dir", "div", "dl", "fieldset", "figcaption", "figure",
	"footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr",
	"main", "menu", "nav", "ol", "p", "pre", "listing", "search", "section",
	"summary", "table", "ul", "xmp", "plaintext", "li", "dd", "dt")

// impliedEnd are the elements whose end tag may be left out when what
// follows ends them ("generate implied end tags").
var impliedEnd = setOf("dd", "dt", "li", "optgroup", "option", "p", "rb", "rp", "rt", "rtc")

// optionalEnd are the elements whose end tag may be left out when their
// parent ends: the implied-end elements, table parts and the document
// elements.
var optionalEnd = setOf("dd", "dt", "li", "optgroup", "option", "p", "rb", "rp", "rt", "rtc",
	"caption", "colgroup", "tbody", "td", "tfoot", "th", "thead", "tr",
	"html", "head", "body")

// special elements stop the search for an open li, dd or dt.
var special = setOf("address", "applet", "area", "article", "aside", "base",
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

// scopeStop are the elements that bound "has an element in scope".
var scopeStop = setOf("applet", "caption", "html", "table", "td", "th",
	"marquee", "object", "template")

// buttonScopeStop bounds "has an element in button scope".
var buttonScopeStop = setOf("applet", "caption", "html", "table", "td", "th",
	"marquee", "object", "template", "button")

// listScopeStop bounds "has an element in list item scope".
var listScopeStop = setOf("applet", "caption", "html", "table", "td", "th",
	"marquee", "object", "template", "ol", "ul")

// tableScopeStop bounds "has an element in table scope".
var tableScopeStop = setOf("html", "table", "template")

var headingTags = setOf("h1", "h2", "h3", "h4", "h5", "h6")

// headingLevel returns 1 to 6 for h1 to h6, else 0.
func headingLevel(tag string) int {
	if len(tag) == 2 && tag[0] == 'h' && tag[1] >= '1' && tag[1] <= '6' {
		return int(tag[1] - '0')
	}
	return 0
}

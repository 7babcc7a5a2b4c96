package check

import (
	"fmt"
	"path"
	"strings"
)

// pageFacts is what the site-wide rules need of a page once its tree has
// gone: its title, its ids and its references to other URLs.
type pageFacts struct {
	title string
	ids   map[string]bool
	refs  []ref
}

// A ref is one URL in a page's HTML: an href, src, srcset, poster or data.
type ref struct {
	url      string
	tag      string
	elem     int // its element's index in Document.Elements
	skipLink bool
}

// refAt is where a ref is written: its line in the page's Markdown when it
// comes from there, else its place in the HTML. Tracing the Markdown costs
// a pass over it, so it is done only for the refs reported, parsing the
// page again if its tree was let go.
func (p *Page) refAt(rf ref) Finding {
	d := p.Doc()
	if rf.elem < 0 || rf.elem >= len(d.Elements) {
		return Finding{}
	}
	return p.at(d.Elements[rf.elem])
}

// urlAttrs lists the attributes that hold URLs, by element.
var urlAttrs = map[string][]string{
	"a": {"href"}, "area": {"href"}, "link": {"href"}, "script": {"src"},
	"img": {"src", "srcset"}, "source": {"src", "srcset"}, "iframe": {"src"},
	"video": {"src", "poster"}, "audio": {"src"}, "track": {"src"},
	"embed": {"src"}, "object": {"data"}, "input": {"src"}, "form": {"action"},
}

// collectFacts records a page's facts from its parsed tree.
func collectFacts(p *Page) *pageFacts {
	d := p.Doc()
	f := &pageFacts{ids: map[string]bool{}}
	if t := d.title(); t != nil {
		f.title = t.TextContent()
	}
	skip := d.skipLink()
	for i, n := range d.Elements {
		if id, ok := n.Attr("id"); ok {
			f.ids[id] = true
		}
		if name, ok := n.Attr("name"); ok && n.Tag == "a" {
			f.ids[name] = true
		}
		for _, a := range urlAttrs[n.Tag] {
			v, ok := n.Attr(a)
			if !ok {
				continue
			}
			urls := []string{v}
			if a == "srcset" {
				urls = srcsetURLs(v)
			}
			for _, u := range urls {
				f.refs = append(f.refs, ref{url: strings.TrimSpace(u), tag: n.Tag, elem: i, skipLink: n == skip})
			}
		}
	}
	return f
}

// srcsetURLs returns the URLs of a srcset attribute.
func srcsetURLs(v string) []string {
	var out []string
	for c := range strings.SplitSeq(v, ",") {
		if fs := strings.Fields(c); len(fs) > 0 {
			out = append(out, fs[0])
		}
	}
	return out
}

// hasScheme reports whether a URL starts with a scheme such as https: or
// mailto:, or is protocol-relative (//host/…).
func hasScheme(u string) bool {
	if strings.HasPrefix(u, "//") {
		return true
	}
	for i := 0; i < len(u); i++ {
		c := u[i]
		switch {
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
		case i > 0 && (c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.'):
		case c == ':':
			return i > 0
		default:
			return false
		}
	}
	return false
}

// resolvePath resolves a relative path against the URL path of a page,
// keeping a trailing slash.
func resolvePath(page, rel string) string {
	dir := page
	if !strings.HasSuffix(dir, "/") {
		dir = path.Dir(dir) + "/"
	}
	return cleanPath(dir + rel)
}

// cleanPath cleans a URL path, keeping a trailing slash.
func cleanPath(p string) string {
	slash := strings.HasSuffix(p, "/") || strings.HasSuffix(p, "/.") || strings.HasSuffix(p, "/..") || p == "." || p == ".."
	c := path.Clean(p)
	if slash && !strings.HasSuffix(c, "/") {
		c += "/"
	}
	return c
}

// siteIndex finds pages by output file.
type siteIndex struct {
	pages map[string]*Page // output file -> page
}

// page is the page written to an output file, or nil.
func (ix *siteIndex) page(output string) *Page { return ix.pages[output] }

// pageFinder finds pages by output file, with their facts collected: a
// siteIndex for Run, a Live for the preview.
type pageFinder interface {
	page(output string) *Page
}

func newSiteIndex(s *Site) *siteIndex {
	ix := &siteIndex{pages: make(map[string]*Page, len(s.Pages))}
	for _, p := range s.Pages {
		ix.pages[p.Output] = p
	}
	return ix
}

// isLinkRule reports whether findings of the rule are about broken links,
// which the build's own problems may already report.
func isLinkRule(rule string) bool {
	return rule == "broken-link" || rule == "draft-link" || rule == "broken-fragment"
}

// linkRule checks that every internal URL of a page resolves to a file
// of the build, and every #fragment to an id on its page. It needs every
// page's facts, so Run runs it after the other rules.
type linkRule struct {
	site  *Site
	index pageFinder
}

func (r *linkRule) Name() string { return "broken-link" }

func (r *linkRule) Check(p *Page, report func(Finding)) {
	if p.facts == nil {
		p.facts = collectFacts(p)
	}
	for _, rf := range p.facts.refs {
		if f, ok := r.checkRef(p, rf); ok {
			report(f)
		}
	}
}

// checkRef checks one URL; it returns a finding when the URL is broken.
func (r *linkRule) checkRef(p *Page, rf ref) (Finding, bool) {
	u := rf.url
	if u == "" || hasScheme(u) {
		return Finding{}, false
	}
	u, frag, hasFrag := strings.Cut(u, "#")
	u, _, _ = strings.Cut(u, "?")
	var file string
	if u != "" {
		var f Finding
		var ok bool
		if file, f, ok = r.resolve(p, rf, u); !ok {
			return f, true
		}
	}
	frag = unescapeURL(frag)
	if !hasFrag || frag == "" || frag == "top" {
		return Finding{}, false
	}
	// The target is looked up only for a fragment: the preview's index
	// loads pages on demand.
	target := p
	if u != "" {
		target = r.index.page(file)
	}
	if target == nil || target.facts == nil || target.facts.ids[frag] || (rf.skipLink && target == p) {
		return Finding{}, false
	}
	f := p.refAt(rf)
	f.Rule = "broken-fragment"
	where := "this page"
	if target != p {
		where = target.Source
		if where == "" {
			where = r.site.OutputPrefix + target.Output
		}
	}
	f.Message = fmt.Sprintf("link to %s: %s has no element with the id %q", rf.url, where, frag)
	f.Fix = "link to an id the page has, or give the heading that id with ## Heading {#" + frag + "}"
	return f, true
}

// resolve finds the output file of a URL path; when there is none it
// returns the finding to report.
func (r *linkRule) resolve(p *Page, rf ref, u string) (string, Finding, bool) {
	s := r.site
	full := cleanPath(unescapeURL(u))
	if !strings.HasPrefix(u, "/") {
		full = resolvePath(p.URL, unescapeURL(u))
	}
	base := s.BasePath
	if base == "" {
		base = "/"
	}
	// The finding's place is traced only when there is a finding.
	fail := func(rule, msg, fix string) (string, Finding, bool) {
		f := p.refAt(rf)
		f.Rule, f.Message, f.Fix = rule, msg, fix
		return "", f, false
	}
	if !strings.HasPrefix(full, base) && full+"/" != base {
		return fail("broken-link", fmt.Sprintf("link to %s, which is outside the site's base path %s", rf.url, base),
			`write the address with relURL in layouts ({{ relURL "/path/" }}), or link to the Markdown file in content`)
	}
	rel := strings.TrimPrefix(full, base)
	if full+"/" == base {
		rel = ""
	}
	file := rel
	if rel == "" || strings.HasSuffix(rel, "/") {
		file = rel + "index.html"
	}
	if s.Files[file] {
		return file, Finding{}, true
	}
	if s.Files[rel+"/index.html"] {
		return rel + "/index.html", Finding{}, true
	}
	for _, d := range []string{full, full + "/", strings.TrimSuffix(full, "/")} {
		if s.Unbuilt[d] != "" {
			return "", Finding{}, true
		}
		if src := s.Drafts[d]; src != "" {
			return fail("draft-link", fmt.Sprintf("link to %s, the address of %s, which is a draft and is not published", rf.url, src),
				"publish the page (draft: false) or remove the link")
		}
	}
	if rf.tag != "a" && rf.tag != "area" {
		return fail("broken-link", fmt.Sprintf("<%s> refers to %s, which the build did not produce", rf.tag, rf.url),
			"add the file to static/ or content/, or fix the address")
	}
	return fail("broken-link", fmt.Sprintf("link to %s, which the build did not produce", rf.url),
		"fix the address; in Markdown, link to the page's .md file so the build checks it")
}

// duplicateTitles reports pages whose <title> another page also has.
func duplicateTitles(s *Site) []Finding {
	byTitle := map[string][]*Page{}
	for _, p := range s.Pages {
		if p.facts != nil && p.facts.title != "" {
			byTitle[p.facts.title] = append(byTitle[p.facts.title], p)
		}
	}
	var out []Finding
	for title, ps := range byTitle {
		if len(ps) < 2 {
			continue
		}
		for i, p := range ps {
			other := ps[0]
			if i == 0 {
				other = ps[1]
			}
			f := Finding{File: p.Source, Rule: "duplicate-title"}
			if f.File == "" {
				f.File = s.OutputPrefix + p.Output
			}
			otherName := other.Source
			if otherName == "" {
				otherName = s.OutputPrefix + other.Output
			}
			f.Message = fmt.Sprintf("the title %q is also the title of %s", truncate(title, 80), otherName)
			f.Fix = "give every page its own title, so that people can tell tabs, bookmarks and search results apart"
			out = append(out, f)
		}
	}
	return out
}

package check

import (
	"encoding/binary"
	"fmt"
	"path"
	"slices"
	"strings"
	"sync"
	"unique"
)

// pageFacts is what the site-wide rules need of a page once its tree has
// gone: its title, its ids and its references to other URLs. They are
// kept for every page of a site, so they are kept small and free of
// pointers, which the collector would otherwise follow at every cycle:
// the refs are packed into bytes, each URL by its number in a table that
// the pages share, and a ref holds its place rather than its element.
type pageFacts struct {
	title string
	ids   []string // sorted, without repeats
	refs  []byte   // packed refs, see appendRef
	urls  *urlTable
}

// hasID reports whether the page has an element with the id (or an a
// element with the name).
func (f *pageFacts) hasID(id string) bool {
	_, ok := slices.BinarySearch(f.ids, id)
	return ok
}

// A ref is one URL in a page's HTML: an href, src, srcset, poster or data,
// with where it is written, found when the facts were collected so that a
// finding about it needs no second parse.
type ref struct {
	href      string
	id        uint32 // href's number in the site's urlTable, once packed
	line, col int    // see refAt
	tag       uint8  // index in refTags
	flags     uint8
}

// The flags of a ref.
const (
	refSkipLink = 1 << iota // the page's skip link
	refMarkdown             // written in the page's Markdown, on line
	refLocal                // local: checked with the page alone

	refFlagBits = 3
)

// refTags are the elements whose attributes urlAttrs lists, by a ref's tag.
var refTags = []string{"a", "area", "link", "script", "img", "source", "iframe", "video", "audio", "track", "embed", "object", "input", "form"}

// urlAttrs lists the attributes that hold URLs, by element.
var urlAttrs = map[string][]string{
	"a": {"href"}, "area": {"href"}, "link": {"href"}, "script": {"src"},
	"img": {"src", "srcset"}, "source": {"src", "srcset"}, "iframe": {"src"},
	"video": {"src", "poster"}, "audio": {"src"}, "track": {"src"},
	"embed": {"src"}, "object": {"data"}, "input": {"src"}, "form": {"action"},
}

func (rf ref) url() string      { return rf.href }
func (rf ref) tagName() string  { return refTags[rf.tag] }
func (rf ref) isSkipLink() bool { return rf.flags&refSkipLink != 0 }
func (rf ref) isLocal() bool    { return rf.flags&refLocal != 0 }

// local reports whether checking the ref needs no other page: it points
// to a place on its own page ("#part"), or has a scheme, which the link
// rules leave alone. An http or https URL is not local: ExternalLinks
// wants it.
func (rf ref) local() bool {
	u := rf.url()
	if hasScheme(u) {
		l := strings.ToLower(u)
		return !strings.HasPrefix(l, "http://") && !strings.HasPrefix(l, "https://")
	}
	u, _, _ = strings.Cut(u, "#")
	u, _, _ = strings.Cut(u, "?")
	return u == ""
}

// refAt is where a ref is written: its line in the page's Markdown when it
// comes from there, else its place in the HTML, as Page.at would give for
// its element.
func (p *Page) refAt(rf ref) Finding {
	if rf.flags&refMarkdown != 0 {
		return Finding{File: p.Source, Line: rf.line}
	}
	return Finding{Line: rf.line, Col: rf.col}
}

// appendRef packs rf onto b: its URL's number (rf.id, which
// urlTable.number gave), its line and column, and its tag and flags, as
// unsigned varints.
func appendRef(b []byte, rf ref) []byte {
	b = binary.AppendUvarint(b, uint64(rf.id))
	b = binary.AppendUvarint(b, uint64(rf.line))
	b = binary.AppendUvarint(b, uint64(rf.col))
	return binary.AppendUvarint(b, uint64(rf.tag)<<refFlagBits|uint64(rf.flags))
}

// nextRef reads the packed ref at the start of b: its four numbers and
// its length in bytes, 0 when b does not start with one.
func nextRef(b []byte) (v [4]uint64, size int) {
	for i := range v {
		x, n := binary.Uvarint(b[size:])
		if n <= 0 {
			return v, 0 // not written by appendRef: a bug, and nothing more to read
		}
		v[i], size = x, size+n
	}
	return v, size
}

// eachRef calls yield with each of the page's refs, in the order of the
// page, until it returns false.
func (f *pageFacts) eachRef(yield func(ref) bool) { f.eachRefFlagged(0, yield) }

// eachRefFlagged is eachRef over the refs that have every flag in want;
// the others are skipped before their URL is looked up.
func (f *pageFacts) eachRefFlagged(want uint8, yield func(ref) bool) {
	var urls []string // the table's URLs, once a ref is wanted: one lock a page, not one a ref
	for b := f.refs; len(b) > 0; {
		v, n := nextRef(b)
		if n == 0 {
			return
		}
		b = b[n:]
		flags := uint8(v[3] & (1<<refFlagBits - 1))
		if flags&want != want {
			continue
		}
		if uint64(len(urls)) <= v[0] {
			urls = f.urls.all()
		}
		rf := ref{href: urls[v[0]], id: uint32(v[0]), line: int(v[1]), col: int(v[2]), tag: uint8(v[3] >> refFlagBits), flags: flags}
		if !yield(rf) {
			return
		}
	}
}

// dropLocalRefs keeps only the refs that are not local (see ref.local),
// as they were packed.
func (f *pageFacts) dropLocalRefs() {
	// The refs kept move to the front of f.refs (never past where they
	// are read from), then go to a slice of their size.
	kept := 0
	for b := f.refs; len(b) > 0; {
		v, n := nextRef(b)
		if n == 0 {
			break
		}
		if v[3]&refLocal == 0 {
			kept += copy(f.refs[kept:], b[:n])
		}
		b = b[n:]
	}
	if kept == 0 {
		f.refs = nil
		return
	}
	f.refs = slices.Clone(f.refs[:kept])
}

// urlTable numbers the URLs of a site's pages, which share most of them
// (the layout's navigation, links to the same pages). It is safe for
// concurrent use.
type urlTable struct {
	mu   sync.RWMutex
	ids  map[string]uint32
	urls []string
}

func newURLTable() *urlTable { return &urlTable{ids: map[string]uint32{}} }

// number sets the id of each ref to the number of its URL, which a URL
// is given the first time. It takes the table's lock once for all of
// them, and once more only for URLs the table did not have: the pages
// share most of their URLs, and the workers that check them the lock.
func (t *urlTable) number(refs []ref) {
	missing := false
	t.mu.RLock()
	for i := range refs {
		id, ok := t.ids[refs[i].href]
		refs[i].id = id
		missing = missing || !ok
	}
	t.mu.RUnlock()
	if !missing {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	for i := range refs {
		url := refs[i].href
		id, ok := t.ids[url]
		if !ok {
			id = uint32(len(t.urls))
			url = strings.Clone(url) // kept: not the page's HTML, which the tree's strings share
			t.urls = append(t.urls, url)
			t.ids[url] = id
		}
		refs[i].id = id
	}
}

// all returns the URLs numbered so far, by number. The table only ever
// appends, so the slice stays valid as it grows.
func (t *urlTable) all() []string {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.urls
}

// newRef is the ref to url on element n of page p. md is the Markdown
// line of each link and image of the page traced to its Markdown (see
// traceLinks), nil when the page has no Markdown links: a ref on one of
// them is placed on its line, as Page.at places n.
func newRef(n *Node, url string, skip bool, md map[*Node]int) ref {
	rf := ref{href: url, tag: uint8(slices.Index(refTags, n.Tag)), line: n.Line, col: n.Col}
	if skip {
		rf.flags |= refSkipLink
	}
	if line, ok := md[n]; ok {
		rf.flags |= refMarkdown
		rf.line, rf.col = line, 0
	}
	if rf.local() {
		rf.flags |= refLocal
	}
	return rf
}

// mdKey is a Markdown link's URL, unescaped, and whether it is an image's,
// as traceLinks matches elements with it.
type mdKey struct {
	url   string
	image bool
}

// markdownLines are the Markdown lines of the page's links and images
// that traceLinks traced (Page.at's), or nil when the page has no
// Markdown links, or no source, which traceLinks does not trace.
func markdownLines(p *Page, d *Document) map[*Node]int {
	if p.Source == "" || len(p.Links) == 0 {
		return nil
	}
	if d.mdLinks == nil {
		d.mdLinks = traceLinks(d, p)
	}
	return d.mdLinks
}

// collectFacts records a page's facts from its parsed tree, numbering
// URLs in urls.
func collectFacts(p *Page, urls *urlTable) *pageFacts {
	d := p.Doc()
	f := &pageFacts{urls: urls}
	if t := d.title(); t != nil {
		f.title = strings.Clone(t.TextContent()) // not the page's HTML, which the tree's strings share
	}
	skip := d.skipLink()
	md := markdownLines(p, d)
	sl := d.slabs
	if sl == nil {
		sl = new(slabs)
	}
	refs, packed := sl.refs[:0], sl.packed[:0]
	f.ids = sl.ids[:0]
	for _, n := range d.Elements {
		if id, ok := n.Attr("id"); ok {
			f.ids = append(f.ids, id)
		}
		if name, ok := n.Attr("name"); ok && n.Tag == "a" {
			f.ids = append(f.ids, name)
		}
		if n.flags&fURL == 0 {
			continue // no URLs: most elements
		}
		for _, a := range urlAttrs[n.Tag] {
			v, ok := n.Attr(a)
			if !ok {
				continue
			}
			if a != "srcset" {
				refs = append(refs, newRef(n, strings.TrimSpace(v), n == skip, md))
				continue
			}
			for _, u := range srcsetURLs(v) {
				refs = append(refs, newRef(n, strings.TrimSpace(u), n == skip, md))
			}
		}
	}
	urls.number(refs)
	for _, rf := range refs {
		packed = appendRef(packed, rf)
	}
	sl.refs, sl.ids, sl.packed = refs, f.ids, packed[:0] // for the next page, once cleared
	f.ids = internAll(compactSorted(f.ids))
	if len(packed) > 0 {
		f.refs = slices.Clone(packed) // the facts of every page are kept: no spare room
	}
	return f
}

// compactSorted sorts ss and drops repeats, into a copy (nil when empty).
func compactSorted(ss []string) []string {
	if len(ss) == 0 {
		return nil
	}
	slices.Sort(ss)
	return slices.Clone(slices.Compact(ss))
}

// internAll replaces each string by its interned copy, which the pages
// that share it share.
func internAll(ss []string) []string {
	for i, s := range ss {
		ss[i] = unique.Make(s).Value()
	}
	return ss
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
	local bool // check only the refs that need no other page (see ref.local)

	// resolved, when not nil, holds the output file of each URL (by its
	// number in the urlTable) whose path starts with / and resolves, as
	// resolve found it: the pages of a site link to the same few
	// thousand addresses, which need resolving once. Only for a linkRule
	// over a site that does not change while it runs.
	resolved *sync.Map
}

func (r *linkRule) Name() string { return "broken-link" }

func (r *linkRule) Check(p *Page, report func(Finding)) {
	if p.facts == nil {
		p.facts = collectFacts(p, r.site.urlTable())
	}
	var want uint8
	if r.local {
		want = refLocal
	}
	p.facts.eachRefFlagged(want, func(rf ref) bool {
		if f, ok := r.checkRef(p, rf); ok {
			report(f)
		}
		return true
	})
}

// checkRef checks one URL; it returns a finding when the URL is broken.
func (r *linkRule) checkRef(p *Page, rf ref) (Finding, bool) {
	u := rf.url()
	if u == "" || hasScheme(u) {
		return Finding{}, false
	}
	u, frag, hasFrag := strings.Cut(u, "#")
	u, _, _ = strings.Cut(u, "?")
	var file string
	if u != "" {
		var f Finding
		var ok bool
		if file, f, ok = r.resolveOnce(p, rf, u); !ok {
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
	if target == nil || target.facts == nil || target.facts.hasID(frag) || (rf.isSkipLink() && target == p) {
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
	f.Message = fmt.Sprintf("link to %s: %s has no element with the id %q", rf.url(), where, frag)
	f.Fix = "link to an id the page has, or give the heading that id with ## Heading {#" + frag + "}"
	return f, true
}

// resolveOnce is resolve, which it asks once for each URL that starts
// with / and resolves when r.resolved is set: where such a URL leads does
// not depend on the page.
func (r *linkRule) resolveOnce(p *Page, rf ref, u string) (string, Finding, bool) {
	if r.resolved == nil || !strings.HasPrefix(u, "/") {
		return r.resolve(p, rf, u)
	}
	if file, ok := r.resolved.Load(rf.id); ok {
		return file.(string), Finding{}, true
	}
	file, f, ok := r.resolve(p, rf, u)
	if ok {
		r.resolved.Store(rf.id, file)
	}
	return file, f, ok
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
		return fail("broken-link", fmt.Sprintf("link to %s, which is outside the site's base path %s", rf.url(), base),
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
			return fail("draft-link", fmt.Sprintf("link to %s, the address of %s, which is a draft and is not published", rf.url(), src),
				"publish the page (draft: false) or remove the link")
		}
	}
	if rf.tagName() != "a" && rf.tagName() != "area" {
		return fail("broken-link", fmt.Sprintf("<%s> refers to %s, which the build did not produce", rf.tagName(), rf.url()),
			"add the file to static/ or content/, or fix the address")
	}
	return fail("broken-link", fmt.Sprintf("link to %s, which the build did not produce", rf.url()),
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

package site

import (
	"cmp"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"unicode"
)

// Site is what the layouts see as .Site: the settings from the home page's
// front matter, the navigation, and every page. It is read-only once
// assembled and safe for concurrent use.
type Site struct {
	Title        string
	Language     string
	Organisation string
	Division     string
	Copyright    string
	Params       map[string]any // the home page's "site" settings, as written
	Base         BaseURL
	Home         *Page
	Menu         []*Page // top-level sections for the primary navigation
	FooterMenu   []*Page // top-level sections with menu: footer
	FooterLinks  []Link
	AllPages     []*Page // every page of every language, ordered by path
	Pages        []*Page // this language's pages, ordered by the default language's paths
	Lang         *Language
	Languages    []*Language // the default language first
	BuildDrafts  bool
	Serve        bool
	RawHTML      bool

	byPath   map[string]*Page  // nil once frozen: see pageAt
	bySource map[string]*Page  // nil once frozen: see pageOf
	paths    *pageIndex        // byPath, frozen
	sources  *pageIndex        // bySource, frozen
	drafts   map[string]string // source file and site path of every left-out draft -> its source
	unbuilt  map[string]string // KeepGoing: source file -> site path, and site path -> source, of pages that do not parse
	files    map[string]bool   // site paths of static files and content assets
	aliases  []alias
	assets   *assetMap
	views    map[string]*Site // language code -> the site as its pages see it
	local    map[*Page]*Page  // in a language's view: default-language page -> its place here
	fsys     fs.FS            // the site's files, from which PageProse reads a page again
}

// A Link is a titled link from the site settings.
type Link struct {
	Title string
	URL   string
	Lang  string // set when the link leads to a page in another language
}

type alias struct {
	from string // site path of the redirect
	to   *Page
}

// DraftURLs maps the URL (with the base path) of every draft left out of
// the build to its content file, so that checks can name links to drafts.
func (s *Site) DraftURLs() map[string]string {
	out := map[string]string{}
	for k, file := range s.drafts {
		if strings.HasPrefix(k, "/") {
			out[s.Base.Rel(k)] = file
		}
	}
	return out
}

// BaseURL is the site's base URL as given with --base-url.
func (s *Site) BaseURL() string { return s.Base.Host + s.Base.Path }

// GetPage finds a page by its site path ("/data-sharing/") or its content
// file ("data-sharing/_index.md"); nil if there is none.
func (s *Site) GetPage(ref string) *Page {
	p := s.pageOf("content/" + strings.TrimPrefix(ref, "/"))
	if p == nil {
		p = s.pageAt(normalisePath(ref))
	}
	if n := s.local[p]; n != nil {
		return n // the page in this view's language, or its stand-in
	}
	return p
}

// A loaded page is a parsed content file before it has a place in the tree.
type loaded struct {
	file string // relative to the site root: "content/faqs/_index.md"
	src  *source
}

type assembler struct {
	s    *Site
	errs Errors
	warn func(*Error)
	dirs map[string]*Page  // content folder ("" is the root) -> its section page
	held []heldTranslation // translations, placed once the default-language tree is
}

// assemble builds the page tree, and decides the output file of every
// page, alias and copied file (the files of static/ and of content/ that
// are not pages). It is pure: no file is read or written.
func assemble(pages []loaded, files []string, cfg Config, base BaseURL, warn func(*Error)) (*Site, Errors) {
	s := &Site{
		Base: base, BuildDrafts: cfg.Drafts, Serve: cfg.Serve,
		byPath: map[string]*Page{}, bySource: map[string]*Page{},
		drafts: map[string]string{}, files: map[string]bool{chromaCSS: true},
	}
	for _, f := range files {
		s.files["/"+assetOutput(f)] = true
	}
	a := &assembler{s: s, warn: warn, dirs: map[string]*Page{}}
	var regular []*Page
	for _, l := range pages {
		if l.src == nil {
			a.s.leftOut(l.file)
			continue
		}
		p := a.place(l)
		if p == nil {
			continue
		}
		if p.Kind == KindPage {
			regular = append(regular, p)
		}
	}
	if s.Home = a.dirs[""]; s.Home == nil {
		s.Home = a.virtualSection("")
	}
	for _, p := range regular {
		p.Parent = a.section(parentDir(strings.TrimPrefix(p.Source, "content/")))
		p.Parent.Pages = append(p.Parent.Pages, p)
	}
	for dir, p := range a.dirs {
		if dir != "" {
			p.Parent = a.section(parentDir(dir))
		}
	}
	for _, dir := range sortedKeys(a.dirs) {
		if dir != "" {
			p := a.dirs[dir]
			p.Parent.Sections = append(p.Parent.Sections, p)
		}
	}
	a.finish()
	a.translate()
	a.registerOutputs(files)
	return s, a.errs
}

func parentDir(dir string) string {
	if d := path.Dir(dir); d != "." {
		return d
	}
	return ""
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// place gives a loaded file its kind and path, or leaves out a draft.
func (a *assembler) place(l loaded) *Page {
	fm := l.src.fm
	rel := strings.TrimPrefix(l.file, "content/")
	if code, _, ok := splitLang(rel); ok {
		a.holdTranslation(l, code)
		return nil
	}
	p := a.newPage(l)
	base := path.Base(rel)
	isIndex := base == "_index.md" || base == "index.md"
	if isIndex {
		p.Kind = KindSection
		if path.Dir(rel) == "." {
			p.Kind = KindHome
		}
	}
	p.Path = pageURL(rel)
	if v, line := fm.Slug, fm.Lines.line("slug"); v != "" || line > 0 {
		if msg := checkPathValue("slug", v, true); msg != "" {
			a.errs = append(a.errs, errorf(l.file, line, "%s", msg))
		} else if p.Kind != KindHome {
			p.Path = path.Dir(strings.TrimSuffix(p.Path, "/")) + "/" + urlSegment(v) + "/"
			p.Path = normalisePath(p.Path)
		}
	}
	if v, line := fm.URL, fm.Lines.line("url"); v != "" || line > 0 {
		if msg := checkPathValue("url", v, false); msg != "" {
			a.errs = append(a.errs, errorf(l.file, line, "%s", msg))
		} else {
			p.Path = normalisePath(v)
		}
	}
	if p.Draft && !a.s.BuildDrafts {
		a.s.drafts[l.file] = l.file
		a.s.drafts[p.Path] = l.file
		return nil
	}
	if other := a.s.byPath[p.Path]; other != nil {
		a.errs = append(a.errs, errorf(l.file, pathLine(p), "its URL %s is also the URL of %s; rename one of the files or give one a different slug", p.Path, other.Source),
			errorf(other.Source, pathLine(other), "its URL %s is also the URL of %s; rename one of the files or give one a different slug", p.Path, l.file))
		return nil
	}
	a.s.byPath[p.Path] = p
	a.s.bySource[l.file] = p
	if isIndex {
		dir := path.Dir(rel)
		if dir == "." {
			dir = ""
		}
		if other := a.dirs[dir]; other != nil {
			a.errs = append(a.errs, errorf(l.file, 0, "the folder already has %s as its section page; keep only one of _index.md and index.md", other.Source))
			return nil
		}
		a.dirs[dir] = p
	}
	for _, al := range fm.Aliases {
		if msg := checkPathValue("aliases", al, false); msg != "" {
			a.errs = append(a.errs, errorf(l.file, fm.Lines.line("aliases"), "%s", msg))
			continue
		}
		a.s.aliases = append(a.s.aliases, alias{from: normalisePath(al), to: p})
	}
	return p
}

// newPage makes the page of a loaded file from its front matter.
func (a *assembler) newPage(l loaded) *Page {
	fm := l.src.fm
	p := &Page{
		Title: fm.Title, Description: fm.Description, NavTitle: fm.NavTitle, Weight: fm.Weight,
		Date: fm.Date, Lastmod: fm.Lastmod, LastReviewed: fm.LastReviewed, ReviewBy: fm.ReviewBy,
		Draft: fm.Draft, ShowTOC: fm.TOC, Owner: fm.Owner, Layout: fm.Layout, Menu: fm.Menu,
		Params: fm.Params, Source: l.file, Site: a.s, src: l.src, Kind: KindPage, Changes: fm.Changes,
	}
	if p.Lastmod.IsZero() {
		p.Lastmod = p.Date
	}
	if c := p.LatestChange(); c != nil && c.Date.After(p.Lastmod) {
		p.Lastmod = c.Date // a change note is an update
	}
	return p
}

// section returns the section page of a content folder, making a plain
// one (titled after the folder) when the folder has no _index.md.
func (a *assembler) section(dir string) *Page {
	if p := a.dirs[dir]; p != nil {
		return p
	}
	p := a.virtualSection(dir)
	if dir != "" {
		p.Parent = a.section(parentDir(dir))
	}
	return p
}

func (a *assembler) virtualSection(dir string) *Page {
	title := "Home"
	kind := KindHome
	if dir != "" {
		kind = KindSection
		title = strings.ReplaceAll(path.Base(dir), "-", " ")
		r := []rune(title)
		r[0] = unicode.ToUpper(r[0])
		title = string(r)
	}
	p := &Page{Title: title, Kind: kind, Site: a.s, Params: map[string]any{}}
	p.Path = pageURL(path.Join(dir, "_index.md"))
	if other := a.s.byPath[p.Path]; other != nil {
		// A page with a url or slug took the folder's address; give the
		// folder's own page no address of its own.
		a.errs = append(a.errs, errorf(other.Source, 0, "its URL %s is the address of the folder content/%s; give it another url, or add content/%s/_index.md", p.Path, dir, dir))
	}
	a.dirs[dir] = p
	a.s.byPath[p.Path] = p
	return p
}

// finish sorts the tree, links siblings, reads the site settings and
// checks aliases.
func (a *assembler) finish() {
	s := a.s
	for _, p := range s.byPath {
		s.AllPages = append(s.AllPages, p)
	}
	slices.SortFunc(s.AllPages, func(x, y *Page) int { return cmp.Compare(x.Path, y.Path) })
	for i, p := range s.AllPages {
		p.index = i
		p.RelPermalink = s.Base.Rel(p.Path)
		p.Permalink = p.RelPermalink // Abs without a host: one string, not two
		if s.Base.Host != "" {
			p.Permalink = s.Base.Abs(p.Path)
		}
		sortPages(p.Pages)
		sortPages(p.Sections)
		p.Children = append(slices.Clone(p.Sections), p.Pages...)
		sortPages(p.Children)
		for j, q := range p.Pages {
			if j > 0 {
				q.Prev = p.Pages[j-1]
			}
			if j+1 < len(p.Pages) {
				q.Next = p.Pages[j+1]
			}
		}
	}
	a.settings()
	for _, c := range s.Home.Children {
		switch {
		case c.Kind != KindSection || c.Menu == "none":
		case c.Menu == "footer":
			s.FooterMenu = append(s.FooterMenu, c)
		default:
			s.Menu = append(s.Menu, c)
		}
	}
	slices.SortFunc(s.aliases, func(x, y alias) int { return cmp.Or(cmp.Compare(x.from, y.from), cmp.Compare(x.to.Path, y.to.Path)) })
}

func sourceName(p *Page) string {
	if p.Source == "" {
		return "the folder " + strings.TrimSuffix(p.Path, "/")
	}
	return p.Source
}

// settings reads the "site" key of the home page's front matter.
func (a *assembler) settings() {
	s := a.s
	s.Title, s.Language = s.Home.Title, "en"
	raw, ok := s.Home.Params["site"]
	if !ok {
		return
	}
	file, line := s.Home.Source, s.Home.src.lines.line("site")
	m, ok := raw.(map[string]any)
	if !ok {
		a.errs = append(a.errs, errorf(file, line, "site: must be a set of settings such as title: and language:"))
		return
	}
	s.Params = m
	str := func(key string, dst *string) {
		if v, ok := m[key]; ok {
			if x, msg := asString(v); msg != "" {
				a.errs = append(a.errs, errorf(file, line, "site.%s: %s", key, msg))
			} else {
				*dst = x
			}
		}
	}
	str("title", &s.Title)
	str("language", &s.Language)
	str("organisation", &s.Organisation)
	str("division", &s.Division)
	str("copyright", &s.Copyright)
	if v, ok := m["raw_html"]; ok {
		b, msg := asBool(v)
		if msg != "" {
			a.errs = append(a.errs, errorf(file, line, "site.raw_html: %s", msg))
		}
		s.RawHTML = b
	}
	if v, ok := m["footer_links"]; ok {
		a.footerLinks(file, line, v)
	}
}

func (a *assembler) footerLinks(file string, line int, v any) {
	list, ok := v.([]any)
	if !ok {
		a.errs = append(a.errs, errorf(file, line, "site.footer_links: must be a list of title: and url: pairs"))
		return
	}
	for i, item := range list {
		m, _ := item.(map[string]any)
		title, _ := m["title"].(string)
		u, _ := m["url"].(string)
		if title == "" || u == "" {
			a.errs = append(a.errs, errorf(file, line, "site.footer_links[%d]: give both a title and a url", i))
			continue
		}
		if !isExternal(u) {
			if a.s.byPath[normalisePath(u)] == nil && !a.s.files[normalisePath(u)] && a.s.unbuilt[normalisePath(u)] == "" {
				a.errs = append(a.errs, errorf(file, line, "site.footer_links: %s is not a page of the site; fix the url", u))
				continue
			}
			u = a.s.Base.Rel(normalisePath(u))
		}
		a.s.FooterLinks = append(a.s.FooterLinks, Link{Title: title, URL: u})
	}
}

// sortPages orders pages by weight (pages without one last), then title,
// then path.
func sortPages(ps []*Page) {
	slices.SortStableFunc(ps, func(x, y *Page) int {
		wx, wy := x.Weight, y.Weight
		if (wx == 0) != (wy == 0) {
			if wx == 0 {
				return 1
			}
			return -1
		}
		return cmp.Or(cmp.Compare(wx, wy), cmp.Compare(strings.ToLower(x.Title), strings.ToLower(y.Title)), cmp.Compare(x.Path, y.Path))
	})
}

func (p *Page) String() string { return fmt.Sprintf("Page(%s)", p.Path) }

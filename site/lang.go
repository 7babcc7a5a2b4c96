package site

import (
	"cmp"
	"fmt"
	"path"
	"slices"
	"strings"
)

// A Language is one language of the site, from the languages list of the
// site settings. The default language's pages have no suffix in their
// file names and no URL prefix; another language's pages are files such
// as legal-guidance.cy.md, published under its prefix (/cy/).
type Language struct {
	Code    string // the file name suffix: "cy"
	Lang    string // the lang and hreflang value: "cy", "en-GB"
	Name    string // the language's name in itself: "Cymraeg"
	Prefix  string // the URL prefix: "/" or "/cy/"
	Default bool

	// Title, Organisation, Division and Copyright replace the site
	// settings of the same name on this language's pages, when given.
	Title, Organisation, Division, Copyright string
}

// EnglishName is the language's name in English, for messages to
// editors: "Welsh" for cy; its own name for a language not listed here.
func (l *Language) EnglishName() string {
	switch l.Code {
	case "cy":
		return "Welsh"
	case "en":
		return "English"
	case "ga":
		return "Irish"
	case "gd":
		return "Scottish Gaelic"
	case "kw":
		return "Cornish"
	case "fr":
		return "French"
	case "de":
		return "German"
	}
	return l.Name
}

// heldTranslation is a translation waiting for the default-language tree.
type heldTranslation struct {
	l    loaded
	code string
}

// splitLang reports whether a content file (relative to content/) is a
// translation, "legal-guidance.cy.md", and returns its language code and
// the file of the page it translates, "legal-guidance.md". A suffix is a
// language code when it is two or three lower-case letters, optionally
// followed by a region ("cy", "en-gb"); other dots are part of the name.
func splitLang(rel string) (code, orig string, ok bool) {
	stem, found := strings.CutSuffix(rel, ".md")
	if !found {
		return "", "", false
	}
	i := strings.LastIndexByte(stem, '.')
	if i < 0 || strings.Contains(stem[i:], "/") {
		return "", "", false
	}
	code = stem[i+1:]
	if !isLangCode(code) {
		return "", "", false
	}
	return code, stem[:i] + ".md", true
}

func isLangCode(s string) bool {
	lang, region, _ := strings.Cut(s, "-")
	letters := func(s string, min, max int) bool {
		if len(s) < min || len(s) > max {
			return false
		}
		for _, c := range s {
			if c < 'a' || c > 'z' {
				return false
			}
		}
		return true
	}
	return letters(lang, 2, 3) && (!strings.Contains(s, "-") || letters(region, 2, 3))
}

// holdTranslation keeps a translation aside until the default-language
// tree is assembled and the languages are known.
func (a *assembler) holdTranslation(l loaded, code string) {
	a.held = append(a.held, heldTranslation{l: l, code: code})
}

// translate reads the languages, places every translation beside the page
// it translates, and builds each other language's view of the site.
func (a *assembler) translate() {
	s := a.s
	a.readLanguages()
	for _, p := range s.AllPages {
		p.Language = s.Lang
	}
	s.Pages = slices.Clone(s.AllPages)
	s.views = map[string]*Site{s.Lang.Code: s}
	trans := map[string]map[*Page]*Page{} // code -> original -> translation
	for _, h := range a.held {
		if t := a.placeTranslation(h, trans); t != nil {
			s.AllPages = append(s.AllPages, t)
		}
	}
	for _, l := range s.Languages {
		if !l.Default {
			s.views[l.Code] = a.view(l, trans[l.Code])
		}
	}
	slices.SortFunc(s.AllPages, func(x, y *Page) int { return cmp.Compare(x.Path, y.Path) })
	for i, p := range s.AllPages {
		p.index = i
	}
}

// language returns the listed language with the code, or nil.
func (s *Site) language(code string) *Language {
	for _, l := range s.Languages {
		if l.Code == code {
			return l
		}
	}
	return nil
}

// placeTranslation gives a translation its language, the page it
// translates and its path; nil when it is left out (a draft, or an error).
func (a *assembler) placeTranslation(h heldTranslation, trans map[string]map[*Page]*Page) *Page {
	s, file := a.s, h.l.file
	l := s.language(h.code)
	switch {
	case l == nil:
		a.errs = append(a.errs, errorf(file, 0, "the language code %q is not in the site settings; add it to site.languages in content/_index.md, or rename the file", h.code))
		return nil
	case l.Default:
		a.errs = append(a.errs, errorf(file, 0, "%s is the default language, whose pages need no language code; rename the file without .%s", l.EnglishName(), h.code))
		return nil
	}
	orig, origFile := a.original(file)
	if orig == nil {
		if s.drafts[origFile] == "" { // a draft's translation waits with it
			a.errs = append(a.errs, errorf(file, 0, "this translation has no %s page; add %s, or rename the file to match the page it translates", s.Lang.EnglishName(), origFile))
		}
		return nil
	}
	p := a.newPage(h.l)
	if p.Draft && !s.BuildDrafts {
		s.drafts[file] = file
		return nil
	}
	if trans[l.Code] == nil {
		trans[l.Code] = map[*Page]*Page{}
	}
	if other := trans[l.Code][orig]; other != nil {
		msg := "%s and %s are both the %s translation of %s; keep only one"
		a.errs = append(a.errs, errorf(file, 0, msg, other.Source, file, l.EnglishName(), orig.Source),
			errorf(other.Source, 0, msg, other.Source, file, l.EnglishName(), orig.Source))
		return nil
	}
	p.Kind, p.Language, p.orig = orig.Kind, l, orig
	if !a.translationPath(p, h.l, l, orig) {
		return nil
	}
	trans[l.Code][orig] = p
	orig.translations = append(orig.translations, p)
	p.RelPermalink, p.Permalink = s.Base.Rel(p.Path), s.Base.Abs(p.Path)
	return p
}

// original finds the default-language page a translation translates, and
// the file it looked for.
func (a *assembler) original(file string) (*Page, string) {
	_, orig, _ := splitLang(file)
	dir, base := path.Split(orig)
	names := []string{orig}
	if base == "_index.md" || base == "index.md" {
		names = []string{dir + "_index.md", dir + "index.md"}
	}
	for _, n := range names {
		if p := a.s.bySource[n]; p != nil {
			return p, n
		}
	}
	for _, n := range names {
		if a.s.drafts[n] != "" {
			return nil, n
		}
	}
	return nil, names[0]
}

// translationPath gives a translation the path of the page it translates
// under its language's prefix, or its own slug or url. It reports whether
// the path is free.
func (a *assembler) translationPath(p *Page, l loaded, lang *Language, orig *Page) bool {
	fm := l.src.fm
	p.Path = normalisePath(lang.Prefix + strings.TrimPrefix(orig.Path, "/"))
	if v, line := fm.Slug, fm.Lines.line("slug"); v != "" || line > 0 {
		if msg := checkPathValue("slug", v, true); msg != "" {
			a.errs = append(a.errs, errorf(l.file, line, "%s", msg))
			return false
		} else if p.Kind != KindHome {
			p.Path = normalisePath(path.Dir(strings.TrimSuffix(p.Path, "/")) + "/" + urlSegment(v) + "/")
		}
	}
	if v, line := fm.URL, fm.Lines.line("url"); v != "" || line > 0 {
		if msg := checkPathValue("url", v, false); msg != "" {
			a.errs = append(a.errs, errorf(l.file, line, "%s", msg))
			return false
		}
		p.Path = normalisePath(v)
	}
	if other := a.s.byPath[p.Path]; other != nil {
		a.errs = append(a.errs, errorf(l.file, pathLine(p), "its URL %s is also the URL of %s; give one of them a different slug", p.Path, sourceName(other)))
		return false
	}
	a.s.byPath[p.Path] = p
	a.s.bySource[l.file] = p
	for _, al := range fm.Aliases {
		if msg := checkPathValue("aliases", al, false); msg == "" {
			a.s.aliases = append(a.s.aliases, alias{from: normalisePath(al), to: p})
		} else {
			a.errs = append(a.errs, errorf(l.file, fm.Lines.line("aliases"), "%s", msg))
		}
	}
	return true
}

// view builds a language's view of the site: the default-language tree,
// with each page replaced by its translation where there is one, and by
// a stand-in that links to the default-language page where there is not.
func (a *assembler) view(l *Language, trans map[*Page]*Page) *Site {
	s := a.s
	v := new(Site)
	*v = *s
	v.Lang, v.Language = l, l.Lang
	v.Title = cmp.Or(l.Title, s.Title)
	v.Organisation = cmp.Or(l.Organisation, s.Organisation)
	v.Division = cmp.Or(l.Division, s.Division)
	v.Copyright = cmp.Or(l.Copyright, s.Copyright)
	v.local = map[*Page]*Page{}
	node := func(p *Page) *Page {
		if p == nil {
			return nil
		}
		if n := v.local[p]; n != nil {
			return n
		}
		n := trans[p]
		if n == nil {
			n = standIn(p)
		}
		n.Site = v
		v.local[p] = n
		return n
	}
	nodes := func(ps []*Page) []*Page {
		out := make([]*Page, len(ps))
		for i, p := range ps {
			out[i] = node(p)
		}
		return out
	}
	for _, p := range s.Pages {
		n := node(p)
		n.Parent, n.Prev, n.Next = node(p.Parent), node(p.Prev), node(p.Next)
		n.Pages, n.Sections, n.Children = nodes(p.Pages), nodes(p.Sections), nodes(p.Children)
	}
	v.Home, v.Menu, v.FooterMenu, v.Pages = node(s.Home), nodes(s.Menu), nodes(s.FooterMenu), nodes(s.Pages)
	if t := trans[s.Home]; t != nil && l.Title == "" {
		v.Title = t.Title
	}
	v.FooterLinks = nil
	for _, fl := range s.FooterLinks {
		v.FooterLinks = append(v.FooterLinks, v.localLink(fl))
	}
	return v
}

// standIn is the place of a default-language page in another language's
// tree, where the page has no translation: it links to the page, marked
// as being in the default language. It is never rendered.
func standIn(p *Page) *Page {
	return &Page{
		Title: p.Title, Description: p.Description, NavTitle: p.NavTitle, Weight: p.Weight,
		Date: p.Date, Lastmod: p.Lastmod, Draft: p.Draft, Owner: p.Owner, Layout: p.Layout, Menu: p.Menu,
		Params: p.Params, Changes: p.Changes, Kind: p.Kind, Source: p.Source, Path: p.Path,
		RelPermalink: p.RelPermalink, Permalink: p.Permalink, Language: p.Language, orig: p, standIn: true,
	}
}

// localLink is a footer link in this view's language: to the translation
// of the page it links to, titled as the translation is; else as it was,
// marked as being in the default language.
func (v *Site) localLink(fl Link) Link {
	if isExternal(fl.URL) {
		return fl
	}
	for orig, n := range v.local {
		if orig.RelPermalink == fl.URL {
			if n.standIn {
				fl.Lang = orig.Language.Lang
				return fl
			}
			return Link{Title: n.LinkTitle(), URL: n.RelPermalink}
		}
	}
	return fl
}

// Translations lists the page in the site's other languages, each a page
// that exists: the default-language page first, then the others in the
// order of the settings. A page with no translation has none.
func (p *Page) Translations() []*Page {
	if p.standIn {
		return nil
	}
	orig := p
	if p.orig != nil {
		orig = p.orig
	}
	var out []*Page
	if orig != p {
		out = append(out, orig)
	}
	for _, t := range orig.translations {
		if t != p {
			out = append(out, t)
		}
	}
	return out
}

// LinkLang is the language of a link to the page from a page in another
// language's tree: the default language's code for a stand-in, else "".
// Layouts write it as lang and hreflang on the link.
func (p *Page) LinkLang() string {
	if p.standIn && p.Language != nil {
		return p.Language.Lang
	}
	return ""
}

// IsTranslation reports whether the page is a translation of a page in
// the default language.
func (p *Page) IsTranslation() bool { return p.orig != nil && !p.standIn }

// Original is the default-language page a translation translates; the
// page itself for a default-language page.
func (p *Page) Original() *Page {
	if p.orig != nil {
		return p.orig
	}
	return p
}

// Translation returns the page's translation into the language with the
// code, or nil.
func (p *Page) Translation(code string) *Page {
	for _, t := range p.Original().translations {
		if t.Language.Code == code {
			return t
		}
	}
	return nil
}

// View returns the site as a language's pages see it, or nil when the
// site has no such language.
func (s *Site) View(code string) *Site { return s.views[code] }

// readLanguages reads site.languages. Without it the site has one
// language, the default, whose code is that of site.language.
func (a *assembler) readLanguages() {
	s := a.s
	def := &Language{Code: primaryTag(s.Language), Lang: s.Language, Name: "English", Prefix: "/", Default: true}
	s.Lang, s.Languages = def, []*Language{def}
	raw, ok := s.Params["languages"]
	if !ok {
		return
	}
	file, line := s.Home.Source, s.Home.src.lines.line("site")
	list, ok := raw.([]any)
	if !ok || len(list) == 0 {
		a.errs = append(a.errs, errorf(file, line, "site.languages: must be a list of languages, each with code: and name:"))
		return
	}
	var langs []*Language
	for i, item := range list {
		if l, msg := readLanguage(item); msg != "" {
			a.errs = append(a.errs, errorf(file, line, "site.languages[%d]: %s", i, msg))
		} else {
			langs = append(langs, l)
		}
	}
	if msg := checkLanguages(langs); msg != "" {
		a.errs = append(a.errs, errorf(file, line, "site.languages: %s", msg))
		return
	}
	for _, l := range langs {
		if l.Default {
			l.Lang = cmp.Or(l.Lang, s.Language)
			s.Language = l.Lang
			s.Lang = l
		}
		l.Lang = cmp.Or(l.Lang, l.Code)
	}
	s.Languages = langs
	slices.SortStableFunc(s.Languages, func(x, y *Language) int {
		if x.Default != y.Default {
			if x.Default {
				return -1
			}
			return 1
		}
		return 0
	})
}

// readLanguage reads one entry of site.languages.
func readLanguage(item any) (*Language, string) {
	m, ok := item.(map[string]any)
	if !ok {
		return nil, "must be a set of code:, name: and, for other languages than the default, prefix:"
	}
	l := &Language{}
	for k, v := range m {
		var dst *string
		switch k {
		case "code":
			dst = &l.Code
		case "name":
			dst = &l.Name
		case "lang":
			dst = &l.Lang
		case "prefix":
			dst = &l.Prefix
		case "title":
			dst = &l.Title
		case "organisation":
			dst = &l.Organisation
		case "division":
			dst = &l.Division
		case "copyright":
			dst = &l.Copyright
		case "default":
			b, msg := asBool(v)
			if msg != "" {
				return nil, "default: " + msg
			}
			l.Default = b
			continue
		default:
			return nil, fmt.Sprintf("%q is not a language setting; use code, name, lang, prefix, default, title, organisation, division or copyright", k)
		}
		s, msg := asString(v)
		if msg != "" {
			return nil, k + ": " + msg
		}
		*dst = strings.TrimSpace(s)
	}
	return l, checkLanguage(l)
}

// checkLanguage checks one language's code, name and prefix, and gives
// the prefix its default.
func checkLanguage(l *Language) string {
	switch {
	case !isLangCode(l.Code):
		return fmt.Sprintf("code %q is not a language code; write one such as cy or en", l.Code)
	case l.Name == "":
		return fmt.Sprintf("give the language %s a name, in itself, such as Cymraeg", l.Code)
	case l.Default && l.Prefix != "" && normalisePath(l.Prefix) != "/":
		return "the default language has no URL prefix; remove prefix:"
	}
	if l.Default {
		l.Prefix = "/"
		return ""
	}
	if l.Prefix == "" {
		l.Prefix = "/" + l.Code + "/"
	}
	if msg := checkPathValue("prefix", l.Prefix, false); msg != "" {
		return msg
	}
	if l.Prefix = normalisePath(l.Prefix); l.Prefix == "/" {
		return fmt.Sprintf("the language %s needs a URL prefix of its own, such as /%s/", l.Code, l.Code)
	}
	return ""
}

// checkLanguages checks that exactly one language is the default, and
// that codes and prefixes are not repeated.
func checkLanguages(langs []*Language) string {
	defaults := 0
	seen := map[string]bool{}
	for _, l := range langs {
		if l.Default {
			defaults++
		}
		if seen["code "+l.Code] || seen["prefix "+l.Prefix] {
			return fmt.Sprintf("the language %s repeats a code or prefix; give each language its own", l.Code)
		}
		seen["code "+l.Code], seen["prefix "+l.Prefix] = true, true
	}
	if defaults != 1 {
		return "mark exactly one language default: true (the language of files without a code)"
	}
	return ""
}

// primaryTag is the language of a language tag: "en" of "en-GB".
func primaryTag(tag string) string {
	code, _, _ := strings.Cut(strings.ToLower(tag), "-")
	if !isLangCode(code) {
		return "en"
	}
	return code
}

// notFoundPages are the pages for addresses that do not exist: the
// default language's at /404.html, and one under the prefix of each other
// language whose home page is translated.
func notFoundPages(site *Site, t stringTables) []*Page {
	var out []*Page
	for _, l := range site.Languages {
		v := site.views[l.Code]
		if v == nil || (!l.Default && v.Home.standIn) {
			continue
		}
		title, err := t.translate(l, "Page not found")
		if err != nil {
			title = "Page not found"
		}
		nf := &Page{Title: title, Kind: Kind404, Path: l.Prefix + "404.html", Site: v, Parent: v.Home, Language: l, Params: map[string]any{}}
		nf.RelPermalink, nf.Permalink = site.Base.Rel(nf.Path), site.Base.Abs(nf.Path)
		out = append(out, nf)
	}
	return out
}

// languageViews lists the site as each language's pages see it, the
// default language first, leaving out languages with no translated home
// page.
func languageViews(site *Site) []*Site {
	var out []*Site
	for _, l := range site.Languages {
		if v := site.views[l.Code]; v != nil && (l.Default || !v.Home.standIn) {
			out = append(out, v)
		}
	}
	return out
}

// ownPages leaves out the stand-ins for pages in another language.
func ownPages(ps []*Page) []*Page {
	return slices.DeleteFunc(slices.Clone(ps), func(p *Page) bool { return p.standIn })
}

// homePath is the path of a language's home page: "/" or "/cy/".
func homePath(s *Site) string {
	if s.Lang == nil {
		return "/"
	}
	return s.Lang.Prefix
}

// A sitemapAlternate is an xhtml:link of the sitemap: the same page in
// another language (and in its own, as search engines ask).
type sitemapAlternate struct {
	Rel      string `xml:"rel,attr"`
	Hreflang string `xml:"hreflang,attr"`
	Href     string `xml:"href,attr"`
}

// sitemapAlternates lists a page and its translations, when it has any.
func sitemapAlternates(p *Page) []sitemapAlternate {
	others := published(p.Translations())
	if len(others) == 0 {
		return nil
	}
	all := append([]*Page{p.Original()}, p.Original().translations...)
	var out []sitemapAlternate
	for _, q := range published(all) {
		out = append(out, sitemapAlternate{Rel: "alternate", Hreflang: q.Language.Lang, Href: p.Site.Base.escapedAbs(q.Path)})
	}
	return out
}

// Lang is the page's lang attribute: its language's tag.
func (p *Page) Lang() string {
	switch {
	case p.Language != nil:
		return p.Language.Lang
	case p.Site != nil:
		return p.Site.Language
	}
	return ""
}

// localise is the page a link from a page to target leads to: target's
// translation into the linking page's language, where there is one, so
// that a Welsh page that links to legal-guidance.md leads to its Welsh
// translation.
func localise(from, target *Page) *Page {
	if target == nil || from.Language == nil || from.Language.Default || target.orig != nil {
		return target
	}
	if t := target.Translation(from.Language.Code); t != nil {
		return t
	}
	return target
}

// TranslationOf reports whether a content file (relative to content/) is
// a translation, "toolkit.cy.md", and returns its language code and the
// file of the page it translates, "toolkit.md".
func TranslationOf(rel string) (code, orig string, ok bool) { return splitLang(rel) }

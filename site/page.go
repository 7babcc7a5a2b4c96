package site

import (
	"html/template"
	"strings"
	"sync/atomic"
	"time"
)

// Page kinds.
const (
	KindHome    = "home"
	KindSection = "section"
	KindPage    = "page"
	Kind404     = "404"
)

// A Page is one page of the site as the layouts see it. Its fields are set
// while the tree is assembled and read-only afterwards; only the rendered
// content changes, and only for the page being rendered.
type Page struct {
	Title        string
	Description  string
	NavTitle     string
	Weight       int
	Date         time.Time
	Lastmod      time.Time
	LastReviewed time.Time
	ReviewBy     time.Time
	Draft        bool
	ShowTOC      bool
	Owner        string
	Layout       string
	Menu         string
	Aliases      []string
	Params       map[string]any
	Changes      []PageChange // the page's history, newest first

	Kind         string // home, section, page or 404
	Source       string // the content file, relative to the site root; "" for a generated page
	Path         string // site path, without the base: "/data-sharing/"
	RelPermalink string // path with the base path: "/rights/data-sharing/"
	Permalink    string // absolute URL when the base URL has a host

	Site     *Site
	Parent   *Page
	Pages    []*Page // regular pages of a section, in weight order
	Sections []*Page // sub-sections of a section, in weight order
	Children []*Page // Sections and Pages together, in weight order
	Prev     *Page   // the previous regular page in the same section
	Next     *Page   // the next regular page in the same section

	// Links are the links and images of the page's Markdown, with their
	// source lines; set when the page is rendered by a build that keeps
	// them (Config.Serve or Config.KeepGoing: the preview and check).
	Links []LinkRef
	// Prose is the text of the page's Markdown, block by block with its
	// source lines; set by a Config.KeepGoing build, for check.
	Prose []ProseBlock

	Language     *Language
	orig         *Page   // of a translation or stand-in: the default-language page
	translations []*Page // of a default-language page, in the order of the settings
	standIn      bool    // a default-language page's place in another language's tree

	src      *source
	index    int
	rendered atomic.Pointer[rendered]
}

// rendered is the per-render data of the page being rendered.
type rendered struct {
	content   template.HTML
	toc       []Heading
	questions []Question
}

// A Heading is an entry of a page's table of contents.
type Heading struct {
	Level int
	ID    string
	Text  string
}

// A Question is a level-2 heading of a page and the text of its answer,
// for FAQ pages and their structured data.
type Question struct {
	ID       string
	Question string
	Answer   string
}

// Content is the page's Markdown rendered to HTML. It is only available
// while the page itself is rendered.
func (p *Page) Content() template.HTML {
	if r := p.rendered.Load(); r != nil {
		return r.content
	}
	return ""
}

// HasCode reports whether the page's content has highlighted code, so
// that layouts link the code stylesheet only where it is needed.
func (p *Page) HasCode() bool {
	r := p.rendered.Load()
	return r != nil && strings.Contains(string(r.content), `class="chroma`)
}

// TOC lists the page's level-2 and level-3 headings.
func (p *Page) TOC() []Heading {
	if r := p.rendered.Load(); r != nil {
		return r.toc
	}
	return nil
}

// TOCLinks is the list items of a table of contents: for each heading
// of the given level, in order, <li><a href="#id">text</a></li>, escaped
// as html/template escapes `<li><a href="#{{ .ID }}">{{ .Text }}</a></li>`.
// Written in Go it costs a page one call instead of some thirty reflective
// calls a heading: the table of contents was half of the layout's time on
// a page of GOV.UK length (BenchmarkLayoutPage).
func (p *Page) TOCLinks(level int) template.HTML {
	var b strings.Builder
	for _, h := range p.TOC() {
		if h.Level != level {
			continue
		}
		b.WriteString(`<li><a href="#`)
		b.WriteString(htmlEscape(urlEscape(h.ID)))
		b.WriteString(`">`)
		b.WriteString(htmlEscape(h.Text))
		b.WriteString(`</a></li>`)
	}
	return template.HTML(b.String())
}

// Questions lists the page's level-2 headings with the text that follows
// each, for FAQ pages.
func (p *Page) Questions() []Question {
	if r := p.rendered.Load(); r != nil {
		return r.questions
	}
	return nil
}

// LinkTitle is the short title for menus: nav_title, else the title.
func (p *Page) LinkTitle() string {
	if p.NavTitle != "" {
		return p.NavTitle
	}
	return p.Title
}

// IsHome, IsSection and IsPage tell the page's kind.
func (p *Page) IsHome() bool    { return p.Kind == KindHome }
func (p *Page) IsSection() bool { return p.Kind == KindSection || p.Kind == KindHome }
func (p *Page) IsPage() bool    { return p.Kind == KindPage }

// Ancestors lists the pages above this one, from the home page down.
func (p *Page) Ancestors() []*Page {
	var out []*Page
	for q := p.Parent; q != nil; q = q.Parent {
		out = append(out, q)
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out
}

// Breadcrumbs lists the home page down to this page, this page last.
func (p *Page) Breadcrumbs() []*Page {
	return append(p.Ancestors(), p)
}

// InSection reports whether p is s or lies beneath it: the test for
// marking the current section in navigation.
func (p *Page) InSection(s *Page) bool {
	if s == nil {
		return false
	}
	if s.Kind == KindHome {
		return p == s
	}
	for q := p; q != nil; q = q.Parent {
		if q == s {
			return true
		}
	}
	return false
}

// Section is the top-level section the page belongs to, or nil for the
// home page and top-level pages.
func (p *Page) Section() *Page {
	for q := p; q != nil && q.Parent != nil; q = q.Parent {
		if q.Parent.Kind == KindHome {
			if q.Kind == KindSection {
				return q
			}
			return nil
		}
	}
	return nil
}

// OutputFile is the file the page is written to, relative to the output
// root: "data-sharing/index.html".
func (p *Page) OutputFile() string { return outputFile(p.Path) }

// Markdown returns the page's Markdown body and the file line it starts
// on; nil for pages without a source file.
func (p *Page) Markdown() ([]byte, int) {
	if p.src == nil {
		return nil, 0
	}
	return p.src.body, p.src.bodyLine
}

// Param returns a front matter value that the generator does not know.
func (p *Page) Param(key string) any { return p.Params[key] }

func (p *Page) dir() string {
	if p.Source == "" {
		return "content"
	}
	i := strings.LastIndexByte(p.Source, '/')
	return p.Source[:i]
}

package site

import (
	"bytes"
	"cmp"
	"encoding/xml"
	"fmt"
	"slices"
	"strings"
	"time"
)

// publishFiles writes what static hosting needs beside the pages:
// sitemap.xml, robots.txt, Atom feeds, _redirects and _headers.
func (r *pageRenderer) publishFiles() Errors {
	site := r.st.site
	var errs Errors
	add := func(name string, data []byte, err error) {
		if err != nil {
			errs = append(errs, errorf(name, 0, "cannot write: %v", err))
			return
		}
		var tmp bytes.Buffer
		errs = append(errs, r.write(name, data, &tmp)...)
	}
	data, err := sitemap(site)
	add("sitemap.xml", data, err)
	add("robots.txt", robots(site), nil)
	for _, v := range languageViews(site) {
		data, err = atomFeed(v, v.Title, v.Lang.Prefix+"feed.xml", ownPages(v.Pages))
		add(strings.TrimPrefix(v.Lang.Prefix, "/")+"feed.xml", data, err)
	}
	for _, s := range site.AllPages {
		if s.IsSection() && !s.IsHome() && s.Params["feed"] == true {
			data, err := atomFeed(s.Site, s.Title+" – "+s.Site.Title, s.Path+"feed.xml", ownPages(descendants(s)))
			add(strings.TrimPrefix(s.Path, "/")+"feed.xml", data, err)
		}
	}
	add("_redirects", redirects(site), nil)
	add("_headers", r.headers(), nil)
	return errs
}

// published lists the pages a visitor can find: no drafts.
func published(ps []*Page) []*Page {
	return slices.DeleteFunc(slices.Clone(ps), func(p *Page) bool { return p.Draft })
}

func sitemap(site *Site) ([]byte, error) {
	type url struct {
		Loc        string             `xml:"loc"`
		Lastmod    string             `xml:"lastmod,omitempty"`
		Alternates []sitemapAlternate `xml:"xhtml:link"`
	}
	type urlset struct {
		XMLName xml.Name `xml:"urlset"`
		NS      string   `xml:"xmlns,attr"`
		XHTML   string   `xml:"xmlns:xhtml,attr,omitempty"`
		URLs    []url    `xml:"url"`
	}
	set := urlset{NS: "http://www.sitemaps.org/schemas/sitemap/0.9"}
	if len(site.Languages) > 1 {
		set.XHTML = "http://www.w3.org/1999/xhtml"
	}
	for _, p := range published(site.AllPages) {
		set.URLs = append(set.URLs, url{Loc: site.Base.escapedAbs(p.Path), Lastmod: sitemapDate(p), Alternates: sitemapAlternates(p)})
	}
	out, err := xml.MarshalIndent(set, "", "  ")
	return append([]byte(xml.Header), out...), err
}

// sitemapDate is a page's lastmod for the sitemap: with its time of day
// and offset when the front matter gave a time, else the day alone.
func sitemapDate(p *Page) string {
	if !p.Lastmod.IsZero() && p.src != nil && p.src.lastmodTimed {
		return p.Lastmod.Format(time.RFC3339)
	}
	return isoDate(p.Lastmod)
}

func robots(site *Site) []byte {
	var b strings.Builder
	b.WriteString("User-agent: *\nAllow: /\n")
	if site.Base.Host != "" {
		fmt.Fprintf(&b, "\nSitemap: %s\n", site.Base.Abs("/sitemap.xml"))
	} else {
		fmt.Fprintf(&b, "\n# Build with --base-url https://… to name the sitemap here: %s\n", site.Base.Rel("/sitemap.xml"))
	}
	return []byte(b.String())
}

// atomFeed lists the most recently changed pages, newest first.
func atomFeed(site *Site, title, path string, pages []*Page) ([]byte, error) {
	type link struct {
		Href string `xml:"href,attr"`
		Rel  string `xml:"rel,attr,omitempty"`
		Type string `xml:"type,attr,omitempty"`
	}
	type text struct {
		Type string `xml:"type,attr,omitempty"`
		Body string `xml:",chardata"`
	}
	type entry struct {
		Title     string `xml:"title"`
		ID        string `xml:"id"`
		Link      link   `xml:"link"`
		Updated   string `xml:"updated"`
		Published string `xml:"published,omitempty"`
		Summary   *text  `xml:"summary,omitempty"`
	}
	type author struct {
		Name string `xml:"name"`
	}
	type feed struct {
		XMLName xml.Name `xml:"feed"`
		NS      string   `xml:"xmlns,attr"`
		Lang    string   `xml:"xml:lang,attr,omitempty"`
		Title   string   `xml:"title"`
		ID      string   `xml:"id"`
		Links   []link   `xml:"link"`
		Updated string   `xml:"updated"`
		Author  author   `xml:"author"`
		Entries []entry  `xml:"entry"`
	}
	ps := published(pages)
	ps = slices.DeleteFunc(ps, func(p *Page) bool { return p.Lastmod.IsZero() })
	slices.SortStableFunc(ps, func(a, b *Page) int {
		return cmp.Or(b.Lastmod.Compare(a.Lastmod), cmp.Compare(a.Path, b.Path))
	})
	if len(ps) > 50 {
		ps = ps[:50]
	}
	author1 := cmp.Or(site.Organisation, site.Title)
	f := feed{NS: "http://www.w3.org/2005/Atom", Lang: site.Language, Title: title, ID: feedID(site, path),
		Links:  []link{{Href: site.Base.Abs(path), Rel: "self", Type: "application/atom+xml"}, {Href: site.Base.Abs(homePath(site)), Rel: "alternate", Type: "text/html"}},
		Author: author{author1}}
	updated := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, p := range ps {
		e := entry{Title: p.Title, ID: feedID(site, p.Path), Link: link{Href: p.Permalink, Rel: "alternate", Type: "text/html"}, Updated: atomDate(p.Lastmod)}
		if !p.Date.IsZero() {
			e.Published = atomDate(p.Date)
		}
		if c := p.LatestChange(); c != nil {
			e.Summary = &text{Type: "text", Body: c.Note} // what changed, as GOV.UK's feeds say
		} else if p.Description != "" {
			e.Summary = &text{Type: "text", Body: p.Description}
		}
		f.Entries = append(f.Entries, e)
		if p.Lastmod.After(updated) {
			updated = p.Lastmod
		}
	}
	f.Updated = atomDate(updated)
	out, err := xml.MarshalIndent(f, "", "  ")
	return append([]byte(xml.Header), out...), err
}

// feedID is a permanent id for a feed or entry: its absolute URL when
// the site has a host, else a tag URI.
func feedID(site *Site, path string) string {
	if site.Base.Host != "" {
		return site.Base.Abs(path)
	}
	return "tag:charter.invalid,2005:" + site.Base.Rel(path)
}

func atomDate(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// redirects is a _redirects file (Netlify, Cloudflare Pages) with a 301
// for every alias. Paths are percent-encoded: each is one field.
func redirects(site *Site) []byte {
	var b strings.Builder
	b.WriteString("# Old addresses and where they moved to. Written by the site generator.\n")
	for _, al := range site.aliases {
		fmt.Fprintf(&b, "%s %s 301\n", site.Base.escapedRel(al.from), site.Base.escapedRel(al.to.Path))
	}
	// A missing address under a language's prefix gets its own 404 page
	// (a rule that applies only where no file is).
	for _, v := range languageViews(site)[1:] {
		fmt.Fprintf(&b, "%s* %s 404\n", site.Base.escapedRel(v.Lang.Prefix), site.Base.escapedRel(v.Lang.Prefix+"404.html"))
	}
	return []byte(b.String())
}

// contentSecurityPolicy allows only the site's own scripts, styles and
// images: the output has no inline script or style.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'; upgrade-insecure-requests"

// headers is a _headers file (Netlify, Cloudflare Pages): security
// headers everywhere, a year's cache for fingerprinted files, a short one
// for the search manifest; pages keep the host's default (revalidate).
func (r *pageRenderer) headers() []byte {
	site := r.st.site
	var b strings.Builder
	fmt.Fprintf(&b, "%s*\n", site.Base.Path)
	fmt.Fprintf(&b, "  Content-Security-Policy: %s\n", contentSecurityPolicy)
	// No Cache-Control here: hosts that join the values of every
	// matching rule (Cloudflare Pages) would send the short one with the
	// long one below. Pages get the host's default, which revalidates.
	b.WriteString("  X-Content-Type-Options: nosniff\n  Referrer-Policy: strict-origin-when-cross-origin\n  X-Frame-Options: DENY\n")
	r.b.assets.mu.RLock()
	hashed := make([]string, 0, len(r.b.assets.hashed))
	for _, h := range r.b.assets.hashed {
		hashed = append(hashed, h)
	}
	r.b.assets.mu.RUnlock()
	slices.Sort(hashed)
	for _, h := range hashed {
		fmt.Fprintf(&b, "%s\n  Cache-Control: public, max-age=31536000, immutable\n", site.Base.escapedRel(h))
	}
	if r.b.cfg.Index != nil {
		// The search index: a small manifest that changes with every
		// build, and content-addressed folders that never change; one
		// index for each language.
		for _, l := range site.Languages {
			fmt.Fprintf(&b, "%s\n  Cache-Control: public, max-age=300, must-revalidate\n", site.Base.Rel(l.Prefix+"search/meta.json"))
			fmt.Fprintf(&b, "%s\n  Cache-Control: public, max-age=31536000, immutable\n", site.Base.Rel(l.Prefix+"search/*/*"))
		}
	}
	return []byte(b.String())
}

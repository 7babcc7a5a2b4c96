package site

import (
	"encoding/xml"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

// safePath is what a path in _redirects, _headers and sitemap.xml may
// hold once percent-encoded: no space, no line break, no quote, no
// wildcard and no placeholder.
var safePath = regexp.MustCompile(`^/[A-Za-z0-9\-._~/!$&'()+,;=@%]*$`)

// hostileNames is a site whose file names, urls and aliases hold every
// character that means something in _redirects, _headers or XML.
func hostileNames() fstest.MapFS {
	page := func(fm string) *fstest.MapFile { return &fstest.MapFile{Data: []byte("---\n" + fm + "\n---\nText.\n")} }
	return fstest.MapFS{
		"content/_index.md":          page("title: Home"),
		"content/quote.md":           page(`title: Q` + "\n" + `url: '/say"hi"<b>&/'` + "\n" + `aliases: ['/ol"d/', '/100%/', '/a*b/', '/:splat/']`),
		"content/café.md":            page("title: Café"),
		"content/ctl\x01name.md":     page("title: Ctl"),
		"content/line\nbreak.md":     page("title: Break"),
		"static/css/a b*c:d\n e.css": {Data: []byte("a{color:red}")},
		"static/css/site.css":        {Data: []byte("b{color:red}")},
		"layouts/_default/list.html": {Data: []byte(`<link rel="stylesheet" href="{{ relURL "/css/a b*c:d\n e.css" }}">{{ .Title }}`)},
		"layouts/_default/page.html": {Data: []byte(`{{ .Title }}`)},
	}
}

// unescaped checks that p is percent-encoded as safePath requires, and
// returns the path it stands for.
func unescaped(t *testing.T, file, p string) string {
	t.Helper()
	if !safePath.MatchString(p) {
		t.Errorf("%s: path %q is not percent-encoded", file, p)
	}
	u, err := url.PathUnescape(p)
	if err != nil {
		t.Errorf("%s: path %q: %v", file, p, err)
	}
	return u
}

// TestPublishedPathsEscaped: every path written into _redirects, _headers
// and sitemap.xml is one percent-encoded field that decodes to the page,
// alias or file it names.
func TestPublishedPathsEscaped(t *testing.T) {
	out, res := mustBuild(t, hostileNames(), Config{BaseURL: "https://example.org/r/", Fingerprint: true})
	var pages []string
	for _, p := range published(res.Site.AllPages) {
		pages = append(pages, "/r"+p.Path)
	}

	red, _ := out.File("_redirects")
	var from []string
	for line := range strings.Lines(string(red)) {
		if strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Fields(line)
		if len(f) != 3 || f[2] != "301" {
			t.Errorf("_redirects: line %q is not from, to, 301", line)
			continue
		}
		from = append(from, unescaped(t, "_redirects", f[0]))
		if to := unescaped(t, "_redirects", f[1]); !slices.Contains(pages, to) {
			t.Errorf("_redirects: %q is not a page", to)
		}
	}
	slices.Sort(from)
	if want := []string{"/r/100%/", "/r/:splat/", "/r/a*b/", "/r/ol\"d/"}; !slices.Equal(from, want) {
		t.Errorf("_redirects from %q, want %q", from, want)
	}

	hd, _ := out.File("_headers")
	var hashed []string
	for line := range strings.Lines(string(hd)) {
		line = strings.TrimSuffix(line, "\n")
		if strings.HasPrefix(line, "  ") || line == "/r/*" {
			continue
		}
		hashed = append(hashed, unescaped(t, "_headers", line))
	}
	if len(hashed) != 3 || !strings.HasPrefix(hashed[0], "/r/css/a b*c:d\n e.") {
		t.Errorf("_headers paths %q", hashed)
	}

	sm, _ := out.File("sitemap.xml")
	var set struct {
		Locs []string `xml:"url>loc"`
	}
	if err := xml.Unmarshal(sm, &set); err != nil {
		t.Fatal(err)
	}
	var locs []string
	for _, l := range set.Locs {
		p, ok := strings.CutPrefix(l, "https://example.org")
		if !ok {
			t.Errorf("sitemap: %q is not on the site's host", l)
		}
		locs = append(locs, unescaped(t, "sitemap.xml", p))
	}
	slices.Sort(locs)
	slices.Sort(pages)
	if !slices.Equal(locs, pages) {
		t.Errorf("sitemap locations %q, want %q", locs, pages)
	}
}

package cli

// Tests of the output as static hosting publishes it: the real site served
// under a sub-path and at the root and crawled link by link; the Atom feeds,
// sitemap.xml and robots.txt; text escaped for every context it lands in;
// alias redirects; and byte-identical builds.

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"
)

// publicBase is the address the sub-path tests publish the site at.
const publicBase = "https://example.org/rights/"

// buildReal builds the real site into a fresh temporary folder with the
// given build flags and returns the folder.
func buildReal(t *testing.T, flags ...string) string {
	t.Helper()
	dest := filepath.Join(t.TempDir(), "public")
	args := append([]string{"build", "--source", "../..", "--dest", dest, "--quiet"}, flags...)
	if code, stdout, stderr := runCmd(t, t.Context(), args...); code != 0 {
		t.Fatalf("building the site: exit status %d\n%s%s", code, stdout, stderr)
	}
	return dest
}

// servePrefix serves dir under the path prefix (such as /rights/) on
// 127.0.0.1 as static hosting would: 404.html, with status 404, for an
// address that does not exist or lies outside the prefix. It returns the
// server's URL with the prefix.
func servePrefix(t *testing.T, dir, prefix string) string {
	t.Helper()
	notFound := func(w http.ResponseWriter) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusNotFound)
		if b, err := os.ReadFile(filepath.Join(dir, "404.html")); err == nil {
			w.Write(b)
		}
	}
	files := http.FileServer(http.Dir(dir))
	inside := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := filepath.Join(dir, filepath.FromSlash(path.Clean("/"+r.URL.Path)))
		if _, err := os.Stat(name); err != nil {
			notFound(w)
			return
		}
		files.ServeHTTP(w, r)
	})
	strip := strings.TrimSuffix(prefix, "/")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != strip && !strings.HasPrefix(r.URL.Path, strip+"/") {
			notFound(w)
			return
		}
		if r.URL.Path == strip {
			http.Redirect(w, r, prefix, http.StatusMovedPermanently)
			return
		}
		http.StripPrefix(strip, inside).ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + prefix
}

// crawled is what a crawl found: for every URL fetched (without its
// fragment), its status and the pages that link to it; and the ids of every
// HTML page, to check #fragments.
type crawled struct {
	status   map[string]int
	from     map[string][]string
	ids      map[string]map[string]bool
	frags    map[string][]string // URL#fragment -> pages linking to it
	pages    map[string]*html.Node
	external []string // links out of the served site, each once
}

// crawl fetches start and every address reachable from it through href and
// src attributes on the same host. Links to publicBase are followed on the
// local server instead, so that canonical links are checked too.
func crawl(t *testing.T, start string, extra ...string) *crawled {
	t.Helper()
	root, _ := url.Parse(start)
	c := &crawled{status: map[string]int{}, from: map[string][]string{}, ids: map[string]map[string]bool{},
		frags: map[string][]string{}, pages: map[string]*html.Node{}}
	queue := append([]string{start}, extra...)
	for _, u := range queue {
		c.from[u] = append(c.from[u], "(start)")
	}
	client := &http.Client{Timeout: 10 * time.Second}
	for len(queue) > 0 {
		u := queue[0]
		queue = queue[1:]
		if _, done := c.status[u]; done {
			continue
		}
		resp, err := client.Get(u)
		if err != nil {
			t.Fatalf("GET %s: %v", u, err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			t.Fatalf("GET %s: %v", u, err)
		}
		c.status[u] = resp.StatusCode
		// A 404 page is read too: its links must work from any address.
		if (resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusNotFound) || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
			continue
		}
		doc, err := html.Parse(bytes.NewReader(body))
		if err != nil {
			t.Fatalf("%s: %v", u, err)
		}
		if resp.StatusCode == http.StatusOK {
			c.pages[u] = doc
		}
		c.ids[u] = map[string]bool{}
		page := resp.Request.URL // after redirects
		for n := range doc.Descendants() {
			if n.Type != html.ElementNode {
				continue
			}
			for _, a := range n.Attr {
				if a.Key == "id" {
					c.ids[u][a.Val] = true
				}
				if a.Key != "href" && a.Key != "src" {
					continue
				}
				l, err := page.Parse(strings.TrimSpace(a.Val))
				if err != nil {
					t.Errorf("%s: <%s %s=%q>: %v", u, n.Data, a.Key, a.Val, err)
					continue
				}
				if l.Scheme != "http" && l.Scheme != "https" {
					continue // mailto:, tel:
				}
				if s := l.String(); strings.HasPrefix(s, publicBase) {
					l, _ = root.Parse(strings.TrimPrefix(s, publicBase))
				}
				if l.Host != root.Host {
					if !slices.Contains(c.external, l.String()) {
						c.external = append(c.external, l.String())
					}
					continue
				}
				frag := l.Fragment
				l.Fragment, l.RawFragment = "", ""
				target := l.String()
				if frag != "" {
					c.frags[target+"#"+frag] = append(c.frags[target+"#"+frag], u)
				}
				if target != u && !slices.Contains(c.from[target], u) {
					c.from[target] = append(c.from[target], u)
				}
				if _, done := c.status[target]; !done {
					queue = append(queue, target)
				}
			}
		}
	}
	return c
}

// checkCrawl fails for every link that did not lead to a page or file, and
// for every page of the build in dir that the crawl did not reach.
func checkCrawl(t *testing.T, c *crawled, dir, base string) {
	t.Helper()
	var broken []string
	for u, st := range c.status {
		if st != http.StatusOK && !slices.Equal(c.from[u], []string{"(start)"}) {
			broken = append(broken, fmt.Sprintf("%s: status %d, linked from %s", u, st, strings.Join(c.from[u], ", ")))
		}
	}
	slices.Sort(broken)
	for _, b := range broken {
		t.Error(b)
	}
	var frags []string
	for uf, from := range c.frags {
		u, frag, _ := strings.Cut(uf, "#")
		if ids, ok := c.ids[u]; ok && !ids[frag] {
			frags = append(frags, fmt.Sprintf("%s: no id %q, linked from %s", u, frag, strings.Join(from, ", ")))
		}
	}
	slices.Sort(frags)
	for _, f := range frags {
		t.Error(f)
	}
	pages := sitePages(t, dir)
	reached := 0
	for _, p := range pages {
		if strings.HasSuffix(p, "/404.html") { // reached only for a missing address
			continue // no page links to it; the server sends it for a miss
		}
		if _, ok := c.pages[base+strings.TrimPrefix(p, "/")]; ok {
			reached++
		} else {
			t.Errorf("page %s not reached from the home page", p)
		}
	}
	if reached < 50 {
		t.Errorf("the crawl reached only %d pages", reached)
	}
	t.Logf("crawled %d addresses: %d pages of %d, %d external links not followed", len(c.status), reached, len(pages)-1, len(c.external))
}

// TestCrawlSubPath publishes the real site at https://example.org/rights/,
// serves it under /rights/ and follows every link from the home page.
func TestCrawlSubPath(t *testing.T) {
	dir := buildReal(t, "--base-url", publicBase)
	base := servePrefix(t, dir, "/rights/")
	c := crawl(t, base, base+"no-such-page/")
	if c.status[base+"no-such-page/"] != http.StatusNotFound {
		t.Errorf("a missing page: status %d, want 404", c.status[base+"no-such-page/"])
	}
	checkCrawl(t, c, dir, base)
	// Every address a visitor or another site sees is absolute and under
	// the base URL.
	for u, doc := range c.pages {
		var abs []string
		for n := range doc.Descendants() {
			if n.Type != html.ElementNode {
				continue
			}
			switch {
			case n.Data == "link" && attr(n, "rel") == "canonical":
				abs = append(abs, "canonical "+attr(n, "href"))
			case n.Data == "meta" && attr(n, "property") == "og:url":
				abs = append(abs, "og:url "+attr(n, "content"))
			case n.Data == "script" && attr(n, "type") == "application/ld+json":
				for _, s := range jsonURLs(t, u, pubText(n)) {
					abs = append(abs, "JSON-LD "+s)
				}
			}
			for _, a := range n.Attr {
				if l, err := url.Parse(a.Val); err == nil && (a.Key == "href" || a.Key == "src") && l.Host == "example.org" {
					abs = append(abs, a.Key+" "+a.Val)
				}
			}
		}
		if !slices.ContainsFunc(abs, func(s string) bool { return strings.HasPrefix(s, "canonical ") }) {
			t.Errorf("%s: no canonical link", u)
		}
		for _, a := range abs {
			if _, v, _ := strings.Cut(a, " "); !strings.HasPrefix(v, publicBase) {
				t.Errorf("%s: %s is not under %s", u, a, publicBase)
			}
		}
	}
	// The sitemap, robots.txt and feeds name the published addresses, and
	// each is there.
	var locs []string
	for _, e := range readSitemap(t, dir).URLs {
		locs = append(locs, e.Loc)
	}
	for _, f := range []string{"feed.xml", "publications/feed.xml"} {
		feed := readFeed(t, dir, f)
		for _, l := range feed.Links {
			locs = append(locs, l.Href)
		}
		for _, e := range feed.Entries {
			locs = append(locs, e.ID, e.Link.Href)
		}
	}
	robots, _ := os.ReadFile(filepath.Join(dir, "robots.txt"))
	for _, line := range strings.Split(string(robots), "\n") {
		if v, ok := strings.CutPrefix(line, "Sitemap: "); ok {
			locs = append(locs, v)
		}
	}
	var unseen []string
	for _, l := range locs {
		if !strings.HasPrefix(l, publicBase) {
			t.Errorf("%s is not under %s", l, publicBase)
			continue
		}
		if _, ok := c.status[base+strings.TrimPrefix(l, publicBase)]; !ok {
			unseen = append(unseen, base+strings.TrimPrefix(l, publicBase))
		}
	}
	c2 := crawl(t, base+"sitemap.xml", unseen...)
	for u, st := range c2.status {
		if st != http.StatusOK {
			t.Errorf("%s: status %d, named in the sitemap, a feed or robots.txt", u, st)
		}
	}
}

// TestCrawlRoot publishes the real site at the root and follows every link
// from the home page.
func TestCrawlRoot(t *testing.T) {
	dir := buildReal(t)
	base := servePrefix(t, dir, "/")
	c := crawl(t, base, base+"no-such-page/")
	if c.status[base+"no-such-page/"] != http.StatusNotFound {
		t.Errorf("a missing page: status %d, want 404", c.status[base+"no-such-page/"])
	}
	checkCrawl(t, c, dir, base)
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func pubText(n *html.Node) string {
	var b strings.Builder
	for c := range n.Descendants() {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
		}
	}
	return b.String()
}

// jsonURLs parses a JSON-LD block and returns its "url", "item" and "@id"
// values.
func jsonURLs(t *testing.T, page, text string) []string {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(text), &v); err != nil {
		t.Errorf("%s: JSON-LD does not parse: %v\n%s", page, err, text)
		return nil
	}
	var urls []string
	var walk func(any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				if s, ok := x.(string); ok && (k == "url" || k == "item" || k == "@id") {
					urls = append(urls, s)
				}
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(v)
	return urls
}

// atomFeedDoc is the part of an Atom feed the tests read.
type atomFeedDoc struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string      `xml:"id"`
	Title   string      `xml:"title"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Entries []atomEntry `xml:"entry"`
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr"`
}

type atomEntry struct {
	ID      string   `xml:"id"`
	Title   string   `xml:"title"`
	Updated string   `xml:"updated"`
	Link    atomLink `xml:"link"`
}

func readFeed(t *testing.T, dir, name string) atomFeedDoc {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
	if err != nil {
		t.Fatal(err)
	}
	var f atomFeedDoc
	if err := xml.Unmarshal(b, &f); err != nil {
		t.Fatalf("%s is not an Atom feed: %v", name, err)
	}
	return f
}

type sitemapDoc struct {
	XMLName xml.Name `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	URLs    []struct {
		Loc     string `xml:"loc"`
		Lastmod string `xml:"lastmod"`
	} `xml:"url"`
}

func readSitemap(t *testing.T, dir string) sitemapDoc {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "sitemap.xml"))
	if err != nil {
		t.Fatal(err)
	}
	var s sitemapDoc
	if err := xml.Unmarshal(b, &s); err != nil {
		t.Fatalf("sitemap.xml: %v", err)
	}
	return s
}

// TestAtomFeeds checks both feeds of the real site as a feed reader would.
func TestAtomFeeds(t *testing.T) {
	dir := buildReal(t, "--base-url", publicBase)
	for _, name := range []string{"feed.xml", "publications/feed.xml"} {
		f := readFeed(t, dir, name)
		if f.ID == "" || f.Title == "" {
			t.Errorf("%s: id %q, title %q: both are required", name, f.ID, f.Title)
		}
		if _, err := time.Parse(time.RFC3339, f.Updated); err != nil {
			t.Errorf("%s: updated %q is not RFC 3339", name, f.Updated)
		}
		if !slices.ContainsFunc(f.Links, func(l atomLink) bool {
			return l.Rel == "self" && l.Href == publicBase+name
		}) {
			t.Errorf("%s: no rel=self link to %s: %+v", name, publicBase+name, f.Links)
		}
		if len(f.Entries) == 0 {
			t.Errorf("%s: no entries", name)
		}
		ids := map[string]bool{f.ID: true}
		var latest time.Time
		for i, e := range f.Entries {
			where := fmt.Sprintf("%s: entry %d (%q)", name, i+1, e.Title)
			if e.ID == "" || e.Title == "" {
				t.Errorf("%s: id %q, title %q: both are required", where, e.ID, e.Title)
			}
			if ids[e.ID] {
				t.Errorf("%s: id %s is not unique", where, e.ID)
			}
			ids[e.ID] = true
			up, err := time.Parse(time.RFC3339, e.Updated)
			if err != nil {
				t.Errorf("%s: updated %q is not RFC 3339", where, e.Updated)
			}
			if up.After(latest) {
				latest = up
			}
			if u, err := url.Parse(e.Link.Href); err != nil || !u.IsAbs() || u.Host == "" {
				t.Errorf("%s: link href %q is not absolute", where, e.Link.Href)
			}
		}
		if up, _ := time.Parse(time.RFC3339, f.Updated); len(f.Entries) > 0 && !up.Equal(latest) {
			t.Errorf("%s: updated %s, but the newest entry is from %s", name, f.Updated, latest.Format(time.RFC3339))
		}
	}
	// The pages' heads name the feeds.
	home, _ := os.ReadFile(filepath.Join(dir, "index.html"))
	pubs, _ := os.ReadFile(filepath.Join(dir, "publications/index.html"))
	if !bytes.Contains(home, []byte(`href=/rights/feed.xml`)) && !bytes.Contains(home, []byte(`href="/rights/feed.xml"`)) {
		t.Error("the home page does not link the site feed")
	}
	if !bytes.Contains(pubs, []byte(`/rights/publications/feed.xml`)) {
		t.Error("the publications page does not link its feed")
	}
}

// TestSitemapAndRobots: every published page once, each with a date, and
// robots.txt names the sitemap by its absolute URL.
func TestSitemapAndRobots(t *testing.T) {
	dir := buildReal(t, "--base-url", publicBase)
	seen := map[string]int{}
	for _, u := range readSitemap(t, dir).URLs {
		seen[u.Loc]++
		if _, err := time.Parse(time.DateOnly, u.Lastmod); err != nil {
			t.Errorf("sitemap: %s has lastmod %q, not a date", u.Loc, u.Lastmod)
		}
	}
	for _, p := range sitePages(t, dir) {
		if strings.HasSuffix(p, "/404.html") { // reached only for a missing address
			continue
		}
		loc := publicBase + strings.TrimPrefix(p, "/")
		if seen[loc] != 1 {
			t.Errorf("sitemap lists %s %d times, want once", loc, seen[loc])
		}
		delete(seen, loc)
	}
	for loc := range seen {
		t.Errorf("sitemap lists %s, which is not a page of the site", loc)
	}
	robots, err := os.ReadFile(filepath.Join(dir, "robots.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`(?m)^Sitemap: https://example\.org/rights/sitemap\.xml$`).Match(robots) {
		t.Errorf("robots.txt does not name the sitemap:\n%s", robots)
	}
}

// useRealLayouts replaces a test site's layouts and static files with the
// real site's.
func useRealLayouts(t *testing.T, dir string) {
	t.Helper()
	for _, d := range []string{"layouts", "static"} {
		if err := os.RemoveAll(filepath.Join(dir, d)); err != nil {
			t.Fatal(err)
		}
		if err := os.CopyFS(filepath.Join(dir, d), os.DirFS(filepath.Join("../..", d))); err != nil {
			t.Fatal(err)
		}
	}
}

// TestEscaping gives a page a title and description made to break out of
// every context they are written into: HTML text, attributes, JSON-LD
// inside <script>, the Atom feed and the search index.
func TestEscaping(t *testing.T) {
	const title = `</script><script>alert(1)</script> "quoted" & 'single'`
	const desc = `"><img src=x onerror=alert(1)> <!-- </script>`
	dir := writeSite(t, "small")
	useRealLayouts(t, dir)
	page := fmt.Sprintf("---\ntitle: %s\ndescription: %s\nlastmod: 2004-02-01\nmenu: none\n---\nWe keep little data.\n", yamlQuote(title), yamlQuote(desc))
	if err := os.WriteFile(filepath.Join(dir, "content/privacy.md"), []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	// A search page, so that the search index is written.
	search := "---\ntitle: Search\ndescription: Search the site.\nlayout: search\n---\n"
	if err := os.WriteFile(filepath.Join(dir, "content/search.md"), []byte(search), 0o644); err != nil {
		t.Fatal(err)
	}
	dest := filepath.Join(dir, "public")
	if code, stdout, stderr := runCmd(t, t.Context(), "build", "--source", dir, "--base-url", publicBase, "--quiet"); code != 0 {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}

	b, err := os.ReadFile(filepath.Join(dest, "privacy/index.html"))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := html.Parse(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	var ldTitles, h1 []string
	for n := range doc.Descendants() {
		if n.Type != html.ElementNode {
			continue
		}
		for _, a := range n.Attr {
			if strings.HasPrefix(a.Key, "on") {
				t.Errorf("<%s %s=%q>: an event handler attribute", n.Data, a.Key, a.Val)
			}
		}
		switch {
		case n.Data == "img":
			t.Errorf("an <img> element: %s", renderNode(n))
		case n.Data == "script" && attr(n, "type") == "application/ld+json":
			var v map[string]any
			if err := json.Unmarshal([]byte(pubText(n)), &v); err != nil {
				t.Errorf("JSON-LD does not parse: %v\n%s", err, pubText(n))
				continue
			}
			if v["@type"] == "BreadcrumbList" {
				items, _ := v["itemListElement"].([]any)
				if len(items) > 0 {
					last, _ := items[len(items)-1].(map[string]any)
					ldTitles = append(ldTitles, fmt.Sprint(last["name"]))
				}
			}
		case n.Data == "script":
			if src := attr(n, "src"); src == "" || !regexp.MustCompile(`^/rights/js/[a-z]+\.[0-9a-f]{8}\.js$`).MatchString(src) {
				t.Errorf("a script that is not the site's: %s", renderNode(n))
			}
		case n.Data == "h1":
			h1 = append(h1, pubText(n))
		case n.Data == "title":
			if got := pubText(n); !strings.HasPrefix(got, title+" – ") {
				t.Errorf("<title>: %q", got)
			}
		case n.Data == "meta" && (attr(n, "name") == "description" || attr(n, "property") == "og:description"):
			if got := attr(n, "content"); got != desc {
				t.Errorf("<meta %s>: content %q, want %q", n.Attr[0].Val, got, desc)
			}
		case n.Data == "meta" && attr(n, "property") == "og:title":
			if got := attr(n, "content"); got != title {
				t.Errorf("og:title: %q, want %q", got, title)
			}
		}
	}
	if !slices.Equal(ldTitles, []string{title}) {
		t.Errorf("BreadcrumbList names the page %q, want %q", ldTitles, title)
	}
	if !slices.Equal(h1, []string{title}) {
		t.Errorf("h1: %q, want %q", h1, title)
	}

	// The feed.
	f := readFeed(t, dest, "feed.xml")
	if !slices.ContainsFunc(f.Entries, func(e atomEntry) bool {
		return e.Title == title
	}) {
		t.Errorf("no feed entry titled %q", title)
	}
	// The search index: every JSON file parses, and the title is there.
	found := false
	n := 0
	err = filepath.WalkDir(filepath.Join(dest, "search"), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".json") {
			return err
		}
		n++
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		var v any
		if err := json.Unmarshal(b, &v); err != nil {
			t.Errorf("%s: %v", p, err)
		}
		found = found || strings.Contains(fmt.Sprint(v), title)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 3 {
		t.Errorf("the search index has %d JSON files", n)
	}
	if !found {
		t.Errorf("the search index does not hold the title %q", title)
	}
}

// yamlQuote writes s as a double-quoted YAML string.
func yamlQuote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func renderNode(n *html.Node) string {
	var b strings.Builder
	html.Render(&b, n)
	return b.String()
}

// TestAliases: an old address gets a redirect page that works without a
// server, and a 301 in _redirects; an alias that is a page's own address
// stops the build.
func TestAliases(t *testing.T) {
	dir := writeSite(t, "small")
	if code, stdout, stderr := runCmd(t, t.Context(), "build", "--source", dir, "--base-url", publicBase, "--quiet"); code != 0 {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	b, err := os.ReadFile(filepath.Join(dir, "public/peoples-rights/data-sharing.htm"))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := html.Parse(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	var refresh, canonical, link string
	for n := range doc.Descendants() {
		switch {
		case n.Type != html.ElementNode:
		case n.Data == "meta" && strings.EqualFold(attr(n, "http-equiv"), "refresh"):
			refresh = attr(n, "content")
		case n.Data == "link" && attr(n, "rel") == "canonical":
			canonical = attr(n, "href")
		case n.Data == "a":
			link = attr(n, "href")
		}
	}
	if refresh != "0; url=/rights/data-sharing/legal-guidance/" {
		t.Errorf("meta refresh %q", refresh)
	}
	if canonical != publicBase+"data-sharing/legal-guidance/" {
		t.Errorf("canonical %q", canonical)
	}
	if link != "/rights/data-sharing/legal-guidance/" {
		t.Errorf("plain link %q", link)
	}
	red, err := os.ReadFile(filepath.Join(dir, "public/_redirects"))
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`(?m)^/rights/peoples-rights/data-sharing\.htm\s+/rights/data-sharing/legal-guidance/\s+301$`).Match(red) {
		t.Errorf("_redirects has no 301 for the alias:\n%s", red)
	}

	// An alias that is another page's address, or a static file's.
	for _, tc := range []struct{ alias, want string }{
		{"/privacy/", "content/data-sharing/toolkit.md:4: alias /privacy/ is the URL of content/privacy.md"},
		{"/css/site.css", "content/data-sharing/toolkit.md:4: alias /css/site.css is the path of a static file"},
	} {
		dir := writeSite(t, "small")
		page := "---\ntitle: Toolkit\nslug: public-sector-toolkit\naliases: [" + tc.alias + "]\nweight: 20\n---\n## What it holds\n\nProtocols.\n"
		if err := os.WriteFile(filepath.Join(dir, "content/data-sharing/toolkit.md"), []byte(page), 0o644); err != nil {
			t.Fatal(err)
		}
		code, _, stderr := runCmd(t, context.Background(), "build", "--source", dir, "--quiet")
		if code != 1 {
			t.Errorf("alias %s: exit %d, want 1\n%s", tc.alias, code, stderr)
		}
		if !strings.Contains(stderr, tc.want) {
			t.Errorf("alias %s: the error does not say %q:\n%s", tc.alias, tc.want, stderr)
		}
	}
}

// TestRealSiteDeterministic builds the real site twice, with fingerprinted
// assets and the search index: the two outputs are byte for byte the same.
func TestRealSiteDeterministic(t *testing.T) {
	a := buildReal(t, "--base-url", publicBase)
	b := buildReal(t, "--base-url", publicBase)
	ha, hb := treeHash(t, a), treeHash(t, b)
	if !regexp.MustCompile(`(?m)^css/site\.[0-9a-f]{8}\.css `).MatchString(ha) || !strings.Contains(ha, "search/meta.json ") {
		t.Fatalf("the build has no fingerprinted stylesheet or no search index:\n%s", ha)
	}
	if ha != hb {
		la, lb := strings.Split(ha, "\n"), strings.Split(hb, "\n")
		for _, l := range la {
			if !slices.Contains(lb, l) {
				t.Errorf("differs: %s", l)
			}
		}
		for _, l := range lb {
			if !slices.Contains(la, l) {
				t.Errorf("differs: %s", l)
			}
		}
	}
}

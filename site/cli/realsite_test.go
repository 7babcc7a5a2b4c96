package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// realSite builds the department's site from the repository once.
func realSite(t *testing.T) string {
	t.Helper()
	dest := filepath.Join(t.TempDir(), "public")
	if code, _, stderr := runCmd(t, context.Background(), "build", "--source", "../..", "--dest", dest, "--quiet", "--minify=false"); code != 0 {
		t.Fatalf("the site does not build:\n%s", stderr)
	}
	return dest
}

func parsePage(t *testing.T, dest, path string) *html.Node {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dest, filepath.FromSlash(strings.TrimPrefix(path, "/")), "index.html"))
	if err != nil {
		t.Fatalf("page %s: %v", path, err)
	}
	doc, err := html.Parse(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// find returns the elements that match.
func find(n *html.Node, match func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && match(n) {
			out = append(out, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return out
}

func text(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return strings.Join(strings.Fields(b.String()), " ")
}

func inside(n *html.Node, tag, label string) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		if p.Type == html.ElementNode && p.Data == tag && (label == "" || attr(p, "aria-label") == label) {
			return true
		}
	}
	return false
}

func TestRealSiteStructure(t *testing.T) {
	dest := realSite(t)
	// Every section the issue names exists, with its own page.
	sections := []string{"/human-rights/", "/freedom-of-information/", "/data-protection/", "/data-sharing/", "/faqs/", "/contact-details/",
		"/legislation/", "/publications/", "/useful-links/", "/elections/", "/gender-recognition/", "/accessibility/", "/privacy/", "/disclaimer/", "/search/", "/a-z/"}
	for _, s := range sections {
		parsePage(t, dest, s)
	}

	// The primary navigation, in order.
	home := parsePage(t, dest, "/")
	var nav []string
	for _, a := range find(home, func(n *html.Node) bool { return n.Data == "a" && inside(n, "nav", "Main") }) {
		nav = append(nav, attr(a, "href"))
	}
	want := []string{"/human-rights/", "/freedom-of-information/", "/data-protection/", "/data-sharing/", "/faqs/", "/contact-details/"}
	if !slices.Equal(nav, want) {
		t.Errorf("primary navigation %v, want %v", nav, want)
	}

	// Every page has a title, a description and a last-updated date.
	var pages []string
	filepath.WalkDir(dest, func(p string, d os.DirEntry, err error) error {
		if err == nil && d.Name() == "index.html" {
			rel, _ := filepath.Rel(dest, filepath.Dir(p))
			path := "/"
			if rel != "." {
				path = "/" + filepath.ToSlash(rel) + "/"
			}
			pages = append(pages, path)
		}
		return nil
	})
	if len(pages) < 45 {
		t.Errorf("%d pages, want at least 45", len(pages))
	}
	for _, p := range pages {
		doc := parsePage(t, dest, p)
		if len(find(doc, func(n *html.Node) bool { return n.Data == "title" && text(n) != "" })) != 1 {
			t.Errorf("%s: no title", p)
		}
		if len(find(doc, func(n *html.Node) bool {
			return n.Data == "meta" && attr(n, "name") == "description" && attr(n, "content") != ""
		})) != 1 {
			t.Errorf("%s: no description", p)
		}
		if len(find(doc, func(n *html.Node) bool {
			return n.Data == "time" && (strings.HasPrefix(text(n.Parent), "Last updated") || strings.HasPrefix(text(n.Parent), "Diweddarwyd ddiwethaf"))
		})) != 1 {
			t.Errorf("%s: no Last updated date", p)
		}
		if len(find(doc, func(n *html.Node) bool { return n.Data == "h1" })) != 1 {
			t.Errorf("%s: not exactly one h1", p)
		}
	}

	// The "More in" list beside a page is its own parent section's list,
	// with the page itself marked as current.
	related := 0
	for _, p := range pages {
		doc := parsePage(t, dest, p)
		heads := find(doc, func(n *html.Node) bool { return n.Data == "h2" && attr(n, "id") == "related-heading" })
		if len(heads) == 0 {
			continue
		}
		related++
		crumbs := find(doc, func(n *html.Node) bool { return n.Data == "a" && inside(n, "nav", "Breadcrumb") })
		if len(crumbs) == 0 {
			t.Errorf("%s: a related list but no breadcrumbs", p)
			continue
		}
		if got, want := text(heads[0]), "More in "+text(crumbs[len(crumbs)-1]); got != want {
			t.Errorf("%s: related list heading %q, want %q", p, got, want)
		}
		current := find(heads[0].Parent, func(n *html.Node) bool { return n.Data == "a" && attr(n, "aria-current") == "page" })
		if len(current) != 1 || attr(current[0], "href") != p {
			t.Errorf("%s: the related list does not mark this page as current", p)
		}
	}
	if related < 20 {
		t.Errorf("%d pages have a related list, want at least 20", related)
	}

	// Every section page links to each page beneath it.
	for _, p := range pages {
		var children []string
		for _, q := range pages {
			if q != p && strings.HasPrefix(q, p) && !strings.Contains(strings.TrimSuffix(strings.TrimPrefix(q, p), "/"), "/") {
				children = append(children, q)
			}
		}
		if len(children) == 0 || p == "/" || p == "/cy/" { // a home page lists sections, not every page
			continue
		}
		doc := parsePage(t, dest, p)
		links := map[string]bool{}
		for _, a := range find(doc, func(n *html.Node) bool { return n.Data == "a" && inside(n, "main", "") }) {
			links[attr(a, "href")] = true
		}
		for _, c := range children {
			if !links[c] {
				t.Errorf("section %s does not link to its page %s", p, c)
			}
		}
	}

	// Breadcrumbs on a nested page: home, section, sub-section, this page
	// (not a link).
	doc := parsePage(t, dest, "/freedom-of-information/making-a-request/how-to-ask/")
	var crumbs []string
	for _, li := range find(doc, func(n *html.Node) bool { return n.Data == "li" && inside(n, "nav", "Breadcrumb") }) {
		crumbs = append(crumbs, text(li))
		if attr(li, "aria-current") == "page" && len(find(li, func(n *html.Node) bool { return n.Data == "a" })) > 0 {
			t.Error("the current page is a link in the breadcrumbs")
		}
	}
	if len(crumbs) != 4 || crumbs[0] != "People's rights" || crumbs[1] != "Freedom of information" {
		t.Errorf("breadcrumbs %q", crumbs)
	}
}

func TestRealSiteFAQs(t *testing.T) {
	dest := realSite(t)
	total := 0
	matches, _ := filepath.Glob(filepath.Join(dest, "faqs", "*", "index.html"))
	for _, m := range matches {
		rel, _ := filepath.Rel(dest, filepath.Dir(m))
		doc := parsePage(t, dest, "/"+filepath.ToSlash(rel)+"/")
		questions := find(doc, func(n *html.Node) bool {
			return n.Data == "h2" && strings.HasSuffix(text(n), "?") && inside(n, "main", "") && attr(n, "id") != ""
		})
		var faq map[string]any
		for _, s := range find(doc, func(n *html.Node) bool { return n.Data == "script" && attr(n, "type") == "application/ld+json" }) {
			var v map[string]any
			if err := json.Unmarshal([]byte(text(s)), &v); err != nil {
				t.Fatalf("%s: JSON-LD does not parse: %v", rel, err)
			}
			if v["@type"] == "FAQPage" {
				faq = v
			}
		}
		if faq == nil {
			t.Fatalf("%s: no FAQPage structured data", rel)
		}
		entries, _ := faq["mainEntity"].([]any)
		if len(entries) != len(questions) || len(entries) == 0 {
			t.Errorf("%s: %d questions, %d FAQPage entries", rel, len(questions), len(entries))
		}
		for i, e := range entries {
			q := e.(map[string]any)
			ans, _ := q["acceptedAnswer"].(map[string]any)
			if q["name"] != text(questions[i]) || ans == nil || ans["text"] == "" {
				t.Errorf("%s: entry %d is %v, heading %q", rel, i, q["name"], text(questions[i]))
			}
		}
		// Each answer links to the page that says more.
		for _, h := range questions {
			found := false
			for n := h.NextSibling; n != nil && !(n.Type == html.ElementNode && n.Data == "h2"); n = n.NextSibling {
				if n.Type == html.ElementNode && len(find(n, func(a *html.Node) bool { return a.Data == "a" })) > 0 || n.Type == html.ElementNode && n.Data == "a" {
					found = true
				}
			}
			if !found {
				t.Errorf("%s: the answer to %q links nowhere", rel, text(h))
			}
		}
		total += len(questions)
	}
	if total < 20 {
		t.Errorf("%d questions in all, want at least 20", total)
	}
}

// TestRealSiteContacts: the contact details come from front matter and
// use only fictional placeholders.
func TestRealSiteContacts(t *testing.T) {
	dest := realSite(t)
	doc := parsePage(t, dest, "/contact-details/")
	phone := regexp.MustCompile(`^020 7946 0\d\d\d$`)
	tels := find(doc, func(n *html.Node) bool { return n.Data == "a" && strings.HasPrefix(attr(n, "href"), "tel:") })
	mails := find(doc, func(n *html.Node) bool { return n.Data == "a" && strings.HasPrefix(attr(n, "href"), "mailto:") })
	if len(tels) < 3 || len(mails) < 3 {
		t.Errorf("%d telephone numbers and %d emails, want the Data Sharing Policy Branch, the Freedom of Information Team and the Data Protection Team", len(tels), len(mails))
	}
	for _, a := range tels {
		if !phone.MatchString(text(a)) {
			t.Errorf("telephone %q is not a 020 7946 0xxx placeholder", text(a))
		}
	}
	for _, a := range mails {
		if !strings.HasSuffix(text(a), "@example.org") {
			t.Errorf("email %q is not under example.org", text(a))
		}
	}
}

// TestRealSiteRecord holds the site's text to the record in
// ../shared/CONTENT.md: the survey named as the record names it, no claims
// the record does not make, contact details that read as real ones (said to
// be examples once, on the disclaimer page) and an address that cannot be.
func TestRealSiteRecord(t *testing.T) {
	dest := realSite(t)
	mainText := func(path string) string {
		var b strings.Builder
		for _, m := range find(parsePage(t, dest, path), func(n *html.Node) bool { return n.Data == "main" }) {
			b.WriteString(text(m))
		}
		return b.String()
	}
	survey := mainText("/data-sharing/public-awareness-survey/")
	for _, want := range []string{"MORI", "July 2003", "Privacy and Data Sharing: Survey of Public Awareness and Perceptions"} {
		if !strings.Contains(survey, want) {
			t.Errorf("the survey page does not say %q", want)
		}
	}
	unrecorded := regexp.MustCompile(`(?i)fictional|placeholder|EX1 1AA|unsure about the law|within (5|10) working days|recommendations\. They covered|be open about why it needs your information`)
	for _, p := range sitePaths(t, dest) {
		got := mainText(p)
		if p == "/disclaimer/" {
			if !strings.Contains(got, "example") {
				t.Errorf("the disclaimer page does not say the contact details are examples")
			}
			continue
		}
		if m := unrecorded.FindString(got); m != "" {
			t.Errorf("%s says %q, which is not on the record (or is a placeholder notice: say it once, on the disclaimer page)", p, m)
		}
	}
	// The contact page names every team the same way: a unit's name.
	for _, h := range find(parsePage(t, dest, "/contact-details/"), func(n *html.Node) bool {
		return n.Data == "h2" && strings.HasPrefix(attr(n, "id"), "contact-")
	}) {
		if !regexp.MustCompile(`^([A-Z][a-z]+ )+(of [A-Z][a-z]+ )?(Team|Branch)$`).MatchString(text(h)) {
			t.Errorf("contact heading %q is not a unit's name such as Data Protection Team", text(h))
		}
	}
}

// sitePaths lists the site path of every page in dest.
func sitePaths(t *testing.T, dest string) []string {
	t.Helper()
	var pages []string
	filepath.WalkDir(dest, func(p string, d os.DirEntry, err error) error {
		if err == nil && d.Name() == "index.html" {
			rel, _ := filepath.Rel(dest, filepath.Dir(p))
			p := path.Clean("/" + filepath.ToSlash(rel))
			if p != "/" {
				p += "/"
			}
			pages = append(pages, p)
		}
		return nil
	})
	return pages
}

// TestRealSiteLayout: the home page links to each section once in its main
// content; the menu button starts hidden (so that without JavaScript every
// link shows) and names the list it controls; no page has inline script or
// style, which the Content-Security-Policy would block.
func TestRealSiteLayout(t *testing.T) {
	dest := realSite(t)
	home := parsePage(t, dest, "/")
	count := map[string]int{}
	for _, a := range find(home, func(n *html.Node) bool { return n.Data == "a" && inside(n, "main", "") }) {
		count[attr(a, "href")]++
	}
	sections := 0
	for _, a := range find(home, func(n *html.Node) bool {
		return n.Data == "a" && (inside(n, "nav", "Main") || inside(n, "nav", "More from this site"))
	}) {
		href := attr(a, "href")
		sections++
		if count[href] != 1 {
			t.Errorf("the home page's main content links to %s %d times, want once", href, count[href])
		}
	}
	if sections < 11 {
		t.Errorf("%d sections in the navigation and footer, want 11", sections)
	}

	buttons := find(home, func(n *html.Node) bool { return n.Data == "button" && inside(n, "nav", "Main") })
	if len(buttons) != 1 {
		t.Fatalf("%d buttons in the main navigation, want the menu button", len(buttons))
	}
	b := buttons[0]
	if !hasAttr(b, "hidden") || attr(b, "aria-expanded") != "false" || attr(b, "type") != "button" {
		t.Errorf("the menu button must start hidden, with aria-expanded=false and type=button: %v", b.Attr)
	}
	if id := attr(b, "aria-controls"); id == "" || len(find(home, func(n *html.Node) bool { return n.Data == "ul" && attr(n, "id") == id })) != 1 {
		t.Errorf("the menu button's aria-controls %q names no list", id)
	}
	if len(find(home, func(n *html.Node) bool {
		return n.Data == "script" && strings.HasSuffix(strings.Split(attr(n, "src"), "?")[0], ".js") && strings.Contains(attr(n, "src"), "/js/menu.")
	})) != 1 {
		t.Error("the home page does not load js/menu.js")
	}
	for _, p := range sitePaths(t, dest) {
		doc := parsePage(t, dest, p)
		for _, n := range find(doc, func(n *html.Node) bool {
			return n.Data == "style" || hasAttr(n, "style") || (n.Data == "script" && attr(n, "src") == "" && attr(n, "type") != "application/ld+json")
		}) {
			t.Errorf("%s: inline %s, which the Content-Security-Policy blocks", p, n.Data)
		}
	}

	b404, err := os.ReadFile(filepath.Join(dest, "404.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`href="/"`, `href="/search/"`, `href="/a-z/"`} {
		if !strings.Contains(string(b404), want) {
			t.Errorf("the 404 page has no link %s", want)
		}
	}
}

func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Key == key {
			return true
		}
	}
	return false
}

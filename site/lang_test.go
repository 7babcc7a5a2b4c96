package site

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

func TestSplitLang(t *testing.T) {
	for _, c := range []struct{ rel, code, orig string }{
		{"legal-guidance.cy.md", "cy", "legal-guidance.md"},
		{"data-sharing/_index.cy.md", "cy", "data-sharing/_index.md"},
		{"a/b.en-gb.md", "en-gb", "a/b.md"},
		{"report.v2.md", "", ""},
		{"report.CY.md", "", ""},
		{"a.b/c.md", "", ""},
		{"plain.md", "", ""},
		{".cy.md", "cy", ".md"},
		{"x.welsh.md", "", ""},
	} {
		code, orig, ok := splitLang(c.rel)
		if code != c.code || orig != c.orig || ok != (c.code != "") {
			t.Errorf("splitLang(%q) = %q, %q, %v; want %q, %q", c.rel, code, orig, ok, c.code, c.orig)
		}
	}
}

// langFile is the oracle of splitLang: a file name with a language code
// before .md.
var langFile = regexp.MustCompile(`^((?:.*/)?[^/]*)\.([a-z]{2,3}(?:-[a-z]{2,3})?)\.md$`)

// FuzzSplitLang holds splitLang to a regular expression.
func FuzzSplitLang(f *testing.F) {
	for _, s := range []string{"a.cy.md", "a/b.en-gb.md", "x.v2.md", "a.b/c.md", "_index.cy.md", "a.-cy.md", "a.cy-.md"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, rel string) {
		code, orig, ok := splitLang(rel)
		m := langFile.FindStringSubmatch(rel)
		if ok != (m != nil) {
			t.Fatalf("splitLang(%q) ok %v, oracle %v", rel, ok, m != nil)
		}
		if ok && (code != m[2] || orig != m[1]+".md") {
			t.Fatalf("splitLang(%q) = %q, %q; oracle %q, %q", rel, code, orig, m[2], m[1]+".md")
		}
	})
}

// Every language link, and every alternate in the head, leads to a page
// that exists in the language it names, which is not the page's own; every
// link marked with a lang leads to a page in that language.
func TestLanguageLinks(t *testing.T) {
	fsys, _ := siteFS(t, "testdata/sites/bilingual.txtar")
	out, _ := mustBuild(t, fsys, Config{})
	files := out.Files()
	langOf := map[string]string{} // output file -> its html lang
	docs := map[string]*html.Node{}
	for name, data := range files {
		if !strings.HasSuffix(name, ".html") {
			continue
		}
		doc, err := html.Parse(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		docs[name] = doc
		walk(doc, func(n *html.Node) {
			if n.Data == "html" {
				langOf[name] = attrOf(n, "lang")
			}
		})
	}
	links := 0
	for name, doc := range docs {
		own := langOf[name]
		walk(doc, func(n *html.Node) {
			href, lang := attrOf(n, "href"), attrOf(n, "hreflang")
			if lang == "" {
				lang = attrOf(n, "lang")
			}
			if (n.Data != "a" && n.Data != "link") || lang == "" || href == "" {
				return
			}
			target := outputFile(href)
			got, ok := langOf[target]
			switch {
			case !ok:
				t.Errorf("%s: link to %s, which is not a page", name, href)
			case got != lang:
				t.Errorf("%s: link to %s says %s; the page is in %s", name, href, lang, got)
			case n.Data == "a" && got == own:
				t.Errorf("%s: language link to %s in the page's own language", name, href)
			}
			links++
		})
	}
	if links < 20 {
		t.Errorf("%d language links checked; the site has more", links)
	}
	for _, want := range []string{"cy/index.html", "cy/cysylltu/index.html", "cy/data-sharing/legal-guidance/index.html", "cy/404.html", "cy/feed.xml"} {
		if _, ok := files[want]; !ok {
			t.Errorf("no %s", want)
		}
	}
	// A page with no translation shows no language link.
	if bytes.Contains(files["data-sharing/toolkit/index.html"], []byte("language-links")) {
		t.Error("the toolkit, which has no translation, has a language link")
	}
}

func walk(n *html.Node, f func(*html.Node)) {
	if n.Type == html.ElementNode {
		f(n)
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walk(c, f)
	}
}

func attrOf(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// newBilingualLiveSite is the bilingual test site on disk, built once in
// serve mode.
func newBilingualLiveSite(t *testing.T) *liveSite {
	t.Helper()
	fsys, _ := siteFS(t, "testdata/sites/bilingual.txtar")
	dir := t.TempDir()
	for name, f := range fsys {
		writeFile(t, filepath.Join(dir, name), string(f.Data))
	}
	b, err := NewBuilder(Config{Serve: true}, os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	ls := &liveSite{t: t, dir: dir, b: b, files: map[string][]byte{}}
	ls.mustBuild()
	return ls
}

// Edits to translations and to the pages they translate give, rebuilt
// incrementally, what a full build gives.
func TestIncrementalTranslations(t *testing.T) {
	ls := newBilingualLiveSite(t)
	steps := []struct {
		name string
		do   func() Change
	}{
		{"add a translation", func() Change {
			return ls.write("content/data-sharing/toolkit.cy.md", "---\ntitle: Pecyn cymorth\nweight: 2\n---\nArfer da.\n")
		}},
		{"edit a Welsh body", func() Change {
			return ls.write("content/data-sharing/legal-guidance.cy.md", "---\ntitle: Canllawiau cyfreithiol\nweight: 1\nlastmod: 2003-11-24\n---\nGeiriau newydd.\n")
		}},
		{"retitle an English page shown as a stand-in", func() Change {
			return ls.write("content/elections/_index.md", "---\ntitle: Voting and elections\nweight: 2\n---\nAbout elections.\n")
		}},
		{"edit an English body with a Welsh neighbour", func() Change {
			return ls.write("content/data-sharing/toolkit.md", "---\ntitle: Toolkit\nweight: 2\n---\nBetter practice.\n")
		}},
		{"remove a translation", func() Change { return ls.remove("content/data-sharing/toolkit.cy.md") }},
		{"change a Welsh interface string", func() Change {
			return ls.write("layouts/i18n/cy.toml", "\"Skip to main content\" = \"Neidio i’r cynnwys\"\n\"Last updated\" = \"Diweddarwyd\"\n\"Page not found\" = \"Heb ddod o hyd i’r dudalen\"\n\"Previous page\" = \"Tudalen flaenorol\"\n\"Next page\" = \"Tudalen nesaf\"\n")
		}},
		{"give a translation a slug", func() Change {
			return ls.write("content/data-sharing/legal-guidance.cy.md", "---\ntitle: Canllawiau cyfreithiol\nslug: canllawiau\nweight: 1\n---\nGeiriau.\n")
		}},
	}
	for _, s := range steps {
		ls.mustBuild(s.do())
		ls.matchesFullBuild()
		if t.Failed() {
			t.Fatalf("after %q", s.name)
		}
	}
	// A translation with no English page fails the build; once it is
	// renamed to match one, the output is a full build's again.
	if _, err := ls.build(ls.write("content/data-sharing/tools.cy.md", "---\ntitle: Offer\n---\nOffer.\n")); err == nil || !strings.Contains(err.Error(), "content/data-sharing/tools.cy.md: this translation has no English page") {
		t.Fatalf("a translation with no English page: %v", err)
	}
	ls.remove("content/data-sharing/tools.cy.md")
	ls.mustBuild(ls.write("content/data-sharing/toolkit.cy.md", "---\ntitle: Offer\nweight: 2\n---\nOffer.\n"), Change{Path: "content/data-sharing/tools.cy.md", Removed: true})
	ls.matchesFullBuild()
}

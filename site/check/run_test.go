package check

import (
	"fmt"
	"strings"
	"testing"
)

func rulesAt(fs []Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, fmt.Sprintf("%s:%d %s", f.File, f.Line, f.Rule))
	}
	return out
}

func TestLinks(t *testing.T) {
	mk := func(out, url, body string) *Page {
		return &Page{Output: out, URL: url, HTML: []byte(page(body)), Title: url}
	}
	tests := []struct {
		name, base, body string
		want             string // the rule of the one finding, or ""
	}{
		{"page", "/", `<a href="/a/">A</a>`, ""},
		{"relative", "/", `<a href="../a/">A</a>`, ""},
		{"file", "/", `<img src="/a/chart.png" alt="">`, ""},
		{"directory without slash", "/", `<a href="/a">A</a>`, ""},
		{"query", "/", `<a href="/a/?x=1">A</a>`, ""},
		{"external", "/", `<a href="https://example.org/nothing/">E</a><a href="mailto:x@example.org">M</a><a href="tel:+44">T</a><a href="//cdn.example.org/x.js">C</a>`, ""},
		{"fragment", "/", `<a href="/a/#part">A</a><a href="#main">Main</a><a href="#top">Top</a>`, ""},
		{"missing page", "/", `<a href="/b/">B</a>`, "broken-link"},
		{"missing asset", "/", `<link rel="stylesheet" href="/css/nope.css">`, "broken-link"},
		{"missing srcset", "/", `<img src="/a/chart.png" srcset="/a/big.png 2x" alt="">`, "broken-link"},
		{"missing fragment", "/", `<a href="/a/#nope">A</a>`, "broken-fragment"},
		{"missing local fragment", "/", `<a href="#nope">Nope</a>`, "broken-fragment"},
		{"draft", "/", `<a href="/secret/">S</a>`, "draft-link"},
		{"base path", "/rights/", `<a href="/rights/a/">A</a>`, ""},
		{"outside base path", "/rights/", `<a href="/a/">A</a>`, "broken-link"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &Site{
				BasePath: tt.base, OutputPrefix: "public/",
				Files:  map[string]bool{"p/index.html": true, "a/index.html": true, "a/chart.png": true},
				Drafts: map[string]string{tt.base + "secret/": "content/secret.md"},
			}
			s.Pages = []*Page{mk("p/index.html", tt.base+"p/", tt.body), mk("a/index.html", tt.base+"a/", `<h2 id="part">Part</h2>`)}
			var got []string
			for _, f := range Run(s, Options{Skip: []string{"duplicate-title"}}) {
				got = append(got, f.Rule)
			}
			want := []string{}
			if tt.want != "" {
				want = []string{tt.want}
			}
			if strings.Join(got, ",") != strings.Join(want, ",") {
				t.Errorf("got %v, want %v", got, want)
			}
		})
	}
}

func TestRunKnownAndTitles(t *testing.T) {
	s := &Site{
		BasePath: "/", OutputPrefix: "public/", Files: map[string]bool{"a/index.html": true, "b/index.html": true},
		Known: []Finding{{File: "content/a.md", Line: 3, Rule: "broken-link", Message: "link to x.md, which does not exist"}},
	}
	s.Pages = []*Page{
		{Output: "a/index.html", URL: "/a/", Source: "content/a.md", Description: "d",
			Links: []Link{{Line: 3, Written: "x.md", URL: "x.md"}}, HTML: []byte(page(`<a href="x.md">X</a>`))},
		{Output: "b/index.html", URL: "/b/", Source: "content/b.md", Description: "d", HTML: []byte(page(``))},
	}
	got := strings.Join(rulesAt(Run(s, Options{})), "; ")
	want := "content/a.md:0 duplicate-title; content/a.md:3 broken-link; content/b.md:0 duplicate-title"
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

// TestStreamOneURLTable: the pages a Stream checked and those Finish
// checks (the 404 pages) number their URLs in one table, as the link rule
// keeps where a URL leads by its number. Finish made a table of its own:
// a 404 page's link to /a/ and a streamed page's broken link to /missing/
// took the same number, and whichever resolved first answered for both,
// so the broken link went unreported when the 404 page came first
// (TestCheckStreamMatchesRun failed now and then).
func TestStreamOneURLTable(t *testing.T) {
	for range 20 {
		st := NewStream(Options{Skip: []string{"duplicate-title"}}, "public/")
		s := &Site{BasePath: "/", OutputPrefix: "public/", Files: map[string]bool{"p/index.html": true, "a/index.html": true}}
		streamed := &Page{Output: "p/index.html", URL: "/p/", Title: "P", HTML: []byte(page(`<a href="/missing/">Missing</a>`))}
		st.Page(streamed)
		s.Pages = append(s.Pages, streamed, &Page{Output: "a/index.html", URL: "/a/", Title: "A", HTML: []byte(page(`<p>A</p>`))})
		for i := range 30 {
			s.Pages = append(s.Pages, &Page{Output: fmt.Sprintf("%d/404.html", i), URL: fmt.Sprintf("/%d/404.html", i), Title: fmt.Sprint(i), HTML: []byte(page(`<a href="/a/">Home</a>`))})
		}
		fs := st.Finish(s)
		if got := rulesAt(fs); strings.Join(got, ",") != "public/p/index.html:1 broken-link" {
			t.Fatalf("findings %v, want the broken link of p/index.html", got)
		}
		for _, p := range s.Pages {
			if p.facts != nil && p.facts.urls != s.urls {
				t.Fatalf("%s numbers its URLs in a table of its own", p.Output)
			}
		}
	}
}

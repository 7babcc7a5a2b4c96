package site

import (
	"strings"
	"testing"
	"testing/fstest"
)

func TestPageURL(t *testing.T) {
	cases := map[string]string{
		"_index.md":                      "/",
		"data-sharing/_index.md":         "/data-sharing/",
		"data-sharing/legal-guidance.md": "/data-sharing/legal-guidance/",
		"a/b/c/index.md":                 "/a/b/c/",
		"human rights/our work.md":       "/human-rights/our-work/",
		"données/café.md":                "/données/café/",
		"faqs/🙂.md":                      "/faqs/🙂/",
	}
	for in, want := range cases {
		if got := pageURL(in); got != want {
			t.Errorf("pageURL(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCheckPathValue(t *testing.T) {
	bad := []string{"../x", "/a/../../b", "a\\b", "/a\x00b", "https://x.example/", "javascript:alert(1)", "/a?b", ""}
	for _, v := range bad {
		if checkPathValue("url", v, false) == "" {
			t.Errorf("url %q accepted", v)
		}
	}
	for _, v := range []string{"/a/", "/old/page.htm", "/données/"} {
		if msg := checkPathValue("url", v, false); msg != "" {
			t.Errorf("url %q refused: %s", v, msg)
		}
	}
	if checkPathValue("slug", "a/b", true) == "" {
		t.Error("slug with / accepted")
	}
}

func TestBaseURL(t *testing.T) {
	b, err := ParseBaseURL("https://example.org/rights")
	if err != nil {
		t.Fatal(err)
	}
	if got := b.Rel("/faqs/"); got != "/rights/faqs/" {
		t.Errorf("Rel = %q", got)
	}
	if got := b.Abs("/faqs/"); got != "https://example.org/rights/faqs/" {
		t.Errorf("Abs = %q", got)
	}
	if got := b.Rel("mailto:a@example.org"); got != "mailto:a@example.org" {
		t.Errorf("Rel(mailto) = %q", got)
	}
	// Under the base "/", Rel gives back the path itself: the same as
	// joining the base and the path.
	for _, base := range []string{"/", "/rights/", "https://example.org/", "https://example.org/rights/"} {
		b, err := ParseBaseURL(base)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range []string{"/", "/faqs/", "faqs/", "", "/a/b.html", "//x.org/", "#top"} {
			want := b.Path + strings.TrimPrefix(p, "/")
			if isExternal(p) {
				want = p
			}
			if got := b.Rel(p); got != want {
				t.Errorf("base %q: Rel(%q) = %q, want %q", base, p, got, want)
			}
			if got := b.Abs(p); got != b.Host+want && !isExternal(p) {
				t.Errorf("base %q: Abs(%q) = %q, want %q", base, p, got, b.Host+want)
			}
		}
	}
	for _, s := range []string{"ftp://example.org/", "https://example.org/?q=1", "https://"} {
		if _, err := ParseBaseURL(s); err == nil {
			t.Errorf("ParseBaseURL(%q) accepted", s)
		}
	}
}

// TestTree checks the assembled tree on a small MapFS site: sections
// nest, order follows weight then title, drafts are left out.
func TestTree(t *testing.T) {
	page := func(fm string) *fstest.MapFile { return &fstest.MapFile{Data: []byte("---\n" + fm + "\n---\nBody.\n")} }
	fsys := fstest.MapFS{
		"content/_index.md":          page("title: Home"),
		"content/b/_index.md":        page("title: B\nweight: 2"),
		"content/a/_index.md":        page("title: A\nweight: 1"),
		"content/a/z.md":             page("title: Zed\nweight: 1"),
		"content/a/y.md":             page("title: Why"),
		"content/a/x.md":             page("title: Ex\nweight: 1"),
		"content/a/deep/er/page.md":  page("title: Deep page"),
		"content/a/draft.md":         page("title: Draft\ndraft: true"),
		"content/c/_index.md":        page("title: C\nmenu: footer"),
		"layouts/_default/list.html": {Data: []byte(`{{ .Title }}`)},
		"layouts/_default/page.html": {Data: []byte(`{{ .Title }}`)},
	}
	_, res := mustBuild(t, fsys, Config{})
	s := res.Site
	titles := func(ps []*Page) string {
		var out []string
		for _, p := range ps {
			out = append(out, p.Title)
		}
		return strings.Join(out, ",")
	}
	if got := titles(s.Menu); got != "A,B" {
		t.Errorf("menu = %s", got)
	}
	if got := titles(s.FooterMenu); got != "C" {
		t.Errorf("footer menu = %s", got)
	}
	a := s.GetPage("/a/")
	if got := titles(a.Pages); got != "Ex,Zed,Why" {
		t.Errorf("pages of A = %s", got)
	}
	deep := s.GetPage("a/deep/er/page.md")
	if deep == nil {
		t.Fatal("deep page missing")
	}
	if got := titles(deep.Breadcrumbs()); got != "Home,A,Deep,Er,Deep page" {
		t.Errorf("breadcrumbs = %s", got)
	}
	if s.GetPage("/a/draft/") != nil {
		t.Error("draft published")
	}
	if x := s.GetPage("/a/x/"); x.Next.Title != "Zed" || x.Prev != nil {
		t.Errorf("x prev/next = %v/%v", x.Prev, x.Next)
	}
	if !deep.InSection(a) || deep.InSection(s.GetPage("/b/")) {
		t.Error("InSection wrong")
	}
	_, res = mustBuild(t, fsys, Config{Drafts: true})
	if res.Site.GetPage("/a/draft/") == nil {
		t.Error("--drafts did not include the draft")
	}
}

func TestFileEncodings(t *testing.T) {
	cases := []struct {
		name, data, want string
	}{
		{"bom", "\xef\xbb\xbf---\ntitle: BOM\n---\nText.\n", ""},
		{"crlf", "---\r\ntitle: CRLF\r\nweight: 3\r\n---\r\nText.\r\n", ""},
		{"latin1", "---\ntitle: Caf\xe9\n---\n", "content/latin1.md:2: text is not UTF-8"},
		{"binary", "\x89PNG\r\n\x1a\n\x00\x00", "content/binary.md: this is a binary file"},
	}
	for _, c := range cases {
		fsys := fstest.MapFS{
			"content/" + c.name + ".md":  {Data: []byte(c.data)},
			"layouts/_default/list.html": {Data: []byte(`{{ .Title }}`)},
			"layouts/_default/page.html": {Data: []byte(`{{ .Title }}`)},
		}
		_, _, err := build(t, fsys, Config{})
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s: %v", c.name, err)
		case c.want != "" && (err == nil || !strings.HasPrefix(err.Error(), c.want)):
			t.Errorf("%s: got %v, want %s…", c.name, err, c.want)
		}
	}
}

package site

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"io/fs"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"charter/site/check"

	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// FuzzFrontMatter: whatever a content file holds, parsing it never
// panics, and every error names the file and a line inside it.
func FuzzFrontMatter(f *testing.F) {
	f.Add([]byte("---\ntitle: A\nweight: 3\n---\nBody\n"))
	f.Add([]byte("+++\ntitle = \"A\"\ndate = 2003-11-24\n+++\n"))
	f.Add([]byte("---\ntitle: [unclosed\n---\n"))
	f.Add([]byte("\xef\xbb\xbf---\r\ntitle: BOM\r\n---\r\n"))
	f.Add([]byte("---\naliases: 5\ndraft: maybe\n---"))
	f.Add([]byte("---\ntitle: \"Unclosed\ndescription: [a, b\n\towner: x: y\n---\n"))
	f.Add([]byte("+++\ntitle = \"A\"\na = {b = [{c = 1}]}\n[x.y]\nz = '''\n[\n'''\n+++\n"))
	f.Add([]byte("---\ntitle: A\nchanges:\n  - date: 2003-11-24\n    note: Added it.\n  - {date: x, 1: 2}\n---\n"))
	f.Add([]byte("+++\ntitle = \"A\"\n[[changes]]\ndate = 2003-11-24\nnote = \"N\"\n+++\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		src, errs := parsePage("content/x.md", data)
		lines := bytes.Count(data, []byte("\n")) + bytes.Count(data, []byte("\r")) + 2
		var warns Errors
		if src != nil {
			warns = src.warns
		}
		for _, e := range append(errs, warns...) {
			if e.File != "content/x.md" || e.Line < 0 || e.Line > lines {
				t.Fatalf("error %q names %s:%d (file has %d lines)", e.Msg, e.File, e.Line, lines)
			}
		}
		if src == nil && len(errs) == 0 {
			t.Fatal("no source and no error")
		}
	})
}

// FuzzPaths: whatever a file is called and whatever slug, url or alias
// it sets, the output file stays inside the output folder.
func FuzzPaths(f *testing.F) {
	f.Add("data-sharing/legal-guidance.md", "my-slug", "/x/y/")
	f.Add("a b/c d.md", "../../etc", "/a/../../b")
	f.Add("_index.md", "", "C:\\Windows")
	f.Add("é/🙂.md", "a/b", "javascript:alert(1)")
	f.Add("a\nb*c.md", "100%", "/x y/\"<>:name")
	f.Fuzz(func(t *testing.T, rel, slug, u string) {
		p := pageURL(rel)
		inside := func(what, sitePath string) {
			out := outputFile(normalisePath(sitePath))
			if !fs.ValidPath(out) || strings.HasPrefix(out, "/") {
				t.Fatalf("%s %q gives output file %q", what, sitePath, out)
			}
		}
		if strings.HasSuffix(rel, ".md") && fs.ValidPath(rel) {
			inside("page", p)
		}
		// The oracle of escapePath is net/url's decoder: the encoded path
		// is one field of safe bytes that decodes to the path.
		for _, s := range []string{p, rel, slug, u} {
			e := escapePath(s)
			if d, err := url.PathUnescape(e); err != nil || d != s || strings.IndexFunc(e, func(r rune) bool { return r != '%' && (r > 0x7f || !pathSafe(byte(r))) }) >= 0 {
				t.Fatalf("escapePath(%q) = %q, which decodes to %q (%v)", s, e, d, err)
			}
		}
		if checkPathValue("slug", slug, true) == "" {
			inside("slug", "/a/"+urlSegment(slug)+"/")
		}
		if checkPathValue("url", u, false) == "" {
			inside("url", u)
		}
	})
}

// fuzzSite is a small site for the link and Markdown fuzz targets.
func fuzzSite(t testing.TB) *Site {
	t.Helper()
	page := func(fm string) *fstest.MapFile {
		return &fstest.MapFile{Data: []byte("---\n" + fm + "\n---\n## Heading\n")}
	}
	fsys := fstest.MapFS{
		"content/_index.md":          page("title: Home"),
		"content/a/_index.md":        page("title: A"),
		"content/a/b.md":             page("title: B"),
		"content/a/draft.md":         page("title: D\ndraft: true"),
		"content/a/pic.png":          {Data: []byte("png")},
		"static/css/site.css":        {Data: []byte("a{}")},
		"layouts/_default/list.html": {Data: []byte(`{{ .Title }}`)},
		"layouts/_default/page.html": {Data: []byte(`{{ .Title }}`)},
	}
	b, err := NewBuilder(Config{BaseURL: "https://example.org/rights/"}, fsys)
	if err != nil {
		t.Fatal(err)
	}
	res, err := b.Build(context.Background(), NewMemOutput())
	if err != nil {
		t.Fatal(err)
	}
	return res.Site
}

// FuzzLinks: a link written in Markdown resolves to an external URL as
// written, to a path under the base path, or to an error; never to a
// path that climbs out of the site.
func FuzzLinks(f *testing.F) {
	for _, s := range []string{"b.md", "../a/b.md#heading", "/a/", "pic.png", "../../../../etc/passwd", "%2e%2e/x", "javascript:alert(1)", " JaVaScRiPt:x", "data:text/html,x", "#heading", "mailto:a@example.org", "?q=1", "draft.md", "b.md?x#y"} {
		f.Add(s)
	}
	site := fuzzSite(f)
	from := site.GetPage("a/b.md")
	f.Fuzz(func(t *testing.T, dest string) {
		st := &renderState{page: from, site: site}
		out, ok := st.resolve(dest, 1)
		if !ok {
			if !isDangerous(dest) {
				t.Fatalf("%q dropped but not dangerous", dest)
			}
			return
		}
		if isDangerous(out) {
			t.Fatalf("%q resolved to dangerous %q", dest, out)
		}
		if len(st.errs) > 0 || isExternal(strings.TrimSpace(dest)) || strings.HasPrefix(out, "#") || strings.HasPrefix(out, "?") || out == "" {
			return
		}
		u, _, _ := strings.Cut(out, "#")
		u, _, _ = strings.Cut(u, "?") // a query or fragment may hold anything: it names no file
		if !strings.HasPrefix(u, "/rights/") || strings.Contains(u, "/../") || strings.HasSuffix(u, "/..") {
			t.Fatalf("%q resolved to %q, outside the site", dest, out)
		}
	})
}

// FuzzMarkdown: any Markdown renders without panic to well-formed HTML
// that holds no script and no javascript: URL.
func FuzzMarkdown(f *testing.F) {
	for _, s := range []string{
		"# Title\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
		"<script>alert(1)</script>\n\n<div onclick=\"x\">hi</div>",
		"[x](javascript:alert(1)) ![y](data:text/html,z) <javascript:alert(1)>",
		"```go\nfunc main() {}\n```\n\n```\n<b>\n```",
		"Term\n: Def\n\n- [x] done\n\nA note[^1].\n\n[^1]: Here.",
		"## H {#id .class onclick=alert(1)}\n\n*a **b** c*",
		"<!-- comment --> &amp; &#0; \x00",
	} {
		f.Add(s)
	}
	site := fuzzSite(f)
	from := site.GetPage("a/b.md")
	md := newMarkdown(false)
	f.Fuzz(func(t *testing.T, body string) {
		p := &Page{Source: from.Source, Path: from.Path, RelPermalink: from.RelPermalink, Site: site, Kind: KindPage}
		p.src = &source{body: []byte(body), bodyLine: 4}
		st := &renderState{page: p, site: site, lines: lineIndex{body: p.src.body, first: 4}}
		var buf bytes.Buffer
		pc := newParserContext(st)
		doc := md.Parser().Parse(textReader(p.src.body), withContext(pc))
		if err := md.Renderer().Render(&buf, p.src.body, doc); err != nil {
			t.Fatal(err)
		}
		html := "<!DOCTYPE html><html lang=en><head><title>x</title></head><body>" + buf.String() + "</body></html>"
		d := check.Parse([]byte(html))
		if len(d.Problems) > 0 {
			t.Fatalf("malformed HTML from %q: %v\n%s", body, d.Problems[0].Message, buf.String())
		}
		for _, el := range d.Elements {
			if el.Tag == "script" || el.Tag == "iframe" || el.Tag == "object" {
				t.Fatalf("<%s> in the output of %q", el.Tag, body)
			}
			for _, a := range el.Attrs {
				if strings.HasPrefix(strings.ToLower(a.Key), "on") || (a.Key == "href" || a.Key == "src") && isDangerous(a.Val) {
					t.Fatalf("unsafe attribute %s=%q in the output of %q", a.Key, a.Val, body)
				}
			}
		}
	})
}

// FuzzFastYAML: whenever the fast front matter reader accepts a block, it
// reads exactly what yaml.v3 reads.
func FuzzFastYAML(f *testing.F) {
	for _, s := range []string{
		"title: A page\nweight: 10\ndate: 2003-11-24\ndraft: false\n",
		"title: \"Quoted: yes\"\nowner: 'Team'\n",
		"title: 010\nweight: 1.5\nx: 0x1F\ny: null\nz: ~\n",
		"title: a # comment\nlist: [a, b]\n",
		"a: b\na: c\n",
		"title: yes\nnav_title: No\n",
		"weight: -3\nlastmod: 2003-02-30\n",
		"date: 2019-05-01T09:00:00Z\nlastmod: 2013-12-02 7:37:00 -0400\nweight:\nz: ~\n",
		"title: A\nweight: 1\ntitle: B\n",
		"weight: 99999999999999999999999\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, fm []byte) {
		fast, ok := fastYAML(fm)
		if !ok {
			return
		}
		full, err := decodeYAML("x.md", fm)
		if err != nil {
			t.Fatalf("fast reader accepted %q, which YAML rejects: %v", fm, err)
		}
		if len(fast) != len(full) {
			t.Fatalf("%q: fast %v, full %v", fm, fast, full)
		}
		for i := range fast {
			a, b := fast[i], full[i]
			if a.key != b.key || a.line != b.line || a.raw != b.raw || a.clock != b.clock || fmt.Sprintf("%T %v", a.val, a.val) != fmt.Sprintf("%T %v", b.val, b.val) {
				t.Fatalf("%q: fast %#v, full %#v", fm, a, b)
			}
		}
	})
}

// newParserContext, textReader and withContext keep tests short.
func newParserContext(st *renderState) parser.Context {
	pc := parser.NewContext(parser.WithIDs(newHeadingIDs()))
	pc.Set(stateKey, st)
	return pc
}

func textReader(b []byte) text.Reader                  { return text.NewReader(b) }
func withContext(pc parser.Context) parser.ParseOption { return parser.WithContext(pc) }

// FuzzPlainify holds plainify, which copies runs of text at once, to the
// plain byte-at-a-time loop it replaced.
func FuzzPlainify(f *testing.F) {
	for _, s := range []string{"", "<p>a <b>b</b>\nc</p>", "a > b < c", "<p>x&amp;y &rsquo;</p>", "<unclosed a b", "  lead\t\ttrail  ", "<a href=\"x>y\">z</a>", "é<br/>ü", ">>><<<"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := plainify(s), plainifyOracle(s); got != want {
			t.Fatalf("plainify(%q) = %q, want %q", s, got, want)
		}
	})
}

// plainifyOracle is plainify as first written: one byte at a time.
func plainifyOracle(str string) string {
	var b strings.Builder
	inTag, space := false, false
	for i := 0; i < len(str); i++ {
		c := str[i]
		switch {
		case c == '<':
			inTag, space = true, true
		case c == '>' && inTag:
			inTag = false
		case inTag:
		case c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f':
			space = true
		default:
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteByte(c)
		}
	}
	out := b.String()
	if strings.IndexByte(out, '&') >= 0 {
		out = html.UnescapeString(out)
	}
	return out
}

// FuzzHasScheme holds hasScheme to the regular expression it replaced.
func FuzzHasScheme(f *testing.F) {
	for _, s := range []string{"https://x", "mailto:a@b", "a:", ":x", "1a:", "a1+.-:", "/x", "x", "", "ab/c:d", "é:"} {
		f.Add(s)
	}
	re := regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9+.-]*:`)
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := hasScheme(s), re.MatchString(s); got != want {
			t.Fatalf("hasScheme(%q) = %v, want %v", s, got, want)
		}
	})
}

// FuzzCleanText holds cleanText, which returns most headings as they
// are, to the replacements, collapsing and decoding it skips.
func FuzzCleanText(f *testing.F) {
	for _, s := range []string{"", " ", "Your rights", "a  b", " a", "a ", "a\tb", "Caf\u00e9", "a &amp; b", "x&rsquo;s", "a\u00a0b", "a\u0085b", "\x00 a", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := html.UnescapeString(strings.Join(strings.Fields(typographic(s)), " "))
		if got := cleanText(s); got != want {
			t.Fatalf("cleanText(%q) = %q, want %q", s, got, want)
		}
	})
}

// TestLineIndex holds lineIndex to counting newlines before a position.
func TestLineIndex(t *testing.T) {
	body := []byte("a\n\nbb\ncc\n\n")
	li := lineIndex{body: body, first: 5}
	for pos := -1; pos <= len(body); pos++ {
		want := 5
		if pos >= 0 {
			want += bytes.Count(body[:pos], []byte("\n"))
		}
		if got := li.line(pos); got != want {
			t.Errorf("line(%d) = %d, want %d", pos, got, want)
		}
	}
}

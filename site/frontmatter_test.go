package site

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/BurntSushi/toml"
)

// parseFM parses a page made of the front matter fm between delim lines.
func parseFM(t *testing.T, delim, fm string) (*source, Errors) {
	t.Helper()
	return parsePage("content/x.md", []byte(delim+"\n"+fm+"\n"+delim+"\nBody.\n"))
}

// Dates as Hugo reads them, in YAML and TOML: the instant, and whether a
// time of day was given.
func TestFrontMatterDates(t *testing.T) {
	for _, c := range []struct {
		delim, fm string
		want      string // RFC 3339 with the offset as written
		timed     bool
	}{
		{"---", "date: 2003-11-24", "2003-11-24T00:00:00Z", false},
		{"---", "date: '2003-11-24'", "2003-11-24T00:00:00Z", false},
		{"---", "date: 2019-05-01T09:00:00Z", "2019-05-01T09:00:00Z", true},
		{"---", "date: 2019-05-01T09:00:00+02:00", "2019-05-01T09:00:00+02:00", true},
		{"---", "date: 2019-05-01T09:00:00.5-05:00", "2019-05-01T09:00:00-05:00", true},
		{"---", "date: 2006-01-02 15:04:05 -0700", "2006-01-02T15:04:05-07:00", true},
		{"---", "date: 2013-12-02 7:37:00 -0400", "2013-12-02T07:37:00-04:00", true},
		{"---", "date: 2006-01-02T15:04:05", "2006-01-02T15:04:05Z", true},
		{"---", "date: 2006-01-02 15:04:05", "2006-01-02T15:04:05Z", true},
		{"---", "date: 2006-01-02 15:04", "2006-01-02T15:04:00Z", true},
		{"---", "date: 2006-01-02T15:04", "2006-01-02T15:04:00Z", true},
		{"---", "date: \"2006-01-02 15:04:05 -07:00\"", "2006-01-02T15:04:05-07:00", true},
		{"---", "date: 2006-01-02 15:04:05Z", "2006-01-02T15:04:05Z", true},
		{"---", "date: Mon, 02 Jan 2006 15:04:05 -0700", "2006-01-02T15:04:05-07:00", true},
		{"---", "date: 02 Jan 2006", "2006-01-02T00:00:00Z", false},
		{"---", "date: 2006-1-2", "2006-01-02T00:00:00Z", false}, // YAML's own short form
		{"+++", "date = 2019-05-01T09:00:00Z", "2019-05-01T09:00:00Z", true},
		{"+++", "date = 2019-05-01T09:00:00-04:00", "2019-05-01T09:00:00-04:00", true},
		{"+++", "date = 1979-05-27T07:32:00", "1979-05-27T07:32:00Z", true},
		{"+++", "date = 1979-05-27", "1979-05-27T00:00:00Z", false},
		{"+++", "date = \"2013-12-02 7:37:00 -0400\"", "2013-12-02T07:37:00-04:00", true},
	} {
		title := "title: T"
		if c.delim == "+++" {
			title = `title = "T"`
		}
		src, errs := parseFM(t, c.delim, title+"\n"+c.fm)
		if len(errs) > 0 {
			t.Errorf("%s: %v", c.fm, errs)
			continue
		}
		if got := src.fm.Date.Format(time.RFC3339); got != c.want {
			t.Errorf("%s: date %s, want %s", c.fm, got, c.want)
		}
		if got := src.fm.lastmodTimed(); got != c.timed {
			t.Errorf("%s: timed %v, want %v", c.fm, got, c.timed)
		}
	}
}

// A date in no accepted form is an error at its line, with an example.
func TestFrontMatterBadDates(t *testing.T) {
	for _, c := range []struct{ delim, fm, want string }{
		{"---", "title: T\ndate: tomorrow", `content/x.md:3: date: "tomorrow" is not a date; write it as YYYY-MM-DD, for example 2003-11-24, or with a time, such as 2003-11-24T09:30:00Z`},
		{"---", "title: T\ndate: 24/11/2003", `content/x.md:3: date: "24/11/2003" is not a date; write it as YYYY-MM-DD`},
		{"---", "title: T\nlastmod: 2003-11-24 25:00", `content/x.md:3: lastmod: "2003-11-24 25:00" is not a date`},
		{"+++", "title = \"T\"\ndate = 07:32:00", `content/x.md:3: date: 07:32:00 is a time of day without a date; write the date too`},
		{"---", "title: T\ndate: 0000-01-01", `content/x.md:3: date: 0000-01-01 has the year 0, which cannot be right; write a date such as 2024-05-01`},
		{"---", "title: T\nlastmod: '0999-12-31T10:00:00Z'", `content/x.md:3: lastmod: 0999-12-31 has the year 999, which cannot be right; write a date such as 2024-05-01`},
		{"---", "title: T\nreview_by: 0001-01-01", `content/x.md:3: review_by: 0001-01-01 has the year 1`},
		{"+++", "title = \"T\"\nlast_reviewed = 0042-03-04", `content/x.md:3: last_reviewed: 0042-03-04 has the year 42`},
		{"+++", "title = \"T\"\ndate = 0500-03-04T10:00:00", `content/x.md:3: date: 0500-03-04 has the year 500`},
		{"---", "title: T\nchanges:\n  - date: 2024-05-01\n    note: Fine.\n  - date: 0000-01-01\n    note: Typed in haste.", `content/x.md:3: changes: change 2: date: 0000-01-01 has the year 0, which cannot be right; write a date such as 2024-05-01`},
	} {
		_, errs := parseFM(t, c.delim, c.fm)
		if len(errs) != 1 || !strings.HasPrefix(errs[0].Error(), c.want) {
			t.Errorf("%s: got %v, want %s", c.fm, errs, c.want)
		}
	}
}

// A null value leaves the key unset: no error, no default overwritten,
// nothing in Params.
func TestFrontMatterNull(t *testing.T) {
	src, errs := parseFM(t, "---", "title: T\nweight:\ndate: ~\nslug: null\nlastmod: NULL\naliases:\nowner: ~\nmenu:\ndraft:\nextra:")
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	fm := src.fm
	if fm.Weight != 0 || !fm.Date.IsZero() || fm.Slug != "" || fm.Draft || fm.Menu != "" {
		t.Errorf("null values set something: %+v", fm)
	}
	for _, k := range []string{"weight", "date", "slug", "menu", "extra"} {
		if fm.Lines.has(k) {
			t.Errorf("%s is recorded as set", k)
		}
	}
	if _, ok := fm.Params["extra"]; ok {
		t.Error("a null param is kept")
	}
	// A null title is no title, reported at its line.
	_, errs = parseFM(t, "---", "title: null\nweight: 1")
	if len(errs) != 1 || errs[0].Error() != "content/x.md:2: title is empty; give the page a title" {
		t.Errorf("null title: %v", errs)
	}
}

// An unknown key close to a known one is a warning at its line; it is
// still kept in Params. Keys further away are kept without a word.
func TestFrontMatterDidYouMean(t *testing.T) {
	src, errs := parseFM(t, "---", "title: T\ntittle: Typo\ndescripton: D\nweigth: 3\nTitle: X\nalias: /a/\nname: n\ntags: [a]\norder: 1\ntype: faq\ndata: 1")
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	want := []string{
		"content/x.md:3: tittle: unknown key; did you mean title? (if not, it is kept in .Params for the layouts)",
		"content/x.md:4: descripton: unknown key; did you mean description?",
		"content/x.md:5: weigth: unknown key; did you mean weight?",
		"content/x.md:6: Title: unknown key; did you mean title?",
		"content/x.md:7: alias: unknown key; did you mean aliases?",
		"content/x.md:12: data: unknown key; did you mean date?",
	}
	if len(src.warns) != len(want) {
		t.Fatalf("warnings:\n%v", src.warns)
	}
	for i, w := range want {
		if !strings.HasPrefix(src.warns[i].Error(), w) {
			t.Errorf("warning %d = %q, want %q", i, src.warns[i], w)
		}
	}
	if src.fm.Params["tittle"] != "Typo" || src.fm.Params["name"] != "n" {
		t.Errorf("params: %v", src.fm.Params)
	}
}

// The warning reaches the build's result.
func TestFrontMatterWarningInBuild(t *testing.T) {
	fsys := fstest.MapFS{
		"content/_index.md":          {Data: []byte("---\ntitle: Home\ndescripton: typo\n---\nBody.\n")},
		"layouts/_default/list.html": {Data: []byte(`{{ .Title }}`)},
		"layouts/_default/page.html": {Data: []byte(`{{ .Title }}`)},
	}
	_, res := mustBuild(t, fsys, Config{})
	if got := res.Warnings.Error(); !strings.Contains(got, "content/_index.md:3: descripton: unknown key; did you mean description?") {
		t.Errorf("warnings: %s", got)
	}
}

func TestEditDistance(t *testing.T) {
	for _, c := range []struct {
		a, b string
		d    int
	}{
		{"", "", 0}, {"title", "title", 0}, {"tittle", "title", 1}, {"titel", "title", 1},
		{"title", "", 5}, {"ab", "ba", 1}, {"descripton", "description", 1}, {"name", "date", 2},
		{"kitten", "sitting", 3}, {"ca", "abc", 3},
	} {
		if got := editDistance(c.a, c.b); got != c.d {
			t.Errorf("editDistance(%q, %q) = %d, want %d", c.a, c.b, got, c.d)
		}
		if got := editDistance(c.b, c.a); got != c.d {
			t.Errorf("editDistance(%q, %q) = %d, want %d", c.b, c.a, got, c.d)
		}
	}
}

// A YAML syntax error names the line of the mistake (a file line: the
// front matter starts on line 2) and says what to do.
func TestYAMLSyntaxErrorLines(t *testing.T) {
	for _, c := range []struct {
		fm   string
		line int
		want string
	}{
		// yaml.v3 names the last line for a quote opened on the first.
		{"title: \"Unclosed\ndescription: x\nowner: y\nweight: 3\ndate: 2003-01-01\nmenu: main\ntoc: true\na: b\nc: d\ne: f", 2, `the " that opens this value is never closed`},
		{"title: \"Unclosed\ndescription: x\nowner: y\nweight: 3\ne: \"f\"", 2, `the " that opens this value is never closed`},
		{"title: A\ndescription: 'Unclosed\nowner: x", 3, `the ' that opens this value is never closed`},
		{"title: 'Don't worry'\nowner: x", 2, `text follows the closing '; put the whole value inside the quotes, and write an apostrophe inside them as ''`},
		{"title: A\ndescription: \"x\" y\nowner: z", 3, `text follows the closing "`},
		// Tabs: yaml.v3 names the line before, or none.
		{"title: A\ndescription: x\n\towner: y", 4, "this line is indented with a tab; YAML needs spaces"},
		{"\ttitle: A", 2, "indented with a tab"},
		{"title: A\nparams:\n\ta: x", 4, "indented with a tab"},
		// An unclosed [ : yaml.v3 names the line before.
		{"title: A\ndescription: [unclosed", 3, "the [ that opens this list is never closed; end the list with ]"},
		{"title: A\naliases: [/a/, /b/\nowner: x\nweight: 3", 3, "the [ that opens this list is never closed"},
		{"aliases: [/a/, /b/\ntitle: A\nowner: x", 2, "the [ that opens this list is never closed"},
		{"title: A\nparams: {a: 1\nowner: x", 3, "the { that opens this value is never closed"},
		{"title: A\naliases: [/a/, /b/]]", 3, "text follows the ] that closes this list"},
		// ": " in a value.
		{"title: Rights: an overview\nowner: x", 2, `a value that contains ": " must be in quotes: write title: "Rights: an overview"`},
		{"title: A\nowner: x\ndescription: Say \"no\": always", 4, `a value that contains ": " must be in quotes: write description: 'Say "no": always'`},
		{"title: A\ndescription: a\n   b: c\nz: y", 4, "indented under the value above"},
		// Others.
		{"title: A\n- b", 3, "this line is not a key: value line like those above it"},
		{"title: *x", 2, "a value that starts with * must be in quotes"},
		{"title: \"a\\qb\"", 2, `write \\ for a backslash`},
		{"title: @x", 2, "a value cannot start with @; put the value in quotes"},
		// A value on several lines is not taken for an unclosed one.
		{"title: A\ndescription: \"multi\n  line\" ok\nowner: x", 4, `text follows the closing "`},
		{"title: A\ndescription: |\n  \"quoted\n  text\nx: [a\nowner: y", 6, "the [ that opens this list is never closed"},
		{"\"title\": A\n'owner': x\ndescription: [a", 4, "the [ that opens this list is never closed"},
	} {
		_, errs := parseFM(t, "---", c.fm)
		if len(errs) != 1 {
			t.Errorf("%q: %v", c.fm, errs)
			continue
		}
		e := errs[0]
		if e.Line != c.line || !strings.HasPrefix(e.Msg, "front matter is not valid YAML: ") || !strings.Contains(e.Msg, c.want) {
			t.Errorf("%q:\n got %s\nwant line %d: %s", c.fm, e, c.line, c.want)
		}
	}
}

// A key set twice is an error naming both lines, at the top level as
// below it, whether or not the fast reader could read the rest.
func TestFrontMatterDuplicateKey(t *testing.T) {
	for _, c := range []struct{ fm, want string }{
		{"title: A\nweight: 1\ntitle: B", "content/x.md:4: title is set twice, on line 2 and again here; keep one of them"},
		{"title: A\naliases: [/a/]\ntitle: B", "content/x.md:4: title is set twice, on line 2 and again here"},
		{"title: A\n\"title\": B", "content/x.md:3: title is set twice, on line 2 and again here"},
		{"title: A\nparams:\n  a: 1\n  a: 2", "content/x.md:5: params: a is set twice, on line 4 and again here; keep one of them"},
	} {
		_, errs := parseFM(t, "---", c.fm)
		if len(errs) != 1 || !strings.HasPrefix(errs[0].Error(), c.want) {
			t.Errorf("%q: got %v, want %s", c.fm, errs, c.want)
		}
	}
}

// A whole number out of range is named as written, and said to be too large.
func TestFrontMatterWeightRange(t *testing.T) {
	for _, c := range []struct{ delim, fm, want string }{
		{"---", "title: T\nweight: 99999999999999999999999", "content/x.md:3: weight: 99999999999999999999999 is too large; write a smaller whole number, such as 10"},
		{"---", "title: T\nweight: 3000000000", "content/x.md:3: weight: 3000000000 is too large"},
		{"---", "title: T\nweight: -3000000000", "content/x.md:3: weight: -3000000000 is too far below zero"},
		{"---", "title: T\nweight: 1e30", "content/x.md:3: weight: 1e30 is too large"},
		{"---", "title: T\nweight: '99999999999999999999999'", "content/x.md:3: weight: 99999999999999999999999 is too large"},
		{"---", "title: T\nweight: 1.5", "content/x.md:3: weight: 1.5 is not a whole number; write a number such as 10"},
		{"+++", "title = \"T\"\nweight = 1e23", "content/x.md:3: weight: 1e23 is too large"},
	} {
		_, errs := parseFM(t, c.delim, c.fm)
		if len(errs) != 1 || !strings.HasPrefix(errs[0].Error(), c.want) {
			t.Errorf("%q: got %v, want %s", c.fm, errs, c.want)
		}
	}
	src, errs := parseFM(t, "---", "title: T\nweight: 2147483647")
	if len(errs) > 0 || src.fm.Weight != 2147483647 {
		t.Errorf("largest weight: %v", errs)
	}
}

// Front matter nested deeper than maxNesting is refused at the line where
// it gets too deep, before the decoder spends its time on it.
func TestFrontMatterDepth(t *testing.T) {
	nest := func(open, close string, n int) string {
		return strings.Repeat(open, n) + "1" + strings.Repeat(close, n)
	}
	block := func(n int) string {
		var b strings.Builder
		for i := range n {
			b.WriteString(strings.Repeat(" ", i+1) + "a:\n")
		}
		return b.String() + strings.Repeat(" ", n+1) + "b: 1"
	}
	for _, c := range []struct {
		delim, fm string
		ok        bool
		line      int
	}{
		{"---", "title: T\na: " + nest("[", "]", 19), true, 0},
		{"---", "title: T\na: " + nest("[", "]", 20), false, 3},
		{"---", "title: T\na: " + nest("{a: ", "}", 25), false, 3},
		{"---", "title: T\na:\n" + strings.Repeat("- ", 30) + "1", false, 4},
		{"---", "title: T\nparams:\n" + block(18), true, 0},
		{"---", "title: T\nparams:\n" + block(25), false, 23},
		{"---", "title: T\na: " + nest("[", "]", 8000), false, 3},
		{"+++", "title = \"T\"\na = " + nest("[", "]", 19), true, 0},
		{"+++", "title = \"T\"\na = " + nest("[", "]", 20), false, 3},
		{"+++", "title = \"T\"\na = " + nest("{a=", "}", 8000), false, 3},
		{"+++", "title = \"T\"\n" + strings.Repeat("a.", 19) + "b = 1", true, 0},
		{"+++", "title = \"T\"\n" + strings.Repeat("a.", 20) + "b = 1", false, 3},
		{"+++", "title = \"T\"\n[" + strings.Repeat("a.", 19) + "b]\nc = 1", false, 3},
		{"+++", "title = \"T\"\ns = \"\"\"\n[[[[[[[[[[[[[[[[[[[[[[[[\n\"\"\"\nt = '{{{{{{{{{{{{{{{{{{{{{{{{{{{{{'", true, 0},
	} {
		start := time.Now()
		_, errs := parseFM(t, c.delim, c.fm)
		if d := time.Since(start); d > time.Second {
			t.Errorf("%.40q: %v", c.fm, d)
		}
		if c.ok {
			if len(errs) > 0 {
				t.Errorf("%.60q: %v", c.fm, errs)
			}
			continue
		}
		if len(errs) != 1 || errs[0].Line != c.line || !strings.Contains(errs[0].Msg, "front matter is nested more than 20 levels deep here") {
			t.Errorf("%.60q: got %v, want line %d", c.fm, errs, c.line)
		}
	}
}

// FuzzTOMLDepth: for any TOML the decoder accepts, tomlDepth finds the
// depth of the decoded value, and the line it says is inside the text.
// TOML that defines a key twice is left out: the decoder lets the later
// key replace a table ("a.b = []" then "a = []"), whose depth the
// decoded value no longer shows, and tomlDepth counts it.
func FuzzTOMLDepth(f *testing.F) {
	for _, s := range []string{
		"a = 1", "a.b.c = 1", "a = [1, [2, [3]]]", "a = {b = {c = [1]}}", "[a.b]\nc = 1", "[[a]]\nb = [{c = 1}]",
		"a = []", "a = {}", "[a]", "[[a.b]]", "a = \"[[[\"\nb = '{'", "s = \"\"\"\n[[\n\"\"\"", "s = '''\n{{\n'''",
		"a = [ # c\n  1,\n  [2],\n]", "\"a.b\" = 1", "a . b = 1", "x = 1.5\ny = 1979-05-27T07:32:00.5Z", "a = [{}, {b = {}}]",
		"[a]\nb.c = 1\n[a.d]\ne = [[1]]", "a = \"\\\"[\"",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var m map[string]any
		md, err := toml.Decode(string(b), &m)
		if err != nil {
			return
		}
		if redefines(md) {
			return
		}
		want := 0
		if len(m) > 0 {
			want = valueDepth(m)
		}
		got, line := tomlDepth(b, 1000)
		if got != want {
			t.Fatalf("%q: tomlDepth %d, decoded depth %d", b, got, want)
		}
		if line < 0 || line > bytes.Count(b, []byte("\n")) {
			t.Fatalf("%q: line %d", b, line)
		}
	})
}

// redefines reports whether decoded TOML gave a key again after a key
// inside it ("a.b = []" then "a = []"), other than as a table: the
// decoder lets the later key replace the earlier one.
func redefines(md toml.MetaData) bool {
	keys := md.Keys()
	for i, k := range keys {
		for _, later := range keys[i+1:] {
			if len(later) <= len(k) && slices.Equal(later, k[:len(later)]) {
				if t := md.Type(later...); t != "Hash" && t != "ArrayHash" {
					return true
				}
			}
		}
	}
	return false
}

// valueDepth is how deep a decoded value nests: 0 for a scalar, one more
// than its deepest element for a table or array.
func valueDepth(v any) int {
	d := 0
	switch v := v.(type) {
	case map[string]any:
		for _, x := range v {
			d = max(d, valueDepth(x))
		}
	case []any:
		for _, x := range v {
			d = max(d, valueDepth(x))
		}
	case []map[string]any:
		for _, x := range v {
			d = max(d, valueDepth(x))
		}
	default:
		return 0
	}
	return d + 1
}

// Dates with a time keep it in the sitemap and the feed; a day alone is
// written as before; pages show the day as written, the UK way.
func TestFrontMatterTimesInFeeds(t *testing.T) {
	page := func(fm string) *fstest.MapFile {
		return &fstest.MapFile{Data: []byte("---\n" + fm + "\n---\nBody.\n")}
	}
	fsys := fstest.MapFS{
		"content/_index.md":          page("title: Home\nweight:"),
		"content/day.md":             page("title: Day\ndate: 2003-11-24"),
		"content/hugo.md":            page("title: Hugo\ndate: 2013-12-02 7:37:00 -0400"),
		"content/late.md":            page("title: Late\ndate: 2019-05-01\nlastmod: 2019-05-01T23:30:00-05:00"),
		"content/null.md":            page("title: Unset\ndate: ~\nlastmod:"),
		"layouts/_default/list.html": {Data: []byte(`{{ .Title }}`)},
		"layouts/_default/page.html": {Data: []byte(`{{ .Title }}: {{ ukdate .Date }} / {{ ukdate .Lastmod }}`)},
	}
	out, _ := mustBuild(t, fsys, Config{BaseURL: "https://example.org/"})
	files := out.Files()
	sitemap := string(files["sitemap.xml"])
	for _, want := range []string{
		"<loc>https://example.org/day/</loc>\n    <lastmod>2003-11-24</lastmod>",
		"<loc>https://example.org/hugo/</loc>\n    <lastmod>2013-12-02T07:37:00-04:00</lastmod>",
		"<loc>https://example.org/late/</loc>\n    <lastmod>2019-05-01T23:30:00-05:00</lastmod>",
		"<loc>https://example.org/null/</loc>\n  </url>",
	} {
		if !strings.Contains(sitemap, want) {
			t.Errorf("sitemap lacks %q:\n%s", want, sitemap)
		}
	}
	feed := string(files["feed.xml"])
	for _, want := range []string{
		"<updated>2003-11-24T00:00:00Z</updated>",
		"<updated>2013-12-02T11:37:00Z</updated>",
		"<updated>2019-05-02T04:30:00Z</updated>\n    <published>2019-05-01T00:00:00Z</published>",
	} {
		if !strings.Contains(feed, want) {
			t.Errorf("feed lacks %q:\n%s", want, feed)
		}
	}
	for file, want := range map[string]string{
		"hugo/index.html": "Hugo: 2 December 2013 / 2 December 2013",
		"late/index.html": "Late: 1 May 2019 / 1 May 2019",
		"null/index.html": "Unset:  / ",
	} {
		if got := string(files[file]); got != want {
			t.Errorf("%s = %q, want %q", file, got, want)
		}
	}
}

// FuzzYAMLMistake: whatever the front matter and whatever yaml.v3 says
// about it, finding the mistake does not panic and names a line of the
// front matter.
func FuzzYAMLMistake(f *testing.F) {
	f.Add("title: \"a\nb: [c\n\td: e: f", uint8(0), uint8(3))
	f.Add("x: 'a''b\n  y: \"\\\"\" z", uint8(4), uint8(0))
	f.Add("a: |\n  \"b\n[c", uint8(9), uint8(200))
	f.Add("a: [b] c", uint8(0), uint8(0))
	msgs := []string{
		"did not find expected key", "found unexpected end of stream", "did not find expected ',' or ']'",
		"mapping values are not allowed in this context", "found character that cannot start any token",
		"found a tab character that violates indentation", "unknown anchor 'x' referenced",
		"found unknown escape character while parsing a quoted scalar", "did not find expected '-' indicator",
		"did not find expected node content", "could not find expected ':'", "something else",
	}
	f.Fuzz(func(t *testing.T, fm string, msg, line uint8) {
		text := msgs[int(msg)%len(msgs)]
		if line > 0 {
			text = fmt.Sprintf("line %d: %s", line, text)
		}
		e := yamlSyntaxError("x.md", []byte(fm), errors.New("yaml: "+text))
		if n := strings.Count(fm, "\n") + 2; e.Line < 2 || e.Line > n {
			t.Fatalf("%q, %q: line %d of %d", fm, text, e.Line, n)
		}
	})
}

// TestKeyLines holds keyLines to the map it stands for, over random keys
// known and unknown, lines and repeats. Seeded by the round.
func TestKeyLines(t *testing.T) {
	keys := append(frontMatterKeys[:], "site", "extra", "Title", "", "title ")
	for round := range 200 {
		rng := rand.New(rand.NewPCG(uint64(round), 1))
		var kl keyLines
		want := map[string]int{}
		for range rng.IntN(30) {
			k, line := keys[rng.IntN(len(keys))], rng.IntN(100)
			switch rng.IntN(20) {
			case 0:
				line = math.MaxUint16 + 1 + rng.IntN(3) // stored apart, not cut
			case 1:
				line = math.MaxUint16 - rng.IntN(2)
			}
			kl.put(k, line)
			want[k] = line
		}
		for _, k := range keys {
			n, ok := want[k]
			if kl.line(k) != n || kl.has(k) != ok {
				t.Fatalf("round %d: %q: line %d, set %v; want %d, %v", round, k, kl.line(k), kl.has(k), n, ok)
			}
		}
	}
}

// A YAML alias bomb (billion laughs: each list repeats the one before
// nine times over) is refused at the line where it gets too big, saying
// what to do, without yaml.v3's own words; a modest alias still works.
func TestFrontMatterAliasBomb(t *testing.T) {
	var b strings.Builder
	b.WriteString("title: T\na: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n")
	for c := 'b'; c <= 'i'; c++ {
		fmt.Fprintf(&b, "%c: &%c [%s]\n", c, c, strings.TrimSuffix(strings.Repeat("*"+string(c-1)+", ", 9), ", "))
	}
	_, errs := parseFM(t, "---", b.String())
	want := "content/x.md:6: d: this value's aliases (*c) repeat other values so many times over that the front matter would hold"
	if len(errs) != 1 || !strings.HasPrefix(errs[0].Error(), want) || !strings.Contains(errs[0].Error(), "write the values out instead of repeating them with & and *") {
		t.Errorf("got %v\nwant %s…", errs, want)
	}
	src, errs := parseFM(t, "---", "title: T\nparams:\n  a: &a [x, y]\n  b: *a\n")
	if len(errs) != 0 || fmt.Sprint(src.fm.Params["params"]) != "map[a:[x y] b:[x y]]" {
		t.Errorf("a modest alias: %v, %v", errs, src.fm.Params)
	}
}

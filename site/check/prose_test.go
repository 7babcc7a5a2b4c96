package check_test

import (
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"charter/site"
	"charter/site/check"
)

// proseLayouts are the layouts of the small sites the prose tests build.
var proseLayouts = map[string]string{
	"layouts/_default/baseof.html": `<!DOCTYPE html>
<html lang="en-GB">
<head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><main>{{ block "main" . }}{{ end }}</main></body>
</html>
`,
	"layouts/_default/home.html": `{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}{{ end }}`,
	"layouts/_default/page.html": `{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}{{ end }}`,
}

// smallSite is a site of the given content files (name -> text) and the
// prose layouts.
func smallSite(files map[string]string) fstest.MapFS {
	fsys := fstest.MapFS{"content/_index.md": {Data: []byte("---\ntitle: Home\ndescription: The home page.\n---\nWelcome.\n")}}
	for name, text := range proseLayouts {
		fsys[name] = &fstest.MapFile{Data: []byte(text)}
	}
	for name, text := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(text)}
	}
	return fsys
}

// checkFindings builds a site of the content files as `charter check`
// does and returns its findings of the given rules (all when none given).
func checkFindings(t *testing.T, files map[string]string, rules ...string) []check.Finding {
	t.Helper()
	s := buildForCheck(t, smallSite(files), site.Config{})
	fs := check.Run(s, check.Options{Now: now})
	if len(rules) == 0 {
		return fs
	}
	return slices.DeleteFunc(fs, func(f check.Finding) bool { return !slices.Contains(rules, f.Rule) })
}

func placesOf(fs []check.Finding) string {
	var out []string
	for _, f := range fs {
		out = append(out, f.File+":"+itoa(f.Line)+" "+f.Rule)
	}
	return strings.Join(out, "; ")
}

func itoa(n int) string {
	if n < 0 {
		return "-" + itoa(-n)
	}
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}

// The content rules read the prose as goldmark parsed it, with the lines
// of the source file: code and tables are not prose.
func TestContentRules(t *testing.T) {
	md := strings.Join([]string{
		"---",
		"title: X",
		"review_by: 2005-05-31",
		"owner: Policy team",
		"---",
		"The Freedom of Information Act 2000 (FOI Act) gives you rights.", // 6
		"",
		"You can ask the DPA office. The FOI Act applies. Use the UK address.", // 8
		"",
		"In order to ask, write to us prior to the deadline.", // 10
		"",
		"```",
		"CODE IN ORDER TO utilise ABC",
		"```",
		"",
		"| ABC | utilise |",
		"| --- | --- |",
		"",
		"One. Two. Three. Four. Five. Six.", // 19
		"",
		"This sentence has far too many words in it because it goes on and on and on without a single stop for the reader to rest at all.", // 21
		"",
		"- We will utilise the [CPS (Crown Prosecution Service)](cps.md) list.", // 23
		"- HMRC (His Majesty's Revenue and Customs) and Part II apply.",
	}, "\n")
	fs := checkFindings(t, map[string]string{"content/x.md": md},
		"abbreviation", "avoid-words", "long-paragraph", "long-sentence", "review-overdue", "missing-description")
	want := "content/x.md:0 missing-description; content/x.md:0 review-overdue; content/x.md:8 abbreviation; " +
		"content/x.md:10 avoid-words; content/x.md:10 avoid-words; content/x.md:19 long-paragraph; content/x.md:21 long-sentence; " +
		"content/x.md:23 avoid-words"
	if got := placesOf(fs); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	for _, f := range fs {
		if f.Severity != check.Warning {
			t.Errorf("content finding is not a warning: %+v", f)
		}
		if f.Rule == "review-overdue" && (!strings.Contains(f.Message, "Policy team") || !strings.Contains(f.Message, "31 May 2005")) {
			t.Errorf("review message lacks owner or date: %s", f.Message)
		}
	}
}

// longSentence is a sentence of 30 words, which long-sentence reports.
const longSentence = "This sentence has far too many words in it because it goes on and on and on without a single stop for the reader to rest at all today."

// The content rules find prose wherever goldmark does, on the right line
// of the file: in block quotes of many paragraphs (which crashed the
// old line scanner), nested quotes and lists, footnotes, definition lists
// and setext headings; and not in code, HTML blocks or tables.
func TestProseLines(t *testing.T) {
	fm := "---\ntitle: P\ndescription: D.\n---\n" // the body starts on line 5
	tests := []struct {
		name, body string
		want       string // lines of long-sentence findings
	}{
		{"quote of two paragraphs", "> The first paragraph.\n>\n> " + longSentence + "\n", "7"},
		{"empty quote lines", ">\n>\n> " + longSentence + "\n>\n", "7"},
		{"quote in a list", "- item\n\n  > quoted\n  >\n  > " + longSentence + "\n", "9"},
		{"list in a quote", "> - one\n>\n>   " + longSentence + "\n", "7"},
		{"nested quotes", "> > a\n> >\n> > b\n>\n> " + longSentence + "\n", "9"},
		{"lazy continuation", "> start of a quote\n" + longSentence + "\n", "5"},
		{"footnote", "Text.[^1]\n\n[^1]: " + longSentence + "\n", "7"},
		{"definition list", "Term\n: " + longSentence + "\n", "6"},
		{"setext heading", "Title\n=====\n\n" + longSentence + "\n", "8"},
		{"indented code", "Intro.\n\n    " + longSentence + "\n", ""},
		{"fenced code in a quote", "> ```\n> " + longSentence + "\n> ```\n", ""},
		{"html block", "<div>\n" + longSentence + "\n</div>\n", ""},
		{"table", "| a | b |\n| - | - |\n| " + longSentence + " | x |\n", ""},
		{"crlf", "a\r\n\r\n>\r\n> " + longSentence + "\r\n", "8"},
		{"sentence over lines", "Line one of a sentence\nthat goes on and on and on without a stop for the reader to rest, while it\nkeeps adding words until it is long.\n", "5"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := checkFindings(t, map[string]string{"content/p.md": fm + tt.body}, "long-sentence")
			var lines []string
			for _, f := range fs {
				if f.File != "content/p.md" {
					t.Errorf("finding in %s", f.File)
				}
				lines = append(lines, itoa(f.Line))
			}
			if got := strings.Join(lines, " "); got != tt.want {
				t.Errorf("long sentence at lines %q, want %q", got, tt.want)
			}
		})
	}
}

// An image written in Markdown with empty alt text is a warning, unless
// its title marks it decorative; that title does not reach the output.
func TestMarkdownAlt(t *testing.T) {
	md := "---\ntitle: P\ndescription: D.\n---\n![](/chart.png)\n\n![ ](/chart.png \"Decorative\")\n\n![A chart](/chart.png)\n"
	fsys := smallSite(map[string]string{"content/p.md": md, "static/chart.png": "PNG"})
	s := buildForCheck(t, fsys, site.Config{})
	fs := check.Run(s, check.Options{Now: now})
	var got []check.Finding
	for _, f := range fs {
		if f.Rule == "img-alt-empty" || f.Rule == "img-alt" {
			got = append(got, f)
		}
	}
	if placesOf(got) != "content/p.md:5 img-alt-empty" || got[0].Severity != check.Warning || !strings.Contains(got[0].Fix, `"decorative"`) {
		t.Errorf("findings: %+v", got)
	}
	for _, p := range s.Pages {
		if strings.Contains(string(p.HTML), "title=") {
			t.Errorf("%s: the decorative title reached the output: %s", p.Output, p.HTML)
		}
	}
}

// What goldmark writes for footnotes and task lists is not a fault: the
// footnotes' back links ("↩︎" to each reference) are read in the
// footnote they end, and a task list's boxes cannot be changed.
func TestGoldmarkExtrasAreNotFaults(t *testing.T) {
	md := "---\ntitle: P\ndescription: D.\n---\nOne.[^1] Two.[^2]\n\n[^1]: First.\n[^2]: Second.\n\n- [ ] to do\n- [x] done\n"
	if fs := checkFindings(t, map[string]string{"content/p.md": md}, "ambiguous-link-text", "form-label"); len(fs) > 0 {
		t.Errorf("findings: %v", placesOf(fs))
	}
}

// Links to headings whose ids keep accented letters and other scripts
// (as GitHub and Hugo make them) are found by charter check, written as
// the id, percent-encoded, or in an HTML href; a link to the id that the
// ASCII-only rule made is reported.
func TestCheckFragmentsWithAccents(t *testing.T) {
	fs := checkFindings(t, map[string]string{
		"content/p.md": "---\ntitle: P\ndescription: d\n---\n## Hawliau’r ŵyr\n\n## Ελληνικά\n\nSee [it](#hawliaur-ŵyr), [that](#%CE%B5%CE%BB%CE%BB%CE%B7%CE%BD%CE%B9%CE%BA%CE%AC).\n",
		"content/q.md": "---\ntitle: Q\ndescription: d\n---\nSee [them](p.md#hawliaur-ŵyr) and [the old id](p.md#hawliaur-yr).\n",
	}, "broken-fragment")
	if len(fs) != 1 || !strings.Contains(fs[0].Message, "hawliaur-yr") || fs[0].File != "content/q.md" {
		t.Errorf("got %v, want one broken-fragment finding for #hawliaur-yr in content/q.md", fs)
	}
}

package check_test

import (
	"context"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"charter/site"
	"charter/site/check"
	"charter/site/cli"
)

// markdownSeeds hold every CommonMark and GFM block construct, and the
// extensions the build turns on (footnotes, definition lists, heading
// attributes, typographer), alone and nested in quotes and lists.
var markdownSeeds = []string{
	// ATX and setext headings, thematic breaks
	"# One\n## Two ##\n###### Six\n####### not a heading\n#hashtag\n",
	"Title\n=====\n\nSub\n---\n\n***\n- - -\n___\n",
	"## A heading {#custom-id .class}\n\nText.\n",
	"#\n\n# \n",
	// indented and fenced code
	"Text.\n\n    code line\n    more code\n\nAfter.\n",
	"```go\nfunc main() {}\n```\n\n~~~\ntilde\n~~~\n\n````\n```\nnested\n````\n",
	"```\nunclosed fence\n",
	"> ```\n> code in a quote\n> ```\n",
	// HTML blocks of the seven kinds
	"<script>\nvar a = 1;\n</script>\n\n<!-- a\ncomment -->\n\n<?php echo 1; ?>\n\n<!DOCTYPE html>\n\n<![CDATA[\nx\n]]>\n",
	"<div>\n*not emphasis*\n</div>\n\n<custom-tag>\ntext\n</custom-tag>\n",
	"<table><tr><td>\n\ncell *text*\n\n</td></tr></table>\n",
	// link reference definitions
	"[foo]: /url \"title\"\n\n[foo]\n\n[bar]:\n  other.md\n  'Title'\n\n[bar][]\n",
	"[not a def]\n: not a def either\n",
	// block quotes with empty lines, lazy lines, nesting
	"> The first paragraph of a quotation.\n>\n> The second paragraph of the quotation.\n",
	">\n>\n>\n",
	"> a\nlazy continuation\n> > nested\n> >\n> > again\n>\n> back\n",
	"> # Heading in a quote\n> - list in a quote\n>\n>   continued\n",
	"- item\n\n  > quote in a list\n  >\n  > more\n\n- next\n",
	// lists: tight, loose, ordered, nested, empty items
	"- a\n- b\n  - c\n    - d\n\n1. one\n2. two\n10) ten\n",
	"* loose\n\n* list\n\n+ other marker\n",
	"-\n  foo\n-\n\n1.\n",
	"- [ ] task\n- [x] done\n",
	"1. item\n\n       indented code in a list\n\n2. next\n",
	// tables
	"| a | b |\n| --- | :-: |\n| 1 | 2 |\n| `x \\| y` | **z** |\n",
	"| only header |\n| --- |\n",
	"a | b\n- | -\n1 | 2\n",
	// footnotes and definition lists
	"Text with a note.[^1]\n\n[^1]: The note,\n    with a second line.\n\n[^2]: Unused.\n",
	"Term\n: Definition\n: Another\n\nTerm two\n\n: Loose definition\n",
	// inline constructs across lines
	"A *long\nemphasis* and a [link\nacross lines](other.md) and `code\nspan`.  \nHard break.\\\nAnother.\n",
	"Quotes \"like these\" and 'these' -- and --- and ... and <<these>>.\n",
	"&copy; &#123; &#x1F600; &notanentity; \\* \\_ \\\\\n",
	"![](chart.png)\n\n![alt](missing.png \"decorative\")\n\n<https://example.org> www.example.org\n",
	"[a draft](secret.md) and [a fragment](other.md#nope) and [self](#top) and [none](none.md)\n",
	"~~struck~~ and ~single~ and <b>raw</b> <span\nclass=\"x\">html</span>\n",
	// odd text
	"\ufeffBOM inside the body\n",
	"line\r\nwith\r\nCRLF\r\n\r\n> quote\r\n>\r\n> more\r\n",
	"\t- tab\n\t\tindented\n",
	"Ünïcödé ✓ — «quotes» ‘single’ 😀 العربية עברית 中文\n",
	"\x00 nul and \x7f del",
	"",
	"\n\n\n",
	strings.Repeat("> ", 40) + "deep\n",
	strings.Repeat("- ", 40) + "deep\n",
	"FOI is used. The Freedom of Information Act (FOI Act) applies. We utilise it in order to help.\n",
	strings.Repeat("word ", 40) + ".\n",
}

// checkMarkdown builds a site whose page content/p.md has the body md,
// as `charter check` does, with GOMAXPROCS workers, and checks it.
func checkMarkdown(t *testing.T, page string, procs int) []check.Finding {
	t.Helper()
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
	fsys := smallSite(map[string]string{
		"content/p.md":      page,
		"content/other.md":  "---\ntitle: Other\ndescription: Another page.\n---\n## Part\n",
		"content/secret.md": "---\ntitle: Secret\ndraft: true\n---\nDraft.\n",
		"static/chart.png":  "PNG",
	})
	b, err := site.NewBuilder(site.Config{Minify: true, Fingerprint: true, KeepGoing: true}, fsys)
	if err != nil {
		t.Fatal(err)
	}
	out := site.NewMemOutput()
	res, err := b.Build(context.Background(), out)
	if err != nil {
		es, ok := site.AsErrors(err)
		if !ok {
			t.Fatalf("build: %v", err)
		}
		var fs []check.Finding
		for _, e := range es {
			fs = append(fs, check.Finding{File: e.File, Line: e.Line, Rule: "build", Message: e.Msg})
		}
		return fs
	}
	return check.Run(cli.CheckSite(res, out.Files()), check.Options{Now: now})
}

// FuzzCheck checks pages of any Markdown end to end, as `charter check`
// does: it never panics (a panic caught by the workers shows as an
// internal error), every finding in the page is on a line of the file
// (or line 0, the whole file), and the findings do not depend on how
// many workers check the pages.
func FuzzCheck(f *testing.F) {
	for _, s := range markdownSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, md string) {
		page := "---\ntitle: P\ndescription: A page.\n---\n" + md
		one := checkMarkdown(t, page, 1)
		lines := len(strings.Split(strings.ReplaceAll(strings.ReplaceAll(page, "\r\n", "\n"), "\r", "\n"), "\n"))
		for _, fd := range one {
			if fd.Rule == "internal-error" || strings.Contains(fd.Message, "internal error") {
				t.Fatalf("crash: %s:%d %s", fd.File, fd.Line, fd.Message)
			}
			if fd.File == "content/p.md" && (fd.Line < 0 || fd.Line > lines) {
				t.Fatalf("finding at line %d of a file of %d lines: %+v", fd.Line, lines, fd)
			}
		}
		if four := checkMarkdown(t, page, 4); !reflect.DeepEqual(one, four) {
			t.Fatalf("findings differ with 1 and 4 workers:\n%v\n%v", one, four)
		}
	})
}

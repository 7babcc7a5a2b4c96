// Package gensite writes a generated rights site of any size, for
// benchmarks: sections of 50 pages, two levels deep, each page with front
// matter, headings, lists, a table and links to other pages, and code on
// one page in ten, or in half the blocks of a code-heavy site. Pages have
// about the number of words asked for. It uses a repository's own layouts
// and static files.
package gensite

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Options shape the generated pages.
type Options struct {
	// Words is about the number of words of a page's body, code
	// included; 0 means 300, the length of the project's own pages. A
	// GOV.UK guidance page has about 1,100.
	Words int
	// Code makes half the blocks of every page code fences, as on a
	// technical manual: real languages, names that are no language
	// (Output, Syntax, text) and fences without one. Some blocks are the
	// same on every page, as such manuals' output samples are.
	Code bool
}

// Write writes a realistic rights site of n pages of about 300 words
// into dir; see WriteWith.
func Write(dir string, n int, repo string) error {
	return WriteWith(dir, n, repo, Options{})
}

// WriteWith writes a realistic rights site of n pages into dir: sections
// of about 50 pages, two levels deep, each page with front matter,
// headings, lists, a table, code and links to other pages. It uses the
// repository's own layouts and static files.
func WriteWith(dir string, n int, repo string, opt Options) error {
	if opt.Words <= 0 {
		opt.Words = 300
	}
	var err error
	write := func(rel, s string) {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err == nil {
			err = os.MkdirAll(filepath.Dir(p), 0o755)
		}
		if err == nil {
			err = os.WriteFile(p, []byte(s), 0o644)
		}
	}
	for _, root := range []string{"layouts", "static"} {
		src := filepath.Join(repo, root)
		werr := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(repo, p)
			write(filepath.ToSlash(rel), string(b))
			return nil
		})
		if werr != nil {
			return werr
		}
	}
	write("content/_index.md", "---\ntitle: Generated rights\ndescription: A generated site.\nlastmod: 2004-01-01\nsite:\n  title: Generated rights\n  language: en-GB\n  organisation: Department for Constitutional Affairs\n---\nWelcome to the generated site.\n")
	const perSection = 50
	sections := (n + perSection - 1) / perSection
	for s := 0; s < sections; s++ {
		top := fmt.Sprintf("topic-%02d", s%20)
		sec := fmt.Sprintf("%s/area-%03d", top, s)
		if s < 20 {
			write("content/"+top+"/_index.md", fmt.Sprintf("---\ntitle: Topic %d\ndescription: Pages about topic %d.\nweight: %d\nlastmod: 2004-02-01\n---\nAn overview of topic %d.\n", s, s, s+1, s))
		}
		write("content/"+sec+"/_index.md", fmt.Sprintf("---\ntitle: Area %d\ndescription: Pages about area %d.\nweight: %d\nlastmod: 2004-02-01\n---\nAn overview of area %d.\n", s, s, s+1, s))
		for i := 0; i < perSection && s*perSection+i < n; i++ {
			write(fmt.Sprintf("content/%s/page-%03d.md", sec, i), page(s, i, perSection, opt))
		}
	}
	return err
}

func page(s, i, per int, opt Options) string {
	var b strings.Builder
	fmt.Fprintf(&b, "---\ntitle: How to use right %d.%d\ndescription: What right %d.%d means and how to use it.\nweight: %d\ndate: 2003-11-24\nlastmod: 2004-03-%02d\nowner: Policy branch %d\nlast_reviewed: 2026-01-01\nreview_by: 2027-01-01\ntoc: true\n---\n", s, i, s, i, i+1, i%28+1, s%7)
	words := 0
	add := func(text string) {
		b.WriteString(text)
		words += len(strings.Fields(text))
	}
	for h := 1; words < opt.Words; h++ {
		add(fmt.Sprintf("## Part %d of the guidance\n\n", h))
		if opt.Code {
			add(fence(s, i, h, 0))
		}
		add(fmt.Sprintf("You can ask a public authority for the information it holds. It must reply within 20 working days. Read [the next page](page-%03d.md) or [the section overview](_index.md#main-content) for more, and see [the home page](/) too.\n\n", (i+1)%per))
		if opt.Code {
			add(fence(s, i, h, 1))
		}
		add("- Write to the authority and describe the information you want.\n- Give a name and an address for the reply.\n- Keep a copy of your letter.\n\n")
		if h%4 == 2 {
			add("| Who | Limit | Time |\n| --- | --- | --- |\n| Central government | £600 | 20 days |\n| Other authorities | £450 | 20 days |\n\n")
		}
		if !opt.Code && h == 3 && i%10 == 0 { // code on one page in ten: this is a rights site, not a manual
			add(fmt.Sprintf("```go\nfunc request%d_%d(name string) error {\n\treturn send(name, \"FOI\", %d)\n}\n```\n\n", s, i, i))
		}
		add("### What happens next\n\n")
		if opt.Code {
			add(fence(s, i, h, 2))
		}
		add("The authority says whether it holds the information, and usually sends it. It may refuse if an exemption applies, and it must say why. You can then ask for an internal review, and after that complain to the Information Commissioner.\n\n")
		if opt.Code {
			add(fence(s, i, h, 3))
		}
	}
	return b.String()
}

// fenceKinds are the info strings of a code-heavy site's fences, in the
// proportions of a real manual: a real language, its output under a name
// that is no language, and fences without one.
var fenceKinds = []string{"powershell", "Output", "", "go", "Syntax", "text", "", "bash", "yaml", "json", "Output", ""}

// fence is the k-th code block of part h of page i of section s. One in
// three is the same on every page.
func fence(s, i, h, k int) string {
	n := (s*7 + i*5 + h*3 + k) % len(fenceKinds)
	lang := fenceKinds[n]
	same := (i+h+k)%3 == 0
	id := fmt.Sprintf("%d_%d_%d_%d", s, i, h, k)
	if same {
		id = "shared"
	}
	var code string
	switch lang {
	case "powershell":
		code = fmt.Sprintf("Get-ChildItem -Path C:\\Records\\%s -Recurse |\n    Where-Object { $_.Length -gt 1kb } |\n    Select-Object Name, Length\n", id)
	case "go":
		code = fmt.Sprintf("func request%s(name string) error {\n\treturn send(name, \"FOI\", %d)\n}\n", id, h)
	case "bash":
		code = fmt.Sprintf("curl -s https://example.org/records/%s | jq '.items[] | .name'\n", id)
	case "yaml":
		code = fmt.Sprintf("request:\n  id: %s\n  kind: foi\n  days: 20\n", id)
	case "json":
		code = fmt.Sprintf("{\"request\": \"%s\", \"kind\": \"foi\", \"days\": 20}\n", id)
	case "Syntax":
		code = fmt.Sprintf("Request-Record [-Id] <String> [-Kind <String>] # %s\n", id)
	default:
		code = fmt.Sprintf("Name      Length\n----      ------\nrecord-%s   2048\n", id)
	}
	return "```" + lang + "\n" + code + "```\n\n"
}

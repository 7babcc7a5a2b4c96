// Package gensite writes a generated rights site of any size, for
// benchmarks: sections of 50 pages, two levels deep, each page with front
// matter, headings, lists, a table and links to other pages, and code on
// one page in ten. It uses a repository's own layouts and static files.
package gensite

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Write writes a realistic rights site of n pages into dir: sections of
// about 50 pages, two levels deep, each page with front matter, headings,
// lists, a table, a code block and links to other pages. It uses the
// repository's own layouts and static files.
func Write(dir string, n int, repo string) error {
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
			write(fmt.Sprintf("content/%s/page-%03d.md", sec, i), page(s, i, perSection))
		}
	}
	return err
}

func page(s, i, per int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "---\ntitle: How to use right %d.%d\ndescription: What right %d.%d means and how to use it.\nweight: %d\ndate: 2003-11-24\nlastmod: 2004-03-%02d\nowner: Policy branch %d\nlast_reviewed: 2026-01-01\nreview_by: 2027-01-01\ntoc: true\n---\n", s, i, s, i, i+1, i%28+1, s%7)
	for h := 1; h <= 4; h++ {
		fmt.Fprintf(&b, "## Part %d of the guidance\n\nYou can ask a public authority for the information it holds. It must reply within 20 working days. ", h)
		fmt.Fprintf(&b, "Read [the next page](page-%03d.md) or [the section overview](_index.md#main-content) for more, and see [the home page](/) too.\n\n", (i+1)%per)
		b.WriteString("- Write to the authority and describe the information you want.\n- Give a name and an address for the reply.\n- Keep a copy of your letter.\n\n")
		if h == 2 {
			b.WriteString("| Who | Limit | Time |\n| --- | --- | --- |\n| Central government | £600 | 20 days |\n| Other authorities | £450 | 20 days |\n\n")
		}
		if h == 3 && i%10 == 0 { // code on one page in ten: this is a rights site, not a manual
			fmt.Fprintf(&b, "```go\nfunc request%d_%d(name string) error {\n\treturn send(name, \"FOI\", %d)\n}\n```\n\n", s, i, i)
		}
		b.WriteString("### What happens next\n\nThe authority says whether it holds the information, and usually sends it. It may refuse if an exemption applies, and it must say why. You can then ask for an internal review, and after that complain to the Information Commissioner.\n\n")
	}
	return b.String()
}

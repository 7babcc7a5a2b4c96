package site

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
)

// benchPages is the size of the generated benchmark site.
const benchPages = 10000

// genSite writes a realistic rights site of n pages into dir: sections of
// about 50 pages, two levels deep, each page with front matter, headings,
// lists, a table, a code block and links to other pages. It uses the
// repository's own layouts and static files.
func genSite(tb testing.TB, dir string, n int) {
	tb.Helper()
	write := func(rel, s string) {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	for _, root := range []string{"layouts", "static"} {
		src := filepath.Join("..", root)
		err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel("..", p)
			write(filepath.ToSlash(rel), string(b))
			return nil
		})
		if err != nil {
			tb.Fatal(err)
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
			write(fmt.Sprintf("content/%s/page-%03d.md", sec, i), genPage(s, i, perSection))
		}
	}
}

func genPage(s, i, per int) string {
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

var genDir = flag.String("gen", "", "write the generated benchmark site into this folder (with -run TestGenerateSite)")

// TestGenerateSite writes the benchmark site for measuring the command
// itself: go test ./site -run TestGenerateSite -gen /dev/shm/site
func TestGenerateSite(t *testing.T) {
	if *genDir == "" {
		t.Skip("no -gen folder given")
	}
	genSite(t, *genDir, benchPages)
}

// benchDir is a RAM-backed folder where one exists: deleting many files
// on this disk makes timings swing.
func benchDir(b *testing.B) string {
	b.Helper()
	if st, err := os.Stat("/dev/shm"); err == nil && st.IsDir() {
		d, err := os.MkdirTemp("/dev/shm", "charter-bench-")
		if err == nil {
			b.Cleanup(func() { os.RemoveAll(d) })
			return d
		}
	}
	return b.TempDir()
}

// BenchmarkBuild builds the generated 10,000-page site into a folder, as
// `charter build` does.
func BenchmarkBuild(b *testing.B) {
	dir := benchDir(b)
	genSite(b, dir, benchPages)
	fsys := os.DirFS(dir)
	TuneGC()
	b.ResetTimer()
	for b.Loop() {
		bl, err := NewBuilder(Config{Minify: true}, fsys)
		if err != nil {
			b.Fatal(err)
		}
		out, err := NewDirOutput(filepath.Join(dir, "public"), dir)
		if err != nil {
			b.Fatal(err)
		}
		res, err := bl.Build(context.Background(), out)
		if err != nil {
			b.Fatal(err)
		}
		if err := out.Commit(); err != nil {
			b.Fatal(err)
		}
		if res.Pages < benchPages {
			b.Fatalf("built %d pages", res.Pages)
		}
	}
}

// BenchmarkBaseline does only the unavoidable work on the same files, on
// every core: read each file, convert it with goldmark, minify it, write it.
func BenchmarkBaseline(b *testing.B) {
	dir := benchDir(b)
	genSite(b, dir, benchPages)
	var files []string
	filepath.WalkDir(filepath.Join(dir, "content"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, p)
		}
		return nil
	})
	md := goldmark.New(
		goldmark.WithExtensions(extension.GFM, extension.Footnote, extension.DefinitionList, extension.Typographer),
		goldmark.WithParserOptions(parser.WithAutoHeadingID(), parser.WithAttribute()),
	)
	TuneGC()
	m := newMinifier()
	b.ResetTimer()
	for b.Loop() {
		out := filepath.Join(dir, "baseline")
		os.RemoveAll(out)
		var wg sync.WaitGroup
		ch := make(chan int)
		for range runtime.GOMAXPROCS(0) {
			wg.Go(func() {
				var html, min bytes.Buffer
				for i := range ch {
					src, err := os.ReadFile(files[i])
					if err != nil {
						b.Error(err)
						return
					}
					html.Reset()
					min.Reset()
					if err := md.Convert(src, &html); err != nil {
						b.Error(err)
					}
					if err := m.Minify("text/html", &min, &html); err != nil {
						b.Error(err)
					}
					p := filepath.Join(out, fmt.Sprintf("%d", i%100), fmt.Sprintf("%d.html", i))
					os.MkdirAll(filepath.Dir(p), 0o755)
					if err := os.WriteFile(p, min.Bytes(), 0o644); err != nil {
						b.Error(err)
					}
				}
			})
		}
		for i := range files {
			ch <- i
		}
		close(ch)
		wg.Wait()
	}
}

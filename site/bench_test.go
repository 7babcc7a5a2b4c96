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

	"charter/site/internal/gensite"
	"charter/site/search"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
)

// benchPages is the size of the generated benchmark site.
const benchPages = 10000

var genDir = flag.String("gen", "", "write the generated benchmark site into this folder (with -run TestGenerateSite)")

// TestGenerateSite writes the benchmark site for measuring the command
// itself: go test ./site -run TestGenerateSite -gen /dev/shm/site
func TestGenerateSite(t *testing.T) {
	if *genDir == "" {
		t.Skip("no -gen folder given")
	}
	if err := gensite.Write(*genDir, benchPages, ".."); err != nil {
		t.Fatal(err)
	}
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
// `charter build` does: the same settings, fingerprints and search index
// included (site/cli/cli.go).
func BenchmarkBuild(b *testing.B) {
	dir := benchDir(b)
	if err := gensite.Write(dir, benchPages, ".."); err != nil {
		b.Fatal(err)
	}
	fsys := os.DirFS(dir)
	TuneGC(180 << 20)
	b.ResetTimer()
	for b.Loop() {
		bl, err := NewBuilder(Config{Minify: true, Fingerprint: true, Index: benchIndex}, fsys)
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

// benchIndex is the search index of `charter build`.
func benchIndex(docs []SearchDoc) (map[string][]byte, error) {
	sd := make([]search.Doc, len(docs))
	for i, d := range docs {
		sd[i] = search.Doc{URL: d.URL, Title: d.Title, Description: d.Description, Section: d.Section, Headings: d.Headings, Text: d.Text}
	}
	return search.Index(sd)
}

// BenchmarkBaseline does only the unavoidable work on the same files, on
// every core: read each file, convert it with goldmark, minify it, write it.
func BenchmarkBaseline(b *testing.B) { baseline(b, false) }

// BenchmarkBaselinePretty is the baseline writing each page to its own
// folder, as pretty URLs need (page/index.html): the cost of one mkdir a
// page, which every build pays and the baseline does not.
func BenchmarkBaselinePretty(b *testing.B) { baseline(b, true) }

func baseline(b *testing.B, pretty bool) {
	dir := benchDir(b)
	if err := gensite.Write(dir, benchPages, ".."); err != nil {
		b.Fatal(err)
	}
	content := filepath.Join(dir, "content")
	var files []string
	filepath.WalkDir(content, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, p)
		}
		return nil
	})
	md := goldmark.New(
		goldmark.WithExtensions(extension.GFM, extension.Footnote, extension.DefinitionList, extension.Typographer),
		goldmark.WithParserOptions(parser.WithAutoHeadingID(), parser.WithAttribute()),
	)
	TuneGC(180 << 20)
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
					if pretty {
						rel, _ := filepath.Rel(content, files[i])
						p = filepath.Join(out, strings.TrimSuffix(rel, ".md"), "index.html")
					}
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

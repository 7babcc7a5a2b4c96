package site

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io/fs"
	"math"
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

var (
	genDir   = flag.String("gen", "", "write the generated benchmark site into this folder (with -run TestGenerateSite)")
	genPages = flag.Int("gen-pages", benchPages, "pages of the site -gen writes")
	genWords = flag.Int("gen-words", 300, "words a page of the site -gen writes")
	genCode  = flag.Bool("gen-code", false, "make half the blocks of the site -gen writes code")
)

// TestGenerateSite writes the benchmark site for measuring the command
// itself: go test ./site -run TestGenerateSite -gen /dev/shm/site
// [-gen-pages 100000] [-gen-words 1100] [-gen-code]
func TestGenerateSite(t *testing.T) {
	if *genDir == "" {
		t.Skip("no -gen folder given")
	}
	if err := gensite.WriteWith(*genDir, *genPages, "..", gensite.Options{Words: *genWords, Code: *genCode}); err != nil {
		t.Fatal(err)
	}
}

// benchShapes are the page shapes the benchmarks run at: the project's
// own length, a GOV.UK guidance page's, and a manual's code-heavy page.
var benchShapes = []struct {
	name string
	opt  gensite.Options
}{
	{"words=300", gensite.Options{Words: 300}},
	{"words=1100", gensite.Options{Words: 1100}},
	{"code", gensite.Options{Words: 1100, Code: true}},
}

// eachShape runs f as a sub-benchmark for each page shape, on a freshly
// generated site in a RAM-backed folder; code-heavy only when code is set.
func eachShape(b *testing.B, code bool, f func(b *testing.B, dir string)) {
	for _, sh := range benchShapes {
		if sh.opt.Code && !code {
			continue
		}
		b.Run(sh.name, func(b *testing.B) {
			dir := benchDir(b)
			if err := gensite.WriteWith(dir, benchPages, "..", sh.opt); err != nil {
				b.Fatal(err)
			}
			f(b, dir)
		})
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
// included (site/cli/cli.go), at each page shape.
func BenchmarkBuild(b *testing.B) {
	eachShape(b, true, func(b *testing.B, dir string) { buildBench(b, dir, benchLimit(b, dir)) })
}

// BenchmarkBuildLimit builds the generated site with the memory limit
// that `charter build` sets for it (limit=on) and with none (limit=off:
// the collector's target alone), at 300 and 1,100 words a page. The limit
// must not make a build slower. It reports the collections of a build
// and its CPU time, which other work on a shared machine moves less than
// the wall time.
func BenchmarkBuildLimit(b *testing.B) {
	eachShape(b, false, func(b *testing.B, dir string) {
		b.Run("limit=on", func(b *testing.B) { buildBench(b, dir, benchLimit(b, dir)) })
		b.Run("limit=off", func(b *testing.B) { buildBench(b, dir, math.MaxInt64) })
	})
}

// benchLimit is the memory limit `charter build` sets for the site in dir.
func benchLimit(b *testing.B, dir string) int64 {
	n, err := ContentFiles(dir)
	if err != nil {
		b.Fatal(err)
	}
	return MemoryLimit(n)
}

// buildBench builds the site in dir as `charter build` does, with the
// given soft memory limit.
func buildBench(b *testing.B, dir string, limit int64) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		b.Fatal(err)
	}
	defer root.Close()
	TuneGC(limit)
	b.Cleanup(func() { TuneGC(math.MaxInt64) })
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	b.ResetTimer()
	defer reportCPU(b)()
	for b.Loop() {
		fsys := NewDirCacheFS(root) // read as the command reads (site/cli/cli.go)
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
		fsys.Close()
		if res.Pages < benchPages {
			b.Fatalf("built %d pages", res.Pages)
		}
	}
	b.StopTimer()
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(after.NumGC-before.NumGC)/float64(b.N), "gcs/op")
}

// benchIndex is the search index of `charter build`.
func benchIndex() Indexer { return benchIndexer{search.NewBuilder("")} }

type benchIndexer struct{ b *search.Builder }

func (x benchIndexer) Add(d SearchDoc) {
	x.b.Add(search.Doc{URL: d.URL, Title: d.Title, Description: d.Description, Section: d.Section, Headings: d.Headings, Text: d.Text})
}

func (x benchIndexer) Files() (map[string][]byte, error) { return x.b.Files() }

// BenchmarkBaseline does only the unavoidable work on the same files, on
// every core: read each file, convert it with goldmark, minify it, write it.
func BenchmarkBaseline(b *testing.B) {
	eachShape(b, true, func(b *testing.B, dir string) { baseline(b, dir, false) })
}

// BenchmarkBaselinePretty is the baseline writing each page to its own
// folder, as pretty URLs need (page/index.html): the cost of one mkdir a
// page, which every build pays and the baseline does not.
func BenchmarkBaselinePretty(b *testing.B) {
	eachShape(b, true, func(b *testing.B, dir string) { baseline(b, dir, true) })
}

func baseline(b *testing.B, dir string, pretty bool) {
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
	defer reportCPU(b)()
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

// reportCPU reports the CPU time, every thread's, that a benchmark's loop
// took per operation: on a machine shared with other work a steadier
// measure than wall time. Call it as defer reportCPU(b)() before the loop.
func reportCPU(b *testing.B) func() {
	start := cpuTime()
	return func() { b.ReportMetric((cpuTime()-start).Seconds()/float64(b.N), "cpu-s/op") }
}

package check_test

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"charter/site"
	"charter/site/check"
	"charter/site/cli"
)

// genSite writes a 10,000-page rights site like the one site's benchmarks
// build, with the repository's layouts and static files.
func genSite(b *testing.B, dir string, n int) {
	b.Helper()
	write := func(rel, s string) {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	for _, root := range []string{"layouts", "static"} {
		filepath.WalkDir(filepath.Join("../..", root), func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := os.ReadFile(p)
			if err == nil {
				rel, _ := filepath.Rel("../..", p)
				write(filepath.ToSlash(rel), string(data))
			}
			return err
		})
	}
	write("content/_index.md", "---\ntitle: Generated rights\ndescription: A generated site.\nsite:\n  title: Generated rights\n  language: en-GB\n  organisation: Department for Constitutional Affairs\n---\nWelcome to the generated site.\n")
	const per = 50
	for s := 0; s*per < n; s++ {
		top := fmt.Sprintf("topic-%02d", s%20)
		sec := fmt.Sprintf("%s/area-%03d", top, s)
		if s < 20 {
			write("content/"+top+"/_index.md", fmt.Sprintf("---\ntitle: Topic %d\ndescription: Pages about topic %d.\nweight: %d\n---\nAn overview of topic %d.\n", s, s, s+1, s))
		}
		write("content/"+sec+"/_index.md", fmt.Sprintf("---\ntitle: Area %d\ndescription: Pages about area %d.\nweight: %d\n---\nAn overview of area %d.\n", s, s, s+1, s))
		for i := 0; i < per && s*per+i < n; i++ {
			var p strings.Builder
			fmt.Fprintf(&p, "---\ntitle: How to use right %d.%d\ndescription: What right %d.%d means.\nweight: %d\nowner: Policy branch\nreview_by: 2027-01-01\ntoc: true\n---\n", s, i, s, i, i+1)
			for h := 1; h <= 4; h++ {
				fmt.Fprintf(&p, "## Part %d of the guidance\n\nYou can ask a public authority for the information it holds. It must reply within 20 working days. ", h)
				fmt.Fprintf(&p, "Read [the next page](page-%03d.md) or [the section overview](_index.md#main-content), and see [the home page](/) too.\n\n", (i+1)%per)
				p.WriteString("- Write to the authority and describe the information you want.\n- Give a name and an address for the reply.\n\n")
				if h == 2 {
					p.WriteString("| Who | Limit |\n| --- | --- |\n| Central government | £600 |\n\n")
				}
				p.WriteString("### What happens next\n\nThe authority says whether it holds the information, and usually sends it. You can then ask for an internal review.\n\n")
			}
			write(fmt.Sprintf("content/%s/page-%03d.md", sec, i), p.String())
		}
	}
}

// BenchmarkCheck builds the generated 10,000-page site in memory and
// checks it, reporting the build and the check separately: the check
// should take well under half the build's time.
func BenchmarkCheck(b *testing.B) {
	dir := b.TempDir()
	if st, err := os.Stat("/dev/shm"); err == nil && st.IsDir() {
		if d, err := os.MkdirTemp("/dev/shm", "charter-check-bench-"); err == nil {
			dir = d
			b.Cleanup(func() { os.RemoveAll(d) })
		}
	}
	genSite(b, dir, 10000)
	fsys := os.DirFS(dir)
	var build, run time.Duration
	for b.Loop() {
		start := time.Now()
		bl, err := site.NewBuilder(site.Config{Minify: true, KeepGoing: true}, fsys)
		if err != nil {
			b.Fatal(err)
		}
		out := site.NewMemOutput()
		res, err := bl.Build(context.Background(), out)
		if err != nil {
			b.Fatal(err)
		}
		s := cli.CheckSite(res, out.Files())
		build += time.Since(start)
		start = time.Now()
		fs := check.Run(s, check.Options{Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
		run += time.Since(start)
		if n := check.ExitCode(fs, false); n != 0 {
			var w strings.Builder
			check.WriteText(&w, fs[:min(len(fs), 10)], false)
			b.Fatalf("the generated site has errors:\n%s", w.String())
		}
	}
	b.ReportMetric(float64(build.Milliseconds())/float64(b.N), "build-ms/op")
	b.ReportMetric(float64(run.Milliseconds())/float64(b.N), "check-ms/op")
}

package check_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"charter/site"
	"charter/site/check"
	"charter/site/cli"
	"charter/site/internal/gensite"
)

// BenchmarkCheck builds the generated 10,000-page site in memory and
// checks it, reporting the build and the check separately: the check
// should take well under half the build's time. It runs at 300 and 1,100
// words a page.
func BenchmarkCheck(b *testing.B) {
	for _, words := range []int{300, 1100} {
		b.Run(fmt.Sprintf("words=%d", words), func(b *testing.B) { benchCheck(b, words) })
	}
}

func benchCheck(b *testing.B, words int) {
	dir := b.TempDir()
	if st, err := os.Stat("/dev/shm"); err == nil && st.IsDir() {
		if d, err := os.MkdirTemp("/dev/shm", "charter-check-bench-"); err == nil {
			dir = d
			b.Cleanup(func() { os.RemoveAll(d) })
		}
	}
	if err := gensite.WriteWith(dir, 10000, "../..", gensite.Options{Words: words}); err != nil {
		b.Fatal(err)
	}
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

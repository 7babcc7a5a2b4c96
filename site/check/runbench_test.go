package check_test

import (
	"context"
	"fmt"
	"os"
	"syscall"
	"testing"
	"time"

	"charter/site"
	"charter/site/check"
	"charter/site/cli"
	"charter/site/internal/gensite"
)

// BenchmarkCheckRun checks a generated site of 1,000 pages, built once,
// at 300 and 1,100 words a page: check's own work without the build's.
func BenchmarkCheckRun(b *testing.B) {
	for _, words := range []int{300, 1100} {
		b.Run(fmt.Sprintf("words=%d", words), func(b *testing.B) {
			dir := b.TempDir()
			if err := gensite.WriteWith(dir, 1000, "../..", gensite.Options{Words: words}); err != nil {
				b.Fatal(err)
			}
			bl, err := site.NewBuilder(site.Config{Minify: true, KeepGoing: true}, os.DirFS(dir))
			if err != nil {
				b.Fatal(err)
			}
			out := site.NewMemOutput()
			res, err := bl.Build(context.Background(), out)
			if err != nil {
				b.Fatal(err)
			}
			files := out.Files()
			opts := check.Options{Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
			b.ReportAllocs()
			before := cpuTime()
			for b.Loop() {
				check.Run(cli.CheckSite(res, files), opts)
			}
			b.ReportMetric(float64((cpuTime()-before).Microseconds())/1000/float64(b.N), "cpu-ms/op")
		})
	}
}

// cpuTime is the CPU time the process has used, user and system: what
// check costs on a machine shared with other work, where wall time is noisy.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

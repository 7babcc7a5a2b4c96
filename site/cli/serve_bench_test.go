package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"charter/site/internal/gensite"
)

// benchWords are the page lengths the serve benchmarks run at: the
// project's own and a GOV.UK guidance page's.
var benchWords = []int{300, 1100}

// eachLength runs f as a sub-benchmark at each of benchWords.
func eachLength(b *testing.B, f func(b *testing.B, words int)) {
	for _, w := range benchWords {
		b.Run("words="+strconv.Itoa(w), func(b *testing.B) { f(b, w) })
	}
}

// benchSite generates the 10,000-page site with pages of about words
// words in a RAM-backed folder.
func benchSite(b *testing.B, words int) string {
	b.Helper()
	dir := b.TempDir()
	if st, err := os.Stat("/dev/shm"); err == nil && st.IsDir() {
		if d, err := os.MkdirTemp("/dev/shm", "charter-serve-"); err == nil {
			b.Cleanup(func() { os.RemoveAll(d) })
			dir = d
		}
	}
	if err := gensite.WriteWith(dir, 10000, "../..", gensite.Options{Words: words}); err != nil {
		b.Fatal(err)
	}
	return dir
}

// peakRSS is this process's peak resident memory in MiB.
func peakRSS() float64 {
	b, _ := os.ReadFile("/proc/self/status")
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "VmHWM:") {
			kb, _ := strconv.Atoi(strings.Fields(l)[1])
			return float64(kb) / 1024
		}
	}
	return 0
}

// timeEdits measures, for each iteration, the time from writing a file
// to the reload event that follows, and reports the median.
func timeEdits(b *testing.B, p *preview, edit func(i int) string) {
	var times []time.Duration
	for i := 0; b.Loop(); i++ {
		start := time.Now()
		want := edit(i)
		for {
			e := p.next()
			if e.name == "build-error" {
				b.Fatalf("rebuild failed: %v", e.data)
			}
			if e.name == "reload" && (want == "" || hasPath(e, want) || e.data["all"] == true) {
				break
			}
		}
		times = append(times, time.Since(start))
	}
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "ms-median")
	b.ReportMetric(peakRSS(), "MiB-peak-RSS")
}

// BenchmarkServeBodyEdit: from saving a page's body to the reload event,
// on the 10,000-page site.
func BenchmarkServeBodyEdit(b *testing.B) { eachLength(b, benchBodyEdit) }

func benchBodyEdit(b *testing.B, words int) {
	dir := benchSite(b, words)
	p := startPreviewDir(b, dir)
	page := filepath.Join(dir, "content/topic-05/area-005/page-010.md")
	orig, err := os.ReadFile(page)
	if err != nil {
		b.Fatal(err)
	}
	timeEdits(b, p, func(i int) string {
		os.WriteFile(page, append(orig, []byte("\nAn extra sentence, edit "+strconv.Itoa(i)+".\n")...), 0o644)
		return "/topic-05/area-005/page-010/"
	})
}

// BenchmarkServeLayoutEdit: from saving the page layout to the reload
// event; every regular page is rendered again. The edit changes what
// the pages show: the preview reloads no page whose HTML stays the same.
// It reports beside it the preview's first, full build of the same site
// in the same process (ms-full-build), which a layout edit should not
// take much longer than.
func BenchmarkServeLayoutEdit(b *testing.B) { eachLength(b, benchLayoutEdit) }

func benchLayoutEdit(b *testing.B, words int) {
	dir := benchSite(b, words)
	p := startPreviewDir(b, dir)
	full, err := time.ParseDuration(p.stdout.waitFor(b, regexp.MustCompile(`Built \d+ pages in (\S+)`))[1])
	if err != nil {
		b.Fatal(err)
	}
	layout := filepath.Join(dir, "layouts/_default/page.html")
	orig, err := os.ReadFile(layout)
	if err != nil {
		b.Fatal(err)
	}
	timeEdits(b, p, func(i int) string {
		os.WriteFile(layout, []byte(strings.Replace(string(orig), "<h1>", `<h1 data-edit="`+strconv.Itoa(i)+`">`, 1)), 0o644)
		return "/topic-05/area-005/page-010/"
	})
	b.ReportMetric(float64(full.Microseconds())/1000, "ms-full-build")
}

// BenchmarkServeFullCheck: from saving a page's body to the end of the
// full check that follows once the tree is quiet (the preview's default
// quiet time included), on the 10,000-page site; and the memory it takes.
func BenchmarkServeFullCheck(b *testing.B) { eachLength(b, benchFullCheck) }

func benchFullCheck(b *testing.B, words int) {
	dir := benchSite(b, words)
	m := &model{t: b, dir: dir}
	m.start(quietCheck, "content", "layouts", "static")
	page := filepath.Join(dir, "content/topic-05/area-005/page-010.md")
	orig, err := os.ReadFile(page)
	if err != nil {
		b.Fatal(err)
	}
	var times []time.Duration
	for i := 0; b.Loop(); i++ {
		start := time.Now()
		os.WriteFile(page, append(orig, []byte("\nAn extra sentence, edit "+strconv.Itoa(i)+".\n")...), 0o644)
		for s := <-m.settl; !s.settled; s = <-m.settl {
		}
		times = append(times, time.Since(start))
	}
	if n := m.p.bugs.Load(); n > 0 {
		b.Errorf("the full check corrected the preview %d times:\n%s", n, m.out.String())
	}
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)/2].Milliseconds()), "ms-median-to-checked")
	b.ReportMetric(peakRSS(), "MiB-peak-RSS")
}

// BenchmarkServeBodyEditFindings: from saving a page's body to the check
// panel's findings of that page showing the edit (the reload event, then
// the panel's request, which checks the page), on the 10,000-page site.
// Every other save adds a sentence that is too long, and the next removes
// it.
func BenchmarkServeBodyEditFindings(b *testing.B) { eachLength(b, benchBodyEditFindings) }

func benchBodyEditFindings(b *testing.B, words int) {
	dir := benchSite(b, words)
	p := startPreviewDir(b, dir)
	const url = "/topic-05/area-005/page-010/"
	page := filepath.Join(dir, "content/topic-05/area-005/page-010.md")
	orig, err := os.ReadFile(page)
	if err != nil {
		b.Fatal(err)
	}
	long := "\nThis sentence" + strings.Repeat(" goes on and on", 12) + ", edit "
	var times, reloads []time.Duration
	for i := 0; b.Loop(); i++ {
		start := time.Now()
		extra := "\nA short sentence, edit "
		if i%2 == 0 {
			extra = long
		}
		os.WriteFile(page, append(orig, []byte(extra+strconv.Itoa(i)+".\n")...), 0o644)
		for e := p.next(); e.name != "reload" || !hasPath(e, url); e = p.next() {
			if e.name == "build-error" {
				b.Fatalf("rebuild failed: %v", e.data)
			}
		}
		reloads = append(reloads, time.Since(start))
		_, fs := p.panelFindings(url)
		times = append(times, time.Since(start))
		if (longSentence(fs) != nil) != (i%2 == 0) {
			b.Fatalf("edit %d: the panel's findings do not follow the save: %+v", i, fs)
		}
	}
	slices.Sort(times)
	slices.Sort(reloads)
	b.ReportMetric(float64(reloads[len(reloads)/2].Microseconds())/1000, "ms-median-to-reload")
	b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "ms-median-to-findings")
	b.ReportMetric(peakRSS(), "MiB-peak-RSS")
}

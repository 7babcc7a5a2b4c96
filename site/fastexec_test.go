package site

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"charter/site/internal/gensite"
)

var fastSeed = flag.Uint64("fast-seed", 0, "seed of TestFastExecutorRandomSites (0: random)")

// fastStats counts the executions the oracle compared, and those the fast
// executor gave up on.
type fastStats struct {
	compared, fast, gaveUp, failed int
}

// checkFastExecutor builds the site in fsys, then executes every leaf
// template over every page with html/template alone and with the fast
// executor, and fails on any difference in the output or in whether the
// execution failed. Each page gets content with characters to escape and
// a table of contents. It checks the minified templates and those as
// written.
func checkFastExecutor(t *testing.T, fsys fs.FS, cfg Config) fastStats {
	cfg.Serve = true // keeps the state of the build
	t.Helper()
	b, err := NewBuilder(cfg, fsys)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Build(context.Background(), NewMemOutput()); err != nil {
		t.Fatalf("build: %v", err)
	}
	st := b.last
	for i, p := range st.site.AllPages {
		rd := &rendered{content: `<p>Text &amp; <a href="/x/">a "link"</a></p>`}
		if i%3 == 0 {
			rd.toc = []Heading{{2, "a", "A <b> & 'c'"}, {3, "b-é", "Ünïcode"}}
		}
		p.rendered.Store(rd)
	}
	var stats fastStats
	for _, set := range []*templateSet{st.lay.templateSet, st.lay.src} {
		if set == nil {
			continue
		}
		run := st.lay.templateSet
		st.lay.templateSet = set
		for _, leaf := range sortedKeys(set.leaves) {
			for _, p := range st.site.AllPages {
				compareFast(t, st.lay, leaf, p, &stats)
			}
		}
		st.lay.templateSet = run
	}
	return stats
}

// compareFast executes one leaf on one page both ways.
func compareFast(t *testing.T, l *layouts, leaf string, p *Page, stats *fastStats) {
	t.Helper()
	ctx := context.Background()
	bg := budgetFor(l.timeout, 100)
	l.stdlib = true
	l.cache.Clear()
	var want bytes.Buffer
	werr := l.execute(ctx, &want, leaf, p, bg)
	l.stdlib = false
	l.cache.Clear()
	stats.compared++
	prog := l.fast[leaf].program()
	if prog == nil {
		if werr == nil {
			t.Errorf("%s on %s: not compiled after html/template ran it", leaf, p.Path)
		}
		stats.gaveUp++
		return
	}
	var got bytes.Buffer
	gerr, ok := fastRun(ctx, prog, &got, p, bg, l.marks)
	switch {
	case !ok:
		stats.gaveUp++
		if werr == nil {
			stats.failed++
			t.Logf("%s on %s: the fast executor gave up: %v", leaf, p.Path, gerr)
		}
	case (gerr == nil) != (werr == nil):
		t.Errorf("%s on %s: fast error %v, html/template error %v", leaf, p.Path, gerr, werr)
	case got.String() != want.String():
		t.Errorf("%s on %s: outputs differ\n%s", leaf, p.Path, firstDiff(got.String(), want.String()))
	default:
		stats.fast++
	}
}

// firstDiff shows where two outputs part.
func firstDiff(got, want string) string {
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	from := max(i-80, 0)
	return fmt.Sprintf("--- fast\n%s\n--- html/template\n%s", got[from:min(i+80, len(got))], want[from:min(i+80, len(want))])
}

// requireFast fails when the fast executor ran too few executions for
// the comparison to mean anything, or gave up where html/template did
// not fail.
func requireFast(t *testing.T, stats fastStats) {
	t.Helper()
	t.Logf("%d executions compared, %d on the fast executor, %d given up (%d where html/template succeeded)", stats.compared, stats.fast, stats.gaveUp, stats.failed)
	if stats.fast == 0 || stats.fast < stats.compared/2 {
		t.Errorf("the fast executor ran %d of %d executions", stats.fast, stats.compared)
	}
}

// TestFastExecutorRealSite compares the fast executor with html/template
// on the project's own layouts and content.
func TestFastExecutorRealSite(t *testing.T) {
	fsys := os.DirFS("..")
	for _, cfg := range []Config{{}, {Minify: true, Fingerprint: true, BaseURL: "https://example.org/rights/"}} {
		requireFast(t, checkFastExecutor(t, fsys, cfg))
	}
}

// TestFastExecutorGoldenSites compares the two on the golden test sites.
// Some of tricky-layouts' templates need html/template (an action in
// CSS), so the fast executor must have run most executions of the sites
// together, not of each.
func TestFastExecutorGoldenSites(t *testing.T) {
	files, _ := filepath.Glob("testdata/sites/*.txtar")
	var total fastStats
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			fsys, _ := siteFS(t, file)
			for _, cfg := range []Config{{}, {Minify: true, Drafts: true, BaseURL: "/rights/"}} {
				s := checkFastExecutor(t, fsys, cfg)
				t.Logf("%d compared, %d fast", s.compared, s.fast)
				total.compared += s.compared
				total.fast += s.fast
			}
		})
	}
	requireFast(t, total)
}

// TestFastExecutorRandomSites compares the two on seeded random sites
// with the project's layouts: drafts, Welsh translations, histories,
// missing descriptions, tables of contents and characters to escape in
// titles, descriptions, owners and slugs.
func TestFastExecutorRandomSites(t *testing.T) {
	seed := testSeed(t, *fastSeed, "fast-seed")
	r := rand.New(rand.NewPCG(seed, 0))
	n := 4
	if testing.Short() {
		n = 2
	}
	for i := range n {
		fsys := randomLayoutSite(t, r)
		cfg := Config{Drafts: r.IntN(2) == 0, Minify: r.IntN(2) == 0, Fingerprint: r.IntN(2) == 0}
		if r.IntN(2) == 0 {
			cfg.BaseURL = "https://example.org/r ü/"
		}
		stats := checkFastExecutor(t, fsys, cfg)
		requireFast(t, stats)
		if t.Failed() {
			t.Fatalf("site %d differs (replay with -fast-seed %d)", i, seed)
		}
	}
}

// randomLayoutSite is a site with the repository's layouts and random pages.
func randomLayoutSite(t *testing.T, r *rand.Rand) fstest.MapFS {
	t.Helper()
	fsys := fstest.MapFS{}
	for _, root := range []string{"layouts", "static"} {
		err := filepath.WalkDir(filepath.Join("..", root), func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := os.ReadFile(p)
			rel, _ := filepath.Rel("..", p)
			fsys[filepath.ToSlash(rel)] = &fstest.MapFile{Data: b, Mode: 0o644}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	home, err := os.ReadFile("../content/_index.md")
	if err != nil {
		t.Fatal(err)
	}
	// The footer's links name pages this site does not have.
	text := string(home)
	if i, j := strings.Index(text, "  footer_links:"), strings.Index(text, "\n---\n"); i > 0 && j > i {
		text = text[:i] + text[j+1:]
	}
	fsys["content/_index.md"] = &fstest.MapFile{Data: []byte(text)}
	fsys["content/_index.cy.md"] = &fstest.MapFile{Data: []byte("---\ntitle: Hawliau <pobl>\n---\nCroeso.\n")}
	for s := range 1 + r.IntN(3) {
		dir := fmt.Sprintf("content/sec-%d", s)
		fsys[dir+"/_index.md"] = &fstest.MapFile{Data: []byte(randomFrontMatter(r, s, true) + "Section.\n")}
		for i := range r.IntN(6) {
			name := fmt.Sprintf("%s/page-%d", dir, i)
			fsys[name+".md"] = &fstest.MapFile{Data: []byte(randomFrontMatter(r, i, false) + "Body *text* & <more>.\n\n## A heading\n\nMore.\n")}
			if r.IntN(3) == 0 {
				fsys[name+".cy.md"] = &fstest.MapFile{Data: []byte(randomFrontMatter(r, i, false) + "Testun.\n")}
			}
		}
	}
	return fsys
}

// randomText is a short text with characters html/template escapes.
func randomText(r *rand.Rand) string {
	parts := []string{"Rights", "<b>", "&", `"quoted"`, "it's", "Ünïcode", "ŵ", "+", "a&amp;b", "\\", "%41", "javascript:x", "tab\there"}
	var b strings.Builder
	for i := range 1 + r.IntN(4) {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(parts[r.IntN(len(parts))])
	}
	return b.String()
}

// yamlQuote quotes a text for YAML.
func yamlQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// randomFrontMatter is the front matter of a random page or section.
func randomFrontMatter(r *rand.Rand, i int, section bool) string {
	var b strings.Builder
	b.WriteString("---\n")
	fmt.Fprintf(&b, "title: %s\nweight: %d\n", yamlQuote(randomText(r)), i)
	if r.IntN(3) > 0 {
		fmt.Fprintf(&b, "description: %s\n", yamlQuote(randomText(r)))
	}
	if r.IntN(2) == 0 {
		fmt.Fprintf(&b, "date: 2003-0%d-1%d\n", 1+r.IntN(9), r.IntN(10))
	}
	if r.IntN(2) == 0 {
		fmt.Fprintf(&b, "lastmod: 2004-0%d-1%d\n", 1+r.IntN(9), r.IntN(10))
	}
	if r.IntN(3) == 0 {
		fmt.Fprintf(&b, "owner: %s\n", yamlQuote(randomText(r)))
	}
	if !section && r.IntN(5) == 0 {
		b.WriteString("draft: true\n")
	}
	if r.IntN(3) == 0 {
		b.WriteString("toc: true\n")
	}
	if !section && r.IntN(4) == 0 {
		fmt.Fprintf(&b, "slug: %s\n", yamlQuote(fmt.Sprintf("%s-%d", []string{"ü-page", "a+b", "a(b)", "q-é"}[r.IntN(4)], i)))
	}
	if section && r.IntN(2) == 0 {
		b.WriteString("menu: footer\nfeed: true\n")
	}
	if r.IntN(3) == 0 {
		b.WriteString("changes:\n")
		for k := range 1 + r.IntN(3) {
			fmt.Fprintf(&b, "  - date: 2004-0%d-0%d\n    note: %s\n", 9-k, 1+r.IntN(8), yamlQuote(randomText(r)))
		}
	}
	b.WriteString("---\n")
	return b.String()
}

// TestFastExecutorFinalArgument runs functions that take the value of the
// command before them as their last, fixed, argument. Compiling such a
// call once took the type of that argument as a variadic one's and
// panicked, which stopped the build.
func TestFastExecutorFinalArgument(t *testing.T) {
	fsys := fstest.MapFS{
		"content/_index.md":            {Data: []byte("---\ntitle: Home <&>\n---\nHello.\n")},
		"content/a.md":                 {Data: []byte("---\ntitle: Page \"a\"\nweight: 2\n---\nText.\n")},
		"layouts/_default/home.html":   {Data: []byte(`<h1>{{ .Title | upper }}</h1>{{ .Weight | add 1 }}{{ .Title | hasPrefix "H" }}{{ .Title | truncate 3 }}`)},
		"layouts/_default/page.html":   {Data: []byte(`<p title="{{ .Title | lower }}">{{ .Title | printf "%s!" }}{{ .Weight | sub 5 }}</p>`)},
		"layouts/_default/baseof.html": {Data: []byte(`{{ block "main" . }}{{ end }}`)},
	}
	requireFast(t, checkFastExecutor(t, fsys, Config{}))
}

// TestFastExecutorGeneratedSite compares the two on a site of the
// benchmarks' generator, with code on half the blocks.
func TestFastExecutorGeneratedSite(t *testing.T) {
	dir := t.TempDir()
	if err := gensite.WriteWith(dir, 100, "..", gensite.Options{Words: 300, Code: true}); err != nil {
		t.Fatal(err)
	}
	requireFast(t, checkFastExecutor(t, os.DirFS(dir), Config{Minify: true, Fingerprint: true}))
}

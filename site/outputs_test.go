package site

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
)

func page(fm string) *fstest.MapFile {
	return &fstest.MapFile{Data: []byte("---\n" + fm + "\n---\nText.\n")}
}

var plainLayouts = fstest.MapFS{
	"layouts/_default/home.html":    {Data: []byte("<p>{{ .Title }}</p>")},
	"layouts/_default/section.html": {Data: []byte("<p>{{ .Title }}</p>")},
	"layouts/_default/page.html":    {Data: []byte("<p>{{ .Title }}</p>")},
	"layouts/_default/404.html":     {Data: []byte("<p>Not found</p>")},
}

// TestOutputCaseWarnings: an alias that differs from a page's URL only
// in case is a warning at both, as two such pages are.
func TestOutputCaseWarnings(t *testing.T) {
	fsys := fstest.MapFS{
		"content/_index.md": page("title: Home"),
		"content/faqs.md":   page("title: FAQs"),
		"content/other.md":  page("title: Other\naliases: [/FAQS/]"),
		"content/About.md":  page("title: About"),
		"content/about.md":  page("title: about"),
	}
	for k, v := range plainLayouts {
		fsys[k] = v
	}
	_, res := mustBuild(t, fsys, Config{})
	want := []string{
		"content/About.md: its URL /About/ differs from the URL of content/about.md only in case; the two clash on case-insensitive hosting, so rename one",
		"content/about.md: its URL /about/ differs from the URL of content/About.md only in case; the two clash on case-insensitive hosting, so rename one",
		"content/faqs.md: its URL /faqs/ differs from an alias of /other/ (content/other.md:3) only in case; the two clash on case-insensitive hosting, so rename one",
		"content/other.md:3: alias /FAQS/ differs from the URL of content/faqs.md only in case; the two clash on case-insensitive hosting, so rename one",
	}
	var got []string
	for _, w := range res.Warnings {
		got = append(got, w.Error())
	}
	if !slices.Equal(got, want) {
		t.Errorf("warnings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// countingOutput records how often each file is written.
type countingOutput struct {
	*MemOutput
	mu     sync.Mutex
	writes map[string]int
}

func (c *countingOutput) WriteFile(name string, data []byte) error {
	c.mu.Lock()
	c.writes[name]++
	c.mu.Unlock()
	return c.MemOutput.WriteFile(name, data)
}

// randomSite is a small site whose pages take their urls, slugs and
// aliases, and whose static files their names, from a vocabulary full of
// clashes: generated files, case and Unicode variants, folders and files
// of one name.
func randomSite(rng *rand.Rand) fstest.MapFS {
	paths := []string{"/a/", "/A/", "/a/index.html", "/b/", "/b", "/index.html", "/404.html", "/sitemap.xml",
		"/robots.txt", "/feed.xml", "/_headers", "/_redirects", "/search/meta.json", "/café/", "/cafe\u0301/",
		"/a/b/", "/a/b", "/css/chroma.css", "/x.html", "/x.html/", "/s/feed.xml"}
	pick := func() string { return paths[rng.IntN(len(paths))] }
	fsys := fstest.MapFS{"content/_index.md": page("title: Home"), "content/s/_index.md": page("title: S\nfeed: true")}
	for k, v := range plainLayouts {
		fsys[k] = v
	}
	for i := range rng.IntN(6) {
		fm := fmt.Sprintf("title: P%d", i)
		switch rng.IntN(4) {
		case 0:
			fm += "\nurl: " + pick()
		case 1:
			fm += "\nslug: " + strings.Trim(pick(), "/")
		}
		if rng.IntN(2) == 0 {
			fm += fmt.Sprintf("\naliases: [%s, %s]", pick(), pick())
		}
		fsys[fmt.Sprintf("content/p%d.md", i)] = page(fm)
	}
	for range rng.IntN(3) {
		name := strings.TrimSuffix(strings.TrimPrefix(pick(), "/"), "/")
		if strings.HasSuffix(name, ".html") || strings.Contains(name, ".") {
			fsys["static/"+name] = &fstest.MapFile{Data: []byte("static\n")}
		} else {
			fsys["static/"+name+"/index.html"] = &fstest.MapFile{Data: []byte("<p>static</p>\n")}
		}
	}
	return fsys
}

// TestOutputRandomSites holds the output registry to what a build
// writes: when a site builds, no file was written twice and no file is
// where another needs a folder. The registry decides this before
// anything is written; the writes are the oracle. The sites come from
// the seeds 0 to n-1, so a failure names a seed that replays it.
func TestOutputRandomSites(t *testing.T) {
	n, clean := 400, 0
	if testing.Short() {
		n = 150
	}
	for seed := range uint64(n) {
		fsys := randomSite(rand.New(rand.NewPCG(seed, 0)))
		b, err := NewBuilder(Config{}, fsys)
		if err != nil {
			t.Fatal(err)
		}
		out := &countingOutput{MemOutput: NewMemOutput(), writes: map[string]int{}}
		if _, err := b.Build(context.Background(), out); err != nil {
			if _, ok := AsErrors(err); !ok {
				t.Fatalf("seed %d: %v", seed, err)
			}
			continue
		}
		clean++
		for name, k := range out.writes {
			if k > 1 {
				t.Errorf("seed %d: %s written %d times", seed, name, k)
			}
			for dir := name; strings.Contains(dir, "/"); {
				dir = dir[:strings.LastIndexByte(dir, '/')]
				if out.writes[dir] > 0 {
					t.Errorf("seed %d: %s is a file, and %s needs it as a folder", seed, dir, name)
				}
			}
		}
	}
	if clean < n/10 || clean > n*9/10 {
		t.Errorf("%d of %d random sites built: the generator should make both kinds", clean, n)
	}
}

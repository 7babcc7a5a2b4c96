package cli

import (
	"context"
	"flag"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"charter/site"
	"charter/site/check"

	"golang.org/x/tools/txtar"
)

var streamSeed = flag.Uint64("stream-seed", 0, "replay TestCheckStreamMatchesRun with this seed only")

// TestCheckStreamMatchesRun is the oracle of check's streaming: on sites
// of random pages full of faults (broken links and fragments in Markdown
// and in HTML, links to drafts and to pages left out, repeated links,
// shared titles, images without alt text), the findings of checking each
// page as the build writes it are exactly those of check.Run over the
// finished build, and no page's HTML is held at the end. Replay a failure
// with -stream-seed.
func TestCheckStreamMatchesRun(t *testing.T) {
	seeds := []uint64{*streamSeed}
	if *streamSeed == 0 {
		seeds = nil
		n := 40
		if testing.Short() {
			n = 12
		}
		for i := range n {
			seeds = append(seeds, uint64(i+1))
		}
	}
	now := time.Date(2005, 6, 1, 9, 0, 0, 0, time.UTC)
	for _, seed := range seeds {
		fsys := randomCheckSite(t, seed)
		cfg := site.Config{Minify: seed%2 == 0, Fingerprint: true, KeepGoing: true}
		if seed%3 == 0 {
			cfg.BaseURL = "/rights/"
		}
		want, mem := runCheckOf(t, fsys, cfg, now)
		got, streamed := streamCheckOf(t, fsys, cfg, now)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("seed %d: streamed findings differ from Run's (replay with -stream-seed %d):\n%s", seed, seed, findingsDiff(got, want))
		}
		if len(want) < 10 {
			t.Errorf("seed %d: only %d findings compared", seed, len(want))
		}
		for _, p := range streamed.Pages {
			if p.HTML != nil && !strings.HasSuffix(p.Output, "404.html") {
				t.Errorf("seed %d: %s: the stream held the page's HTML (%d bytes) to the end", seed, p.Output, len(p.HTML))
			}
		}
		if len(streamed.Pages) != len(mem.Pages) {
			t.Errorf("seed %d: %d pages streamed, %d checked by Run", seed, len(streamed.Pages), len(mem.Pages))
		}
	}
}

// runCheckOf is check.Run over a build of fsys held in memory.
func runCheckOf(t *testing.T, fsys fs.FS, cfg site.Config, now time.Time) ([]check.Finding, *check.Site) {
	t.Helper()
	b, err := site.NewBuilder(cfg, fsys)
	if err != nil {
		t.Fatal(err)
	}
	out := site.NewMemOutput()
	res, err := b.Build(context.Background(), out)
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	s := CheckSite(res, out.Files())
	return check.Run(s, check.Options{Now: now}), s
}

// streamCheckOf checks fsys as `charter check` does, page by page as the
// build writes them.
func streamCheckOf(t *testing.T, fsys fs.FS, cfg site.Config, now time.Time) ([]check.Finding, *check.Site) {
	t.Helper()
	b, err := site.NewBuilder(cfg, fsys)
	if err != nil {
		t.Fatal(err)
	}
	out := newCheckingOutput(check.Options{Now: now})
	res, err := b.Build(context.Background(), out)
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	return out.finish(res)
}

// findingsDiff lists the findings only one side has.
func findingsDiff(got, want []check.Finding) string {
	count := map[string]int{}
	for _, f := range got {
		count[fmt.Sprintf("%+v", f)]++
	}
	for _, f := range want {
		count[fmt.Sprintf("%+v", f)]--
	}
	var b strings.Builder
	for k, n := range count {
		switch {
		case n > 0:
			fmt.Fprintf(&b, "  only streamed: %s\n", k)
		case n < 0:
			fmt.Fprintf(&b, "  only Run:      %s\n", k)
		}
	}
	if b.Len() == 0 {
		return "  (the same findings in another order)\n"
	}
	return b.String()
}

// randomCheckSite is the faults fixture's site (its layouts and pages)
// with random pages added in random sections.
func randomCheckSite(t *testing.T, seed uint64) fstest.MapFS {
	t.Helper()
	ar, err := txtar.ParseFile("../testdata/check/faults.txtar")
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{}
	for _, f := range ar.Files {
		if strings.Contains(f.Name, "/") {
			fsys[f.Name] = &fstest.MapFile{Data: f.Data}
		}
	}
	rng := rand.New(rand.NewPCG(seed, seed*7919))
	sections := []string{"", "sec-a/", "sec-b/", "sec-a/deep/"}
	for _, s := range sections[1:] {
		fsys["content/"+s+"_index.md"] = &fstest.MapFile{Data: []byte(fmt.Sprintf("---\ntitle: Section %s\ndescription: A section.\n---\nPages of %s.\n", s, s))}
	}
	n := 6 + rng.IntN(10)
	var pages []string // site paths of the random pages
	for i := range n {
		pages = append(pages, "/"+sections[rng.IntN(len(sections))]+fmt.Sprintf("rand-%d/", i))
	}
	for i, path := range pages {
		fsys["content"+strings.TrimSuffix(path, "/")+".md"] = &fstest.MapFile{Data: []byte(randomCheckPage(rng, i, pages))}
	}
	return fsys
}

// titles are few, so that random pages share them.
var randomTitles = []string{"Your rights", "Data sharing", "How to complain", "Contact us"}

// randomCheckPage is the Markdown of one random page.
func randomCheckPage(rng *rand.Rand, i int, pages []string) string {
	var b strings.Builder
	b.WriteString("---\n")
	fmt.Fprintf(&b, "title: %s\n", randomTitles[rng.IntN(len(randomTitles))])
	if rng.IntN(3) > 0 {
		b.WriteString("description: A random page.\n")
	}
	switch rng.IntN(10) {
	case 0:
		b.WriteString("draft: true\n")
	case 1:
		b.WriteString("weight: abc\n") // left out: links to it are not reported again
	}
	b.WriteString("---\n")
	other := func() string { return pages[rng.IntN(len(pages))] }
	snippets := []func() string{
		func() string { return fmt.Sprintf("## Part %d {#part-%d}\n\nSome text here.", i, rng.IntN(3)) },
		func() string { return fmt.Sprintf("Read [this page](%s) first.", other()) },
		func() string { return fmt.Sprintf("Read [this part](%s#part-%d) too.", other(), rng.IntN(3)) },
		func() string { return fmt.Sprintf("See [the part above](#part-%d).", rng.IntN(3)) },
		func() string { return "Read [the missing page](/missing/) and [the other](other.md)." },
		func() string { return "Read [the secret page](/secret/) first." },
		func() string { return "Read [a lost part](/other/#lost) first." },
		func() string { return "![](/chart.png)" },
		func() string { return "![A chart](/chart.png) and ![](/none.png)" },
		func() string { return fmt.Sprintf(`<p>Or <a href="%s#nowhere">click here</a>.</p>`, other()) },
		func() string { return `<p><a href="../missing/">here</a> and <img src="none.png"></p>` },
		func() string {
			return fmt.Sprintf("Twice: [one](%[1]s) and [two](%[1]s), [three](/missing/) [four](/missing/).", other())
		},
		func() string { return "Click [here](https://example.org/) or [here](mailto:a@example.org)." },
		func() string {
			return "This is a very long sentence that goes on and on and on and on and on and on and on and on and on and on and on and on and on and on and on so that it is far too long for anyone to read it in one go."
		},
	}
	for range 2 + rng.IntN(8) {
		b.WriteString(snippets[rng.IntN(len(snippets))]() + "\n\n")
	}
	return b.String()
}

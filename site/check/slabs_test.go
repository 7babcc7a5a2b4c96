package check

import (
	"bytes"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

var slabSeed = flag.Uint64("slab-seed", 0, "replay TestPooledCheckMatchesFresh with this seed only")

// TestPooledCheckMatchesFresh is the oracle of slabPool: pages checked
// one after another with one pool, each parsed into the slabs the pages
// before it used, give the same tree, findings and facts as each page
// parsed into memory of its own. A slab not cleared before it is used
// again (a node's cached name, its attributes, a stale element) shows as
// a difference. The pages are random mixes of the parser's cases, the
// fuzz corpus and random link pages, small and large, so that a slab
// meets pages bigger and smaller than the one before. Replay a failure
// with -slab-seed.
func TestPooledCheckMatchesFresh(t *testing.T) {
	corpus := slabCorpus(t)
	for _, seed := range plainSeedsFlag(t, *slabSeed, 20) {
		rng := rand.New(rand.NewPCG(seed, 23))
		pool := new(slabPool)
		urls := newURLTable()
		s := &Site{OutputPrefix: "public/", urls: urls}
		rules := pageRules(Options{Now: time.Date(2005, 6, 1, 9, 0, 0, 0, time.UTC)})
		for i := range 40 {
			p := randomSlabPage(rng, corpus, seed, i)
			want := dump(Parse(p.HTML))
			d := parsePooled(p.HTML, pool)
			if got := dump(d); got != want {
				t.Fatalf("seed %d (replay with -slab-seed %d), page %d: pooled tree\n%s\nwant\n%s\nHTML: %q", seed, seed, i, got, want, p.HTML)
			}
			pool.put(d.slabs)

			fresh := *p
			wantFs := checkPage(s, &fresh, rules, nil)
			gotFs := checkPage(s, p, rules, pool)
			if !reflect.DeepEqual(gotFs, wantFs) {
				t.Fatalf("seed %d (replay with -slab-seed %d), page %d: pooled findings\n%v\nwant\n%v\nHTML: %q", seed, seed, i, gotFs, wantFs, p.HTML)
			}
			if !reflect.DeepEqual(p.facts, fresh.facts) {
				t.Fatalf("seed %d (replay with -slab-seed %d), page %d: pooled facts\n%+v\nwant\n%+v\nHTML: %q", seed, seed, i, p.facts, fresh.facts, p.HTML)
			}
		}
	}
}

// plainSeedsFlag is plainSeeds with a flag of its own: the seed given,
// else n fixed ones and one from the clock.
func plainSeedsFlag(t *testing.T, given uint64, n int) []uint64 {
	t.Helper()
	if given != 0 {
		return []uint64{given}
	}
	seeds := make([]uint64, 0, n+1)
	for i := range n {
		seeds = append(seeds, uint64(i+1))
	}
	return append(seeds, rand.Uint64()|1)
}

// slabCorpus is HTML to build random pages from: the parser's cases and
// the inputs FuzzParse keeps.
func slabCorpus(t *testing.T) []string {
	t.Helper()
	corpus := append([]string(nil), parseCases...)
	files, _ := filepath.Glob("testdata/fuzz/FuzzParse/*")
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		// go test fuzz v1 / []byte("...")
		for line := range strings.Lines(string(b)) {
			if q, ok := strings.CutPrefix(strings.TrimSpace(line), "[]byte("); ok {
				var s string
				if _, err := fmt.Sscanf(strings.TrimSuffix(q, ")"), "%q", &s); err == nil {
					corpus = append(corpus, s)
				}
			}
		}
	}
	return corpus
}

// randomSlabPage is page i of a seeded sequence: a random links or facts
// page, a corpus case, or several of them joined, sometimes many times
// over so that pages differ in size by far.
func randomSlabPage(rng *rand.Rand, corpus []string, seed uint64, i int) *Page {
	sub := seed*1000 + uint64(i)
	var p *Page
	switch rng.IntN(3) {
	case 0:
		p = randomLinksPage(sub)
	case 1:
		p = randomFactsPage(sub)
	default:
		var b strings.Builder
		for range 1 + rng.IntN(6) {
			b.WriteString(corpus[rng.IntN(len(corpus))])
		}
		p = &Page{Output: "p/index.html", URL: "/p/", HTML: []byte(page(b.String()))}
	}
	if rng.IntN(4) == 0 {
		p.HTML = []byte(strings.Repeat(string(p.HTML), 2+rng.IntN(8)))
	}
	return p
}

// copyingTokens is a tokenSource whose raw tokens are copies, so that the
// parser counts every token's newlines (parser.count's slow path).
type copyingTokens struct{ tokenSource }

func (c copyingTokens) raw() []byte { return bytes.Clone(c.tokenSource.raw()) }

// TestCountMatchesSlow holds parser.count, which skips tokens that end
// before the next newline it knows of, to counting every token's
// newlines: the same tree, places and problems on random HTML from the
// parser's cases and the fuzz corpus, with newlines and carriage returns
// put here and there. Replay a failure with -slab-seed.
func TestCountMatchesSlow(t *testing.T) {
	corpus := append(slabCorpus(t), "\n", "\r\n", "\r", "\n\n", "<p>\n</p>", "<pre>\n\nx</pre>", "<!--\n-->", "<a\nhref=x\n>y</a>", "<svg>\n<g/></svg>", "\x00\n")
	for _, seed := range plainSeedsFlag(t, *slabSeed, 3000) {
		rng := rand.New(rand.NewPCG(seed, 31))
		var b strings.Builder
		for range rng.IntN(10) {
			b.WriteString(corpus[rng.IntN(len(corpus))])
		}
		src := []byte(b.String())
		str := string(src)
		want := dump(parseTokens(src, str, copyingTokens{newScanTokens(src, str)}, nil))
		if got := dump(Parse(src)); got != want {
			t.Fatalf("seed %d (replay with -slab-seed %d): %q\n--- got\n%s--- want (every newline counted)\n%s", seed, seed, src, got, want)
		}
	}
}

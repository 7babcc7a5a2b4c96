package site

import (
	"flag"
	"hash/maphash"
	"math/rand/v2"
	"testing"
)

var pageIndexSeed = flag.Uint64("pageindex-seed", 0, "replay TestPageIndexMatchesMap with this seed")

// TestPageIndexMatchesMap holds pageIndex to the map it replaces: the
// same page, or nil, for every key of the map and for keys that are not
// in it, on random sets of pages, some of them not in the site's list,
// with maphash and with hashes that collide often (the key's length, or
// its first byte). Seeded; replay with -pageindex-seed.
func TestPageIndexMatchesMap(t *testing.T) {
	seed := testSeed(t, *pageIndexSeed, "pageindex-seed")
	rng := rand.New(rand.NewPCG(seed, 41))
	hashes := []func(maphash.Seed, string) uint64{
		maphash.String,
		func(_ maphash.Seed, s string) uint64 { return uint64(len(s)) },
		func(_ maphash.Seed, s string) uint64 {
			if s == "" {
				return 0
			}
			return uint64(s[0])
		},
	}
	randomKey := func() string {
		b := make([]byte, rng.IntN(6))
		for i := range b {
			b[i] = "ab/é"[rng.IntN(4)]
		}
		return string(b)
	}
	for round := range 600 {
		m := map[string]*Page{}
		var all []*Page
		for range rng.IntN(40) {
			k := randomKey()
			if m[k] != nil {
				continue
			}
			p := &Page{Path: k, index: -1}
			m[k] = p
			if rng.IntN(8) > 0 {
				p.index = len(all)
				all = append(all, p)
			}
		}
		if len(all) > 1 && rng.IntN(4) == 0 { // a stale index: the page is not at its place
			all[0].index = 1
		}
		hash := hashes[round%len(hashes)]
		x := newPageIndexHash(m, all, func(p *Page) string { return p.Path }, hash)
		for range 60 {
			k := randomKey()
			if got, want := x.find(k), m[k]; got != want {
				t.Fatalf("seed %d round %d: find(%q) = %v, the map has %v", seed, round, k, got, want)
			}
		}
		seen := map[string]bool{}
		x.each(func(k string, p *Page) {
			if m[k] != p || seen[k] {
				t.Fatalf("seed %d round %d: each gives %q twice or with another page", seed, round, k)
			}
			seen[k] = true
		})
		if len(seen) != len(m) {
			t.Fatalf("seed %d round %d: each gives %d keys, the map has %d", seed, round, len(seen), len(m))
		}
		for k, p := range m {
			if x.find(k) != p {
				t.Fatalf("seed %d round %d: find(%q) misses its page", seed, round, k)
			}
		}
	}
}

package site

import (
	"flag"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

var nameListSeed = flag.Uint64("namelist-seed", 0, "replay TestNameList with this seed")

// TestNameList holds the packed list of written files to a plain list of
// the same names: the same names in the same order, on random lists of
// names that share prefixes of any length with the name before them,
// repeat, are empty, or hold non-ASCII text. Seeded; replay with
// -namelist-seed.
func TestNameList(t *testing.T) {
	seed := testSeed(t, *nameListSeed, "namelist-seed")
	rng := rand.New(rand.NewPCG(seed, 52))
	parts := []string{"", "a", "a/", "page-", "é", "index.html", "/", "0", "1", strings.Repeat("x", 200)}
	for round := range 500 {
		var want []string
		var l nameList
		for range rng.IntN(50) {
			var b strings.Builder
			if len(want) > 0 && rng.IntN(2) == 0 { // a prefix of the last name
				last := want[len(want)-1]
				b.WriteString(last[:rng.IntN(len(last)+1)])
			}
			for range rng.IntN(5) {
				b.WriteString(parts[rng.IntN(len(parts))])
			}
			want = append(want, b.String())
			l.add(b.String())
		}
		var got []string
		l.each(func(name string) { got = append(got, name) })
		if !slices.Equal(got, want) {
			t.Fatalf("seed %d round %d: the list gives\n%q\nnot\n%q", seed, round, got, want)
		}
	}
}

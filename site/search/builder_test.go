package search

import (
	"bytes"
	"flag"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
)

var builderSeed = flag.Uint64("builder-seed", 0, "replay TestBuilderMatchesIndex with this seed")

// TestBuilderMatchesIndex holds the Builder, fed documents in a random
// order from several goroutines, to Index over the same documents: the
// same files, byte for byte, and the same errors. Seeded; replay with
// -builder-seed.
func TestBuilderMatchesIndex(t *testing.T) {
	seed := *builderSeed
	if seed == 0 {
		seed = rand.Uint64()
	}
	t.Logf("seed %d (replay with -builder-seed %d)", seed, seed)
	rng := rand.New(rand.NewPCG(seed, 2))
	for round := range 6 {
		docs := generate(1+rng.IntN(600), rng.Uint64())
		lang := ""
		if round >= 4 { // a Welsh index: its own tokenizer, no English stemming
			lang = Welsh
			for i := range docs {
				docs[i].Lang = Welsh
				docs[i].Text += " Mae gennych hawl i gael gwybodaeth gyhoeddus; cyhoeddus ŵyr."
			}
		}
		for i := range docs {
			switch rng.IntN(20) {
			case 0:
				docs[i].Description = "" // the excerpt comes from the text
			case 1:
				docs[i].Text = ""
			case 2:
				docs[i].Title = "Ünïcode rights’ café 2026"
			}
		}
		switch round {
		case 1: // a record larger than a chunk of records
			docs[rng.IntN(len(docs))].Description = strings.Repeat("a description longer than a chunk ", recordChunk/30)
		case 2:
			docs[rng.IntN(len(docs))].URL = docs[0].URL // a duplicate, or the same document
		case 3:
			docs[rng.IntN(len(docs))].URL = ""
		}
		want, werr := Index(docs)
		b := NewBuilder(lang)
		order := rng.Perm(len(docs))
		var wg sync.WaitGroup
		for w := range 3 {
			wg.Go(func() {
				for k := w; k < len(order); k += 3 {
					b.Add(docs[order[k]])
				}
			})
		}
		wg.Wait()
		got, gerr := b.Files()
		if (werr == nil) != (gerr == nil) || werr != nil && werr.Error() != gerr.Error() {
			t.Fatalf("seed %d round %d: error %v, Index says %v", seed, round, gerr, werr)
		}
		if len(got) != len(want) {
			t.Fatalf("seed %d round %d: %d files, Index makes %d", seed, round, len(got), len(want))
		}
		for name, w := range want {
			if !bytes.Equal(got[name], w) {
				t.Fatalf("seed %d round %d: %s differs from Index's:\n%.300s\n%.300s", seed, round, name, got[name], w)
			}
		}
		if _, err := b.Files(); err == nil {
			t.Fatalf("seed %d round %d: a second Files call made an index from counts it had let go", seed, round)
		}
	}
}

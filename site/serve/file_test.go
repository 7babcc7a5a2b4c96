package serve

import (
	"bytes"
	"flag"
	"math/rand/v2"
	"strings"
	"testing"
)

var fileSeed = flag.Uint64("file-seed", 0, "replay TestFilePacking with this seed only")

// TestFilePacking is the oracle of packed files: on random contents
// (pages, near copies of them, binary data, sizes on both sides of the
// packing threshold), a File gives back its content exactly, and two
// Files are Equal exactly when their contents are, whichever Packer made
// them and however often its compressors were reused. Replay a failure
// with -file-seed.
func TestFilePacking(t *testing.T) {
	seeds := []uint64{*fileSeed}
	if *fileSeed == 0 {
		seeds = nil
		for i := range 200 {
			seeds = append(seeds, uint64(i+1))
		}
	}
	var shared Packer
	for _, seed := range seeds {
		rng := rand.New(rand.NewPCG(seed, 3))
		names := []string{"a/index.html", "css/site.css", "img/chart.png", "search/meta.json", "x"}
		var contents [][]byte
		for range 4 {
			contents = append(contents, randomContent(rng))
		}
		// A near copy: one byte changed, or one added.
		c := bytes.Clone(contents[0])
		if len(c) > 0 && rng.IntN(2) == 0 {
			c[rng.IntN(len(c))] ^= 1
		} else {
			c = append(c, 'x')
		}
		contents = append(contents, c, bytes.Clone(contents[1]))
		name := names[rng.IntN(len(names))]
		var files, again []File
		for _, data := range contents {
			buf := bytes.Clone(data)
			f := shared.Pack(name, buf)
			clear(buf) // Pack keeps no reference to its argument
			var fresh Packer
			files, again = append(files, f), append(again, fresh.Pack(name, data))
			got, err := f.Bytes()
			if err != nil || !bytes.Equal(got, data) || f.Size() != len(data) {
				t.Fatalf("seed %d (replay with -file-seed %d): %s of %d bytes unpacks to %d bytes, %v", seed, seed, name, len(data), len(got), err)
			}
		}
		for i := range contents {
			for j := range contents {
				if want := bytes.Equal(contents[i], contents[j]); files[i].Equal(again[j]) != want {
					t.Errorf("seed %d (replay with -file-seed %d): %s: contents %d and %d: Equal is %v, want %v", seed, seed, name, i, j, !want, want)
				}
			}
		}
	}
}

// randomContent is a page-like text, or random bytes, of a random size.
func randomContent(rng *rand.Rand) []byte {
	n := rng.IntN(3000)
	if rng.IntN(4) == 0 {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(rng.IntN(256))
		}
		return b
	}
	words := []string{"<p>", "</p>", "rights", "data", "the", "a href=\"/x/\"", "\n", "privacy", "ő", "<h2 id=x>"}
	var b strings.Builder
	for b.Len() < n {
		b.WriteString(words[rng.IntN(len(words))])
		b.WriteByte(' ')
	}
	return []byte(b.String())
}

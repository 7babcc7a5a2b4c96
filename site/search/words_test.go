package search

import (
	"flag"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// slowTokenizer is the tokenizer as first written, a map from each word
// and a rune at a time: the oracle for tokenizer's table and hash table.
type slowTokenizer struct {
	memo  map[string]int32
	ids   map[string]int32
	names []string
	cur   []byte
	welsh bool
}

func (t *slowTokenizer) words(text string, yield func(id int32)) {
	t.cur = t.cur[:0]
	for _, r := range text {
		if r >= 'A' && r <= 'Z' {
			r += 'a' - 'A'
		} else if r >= 0x80 {
			r = unicode.ToLower(r)
		}
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			t.cur = append(t.cur, byte(r))
			continue
		case r >= 0x300 && r <= 0x36f, r == '\'', r == '\u2019':
			continue
		}
		if c, ok := fold[r]; ok {
			t.cur = append(t.cur, c)
			continue
		}
		t.flush(yield)
	}
	t.flush(yield)
}

func (t *slowTokenizer) flush(yield func(int32)) {
	if len(t.cur) == 0 {
		return
	}
	id, ok := t.memo[string(t.cur)]
	if !ok {
		w := string(t.cur)
		id = -1
		if len(w) <= maxWord && !(!t.welsh && stopWords[w]) && !(t.welsh && welshStopWords[w]) &&
			(len(w) > 1 || (w[0] >= '0' && w[0] <= '9')) {
			tm := w
			if !t.welsh {
				tm = term(w)
			}
			if id, ok = t.ids[tm]; !ok {
				id = int32(len(t.names))
				t.ids[tm] = id
				t.names = append(t.names, tm)
			}
		}
		t.memo[w] = id
	}
	t.cur = t.cur[:0]
	if id >= 0 {
		yield(id)
	}
}

// randomText returns text built from words of the site, random
// letters, digits, accents, apostrophes, marks and bytes that are not
// UTF-8, in random case.
func randomText(r *rand.Rand, vocab []string) string {
	pieces := []string{" ", " ", "\n", "-", ",", ". ", "'", "’", "\u0301", "é", "Ŵ", "ŷ", "İ", "K", "ß", "ﬁ", "\xff", "\xe2\x80", "日本", "0", "1998", "A", "x"}
	var b strings.Builder
	for range r.IntN(200) {
		switch r.IntN(4) {
		case 0:
			b.WriteString(pieces[r.IntN(len(pieces))])
		case 1:
			w := vocab[r.IntN(len(vocab))]
			if r.IntN(3) == 0 {
				w = strings.ToUpper(w)
			}
			b.WriteString(w)
		default:
			b.WriteString(vocab[r.IntN(len(vocab))])
			b.WriteByte(' ')
		}
	}
	return b.String()
}

var wordsSeed = flag.Uint64("words-seed", 0, "replay TestTokenizerMatchesSlow with this seed")

// TestTokenizerMatchesSlow feeds one tokenizer and the slow one the same
// random texts, in English and Welsh, and wants the same terms from each:
// -words-seed replays a failure.
func TestTokenizerMatchesSlow(t *testing.T) {
	seed := *wordsSeed
	if seed == 0 {
		seed = rand.Uint64()
	}
	t.Logf("seed %d (replay with -words-seed %d)", seed, seed)
	r := rand.New(rand.NewPCG(seed, 0))
	vocab := siteVocabulary(t)
	vocab = append(vocab, strings.Repeat("long", 11), "people's", "café", "naïve", "ŵyr")
	for _, lang := range []string{"", Welsh} {
		fast := newTokenizer(lang)
		slow := &slowTokenizer{memo: map[string]int32{}, ids: map[string]int32{}, welsh: lang == Welsh}
		for i := range 3000 {
			text := randomText(r, vocab)
			var got, want []string
			fast.words(text, func(id int32) { got = append(got, fast.names[id]) })
			slow.words(text, func(id int32) { want = append(want, slow.names[id]) })
			if !slices.Equal(got, want) {
				t.Fatalf("seed %d, lang %q, text %d %q:\n got %q\nwant %q", seed, lang, i, text, got, want)
			}
		}
		if !slices.Equal(fast.names, slow.names) {
			t.Fatalf("seed %d: term numbers differ", seed)
		}
	}
}

// FuzzWords holds the tokenizer to the slow one on any text.
func FuzzWords(f *testing.F) {
	f.Add("The People’s RIGHTS: café naïve data-sharing, Article 8 of the 1998 Act; a b x")
	f.Add("K\u0130\u0301'\xff")
	f.Fuzz(func(t *testing.T, text string) {
		fast := newTokenizer("")
		slow := &slowTokenizer{memo: map[string]int32{}, ids: map[string]int32{}}
		for range 2 { // the second time from the memo
			var got, want []string
			fast.words(text, func(id int32) { got = append(got, fast.names[id]) })
			slow.words(text, func(id int32) { want = append(want, slow.names[id]) })
			if !slices.Equal(got, want) {
				t.Fatalf("%q:\n got %q\nwant %q", text, got, want)
			}
		}
	})
}

// BenchmarkWords splits the real site's Markdown into terms, as the index
// does for each page's text, with a tokenizer that has seen it once:
// new is the tokenizer, slow the one it replaced.
func BenchmarkWords(b *testing.B) {
	text := siteText(b)
	b.Run("new", func(b *testing.B) {
		t := newTokenizer("")
		t.words(text, func(int32) {})
		b.SetBytes(int64(len(text)))
		for b.Loop() {
			t.words(text, func(int32) {})
		}
	})
	b.Run("slow", func(b *testing.B) {
		t := &slowTokenizer{memo: map[string]int32{}, ids: map[string]int32{}}
		t.words(text, func(int32) {})
		b.SetBytes(int64(len(text)))
		for b.Loop() {
			t.words(text, func(int32) {})
		}
	})
}

// TestWordMemoCollisions puts thousands of words of one hash, as a page
// written to collide could, in the memo: each is found again with its
// number, and at most maxProbe of them sit in the table, where every
// look-up would otherwise walk past all of them.
func TestWordMemoCollisions(t *testing.T) {
	var m wordMemo
	const n = 5000
	words := make([][]byte, n)
	for i := range words {
		words[i] = []byte("w" + strconv.Itoa(i))
		m.put(words[i], 12345, int32(i))
		m.put([]byte("x"+strconv.Itoa(i)), uint32(i)*2654435761, int32(-i)) // and words of other hashes
	}
	for i, w := range words {
		if id, ok := m.get(w, 12345); !ok || id != int32(i) {
			t.Fatalf("get(%s) = %d, %v; want %d", w, id, ok, i)
		}
		if id, ok := m.get([]byte("x"+strconv.Itoa(i)), uint32(i)*2654435761); !ok || id != int32(-i) {
			t.Fatalf("get(x%d) = %d, %v; want %d", i, id, ok, -i)
		}
	}
	if _, ok := m.get([]byte("absent"), 12345); ok {
		t.Error("found a word never put")
	}
	inTable := 0
	for _, s := range m.slots {
		if s.used && s.hash == 12345 {
			inTable++
		}
	}
	if inTable > maxProbe {
		t.Errorf("%d words of one hash in the table; want at most %d", inTable, maxProbe)
	}
}

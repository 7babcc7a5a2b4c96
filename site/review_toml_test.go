package site

import (
	"bytes"
	"fmt"
	"math/rand/v2"

	"strings"
	"testing"
	"time"
)

// TestTOMLManyKeys: front matter with many keys is read in time that
// grows with its size, not with its square: each key's line was looked
// for from the top, and 200,000 keys (2.6 MB) took six and a half minutes.
func TestTOMLManyKeys(t *testing.T) {
	var b strings.Builder
	b.WriteString("title = \"Many\"\n")
	for i := range 50000 {
		fmt.Fprintf(&b, "k%d = \"v\"\n", i)
	}
	b.WriteString("tittle = \"x\"\n")
	start := time.Now()
	entries, err := decodeTOML("content/x.md", []byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("50,000 keys took %s", d)
	}
	for _, e := range entries {
		if e.key == "tittle" && e.line != 50000+3 {
			t.Errorf("tittle is on line %d, want %d", e.line, 50000+3)
		}
	}
}

// tomlKeyLineSlow is the reference for tomlKeyLines: the line of one key,
// looked for from the top (front matter starts on line 2; 2 when absent).
func tomlKeyLineSlow(lines [][]byte, key string) int {
	for i, l := range lines {
		l = bytes.TrimSpace(l)
		l = bytes.Trim(l, "[")
		l = bytes.TrimPrefix(l, []byte(`"`))
		if bytes.HasPrefix(l, []byte(key)) {
			rest := bytes.TrimLeft(l[len(key):], `" `)
			if len(rest) == 0 || rest[0] == '=' || rest[0] == ']' {
				return i + 2
			}
		}
	}
	return 2
}

// TestTOMLKeyLinesOracle holds tomlKeyLines, which reads the lines once,
// to tomlKeyLineSlow on random TOML-like text, for every key it looks for.
// A failure names the seed; replay it with -run and that seed in seeds.
func TestTOMLKeyLinesOracle(t *testing.T) {
	const alphabet = "ab\" =[].#\t\n"
	for seed := uint64(1); seed <= 3000; seed++ {
		r := rand.New(rand.NewPCG(seed, 0))
		text := make([]byte, r.IntN(60))
		for i := range text {
			text[i] = alphabet[r.IntN(len(alphabet))]
		}
		lines := bytes.Split(text, []byte("\n"))
		got := tomlKeyLines(lines)
		for _, key := range []string{"", "a", "b", "ab", "ba", "aa", "a b", "a\"", "a ", "a.b", "bab", "abab"} {
			want := tomlKeyLineSlow(lines, key)
			g, ok := got[key]
			if !ok {
				g = 2
			}
			if g != want {
				t.Fatalf("seed %d: key %q on line %d, want %d; text %q", seed, key, g, want, text)
			}
		}
	}
}

package site

import (
	"bytes"
	"flag"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/styles"
)

var codeHTMLSeed = flag.Uint64("codehtml-seed", 0, "replay TestCodeHTMLMatchesChroma with this seed")

// randomTokens is a token stream of random types (standard ones, their
// unnamed children, and types chroma has no class for) and values:
// empty, with newlines, with characters to escape, and runs of one type
// long enough to pass chroma's 8 KiB join limit.
func randomTokens(rng *rand.Rand) []chroma.Token {
	var types []chroma.TokenType
	for t := range chroma.StandardTypes {
		types = append(types, t)
	}
	slices.Sort(types)
	types = append(types, chroma.Keyword+99, chroma.Keyword, chroma.Keyword, chroma.Keyword, chroma.Text+1, chroma.TokenType(123456), chroma.Error, chroma.Ignore)
	vals := []string{"", "x", "\n", "a\nb", "\n\n", "<&'\">", "é日🙂", "  ", "\t", "end\n", strings.Repeat("y", 3000), strings.Repeat("z", 4095), strings.Repeat("z", 4096), strings.Repeat("z", 4097)}
	var toks []chroma.Token
	for range rng.IntN(60) {
		t := chroma.Token{Type: types[rng.IntN(len(types))], Value: vals[rng.IntN(len(vals))]}
		for range 1 + rng.IntN(3)*rng.IntN(3) {
			toks = append(toks, t)
		}
	}
	return toks
}

// TestCodeHTMLMatchesChroma holds codeHTML to chroma's formatter of the
// coalesced tokens, byte for byte: a seeded random walk over token
// streams.
func TestCodeHTMLMatchesChroma(t *testing.T) {
	seed := testSeed(t, *codeHTMLSeed, "codehtml-seed")
	rng := rand.New(rand.NewPCG(seed, 0))
	for range 2000 {
		toks := randomTokens(rng)
		it, err := chroma.Coalesce(tokensLexer{toks: toks}).Tokenise(nil, "")
		if err != nil {
			t.Fatal(err)
		}
		var want bytes.Buffer
		if err := codeFormatter.Format(&want, styles.Get(highlightStyle), it); err != nil {
			t.Fatal(err)
		}
		var got bytes.Buffer
		got.WriteString(`<pre class="chroma"><code>`)
		c := codeHTML{b: &got}
		for _, tok := range toks {
			c.token(tok)
		}
		c.end()
		got.WriteString("</code></pre>")
		if got.String() != want.String() {
			t.Fatalf("seed %d: tokens %v:\ngot  %q\nwant %q", seed, toks, got.String(), want.String())
		}
	}
}

// tokensLexer is a lexer whose every tokenising is the same tokens.
type tokensLexer struct {
	chroma.Lexer
	toks []chroma.Token
}

func (l tokensLexer) Tokenise(*chroma.TokeniseOptions, string) (chroma.Iterator, error) {
	return chroma.Literator(l.toks...), nil
}

package site

import (
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/lexers"
)

var tokeniseSeed = flag.Uint64("tokenise-seed", 0, "replay TestRuleLexerMatchesChroma with this seed")

// codeBits are pieces of code in many languages: keywords, strings and
// comments of several kinds, numbers, operators, markup, escapes, line
// endings of every kind, and characters past ASCII.
var codeBits = []string{
	"func", "if", "else", "for", "while", "return", "def", "class", "let", "var", "const", "import",
	"package", "end", "begin", "select", "from", "where", "echo", "Get-ChildItem", "-Path", "$_", "$x",
	"@{a=1}", "@decorator", "#include <stdio.h>", "<?php", "?>", "<div class=\"a\">", "</div>", "<!-- c -->",
	"<![CDATA[x]]>", "&amp;", "\"str\"", "'c'", "`tpl ${x}`", "\"unterminated", "'", "\"\"\"doc\"\"\"",
	"\"a\\\"b\"", "r\"raw\"", "// line", "# hash", "-- sql", "/* block */", "/* open", "*/", "(* ml *)",
	"{-", "-}", "<<EOF\nx\nEOF\n", "0x1F", "3.14e-2", "42", "1_000", "+", "-", "*", "/", "%", "=", "==",
	"=>", "->", ":=", "::", "&&", "||", "!", "?", ":", ";", ",", ".", "(", ")", "[", "]", "{", "}", "<", ">",
	"|", "^", "~", "\\", "\\n", "@", "#", "$", " ", "  ", "\t", "\n", "\n\n", "\r\n", "\r", "---\n", "key: value",
	"- item", "  nested:", "é", "日本語", "🙂", "\u00a0", "\u2028", "ünïcode", "Ω", "x", "foo_bar", "Name", "Length",
}

// randomSnippet is a run of codeBits, or its cut.
func randomSnippet(rng *rand.Rand) string {
	var b strings.Builder
	for range rng.IntN(40) {
		b.WriteString(codeBits[rng.IntN(len(codeBits))])
		if rng.IntN(3) == 0 {
			b.WriteByte(' ')
		}
	}
	s := b.String()
	if rng.IntN(5) == 0 && s != "" {
		s = s[:rng.IntN(len(s))]
	}
	return s
}

// chromaTokens is chroma's own tokenising of text, the ruleLexer's
// oracle, and whether chroma finished: false when it panicked, as it may
// on some input, or went on past a bound on tokens, as it does where a
// rule matches the empty string and leaves the state as it was.
func chromaTokens(l chroma.Lexer, text string) (toks []chroma.Token, finished bool) {
	defer func() {
		if recover() != nil {
			finished = false
		}
	}()
	it, err := l.Tokenise(nil, text)
	if err != nil {
		return nil, false
	}
	for t := it(); t != chroma.EOF; t = it() {
		if len(toks) > 20*len(text)+1000 {
			return toks, false
		}
		toks = append(toks, t)
	}
	return toks, true
}

// ruleTokens is the ruleLexer's tokenising of text.
func ruleTokens(l *ruleLexer, text string) ([]chroma.Token, error) {
	var toks []chroma.Token
	err := l.tokens(text, func(t chroma.Token) { toks = append(toks, t) })
	return toks, err
}

// TestRuleLexerMatchesChroma holds the ruleLexer to chroma's tokeniser,
// token for token, on random code: a seeded random walk over chroma's
// RegexLexers (every one when not -short), the languages of the
// generated code-heavy site always among them.
func TestRuleLexerMatchesChroma(t *testing.T) {
	seed := testSeed(t, *tokeniseSeed, "tokenise-seed")
	rng := rand.New(rand.NewPCG(seed, 0))
	names := lexerSample(rng)
	for _, name := range names {
		base, ok := lexers.Get(name).(*chroma.RegexLexer)
		if !ok {
			continue
		}
		l, err := newRuleLexer(base, lexers.GlobalLexerRegistry)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		for range 12 {
			checkRuleLexer(t, seed, name, base, l, randomSnippet(rng))
		}
	}
}

// checkRuleLexer compares the ruleLexer's tokens of text with chroma's.
func checkRuleLexer(t *testing.T, seed uint64, name string, base chroma.Lexer, l *ruleLexer, text string) {
	t.Helper()
	got, err := ruleTokens(l, text)
	if errors.Is(err, errStuck) {
		// chroma would loop for ever: check it goes on past the bound.
		if _, finished := chromaTokens(base, text); finished {
			t.Errorf("seed %d: %s: %q: ruleLexer stuck where chroma finishes", seed, name, text)
		}
		return
	}
	want, finished := chromaTokens(base, text)
	if !finished {
		return
	}
	if err != nil || fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("seed %d: %s: %q:\ngot  %v (%v)\nwant %v", seed, name, text, got, err, want)
	}
}

// TestRuleLexerSkipsRules checks that the first-character sets exist and
// exclude: on the generated site's languages most rules have one, and
// at a space most of PowerShell's root rules are skipped.
func TestRuleLexerSkipsRules(t *testing.T) {
	l, err := newRuleLexer(lexers.Get("powershell").(*chroma.RegexLexer), lexers.GlobalLexerRegistry)
	if err != nil {
		t.Fatal(err)
	}
	root := l.states["root"]
	skipped := 0
	for _, r := range root {
		if r.first != nil && !r.first.Contains('G') {
			skipped++
		}
	}
	if skipped < len(root)/2 {
		t.Errorf("at 'G' %d of %d root rules skipped; want most", skipped, len(root))
	}
}

// lexerSample is the lexers a seeded test runs over: every chroma lexer
// in the order rng gives (40 of them when -short), then the languages of
// the generated code-heavy site.
func lexerSample(rng *rand.Rand) []string {
	names := slices.Clone(lexers.Names(false))
	slices.Sort(names)
	rng.Shuffle(len(names), func(i, j int) { names[i], names[j] = names[j], names[i] })
	if testing.Short() {
		names = names[:40]
	}
	return append(names, "powershell", "go", "bash", "yaml", "json", "text")
}

// testSeed is the seed of a seeded random test: the one given with its
// flag (named flagName), else a new one. It logs the seed and how to
// replay it.
func testSeed(t *testing.T, given uint64, flagName string) uint64 {
	t.Helper()
	seed := given
	if seed == 0 {
		seed = rand.Uint64()
	}
	t.Logf("seed %d (replay with -%s %d)", seed, flagName, seed)
	return seed
}

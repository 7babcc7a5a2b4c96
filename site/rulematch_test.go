package site

import (
	"flag"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/dlclark/regexp2/v2"
)

var nativeSeed = flag.Uint64("native-seed", 0, "replay TestNativeMatchesRegexp2 with this seed")

// TestNativeMatchesRegexp2 holds reNodes to regexp2 on the patterns of
// chroma's lexers: every rule's pattern that compiles to reNodes, of
// every RegexLexer (40 of them, at random, when -short), matched at
// every position of random code, must end where regexp2's match ends,
// or fail where it fails. A seeded random walk.
func TestNativeMatchesRegexp2(t *testing.T) {
	seed := testSeed(t, *nativeSeed, "native-seed")
	rng := rand.New(rand.NewPCG(seed, 0))
	names := lexerSample(rng)
	compiled := 0
	for _, name := range names {
		base, ok := lexers.Get(name).(*chroma.RegexLexer)
		if !ok {
			continue
		}
		l, err := newRuleLexer(base, lexers.GlobalLexerRegistry)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		texts := make([][]rune, 6)
		for i := range texts {
			texts[i] = []rune(randomSnippet(rng))
		}
		for _, rules := range l.rules {
			for _, rule := range rules {
				if rule.Regexp == nil {
					continue
				}
				n := compileNative(rule.Regexp.String())
				if n == nil {
					continue
				}
				compiled++
				for _, text := range texts {
					checkNative(t, seed, name, rule, n, text)
				}
			}
		}
	}
	if compiled == 0 {
		t.Fatal("no pattern compiled to reNodes")
	}
	for _, p := range nativePatterns {
		re := regexp2.MustCompile(`\G(?m)(?:` + p + `)`)
		n := compileNative(re.String())
		if n == nil {
			t.Errorf("%q: no reNodes", p)
			continue
		}
		for range 20 {
			checkNative(t, seed, "nativePatterns", &chroma.CompiledRule{Regexp: re}, n, []rune(randomSnippet(rng)))
		}
	}
}

// nativePatterns use every kind of node that reNodes match, in the ways
// chroma's lexers do, so that a short run tries each one.
var nativePatterns = []string{
	`(?<!\S)(func|if|else)\b`, `(?<=\s)-\w+`, `(?<![\w$])x`, `\$[a-z_]\w*(?=\()`, `\w+(?!\s*:)`,
	`"(\\\\|\\"|[^"])*"`, `'(?:[^'\\]|\\.)*?'`, `/\*(.|\n)*?\*/`, `(ab|a)+?c`, `(?:\d+\.)*\d+`,
	`^\s*#.*$`, `\b(end|en|e)\b`, `\B-\B`, `(?>a+)b`, `[^\n]{2,4}`, `x{2}y?`, `\Afunc`, `\s*\z`, `\w+\Z`,
	`(if|else)*(for|while)`, `[a-z]+?\d`, `(?:--|//).*?\n`,
}

// checkNative compares reNodes with regexp2 at every position of text.
func checkNative(t *testing.T, seed uint64, name string, rule *chroma.CompiledRule, n *reNode, text []rune) {
	t.Helper()
	for pos := range text {
		want := -1
		m, err := rule.Regexp.FindRunesMatchStartingAt(text, pos)
		if err != nil {
			continue // timed out: chroma counts it as no match
		}
		if m != nil && m.RuneIndex == pos {
			want = pos + m.RuneLength
		}
		got, ok := matchNative(n, text, pos, maxNativeSteps)
		if !ok {
			t.Errorf("seed %d: %s: pattern %q at %d of %q: reNodes gave up", seed, name, rule.Regexp.String(), pos, string(text))
			return
		}
		if got != want {
			t.Errorf("seed %d: %s: pattern %q at %d of %q: reNodes end at %d, regexp2 at %d",
				seed, name, rule.Regexp.String(), pos, string(text), got, want)
			return
		}
	}
}

// TestNativeGivesUpOnBacktracking: a loop of overlapping alternatives on a
// long run of one letter takes reNodes, like regexp2, time exponential in
// the run. A native match stops after its steps and lets regexp2, with
// chroma's timeout, decide: a hostile code block cannot stall the build
// longer than chroma itself would.
func TestNativeGivesUpOnBacktracking(t *testing.T) {
	re := regexp2.MustCompile(`\G(?:a|aa)+c`)
	n := compileNative(re.String())
	if n == nil {
		t.Fatal("no reNodes for the pattern")
	}
	text := []rune(strings.Repeat("a", 80) + "b")
	start := time.Now()
	if end, ok := matchNative(n, text, 0, maxNativeSteps); ok {
		t.Fatalf("matched to %d without giving up", end)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("giving up took %s", d)
	}
	re.MatchTimeout = 50 * time.Millisecond
	rule := &chroma.CompiledRule{Regexp: re}
	i, end, _ := match(text, 0, []ruleTest{{rule: rule, native: n}})
	if end >= 0 {
		t.Errorf("rule %d matched to %d; regexp2 times out, which chroma counts as no match", i, end)
	}
	// A match well within the steps is still found natively.
	if end, ok := matchNative(n, []rune("aaac"), 0, maxNativeSteps); !ok || end != 4 {
		t.Errorf("aaac: end %d, ok %v; want 4, true", end, ok)
	}
}

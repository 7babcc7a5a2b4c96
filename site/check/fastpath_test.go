package check

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"net/url"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

var plainSeed = flag.Uint64("plain-seed", 0, "replay the seeded tests of fastpath_test.go with this seed only")

// plainSeeds are the seeds of a seeded test: the one given with
// -plain-seed, else n fixed ones and one from the clock.
func plainSeeds(t *testing.T, n int) []uint64 {
	t.Helper()
	if *plainSeed != 0 {
		return []uint64{*plainSeed}
	}
	var seeds []uint64
	for i := range n {
		seeds = append(seeds, uint64(i+1))
	}
	return append(seeds, rand.Uint64()|1)
}

// plainVocabulary are words for random prose: abbreviations, brackets,
// quotes, words to avoid in every case, punctuation, addresses, and
// letters whose lower case is ASCII (İ, K for Kelvin) or that trim oddly.
var plainVocabulary = []string{
	"the", "The", "a", "right", "Rights", "FOI", "(FOI)", "FOI's", "FAQs", "DPA’s", "ICO.", "(Freedom", "of", "Information)",
	"Information", "Commissioner's", "Office", "(ICO)", "\"(ICO)\"", "‘(ICO)’", "“(UK", "UK", "XIV", "IV.", "AB", "ABCDEFG", "A1",
	"utilise", "Utilised,", "UTILIZE", "facilitates", "in", "In", "order", "ORDER", "to", "prior", "respect", "Notwithstanding",
	"aforementioned.", "endeavour", "leverage", "commence", "e.g.", "i.e.", "Mr.", "J.", "end.", "why?", "now!", "stop.\"",
	"(see", "below)", "((x))", ")", "(", "https://example.org/x.", "www.gov.uk", "—", "–", "...", "…", "42", "2024.",
	"İn", "utİlise", "\u212Aelvin", "ſt", "é", "École", "naïve", "ÉU", "_emphasis_", "*strong*", "[link]", "'quoted'", "\"",
	"Ab", "aB", "USs", "PDF", "HTML", "(EU)", "x(Y", "Z)", "(utilise", "\"Commence", "‘leverage’", "(in", "prior)",
}

// randomProse is a page's prose of random blocks: paragraphs and headings
// of random words over several lines.
func randomProse(rng *rand.Rand) []Block {
	var blocks []Block
	line := 1
	for range 1 + rng.IntN(6) {
		b := Block{Line: line}
		if rng.IntN(4) == 0 {
			b.Heading = 1 + rng.IntN(6)
		}
		for range 1 + rng.IntN(4) {
			var ws []string
			for range rng.IntN(40) {
				ws = append(ws, plainVocabulary[rng.IntN(len(plainVocabulary))])
			}
			sep := " "
			if rng.IntN(5) == 0 {
				sep = " \t "
			}
			b.Lines = append(b.Lines, BlockLine{Line: line, Text: strings.Join(ws, sep)})
			line++
		}
		line++
		blocks = append(blocks, b)
	}
	return blocks
}

// TestPlainEnglishMatchesSlow holds the plain-English rules to the
// version before they were made faster (kept below): the same findings on
// random prose. Replay a failure with -plain-seed.
func TestPlainEnglishMatchesSlow(t *testing.T) {
	for _, seed := range plainSeeds(t, 3000) {
		rng := rand.New(rand.NewPCG(seed, 3))
		p := &Page{Source: "content/p.md", Prose: randomProse(rng), Lang: "en-GB"}
		var got, want []Finding
		checkPlainEnglish(p, nil, func(f Finding) { got = append(got, f) })
		slowPlainEnglish(p, func(f Finding) { want = append(want, f) })
		if !slices.Equal(got, want) {
			t.Fatalf("seed %d (replay with -plain-seed %d):\ngot  %v\nwant %v\nprose %+v", seed, seed, got, want, p.Prose)
		}
	}
}

// slowPlainEnglish is checkPlainEnglish as it was, word for word, before
// splitWords and checkAbbreviations were made faster: its words are in
// lower case (never fold), which checkWordsToAvoid compares as it did.
func slowPlainEnglish(p *Page, report func(Finding)) {
	if p.Source == "" || len(p.Prose) == 0 || !english(p.Lang) {
		return
	}
	warn := func(line int, rule, msg, fix string) {
		report(Finding{File: p.Source, Line: line, Rule: rule, Severity: Warning, Message: msg, Fix: fix})
	}
	seen := map[string]bool{}
	var words []word
	for i := range p.Prose {
		b := &p.Prose[i]
		words = slowSplitWords(words[:0], b)
		if b.Heading == 0 {
			checkSentences(b.Line, words, warn)
		}
		slowCheckAbbreviations(words, seen, warn)
		checkWordsToAvoid(words, warn)
	}
}

func slowSplitWords(ws []word, b *Block) []word {
	for _, l := range b.Lines {
		t := l.Text
		for i := 0; i < len(t); {
			for i < len(t) && isSpace(t[i]) {
				i++
			}
			j := i
			for j < len(t) && !isSpace(t[j]) {
				j++
			}
			if j == i {
				break
			}
			f := t[i:j]
			i = j
			if strings.Contains(f, "://") || strings.HasPrefix(f, "www.") {
				continue
			}
			ws = append(ws, word{text: f, bare: strings.ToLower(strings.TrimFunc(f, notLetter)), line: l.Line})
		}
	}
	return ws
}

func slowCheckAbbreviations(words []word, seen map[string]bool, warn func(int, string, string, string)) {
	depth := 0
	for i, w := range words {
		abbr := ""
		if w.bare != w.text || strings.ContainsAny(w.text, "()") {
			abbr = abbreviation(w.text)
		}
		inside := depth > 0 || strings.HasPrefix(strings.TrimLeft(w.text, `"'‘“`), "(")
		depth = max(0, depth+strings.Count(w.text, "(")-strings.Count(w.text, ")"))
		if abbr == "" || seen[abbr] {
			continue
		}
		seen[abbr] = true
		if inside || spelledOutAfter(abbr, words[i+1:]) {
			continue
		}
		warn(w.line, "abbreviation",
			"the abbreviation "+abbr+" is used before it is spelled out",
			"write it out in full the first time, with ("+abbr+") after it, as in \"Information Commissioner's Office (ICO)\"")
	}
}

// TestTrimNotLetters holds trimNotLetters to strings.TrimFunc on random
// strings of ASCII and other letters and marks.
func TestTrimNotLetters(t *testing.T) {
	parts := []string{"a", "Z", ".", "(", "\"", "’", "é", "İ", "\u212A", "1", "_", "—", "\xff", "ſ", " "}
	for _, seed := range plainSeeds(t, 20000) {
		rng := rand.New(rand.NewPCG(seed, 5))
		var b strings.Builder
		for range rng.IntN(7) {
			b.WriteString(parts[rng.IntN(len(parts))])
		}
		w := b.String()
		if got, want := trimNotLetters(w), strings.TrimFunc(w, notLetter); got != want {
			t.Fatalf("seed %d (replay with -plain-seed %d): trimNotLetters(%q) = %q, want %q", seed, seed, w, got, want)
		}
	}
}

// TestVagueMatchesSlow holds vague, which lets most link text go at its
// first letter, to the version without that shortcut on random link text.
func TestVagueMatchesSlow(t *testing.T) {
	parts := []string{"click", "Click", "CLICK", " ", "here", "HERE", "Here", "more", "read", "Read", "(", ")", "«", "»", ".", "…",
		"http://", "HTTPS://", "www.", "WWW.", "x.org", "Topic", "İ", "\u212A", "ĥ", "c", "h", "m", "r", "w", "!", ":"}
	for _, seed := range plainSeeds(t, 20000) {
		rng := rand.New(rand.NewPCG(seed, 7))
		var b strings.Builder
		for range rng.IntN(6) {
			b.WriteString(parts[rng.IntN(len(parts))])
		}
		name := b.String()
		if got, want := vague(name), slowVague(name); got != want {
			t.Fatalf("seed %d (replay with -plain-seed %d): vague(%q) = %q, want %q", seed, seed, name, got, want)
		}
	}
}

// slowVague is vague as it was, without mayBeVague.
func slowVague(name string) string {
	s := strings.ToLower(strings.TrimRight(name, ".,;:!?…)» "))
	s = strings.TrimLeft(s, "(« ")
	if vagueLinkText[s] {
		return fmt.Sprintf("the link text %q does not say where the link goes", name)
	}
	if !strings.Contains(s, " ") && (strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "www.")) {
		return fmt.Sprintf("the link text is a bare address, %s, which screen readers spell out", truncate(name, 60))
	}
	return ""
}

// TestUnescapeURLMatchesSlow holds unescapeURL, which lets a URL without
// % go as written, to url.PathUnescape on random URLs.
func TestUnescapeURLMatchesSlow(t *testing.T) {
	parts := []string{"/", "a", "%20", "%", "%2", "%zz", "+", "é", "#", "?", "&", ";", " ", "%2F", "\x00", "%C3%A9"}
	for _, seed := range plainSeeds(t, 20000) {
		rng := rand.New(rand.NewPCG(seed, 11))
		var b strings.Builder
		for range rng.IntN(6) {
			b.WriteString(parts[rng.IntN(len(parts))])
		}
		u := b.String()
		want := u
		if v, err := url.PathUnescape(u); err == nil {
			want = v
		}
		if got := unescapeURL(u); got != want {
			t.Fatalf("seed %d (replay with -plain-seed %d): unescapeURL(%q) = %q, want %q", seed, seed, u, got, want)
		}
	}
}

// TestSentenceWordsMatchSlow holds endsSentence and hasLetterOrDigit,
// which look at ASCII without decoding runes, to the versions that
// decoded every word, on random words.
func TestSentenceWordsMatchSlow(t *testing.T) {
	parts := []string{"a", "J", ".", "!", "?", "\"", "'", "’", "”", ")", "]", "*", "_", "e.g", "Mr", "(", "‘", "“", "[", "é", "1", "٣", "—", "\xff", " ",
		"E.G", "etc", "ETC", "approx", "Approx", "Mrs", "no", "NO", "St", "p", "P", "Ltd", "Para", "\u212A", "İ"}
	for _, seed := range plainSeeds(t, 20000) {
		rng := rand.New(rand.NewPCG(seed, 13))
		var b strings.Builder
		for range rng.IntN(6) {
			b.WriteString(parts[rng.IntN(len(parts))])
		}
		w := b.String()
		if got, want := endsSentence(w), slowEndsSentence(w); got != want {
			t.Fatalf("seed %d (replay with -plain-seed %d): endsSentence(%q) = %v, want %v", seed, seed, w, got, want)
		}
		slowHas := strings.IndexFunc(w, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0
		if got := hasLetterOrDigit(w); got != slowHas {
			t.Fatalf("seed %d (replay with -plain-seed %d): hasLetterOrDigit(%q) = %v, want %v", seed, seed, w, got, slowHas)
		}
	}
}

// slowEndsSentence is endsSentence as it was, before its ASCII shortcut.
func slowEndsSentence(w string) bool {
	w = strings.TrimRight(w, `"'’”)]*_`)
	if w == "" {
		return false
	}
	switch w[len(w)-1] {
	case '!', '?':
		return true
	case '.':
		lw := strings.ToLower(strings.TrimLeft(w, `"'‘“([`))
		if nonFinal[lw] {
			return false
		}
		r, size := utf8.DecodeRuneInString(lw)
		return !(size+1 == len(lw) && unicode.IsLetter(r))
	}
	return false
}

// TestContentElementsMatchesWalk holds contentElements, which walks
// <main> without a closure, to the walk it replaced, on random HTML with
// main elements here and there, nested, unclosed or none. Replay a
// failure with -plain-seed.
func TestContentElementsMatchesWalk(t *testing.T) {
	corpus := slabCorpus(t)
	parts := append([]string{"<main>", "</main>", "<main><p>x</p></main>", "<div><main>", "<p>", "<a href=x>y</a>", "<svg><main>"}, corpus...)
	for _, seed := range plainSeeds(t, 3000) {
		rng := rand.New(rand.NewPCG(seed, 29))
		var b strings.Builder
		for range rng.IntN(12) {
			b.WriteString(parts[rng.IntN(len(parts))])
		}
		d := Parse([]byte(b.String()))
		got, want := contentElements(d), slowContentElements(d)
		if !slices.Equal(got, want) {
			t.Fatalf("seed %d (replay with -plain-seed %d): %d elements, want %d\n%q", seed, seed, len(got), len(want), b.String())
		}
	}
}

// slowContentElements is contentElements as it was, with Walk.
func slowContentElements(d *Document) []*Node {
	var out []*Node
	for _, n := range d.Elements {
		if n.Tag == "main" && n.Closest("main") == n {
			n.Walk(func(c *Node) bool {
				if c.Tag != "" {
					out = append(out, c)
				}
				return true
			})
		}
	}
	if out == nil {
		return d.Elements
	}
	return out
}

// TestNonFinalFits checks that asciiNonFinal's buffer holds every word of
// nonFinal.
func TestNonFinalFits(t *testing.T) {
	for w := range nonFinal {
		if len(w) > nonFinalMax || strings.ToLower(w) != w {
			t.Errorf("nonFinal has %q: longer than nonFinalMax (%d), or not in lower case", w, nonFinalMax)
		}
	}
}

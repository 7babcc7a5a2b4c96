package check

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Plain-English hints on a page's Markdown, as warnings with the
// Markdown's line numbers.

const (
	maxSentenceWords   = 25
	maxParagraphLength = 5 // sentences
)

// allowedAbbreviations need not be spelled out.
var allowedAbbreviations = map[string]bool{"UK": true, "EU": true, "OK": true, "PDF": true, "HTML": true, "URL": true, "AA": true, "MORI": true} // AA: the WCAG conformance level, and MORI: a research company, are names rather than abbreviations

// wordsToAvoid maps words (by their start, so that every form matches) and
// phrases that plain-English guides ask writers to avoid to what to write
// instead.
var wordsToAvoid = []struct{ stem, instead string }{
	{"utilis", `"use"`}, {"utiliz", `"use"`}, {"facilitat", `"help" or "make possible"`},
	{"commenc", `"start"`}, {"endeavour", `"try"`}, {"leverag", `"use"`},
	{"notwithstanding", `"despite" or "even if"`}, {"aforementioned", "the name of the thing again"},
	{"in order to", `"to"`}, {"prior to", `"before"`}, {"in respect of", `"about"`},
}

// nonFinal are words ending in a full stop that do not end a sentence.
var nonFinal = map[string]bool{"e.g.": true, "i.e.": true, "etc.": true, "mr.": true, "mrs.": true,
	"ms.": true, "dr.": true, "no.": true, "st.": true, "vs.": true, "cf.": true, "p.": true, "pp.": true,
	"para.": true, "ltd.": true, "co.": true, "inc.": true, "approx.": true}

// A word is one whitespace-separated token of prose and its line.
type word struct {
	text string
	// bare is the word without the punctuation around it, in lower case;
	// or when fold is set (a word all ASCII, the most common), as written,
	// and the methods that compare it fold its capitals, so that it need
	// not be copied.
	bare string
	fold bool
	line int
}

// newWord is the word f, on line.
func newWord(f string, line int) word {
	bare := trimNotLetters(f)
	for i := 0; i < len(bare); i++ {
		if bare[i] >= utf8.RuneSelf {
			return word{text: f, bare: strings.ToLower(bare), line: line}
		}
	}
	return word{text: f, bare: bare, fold: true, line: line}
}

// lowerByte is byte i of the word's bare form in lower case.
func (w word) lowerByte(i int) byte {
	c := w.bare[i]
	if w.fold && c >= 'A' && c <= 'Z' {
		c += 'a' - 'A'
	}
	return c
}

// lowerHasPrefix reports whether the word's bare form in lower case
// starts with prefix, itself in lower case.
func (w word) lowerHasPrefix(prefix string) bool {
	if len(w.bare) < len(prefix) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		if w.lowerByte(i) != prefix[i] {
			return false
		}
	}
	return true
}

// lowerIs reports whether the word's bare form in lower case is s.
func (w word) lowerIs(s string) bool { return len(w.bare) == len(s) && w.lowerHasPrefix(s) }

func checkPlainEnglish(p *Page, _ *Document, report func(Finding)) {
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
		words = splitWords(words[:0], b)
		if b.Heading == 0 {
			checkSentences(b.Line, words, warn)
		}
		checkAbbreviations(words, seen, warn)
		checkWordsToAvoid(words, warn)
	}
}

// splitWords appends the words of a block to ws.
func splitWords(ws []word, b *Block) []word {
	for _, l := range b.Lines {
		t := l.Text
		for i := 0; i < len(t); {
			for i < len(t) && isSpace(t[i]) {
				i++
			}
			j, colon, bits := i, false, byte(0)
			for j < len(t) && !isSpace(t[j]) {
				colon = colon || t[j] == ':'
				bits |= t[j]
				j++
			}
			if j == i {
				break
			}
			f := t[i:j]
			i = j
			if colon && strings.Contains(f, "://") || strings.HasPrefix(f, "www.") {
				continue // a bare address
			}
			if bits < utf8.RuneSelf { // all ASCII, as newWord would find
				ws = append(ws, word{text: f, bare: trimNotLetters(f), fold: true, line: l.Line})
				continue
			}
			ws = append(ws, newWord(f, l.Line))
		}
	}
	return ws
}

// trimNotLetters is strings.TrimFunc(w, notLetter), with the ASCII at
// its ends trimmed without decoding runes.
func trimNotLetters(w string) string {
	i, j := 0, len(w)
	for i < j && w[i] < utf8.RuneSelf && !isASCIILetter(w[i]) {
		i++
	}
	for j > i && w[j-1] < utf8.RuneSelf && !isASCIILetter(w[j-1]) {
		j--
	}
	w = w[i:j]
	if len(w) > 0 && (w[0] >= utf8.RuneSelf || w[len(w)-1] >= utf8.RuneSelf) {
		return strings.TrimFunc(w, notLetter)
	}
	return w
}

func isASCIILetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

// checkSentences warns about long sentences, and about paragraphs of many.
func checkSentences(line int, words []word, warn func(int, string, string, string)) {
	sentences, start := 0, 0
	for i, w := range words {
		if !endsSentence(w.text) && i < len(words)-1 {
			continue
		}
		n := countWords(words[start : i+1])
		if n > maxSentenceWords {
			warn(words[start].line, "long-sentence",
				fmt.Sprintf("a sentence of %d words (more than %d): %q", n, maxSentenceWords, excerpt(words[start:i+1])),
				"split it into shorter sentences; most should have 15 to 20 words")
		}
		if n > 0 {
			sentences++
		}
		start = i + 1
	}
	if sentences > maxParagraphLength {
		warn(line, "long-paragraph",
			fmt.Sprintf("a paragraph of %d sentences (more than %d)", sentences, maxParagraphLength),
			"split it into shorter paragraphs of one idea each, or make a list")
	}
}

func endsSentence(w string) bool {
	if w != "" {
		if c := w[len(w)-1]; c < utf8.RuneSelf && strings.IndexByte(`"')]*_.!?`, c) < 0 {
			return false // most words: nothing to trim, and no full stop
		}
	}
	w = strings.TrimRight(w, `"'’”)]*_`)
	if w == "" {
		return false
	}
	switch w[len(w)-1] {
	case '!', '?':
		return true
	case '.':
		lw := strings.TrimLeft(w, `"'‘“([`)
		if isASCII(lw) {
			return !asciiNonFinal(lw) && !(len(lw) == 2 && isASCIILetter(lw[0]))
		}
		lw = strings.ToLower(lw)
		if nonFinal[lw] {
			return false
		}
		// initials such as "J." do not end a sentence
		r, size := utf8.DecodeRuneInString(lw)
		return !(size+1 == len(lw) && unicode.IsLetter(r))
	}
	return false
}

// asciiNonFinal is nonFinal[strings.ToLower(w)] for w all ASCII, lower-cased
// on the stack: every word in nonFinal is shorter than the buffer.
func asciiNonFinal(w string) bool {
	var buf [nonFinalMax]byte
	if len(w) > len(buf) {
		return false
	}
	for i := 0; i < len(w); i++ {
		c := w[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	return nonFinal[string(buf[:len(w)])]
}

// nonFinalMax is at least the length of the longest word in nonFinal
// ("approx."), as TestNonFinalFits checks.
const nonFinalMax = 8

func countWords(ws []word) int {
	n := 0
	for _, w := range ws {
		if hasLetterOrDigit(w.text) {
			n++
		}
	}
	return n
}

// hasLetterOrDigit reports whether s holds a letter or a digit, looking
// at its ASCII without decoding runes.
func hasLetterOrDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			return strings.IndexFunc(s[i:], func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0
		}
		if isASCIILetter(c) || c >= '0' && c <= '9' {
			return true
		}
	}
	return false
}

func excerpt(ws []word) string {
	parts := make([]string, 0, 8)
	for _, w := range ws[:min(8, len(ws))] {
		parts = append(parts, w.text)
	}
	s := strings.Join(parts, " ")
	if len(ws) > 8 {
		s += " …"
	}
	return s
}

// checkAbbreviations warns about the first use of an abbreviation on the
// page that is not inside brackets (as in "Freedom of Information (FOI)")
// nor followed by its spelling out in brackets ("FOI (Freedom of
// Information)").
func checkAbbreviations(words []word, seen map[string]bool, warn func(int, string, string, string)) {
	depth := 0
	for i, w := range words {
		upper, open, closed := countBytes(w.text)
		abbr := ""
		if upper >= 2 {
			abbr = abbreviation(w.text) // only words with two capitals can be
		}
		inside := depth > 0 || opensBracket(w.text)
		depth = max(0, depth+open-closed)
		if abbr == "" || seen[abbr] {
			continue
		}
		seen[abbr] = true
		if inside || spelledOutAfter(abbr, words[i+1:]) {
			continue
		}
		warn(w.line, "abbreviation",
			fmt.Sprintf("the abbreviation %s is used before it is spelled out", abbr),
			fmt.Sprintf("write it out in full the first time, with (%s) after it, as in \"Information Commissioner's Office (ICO)\"", abbr))
	}
}

// countBytes counts the capitals A to Z in w, and its brackets ( and ).
func countBytes(w string) (upper, open, closed int) {
	for i := 0; i < len(w); i++ {
		switch c := w[i]; {
		case c >= 'A' && c <= 'Z':
			upper++
		case c == '(':
			open++
		case c == ')':
			closed++
		}
	}
	return upper, open, closed
}

// opensBracket reports whether w starts with (, after any quotes.
func opensBracket(w string) bool {
	for {
		switch {
		case strings.HasPrefix(w, `"`), strings.HasPrefix(w, "'"):
			w = w[1:]
		case strings.HasPrefix(w, "‘"), strings.HasPrefix(w, "“"):
			w = w[len("‘"):] // both three bytes
		default:
			return strings.HasPrefix(w, "(")
		}
	}
}

// abbreviation returns the abbreviation a word is, such as "FOI" for
// "(FOI)" or "DPA's", or "" if it is none.
func abbreviation(w string) string {
	w = strings.TrimFunc(w, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	w = strings.TrimSuffix(strings.TrimSuffix(w, "'s"), "’s")
	if len(w) > 2 && w[len(w)-1] == 's' {
		w = w[:len(w)-1] // FAQs
	}
	if len(w) < 2 || len(w) > 6 {
		return ""
	}
	roman := true
	for i := 0; i < len(w); i++ {
		if w[i] < 'A' || w[i] > 'Z' {
			return ""
		}
		roman = roman && strings.IndexByte("IVXLCDM", w[i]) >= 0
	}
	if roman || allowedAbbreviations[w] {
		return ""
	}
	return w
}

// spelledOutAfter reports whether the words start with a bracketed
// phrase whose initials hold the abbreviation's letters in order.
func spelledOutAfter(abbr string, words []word) bool {
	if len(words) == 0 || !strings.HasPrefix(words[0].text, "(") {
		return false
	}
	var initials strings.Builder
	for _, w := range words {
		t := strings.TrimLeft(w.text, "(")
		if t != "" {
			r, _ := utf8.DecodeRuneInString(t)
			initials.WriteRune(unicode.ToUpper(r))
		}
		if strings.Contains(w.text, ")") {
			break
		}
	}
	got, k := initials.String(), 0
	for i := 0; i < len(got) && k < len(abbr); i++ {
		if got[i] == abbr[k] {
			k++
		}
	}
	return k == len(abbr)
}

func checkWordsToAvoid(words []word, warn func(int, string, string, string)) {
	for i, w := range words {
		if len(w.bare) < 2 || w.lowerByte(0) < 'a' || w.lowerByte(0) > 'z' {
			continue // no word to avoid starts so
		}
		for _, k := range avoidByLetter[w.lowerByte(0)-'a'] {
			a := wordsToAvoid[k]
			if matchesAt(words, i, avoidParts[k]) {
				warn(words[i].line, "avoid-words",
					fmt.Sprintf("%q is a word plain-English guides ask writers to avoid", phraseAt(words, i, a.stem)),
					fmt.Sprintf("write %s instead", a.instead))
			}
		}
	}
}

// avoidParts are the words of each entry of wordsToAvoid.
var avoidParts = func() [][]string {
	out := make([][]string, len(wordsToAvoid))
	for i, a := range wordsToAvoid {
		out[i] = strings.Fields(a.stem)
	}
	return out
}()

// avoidByLetter lists, for each letter a to z, the indices in
// wordsToAvoid of the entries that start with it, in order.
var avoidByLetter = func() (out [26][]int) {
	for k, a := range wordsToAvoid {
		out[a.stem[0]-'a'] = append(out[a.stem[0]-'a'], k)
	}
	return out
}()

// matchesAt reports whether the words at i start with the stem (a word's
// start) or are the phrase (several whole words).
func matchesAt(words []word, i int, parts []string) bool {
	if len(parts) == 1 {
		return words[i].lowerHasPrefix(parts[0])
	}
	if i+len(parts) > len(words) {
		return false
	}
	for k, p := range parts {
		if !words[i+k].lowerIs(p) {
			return false
		}
	}
	return true
}

func phraseAt(words []word, i int, stem string) string {
	n := len(strings.Fields(stem))
	parts := make([]string, n)
	for k := range n {
		parts[k] = strings.TrimFunc(words[i+k].text, notLetter)
	}
	return strings.Join(parts, " ")
}

func notLetter(r rune) bool { return !unicode.IsLetter(r) }

package search

import "strings"

// Welsh text is searched by its words as written, lower-cased and with
// accents folded (ŵ is w, â is a), with no stemming: the English (Porter)
// stemmer would cut Welsh words at English endings ("gwybodaeth" is not
// "gwybodaeth" less an English suffix). Mutated forms (cais, gais, nghais)
// are different words; the index does not join them.

// welshStopWords are common Welsh words that are neither indexed nor
// searched for, in the form Words gives them: apostrophes dropped, so
// "i’r" is "ir" and "mae’n" is "maen". Keep in step with STOP_CY in
// static/js/search.js.
var welshStopWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(welshStopList) {
		m[w] = true
	}
	return m
}()

const welshStopList = `a ac ag am ar at bod dan dros drwy ei eich ein eu fe fel fy gan gyda hefyd hi hon
hwn hwnnw hwy hyn hynny i ich iw ir maen mae mewn na nac nad neu ni nid o oedd oes or os pan pe sef sydd
sy syn trwy wedi wrth y yma yn yr ydy ydych ydym ydyn`

// Welsh is the language code of Welsh, whose documents Index does not stem.
const Welsh = "cy"

// WordsIn is Words for a language's text: for Welsh, with the Welsh stop
// words and without stemming; for any other language, as Words.
func WordsIn(lang, text string) []string {
	var out []string
	t := newTokenizer(lang)
	t.words(text, func(id int32) { out = append(out, t.names[id]) })
	return out
}

package search

import (
	"strings"
	"unicode"
)

// foldPairs lists, for each lower-case Latin letter with a canonical
// decomposition into an ASCII letter and combining marks, the letter and its
// base. The script gets the same effect with normalize("NFD").
const foldPairs = "àaáaâaãaäaåaçcèeéeêeëeìiíiîiïiñnòoóoôoõoöoùuúuûuüuýyÿyāaăaąaćcĉcċcčcďdēeĕeėeęeěeĝgğgġgģgĥhĩiīiĭiįiĵjķkĺlļlľlńnņnňnōoŏoőoŕrŗrřrśsŝsşsšsţtťtũuūuŭuůuűuųuŵwŷyźzżzžzơoưuǎaǐiǒoǔuǖuǘuǚuǜuǟaǡaǧgǩkǫoǭoǰjǵgǹnǻaȁaȃaȅeȇeȉiȋiȍoȏoȑrȓrȕuȗușsțtȟhȧaȩeȫoȭoȯoȱoȳyḁaḃbḅbḇbḉcḋdḍdḏdḑdḓdḕeḗeḙeḛeḝeḟfḡgḣhḥhḧhḩhḫhḭiḯiḱkḳkḵkḷlḹlḻlḽlḿmṁmṃmṅnṇnṉnṋnṍoṏoṑoṓoṕpṗpṙrṛrṝrṟrṡsṣsṥsṧsṩsṫtṭtṯtṱtṳuṵuṷuṹuṻuṽvṿvẁwẃwẅwẇwẉwẋxẍxẏyẑzẓzẕzẖhẗtẘwẙyạaảaấaầaẩaẫaậaắaằaẳaẵaặaẹeẻeẽeếeềeểeễeệeỉiịiọoỏoốoồoổoỗoộoớoờoởoỡoợoụuủuứuừuửuữuựuỳyỵyỷyỹy"

// fold maps the letters in foldPairs to their base letters. Read-only.
var fold = func() map[rune]byte {
	m := make(map[rune]byte, 256)
	rs := []rune(foldPairs)
	for i := 0; i+1 < len(rs); i += 2 {
		m[rs[i]] = byte(rs[i+1])
	}
	return m
}()

// stopWords are common English words that are neither indexed nor searched
// for. Keep in step with STOP in static/js/search.js.
var stopWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(stopList) {
		m[w] = true
	}
	return m
}()

const stopList = `a about an and are as at be been but by can could did do does for
from had has have he her his how i if in into is it its me more my no not
of on or our she should so than that the their them then there these they this to
us was we were what when where which who with would you your`

// maxWord is the longest word indexed; longer runs are skipped.
const maxWord = 40

// Words splits text into search terms and calls yield with each: lower case,
// accents removed, apostrophes dropped ("people's" is "peoples"), split at
// anything but a-z and 0-9. Single letters, stop words and words over maxWord
// letters are dropped; words of letters only are stemmed. The script's
// terms() does exactly the same.
func Words(text string, yield func(term string)) {
	t := newTokenizer("")
	t.words(text, func(id int32) { yield(t.names[id]) })
}

// tokenizer splits text into terms, numbering each distinct term and
// remembering each word's term. It is not safe for concurrent use.
type tokenizer struct {
	memo  map[string]int32 // word -> term number, -1 when the word is dropped
	ids   map[string]int32 // term -> term number
	names []string         // term number -> term
	cur   []byte
	welsh bool // Welsh stop words and no stemming
}

// newTokenizer returns a tokenizer for a language's text: Welsh, or else
// English.
func newTokenizer(lang string) *tokenizer {
	return &tokenizer{memo: map[string]int32{}, ids: map[string]int32{}, welsh: lang == Welsh}
}

func (t *tokenizer) words(text string, yield func(id int32)) {
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

func (t *tokenizer) flush(yield func(int32)) {
	if len(t.cur) == 0 {
		return
	}
	id, ok := t.memo[string(t.cur)]
	if !ok {
		id = t.lookup(string(t.cur))
	}
	t.cur = t.cur[:0]
	if id >= 0 {
		yield(id)
	}
}

// lookup finds the term number of a word not seen before.
func (t *tokenizer) lookup(w string) int32 {
	id := int32(-1)
	if t.keep(w) {
		tm := w
		if !t.welsh {
			tm = term(w)
		}
		var ok bool
		if id, ok = t.ids[tm]; !ok {
			id = int32(len(t.names))
			t.ids[tm] = id
			t.names = append(t.names, tm)
		}
	}
	t.memo[w] = id
	return id
}

func (t *tokenizer) keep(w string) bool {
	if len(w) > maxWord || (!t.welsh && stopWords[w]) || (t.welsh && welshStopWords[w]) {
		return false
	}
	return len(w) > 1 || (w[0] >= '0' && w[0] <= '9')
}

// term stems w when it is letters only.
func term(w string) string {
	for i := 0; i < len(w); i++ {
		if w[i] < 'a' {
			return w
		}
	}
	return Stem(w)
}

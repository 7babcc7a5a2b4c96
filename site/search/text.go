package search

import (
	"strings"
	"unicode"
	"unicode/utf8"
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
	memo  wordMemo         // word -> term number, -1 when the word is dropped
	ids   map[string]int32 // term -> term number
	names []string         // term number -> term
	cur   []byte           // the word being read
	welsh bool             // Welsh stop words and no stemming
}

// newTokenizer returns a tokenizer for a language's text: Welsh, or else
// English.
func newTokenizer(lang string) *tokenizer {
	return &tokenizer{ids: map[string]int32{}, welsh: lang == Welsh}
}

func (t *tokenizer) words(text string, yield func(id int32)) {
	cur, h := t.cur[:0], uint32(fnvOffset) // the word being read and its hash (FNV-1a)
	for i := 0; i < len(text); {
		c := text[i]
		if c < utf8.RuneSelf {
			c = asciiClass[c]
			i++
		} else {
			r, n := utf8.DecodeRuneInString(text[i:])
			c = classOf(r)
			i += n
		}
		switch c {
		case asciiSplit:
			if len(cur) > 0 {
				t.emit(cur, h, yield)
				cur, h = cur[:0], fnvOffset
			}
		case asciiSkip:
		default:
			cur = append(cur, c)
			h = (h ^ uint32(c)) * 16777619
		}
	}
	if len(cur) > 0 {
		t.emit(cur, h, yield)
	}
	t.cur = cur[:0]
}

// classOf says what words does with a rune of 0x80 and above, as
// asciiClass does for ASCII: lower-cased (which can make it ASCII, as K,
// the Kelvin sign, becomes k), combining marks and the right single
// quote skipped, and letters with accents folded to their base.
func classOf(r rune) byte {
	r = unicode.ToLower(r)
	switch {
	case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
		return byte(r)
	case r >= 0x300 && r <= 0x36f, r == '\'', r == '\u2019':
		return asciiSkip
	}
	if c, ok := fold[r]; ok {
		return c
	}
	return asciiSplit
}

// asciiClass says what words does with each ASCII byte: adds the byte
// it holds (a lower-case letter or a digit) to the word, skips it (an
// apostrophe), or ends the word.
var asciiClass = func() (cl [utf8.RuneSelf]byte) {
	for c := range byte(utf8.RuneSelf) {
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			cl[c] = c
		case c >= 'A' && c <= 'Z':
			cl[c] = c + 'a' - 'A'
		case c == '\'':
			cl[c] = asciiSkip
		default:
			cl[c] = asciiSplit
		}
	}
	return cl
}()

const (
	asciiSplit = 0
	asciiSkip  = 1
)

// emit yields the term number of word w, whose hash is h, unless the
// word is dropped.
func (t *tokenizer) emit(w []byte, h uint32, yield func(int32)) {
	id, ok := t.memo.get(w, h)
	if !ok {
		id = t.lookup(string(w))
		t.memo.put(w, h, id)
	}
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

// fnvOffset is the FNV-1a hash of no bytes.
const fnvOffset = 2166136261

// wordMemo maps words to term numbers: an open-addressing hash table
// keyed by the hash the tokenizer computes as it reads each word, which
// costs less than a map hashing the word again. The hash has no secret
// seed, so a page could be written with many words of one hash: a word
// is looked for in at most maxProbe slots, and one that finds no free
// slot there goes to a map, which Go seeds. The zero value is empty.
type wordMemo struct {
	slots []memoSlot       // a power of two long, at most 3/4 full
	over  map[string]int32 // words with no free slot near their hash's
	n     int
}

// maxProbe is how many slots a word is looked for in, from its hash's.
const maxProbe = 32

type memoSlot struct {
	word string
	hash uint32
	id   int32
	used bool
}

// get returns the term number of w, whose hash is h.
func (m *wordMemo) get(w []byte, h uint32) (int32, bool) {
	if len(m.slots) > 0 {
		mask := uint32(len(m.slots) - 1)
		i := h & mask
		for range maxProbe {
			s := &m.slots[i]
			if !s.used {
				break
			}
			if s.hash == h && s.word == string(w) {
				return s.id, true
			}
			i = (i + 1) & mask
		}
	}
	if m.over != nil {
		id, ok := m.over[string(w)]
		return id, ok
	}
	return 0, false
}

// put adds w, whose hash is h and which is not in m, with term number id.
func (m *wordMemo) put(w []byte, h uint32, id int32) {
	if (m.n+1)*4 > len(m.slots)*3 {
		m.grow()
	}
	m.insert(memoSlot{word: string(w), hash: h, id: id, used: true})
	m.n++
}

// insert puts s in a free slot near its hash's, or in the map.
func (m *wordMemo) insert(s memoSlot) {
	mask := uint32(len(m.slots) - 1)
	i := s.hash & mask
	for range maxProbe {
		if !m.slots[i].used {
			m.slots[i] = s
			return
		}
		i = (i + 1) & mask
	}
	if m.over == nil {
		m.over = map[string]int32{}
	}
	m.over[s.word] = s.id
}

// grow doubles the table.
func (m *wordMemo) grow() {
	old := m.slots
	m.slots = make([]memoSlot, max(256, 2*len(old)))
	for _, s := range old {
		if s.used {
			m.insert(s)
		}
	}
}

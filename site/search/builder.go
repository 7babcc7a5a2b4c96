package search

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"sync"
)

// A Builder makes the index that Index makes, from documents added one at
// a time as they are ready, from any number of goroutines. It keeps only
// each document's term counts and metadata, not its text, so a site's
// memory grows with its number of pages rather than with their length.
// The files do not depend on the order of Add calls.
//
// What it keeps of a document holds no pointer, for the collector to
// follow at each cycle until the last page has rendered: its record
// (see appendRecord) goes to large shared chunks of bytes, and its place
// in them to a list of fixed-size entries.
type Builder struct {
	lang     string    // of every document: Welsh, or "" for English
	counters sync.Pool // *localCounter

	mu     sync.Mutex
	ids    map[string]int32 // term -> term number of this builder
	names  []string         // term number -> term
	docs   []recordAt
	chunks [][]byte // the documents' records
	done   bool     // Files was called
}

// recordAt is where a document's record is, n bytes from off in
// chunks[chunk], with what the index needs of it besides.
type recordAt struct {
	chunk, off, n uint32
	length        int32  // the terms of its text and description
	titleLen      uint16 // the titleLen of its title terms
}

// recordChunk is the size of a chunk of records, unless one record is
// larger: 256 KiB, so that the collector sees few, large objects.
const recordChunk = 256 << 10

// counted is a document reduced to what the index needs of it: its
// metadata, its length and its term counts, packed (see packTerms).
type counted struct {
	row      [4]string // URL, title, section, excerpt
	length   int
	titleLen uint16 // the titleLen of its title terms
	terms    []byte
}

// appendRecord appends c's record to b: each string of its row as a
// varint of its length and its bytes, then its packed terms.
func appendRecord(b []byte, row [4]string, terms []byte) []byte {
	for _, s := range row {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	return append(b, terms...)
}

// readRecord reads a record appended by appendRecord: the strings are
// copies, and the terms are rec's own bytes.
func readRecord(rec []byte) (row [4]string, terms []byte) {
	for i := range row {
		n, k := binary.Uvarint(rec)
		row[i] = string(rec[k : k+int(n)])
		rec = rec[k+int(n):]
	}
	return row, rec
}

// termCount is a document's counts of one term.
type termCount struct {
	term int32
	p    posting // doc unset
}

// localCounter is a docCounter with a map from its own term numbers to
// the builder's; it serves one goroutine at a time.
type localCounter struct {
	*docCounter
	global []int32     // local term number -> builder's term number
	terms  []termCount // the current document's counts
	terms2 []byte      // and packed
	packed []byte      // the document's record
}

// keep copies a document's record to the chunks, and at says where.
func (b *Builder) keep(rec []byte, at recordAt) {
	last := len(b.chunks) - 1
	if last < 0 || cap(b.chunks[last])-len(b.chunks[last]) < len(rec) {
		b.chunks = append(b.chunks, make([]byte, 0, max(recordChunk, len(rec))))
		last++
	}
	at.chunk, at.off, at.n = uint32(last), uint32(len(b.chunks[last])), uint32(len(rec))
	b.chunks[last] = append(b.chunks[last], rec...)
	b.docs = append(b.docs, at)
}

// NewBuilder returns an empty Builder for documents in language lang
// (Welsh, or "" for English), as Doc.Lang names it.
func NewBuilder(lang string) *Builder {
	return &Builder{lang: lang, ids: map[string]int32{}}
}

// Add counts the terms of one document. It is safe for concurrent use.
func (b *Builder) Add(d Doc) {
	lc, _ := b.counters.Get().(*localCounter)
	if lc == nil {
		lc = &localCounter{docCounter: newDocCounter(b.lang)}
	}
	terms := lc.terms[:0] // reused: the document keeps an exact copy
	n := lc.count(d, func(id int32, p posting) {
		terms = append(terms, termCount{id, p})
	})
	lc.terms = terms
	if len(lc.global) < len(lc.tok.names) {
		b.intern(lc)
	}
	for i := range terms {
		terms[i].term = lc.global[terms[i].term]
	}
	row := [4]string{d.URL, d.Title, d.Section, excerpt(d)}
	var titleLen uint16
	titleLen, lc.terms2 = packTerms(lc.terms2[:0], terms)
	lc.packed = appendRecord(lc.packed[:0], row, lc.terms2)
	b.mu.Lock()
	b.keep(lc.packed, recordAt{length: int32(min(n, math.MaxInt32)), titleLen: titleLen})
	b.mu.Unlock()
	b.counters.Put(lc)
}

// intern gives the counter's new terms the builder's numbers.
func (b *Builder) intern(lc *localCounter) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, name := range lc.tok.names[len(lc.global):] {
		id, ok := b.ids[name]
		if !ok {
			id = int32(len(b.names))
			b.ids[name] = id
			b.names = append(b.names, name)
		}
		lc.global = append(lc.global, id)
	}
}

// Files returns the index of the documents added, as Index does: the
// same documents give the same files. It lets go of the documents' counts
// as it turns them into postings, so it is called once, after the last
// Add; a second call is an error.
func (b *Builder) Files() (map[string][]byte, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.done {
		return nil, fmt.Errorf("search: the index was already made")
	}
	b.done = true
	docs := b.counted()
	slices.SortStableFunc(docs, func(x, y counted) int { return cmp.Compare(x.row[0], y.row[0]) })
	rows := make([][4]string, len(docs))
	for i, d := range docs {
		if d.row[0] == "" {
			return nil, fmt.Errorf("search: page %q has no URL", d.row[1])
		}
		if i > 0 && docs[i-1].row[0] == d.row[0] {
			return nil, fmt.Errorf("search: two pages have the URL %s", d.row[0])
		}
		rows[i] = d.row
	}
	return indexFiles(b.postings(docs), rows, b.lang)
}

// counted reads back the documents' records, and lets go of them.
func (b *Builder) counted() []counted {
	docs := make([]counted, len(b.docs))
	for i, at := range b.docs {
		row, terms := readRecord(b.chunks[at.chunk][at.off : at.off+at.n])
		docs[i] = counted{row: row, length: int(at.length), titleLen: at.titleLen, terms: terms}
	}
	b.docs, b.chunks = nil, nil
	return docs
}

// postings encodes each term's postings from the documents' counts, in
// document order, letting go of the counts as it goes: a document's
// postings are never held unpacked.
func (b *Builder) postings(docs []counted) encodedTerms {
	length := make([]int, len(docs))
	for i, d := range docs {
		length[i] = d.length
	}
	w := newWeigher(length)
	enc := make([][]byte, len(b.names))
	prev := make([]int32, len(b.names))
	for i := range prev {
		prev[i] = -1
	}
	for i := range docs {
		unpackTerms(docs[i].terms, docs[i].titleLen, func(id int32, p posting) {
			p.doc = int32(i)
			enc[id] = appendPosting(enc[id], uint32(p.doc-prev[id]), w.weight(p))
			prev[id] = p.doc
		})
		docs[i].terms = nil
	}
	return encodedTerms{names: b.names, postings: func(id int32) string {
		s := string(enc[id])
		enc[id] = nil
		return s
	}}
}

// packTerms appends a document's term counts to b, sorted by term number,
// in about three bytes a term: for each, a varint of the gap from the
// previous term number shifted left by one, its lowest bit set when the
// term is in the title or a heading; a varint of the body count; and when
// the bit is set, varints of the title and heading counts. It sorts terms,
// and returns the titleLen of the title terms, which they share.
func packTerms(b []byte, terms []termCount) (titleLen uint16, packed []byte) {
	slices.SortFunc(terms, func(x, y termCount) int { return cmp.Compare(x.term, y.term) })
	prev := int32(0)
	for _, tc := range terms {
		p := tc.p
		extra := uint64(0)
		if p.title > 0 || p.head > 0 {
			extra = 1
		}
		if p.title > 0 {
			titleLen = p.titleLen
		}
		b = binary.AppendUvarint(b, uint64(tc.term-prev)<<1|extra)
		b = binary.AppendUvarint(b, uint64(p.body))
		if extra == 1 {
			b = binary.AppendUvarint(b, uint64(p.title))
			b = binary.AppendUvarint(b, uint64(p.head))
		}
		prev = tc.term
	}
	return titleLen, b
}

// unpackTerms calls each with every term of a document packed by
// packTerms and its counts (doc unset), in term number order.
func unpackTerms(b []byte, titleLen uint16, each func(id int32, p posting)) {
	next := func() uint64 {
		v, n := binary.Uvarint(b)
		b = b[n:]
		return v
	}
	term := int32(0)
	for len(b) > 0 {
		v := next()
		term += int32(v >> 1)
		p := posting{body: uint16(next())}
		if v&1 == 1 {
			p.title, p.head = uint16(next()), uint16(next())
		}
		if p.title > 0 {
			p.titleLen = titleLen
		}
		each(term, p)
	}
}

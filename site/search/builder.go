package search

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"slices"
	"sync"
)

// A Builder makes the index that Index makes, from documents added one at
// a time as they are ready, from any number of goroutines. It keeps only
// each document's term counts and metadata, not its text, so a site's
// memory grows with its number of pages rather than with their length.
// The files do not depend on the order of Add calls.
type Builder struct {
	lang     string    // of every document: Welsh, or "" for English
	counters sync.Pool // *localCounter

	mu    sync.Mutex
	ids   map[string]int32 // term -> term number of this builder
	names []string         // term number -> term
	docs  []counted
	done  bool // Files was called
}

// counted is a document reduced to what the index needs of it: its
// metadata, its length and its term counts, packed (see packTerms).
type counted struct {
	row      [4]string // URL, title, section, excerpt
	length   int
	titleLen uint16 // the titleLen of its title terms
	terms    []byte
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
	packed []byte      // and packed
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
	c := counted{row: [4]string{d.URL, d.Title, d.Section, excerpt(d)}, length: n}
	c.titleLen, lc.packed = packTerms(lc.packed[:0], terms)
	c.terms = slices.Clone(lc.packed)
	b.mu.Lock()
	b.docs = append(b.docs, c)
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
	docs := b.docs
	b.docs = nil
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

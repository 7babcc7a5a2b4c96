package search

import (
	"cmp"
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

// counted is a document reduced to what the index needs of it.
type counted struct {
	row    [4]string // URL, title, section, excerpt
	length int
	terms  []termCount
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
	c := counted{row: [4]string{d.URL, d.Title, d.Section, excerpt(d)}, length: n, terms: slices.Clone(terms)}
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

// postings turns the documents' counts, in document order, into each
// term's postings, letting go of the counts as it goes.
func (b *Builder) postings(docs []counted) postingSet {
	n := make([]int32, len(b.names))
	for _, d := range docs {
		for _, tc := range d.terms {
			n[tc.term]++
		}
	}
	ps := postingSet{names: b.names, terms: make([][]posting, len(b.names)), length: make([]int, len(docs))}
	for id := range ps.terms {
		ps.terms[id] = make([]posting, 0, n[id])
	}
	for i := range docs {
		ps.length[i] = docs[i].length
		for _, tc := range docs[i].terms {
			p := tc.p
			p.doc = int32(i)
			ps.terms[tc.term] = append(ps.terms[tc.term], p)
		}
		docs[i].terms = nil
	}
	return ps
}

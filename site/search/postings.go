package search

import (
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"
)

// posting is one document's use of one term, before weighting.
type posting struct {
	doc         int32
	title, head uint16 // occurrences in the title and headings
	titleLen    uint16 // terms in the document's title
	body        uint16 // occurrences in the text, description counted twice
}

// postingSet holds every term's postings and each document's text length.
type postingSet struct {
	names  []string    // term number -> term
	terms  [][]posting // term number -> postings in document order
	length []int       // terms in each document's text and description
}

// Weighting. A term's weight in a document is a BM25 score of its body count
// plus bonuses for the title (less for titles of over two terms) and
// headings, scaled to 1-63.
const (
	k1, bm25B   = 1.2, 0.75
	titleBonus  = 2.5
	headBonus   = 0.5 // per heading, for at most two
	weightScale = 11
)

// buildPostings counts every term of every document, on every core. The
// result does not depend on the number of cores: terms are numbered in
// the order they first appear, as a single pass would number them.
func buildPostings(ds []Doc) postingSet {
	return buildPostingsOn(ds, runtime.GOMAXPROCS(0))
}

func buildPostingsOn(ds []Doc, workers int) postingSet {
	workers = max(1, min(workers, len(ds)/256))
	if workers == 1 {
		return countPostings(ds, 0)
	}
	parts := make([]postingSet, workers)
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := len(ds)*w/workers, len(ds)*(w+1)/workers
		wg.Go(func() { parts[w] = countPostings(ds[lo:hi], lo) })
	}
	wg.Wait()
	out := postingSet{length: make([]int, 0, len(ds))}
	ids := map[string]int32{}
	for _, part := range parts {
		out.length = append(out.length, part.length...)
		for local, name := range part.names {
			id, ok := ids[name]
			if !ok {
				id = int32(len(out.names))
				ids[name] = id
				out.names = append(out.names, name)
				out.terms = append(out.terms, nil)
			}
			out.terms[id] = append(out.terms[id], part.terms[local]...)
		}
	}
	return out
}

// countPostings counts every term of a run of documents; the first is
// document number first.
func countPostings(ds []Doc, first int) postingSet {
	ps := postingSet{length: make([]int, len(ds))}
	c := newDocCounter(docsLang(ds))
	for i, d := range ds {
		ps.length[i] = c.count(d, func(id int32, p posting) {
			if len(ps.terms) <= int(id) {
				ps.terms = append(ps.terms, make([][]posting, len(c.tok.names)-len(ps.terms))...)
			}
			p.doc = int32(first + i)
			ps.terms[id] = append(ps.terms[id], p)
		})
	}
	ps.names = c.tok.names
	return ps
}

// docCounter counts the terms of one document at a time, numbering terms
// with its tokenizer. It is not safe for concurrent use.
type docCounter struct {
	tok     *tokenizer
	counts  []posting // by term number, for the current document
	touched []int32   // term numbers of the current document, in first-seen order
}

func newDocCounter(lang string) *docCounter { return &docCounter{tok: newTokenizer(lang)} }

// count counts d's terms and calls each with every distinct term and its
// counts (doc unset), in the order the terms first appear. It returns the
// document's length: the terms of its text and description.
func (c *docCounter) count(d Doc, each func(id int32, p posting)) int {
	get := func(id int32) *posting {
		if int(id) >= len(c.counts) {
			c.counts = append(c.counts, make([]posting, int(id)+1-len(c.counts))...)
		}
		p := &c.counts[id]
		if p.doc == 0 {
			p.doc = 1 // marks the term as seen
			c.touched = append(c.touched, id)
		}
		return p
	}
	c.tok.words(d.Title, func(id int32) { p := get(id); p.title = inc(p.title) })
	for _, id := range c.touched {
		c.counts[id].titleLen = uint16(min(len(c.touched), math.MaxUint16))
	}
	for _, h := range d.Headings {
		c.tok.words(h, func(id int32) { p := get(id); p.head = inc(p.head) })
	}
	n := 0
	c.tok.words(d.Description, func(id int32) { p := get(id); p.body = inc(inc(p.body)); n++ })
	c.tok.words(d.Text, func(id int32) { p := get(id); p.body = inc(p.body); n++ })
	for _, id := range c.touched {
		p := c.counts[id]
		p.doc = 0
		each(id, p)
		c.counts[id] = posting{}
	}
	c.touched = c.touched[:0]
	return n
}

func inc(n uint16) uint16 {
	if n == math.MaxUint16 {
		return n
	}
	return n + 1
}

// weigher turns counts into weights for one set of documents.
type weigher struct {
	length []int
	avg    float64
}

func newWeigher(length []int) weigher {
	sum := 0
	for _, n := range length {
		sum += n
	}
	return weigher{length, float64(sum) / float64(max(1, len(length)))}
}

func (w weigher) weight(p posting) int {
	s := 0.0
	if p.body > 0 {
		tf := float64(p.body)
		norm := 1 - bm25B
		if w.avg > 0 {
			norm += bm25B * float64(w.length[p.doc]) / w.avg
		}
		s = tf * (k1 + 1) / (tf + k1*norm)
	}
	if p.title > 0 {
		// Short titles are about the term more than long ones are.
		s += titleBonus * min(1, math.Sqrt(2/float64(max(1, p.titleLen))))
	}
	s += headBonus * float64(min(p.head, 2))
	return max(1, min(63, int(math.Round(s*weightScale))))
}

// digits is the alphabet of encoded postings: value i is digits[i].
const digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_"

// encode writes postings as gap varints and weight digits (see Index).
func encode(sb *strings.Builder, ps []posting, w weigher) {
	var b []byte
	prev := int32(-1)
	for _, p := range ps {
		b = appendPosting(b[:0], uint32(p.doc-prev), w.weight(p))
		prev = p.doc
		sb.Write(b)
	}
}

// appendPosting appends one posting, its document number gap as a varint
// and its weight as a digit (see Index), to b.
func appendPosting(b []byte, gap uint32, weight int) []byte {
	for gap >= 32 {
		b = append(b, digits[32|gap&31])
		gap >>= 5
	}
	return append(b, digits[gap], digits[weight])
}

// encodedTerms is every term with its encoded postings.
type encodedTerms struct {
	names    []string              // term number -> term
	postings func(id int32) string // term number -> its postings, encoded (see Index); called once a term
}

// encodeAll encodes the postings of a postingSet as shards want them.
func (ps postingSet) encodeAll() encodedTerms {
	w := newWeigher(ps.length)
	var sb strings.Builder
	return encodedTerms{names: ps.names, postings: func(id int32) string {
		sb.Reset()
		encode(&sb, ps.terms[id], w)
		return sb.String()
	}}
}

// shard is a run of consecutive terms written to one file.
type shard struct {
	key     string
	entries []entry
}

type entry struct{ term, postings string }

// shardTerms encodes every term's postings and cuts the sorted terms into
// shards of about ShardBytes.
func shardTerms(ps encodedTerms) []shard {
	order := make([]int32, len(ps.names))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int { return strings.Compare(ps.names[a], ps.names[b]) })
	var shards []shard
	size := 0
	for i, id := range order {
		t := ps.names[id]
		e := entry{t, ps.postings(id)}
		n := len(e.term) + len(e.postings) + 6
		if len(shards) == 0 || size+n > ShardBytes && size > 0 {
			prev := ""
			if i > 0 {
				prev = ps.names[order[i-1]]
			}
			shards = append(shards, shard{key: separator(prev, t)})
			size = 0
		}
		s := &shards[len(shards)-1]
		s.entries = append(s.entries, e)
		size += n
	}
	return shards
}

// separator returns the shortest prefix of t that sorts after prev (prev < t).
func separator(prev, t string) string {
	for n := 1; n < len(t); n++ {
		if t[:n] > prev {
			return t[:n]
		}
	}
	return t
}

// json writes the shard as a JSON object. Terms and postings need no escaping.
func (s shard) json() []byte {
	n := 2
	for _, e := range s.entries {
		n += len(e.term) + len(e.postings) + 6
	}
	b := make([]byte, 0, n)
	b = append(b, '{')
	for i, e := range s.entries {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '"')
		b = append(b, e.term...)
		b = append(b, `":"`...)
		b = append(b, e.postings...)
		b = append(b, '"')
	}
	return append(b, '}')
}

package site

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"hash/maphash"
	"net/url"
	"slices"
	"strings"
	"sync"
)

// idSet is the ids of a page's HTML packed into one string: each id as a
// varint of its length followed by its bytes, in the order of the page.
// Every page's ids are kept until the last page has rendered, to check
// the #fragment links to it: one string a page, rather than one an id,
// keeps that small.
type idSet string

// packIDs packs ids, in order.
func packIDs(ids []string) idSet {
	if len(ids) == 0 {
		return ""
	}
	var b []byte
	for _, id := range ids {
		b = appendID(b, id)
	}
	return idSet(b)
}

func appendID[S string | []byte](b []byte, id S) []byte {
	b = binary.AppendUvarint(b, uint64(len(id)))
	return append(b, id...)
}

// each calls f with the ids in order until f returns false.
func (s idSet) each(f func(id string) bool) {
	for len(s) > 0 {
		n, k := binary.Uvarint([]byte(s[:min(len(s), binary.MaxVarintLen64)]))
		if k <= 0 || uint64(len(s)-k) < n {
			return // not packed by packIDs: cannot happen
		}
		if !f(string(s[k : k+int(n)])) {
			return
		}
		s = s[k+int(n):]
	}
}

// has reports whether id is one of the ids.
func (s idSet) has(id string) bool {
	found := false
	s.each(func(x string) bool {
		found = x == id
		return !found
	})
	return found
}

// first lists at most n of the ids, from the first.
func (s idSet) first(n int) []string {
	var out []string
	s.each(func(x string) bool {
		out = append(out, x)
		return len(out) < n
	})
	return out
}

// collectIDs finds the values of id attributes in unminified HTML.
func collectIDs(html []byte) idSet {
	var ids []byte
	for rest := html; ; {
		i := bytes.Index(rest, []byte(` id="`))
		if i < 0 {
			break
		}
		rest = rest[i+5:]
		j := bytes.IndexByte(rest, '"')
		if j < 0 {
			break
		}
		ids = appendID(ids, rest[:j])
		rest = rest[j:]
	}
	return idSet(ids)
}

// checkRef checks one #fragment link against the ids of the page it
// points to; nil when the link is good, or when the page it points to
// failed (its ids are unknown).
func checkRef(f fragRef, ids idSet, failed bool) *Error {
	frag := fragID(f.frag)
	if frag == "" || frag == "top" || failed || ids.has(frag) {
		return nil
	}
	where := "this page"
	if f.targetFile != "" && f.targetFile != f.file {
		where = f.targetFile
	}
	e := errorf(f.file, f.line, "link to %s: %s has no heading with the id %q%s", f.dest, where, frag, headingHint(ids))
	e.Rule = "broken-fragment"
	return e
}

// fragID is the id a #fragment link points to: the fragment unescaped,
// or as written when it does not unescape.
func fragID(frag string) string {
	if id, err := url.PathUnescape(frag); err == nil {
		return id
	}
	return frag
}

func headingHint(ids idSet) string {
	list := ids.first(8)
	if len(list) == 0 {
		return ""
	}
	return fmt.Sprintf(" (ids there: %s)", strings.Join(list, ", "))
}

// idHashes is the ids of a page as 64-bit hashes: what the check of
// #fragment links as pages render keeps of every page until the last has
// rendered. A hash is about a third of a heading's id and the same size
// whatever the id's length; the ids themselves are only needed for the
// message of a broken link, and are then found again (see
// fragChecker.finish). Equal ids hash the same, so a missing id is never
// taken for a present one by its hash; a different id is, only when its
// 64-bit hash, with the build's own random seed, equals one of the
// page's: about one chance in 2^64 over the page's number of ids.
type idHashes []uint64

// appendHashes appends the hashes of the ids of s with seed to h.
func (h idHashes) appendHashes(seed maphash.Seed, s idSet) idHashes {
	s.each(func(id string) bool {
		h = append(h, maphash.String(seed, id))
		return true
	})
	return h
}

// has reports whether the ids hashed with seed have one that hashes as
// id does.
func (h idHashes) has(seed maphash.Seed, id string) bool {
	x := maphash.String(seed, id)
	for _, y := range h {
		if y == x {
			return true
		}
	}
	return false
}

// fragChecker checks #fragment links as pages render, in a build that
// keeps no state for a next one: a link is checked as soon as both its
// page and the page it points to have rendered, and then let go, so that
// a build holds only the links to pages yet to render rather than every
// link of the site, and of each page rendered only its ids' hashes. It
// finds what checkFragments finds over the whole site once every page
// has rendered. It is safe for concurrent use.
//
// What it keeps of every page holds no pointer, for the collector to
// follow at each cycle until the last page has rendered: the hashes go
// to large shared chunks, and each page's place in them to a slice by
// the page's place in the sorted list of pages.
type fragChecker struct {
	mu      sync.Mutex
	seed    maphash.Seed
	pages   []*Page              // the pages the build renders, sorted by path
	at      []hashesAt           // by place in pages: where its ids' hashes are
	chunks  []idHashes           // every rendered page's ids, hashed
	pending map[string][]fragRef // page path -> links to it from pages rendered before it
	broken  []fragRef            // links to ids that their page does not have
}

// hashesAt is where the hashes of a rendered page's ids are: n of them
// from off in chunks[chunk].
type hashesAt struct {
	chunk, off, n uint32
	state         uint8 // notRendered, renderedOK or renderedFailed
}

const (
	notRendered = iota
	renderedOK
	renderedFailed // its layout failed: its ids are unknown
)

// hashChunk is the number of hashes a chunk holds, unless one page has
// more: 512 KiB, so that the collector sees few, large objects.
const hashChunk = 64 << 10

// newFragChecker returns a checker for a build that renders pages, which
// are sorted by path (as Site.AllPages are).
func newFragChecker(pages []*Page) *fragChecker {
	return &fragChecker{seed: maphash.MakeSeed(), pages: pages, at: make([]hashesAt, len(pages)), pending: map[string][]fragRef{}}
}

// place is the place of the page with the path in c.pages, or -1.
func (c *fragChecker) place(path string) int {
	i, ok := slices.BinarySearchFunc(c.pages, path, func(p *Page, path string) int { return strings.Compare(p.Path, path) })
	if !ok {
		return -1
	}
	return i
}

// rendered records that page p rendered with res, and checks the links
// that both ends of are now known.
func (c *fragChecker) rendered(p *Page, res *pageResult) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if i := c.place(p.Path); i >= 0 {
		c.keep(i, res)
	}
	for _, f := range res.refs {
		if c.state(f.target) != notRendered {
			c.check(f)
		} else {
			c.pending[f.target] = append(c.pending[f.target], f)
		}
	}
	for _, f := range c.pending[p.Path] {
		c.check(f)
	}
	delete(c.pending, p.Path)
	res.ids, res.refs = "", nil // the build holds res until the last page has rendered
}

// keep records the hashes of the ids of the page at place i.
func (c *fragChecker) keep(i int, res *pageResult) {
	at := hashesAt{state: renderedOK}
	if res.failed {
		at.state = renderedFailed
	}
	n := 0
	res.ids.each(func(string) bool { n++; return true })
	if n > 0 {
		last := len(c.chunks) - 1
		if last < 0 || cap(c.chunks[last])-len(c.chunks[last]) < n {
			c.chunks = append(c.chunks, make(idHashes, 0, max(hashChunk, n)))
			last++
		}
		at.chunk, at.off, at.n = uint32(last), uint32(len(c.chunks[last])), uint32(n)
		c.chunks[last] = c.chunks[last].appendHashes(c.seed, res.ids)
	}
	c.at[i] = at
}

// state tells whether the page with the path has rendered, and how.
func (c *fragChecker) state(path string) uint8 {
	if i := c.place(path); i >= 0 {
		return c.at[i].state
	}
	return notRendered
}

// hashes is the hashed ids of the rendered page with the path.
func (c *fragChecker) hashes(path string) idHashes {
	i := c.place(path)
	if i < 0 || c.at[i].n == 0 {
		return nil
	}
	at := c.at[i]
	return c.chunks[at.chunk][at.off : at.off+at.n]
}

// check keeps f when the page it points to has rendered without the id.
func (c *fragChecker) check(f fragRef) {
	frag := fragID(f.frag)
	if frag == "" || frag == "top" || c.state(f.target) == renderedFailed || c.hashes(f.target).has(c.seed, frag) {
		return
	}
	c.broken = append(c.broken, f)
}

// finish checks the links to pages that never rendered, lets go of every
// page's ids, and returns every broken link found. idsOf gives the ids
// of a page again, by its path, for the message of a broken link to it:
// it is called once for each page that broken links point to.
func (c *fragChecker) finish(idsOf func(path string) idSet) Errors {
	c.mu.Lock()
	defer c.mu.Unlock()
	var errs Errors
	for _, refs := range c.pending { // to pages that never rendered: no ids
		for _, f := range refs {
			if e := checkRef(f, "", c.state(f.target) == renderedFailed); e != nil {
				errs = append(errs, e)
			}
		}
	}
	found := map[string]idSet{}
	for _, f := range c.broken {
		ids, ok := found[f.target]
		// A page without ids, or stopped over its budget, has none to
		// find again.
		if !ok && len(c.hashes(f.target)) > 0 {
			ids = idsOf(f.target)
			found[f.target] = ids
		}
		if e := checkRef(f, ids, false); e != nil {
			errs = append(errs, e)
		}
	}
	c.pending, c.at, c.chunks, c.broken = map[string][]fragRef{}, nil, nil, nil
	return errs.sorted()
}

// idsOf returns a function that gives the ids of a rendered page by its
// path, by rendering the page again with nothing written and nothing
// reported: the ids a broken link's message lists, which a build that
// checks links as pages render keeps only hashed (see idHashes).
func (r *pageRenderer) idsOf(ctx context.Context) func(path string) idSet {
	var byPath map[string]*Page
	return func(path string) idSet {
		if byPath == nil {
			byPath = map[string]*Page{}
			for _, p := range r.st.site.AllPages {
				byPath[p.Path] = p
			}
		}
		p := byPath[path]
		if p == nil {
			return ""
		}
		quiet := &pageRenderer{b: r.b, st: r.st, out: discardOutput{}, warn: &warnings{}}
		buf := &pageBuffers{}
		defer buf.run.stop()
		return quiet.renderSafely(ctx, p, buf).ids
	}
}

// discardOutput is an Output that keeps nothing.
type discardOutput struct{}

var _ Output = discardOutput{}

func (discardOutput) WriteFile(string, []byte) error { return nil }

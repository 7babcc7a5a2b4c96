package site

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"net/url"
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
	frag, err := url.PathUnescape(f.frag)
	if err != nil {
		frag = f.frag
	}
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

func headingHint(ids idSet) string {
	list := ids.first(8)
	if len(list) == 0 {
		return ""
	}
	return fmt.Sprintf(" (ids there: %s)", strings.Join(list, ", "))
}

// fragChecker checks #fragment links as pages render, in a build that
// keeps no state for a next one: a link is checked as soon as both its
// page and the page it points to have rendered, and then let go, so that
// a build holds only the links to pages yet to render rather than every
// link of the site. It finds what checkFragments finds over the whole
// site once every page has rendered. It is safe for concurrent use.
type fragChecker struct {
	mu      sync.Mutex
	ids     map[string]idSet     // rendered page path -> its ids
	failed  map[string]bool      // rendered pages whose layout failed
	pending map[string][]fragRef // page path -> links to it from pages rendered before it
	errs    Errors
}

func newFragChecker(st *buildState) *fragChecker {
	return &fragChecker{ids: st.ids, failed: st.failed, pending: map[string][]fragRef{}}
}

// rendered records that page p rendered with res, and checks the links
// that both ends of are now known.
func (c *fragChecker) rendered(p *Page, res *pageResult) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.ids[p.Path] = res.ids
	if res.failed {
		c.failed[p.Path] = true
	}
	for _, f := range res.refs {
		if _, done := c.ids[f.target]; done {
			c.check(f)
		} else {
			c.pending[f.target] = append(c.pending[f.target], f)
		}
	}
	for _, f := range c.pending[p.Path] {
		c.check(f)
	}
	delete(c.pending, p.Path)
	res.refs = nil
}

func (c *fragChecker) check(f fragRef) {
	if e := checkRef(f, c.ids[f.target], c.failed[f.target]); e != nil {
		c.errs = append(c.errs, e)
	}
}

// finish checks the links to pages that never rendered, and returns
// every broken link found.
func (c *fragChecker) finish() Errors {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, refs := range c.pending {
		for _, f := range refs {
			c.check(f)
		}
	}
	c.pending = map[string][]fragRef{}
	return c.errs.sorted()
}

package site

import "hash/maphash"

// pageIndex finds a page by a key (its path, or its source file) as a
// map[string]*Page of the same pages does, in a map that holds no
// pointer: the key's 64-bit hash leads to the page's place in the site's
// list of pages, and the page's own key confirms it. A one-off build
// holds it instead of the map from the end of the assembly to the end of
// the build, and the collector, which would follow two pointers an entry
// of the map at each cycle (a key and a page; 400,000 at 100,000 pages
// for the two maps), follows none. Keys whose hashes collide, rare with
// a per-build random seed, go to a map of strings.
type pageIndex struct {
	seed  maphash.Seed
	at    map[uint64]int32 // key's hash -> place in pages
	pages []*Page          // the site's pages, with those not in AllPages after them
	key   func(*Page) string
	hash  func(maphash.Seed, string) uint64 // maphash.String; another in tests
	clash map[string]*Page                  // keys whose hash another key has
}

// newPageIndex indexes the pages of m, whose keys are key(page), over
// all, the site's list of pages (Site.AllPages), in which a page's place
// is its index field; a page of m that is not in all is listed after
// them.
func newPageIndex(m map[string]*Page, all []*Page, key func(*Page) string) *pageIndex {
	return newPageIndexHash(m, all, key, maphash.String)
}

func newPageIndexHash(m map[string]*Page, all []*Page, key func(*Page) string, hash func(maphash.Seed, string) uint64) *pageIndex {
	x := &pageIndex{seed: maphash.MakeSeed(), at: make(map[uint64]int32, len(m)), pages: all[:len(all):len(all)], key: key, hash: hash}
	for k, p := range m {
		if key(p) != k { // not kept under its own key: cannot happen
			x.addClash(k, p)
			continue
		}
		i := p.index
		if i < 0 || i >= len(all) || all[i] != p {
			i = len(x.pages)
			x.pages = append(x.pages, p)
		}
		h := hash(x.seed, k)
		if j, taken := x.at[h]; taken {
			// Both go to the map of strings, and so does any later key
			// of this hash.
			x.addClash(k, p)
			if j >= 0 {
				x.addClash(x.key(x.pages[j]), x.pages[j])
			}
			x.at[h] = -1
			continue
		}
		x.at[h] = int32(i)
	}
	return x
}

func (x *pageIndex) addClash(k string, p *Page) {
	if x.clash == nil {
		x.clash = map[string]*Page{}
	}
	x.clash[k] = p
}

// find returns the page of the key, or nil.
func (x *pageIndex) find(k string) *Page {
	if p := x.clash[k]; p != nil {
		return p
	}
	i, ok := x.at[x.hash(x.seed, k)]
	if !ok || i < 0 {
		return nil
	}
	if p := x.pages[i]; x.key(p) == k {
		return p
	}
	return nil
}

// each calls f with every key and its page, in no set order.
func (x *pageIndex) each(f func(k string, p *Page)) {
	for _, i := range x.at {
		if i >= 0 {
			f(x.key(x.pages[i]), x.pages[i])
		}
	}
	for k, p := range x.clash {
		f(k, p)
	}
}

// pageAt is the page of the site path, or nil: byPath[path].
func (s *Site) pageAt(path string) *Page {
	if s.paths != nil {
		return s.paths.find(path)
	}
	return s.byPath[path]
}

// pageOf is the page of the content file, or nil: bySource[file].
func (s *Site) pageOf(file string) *Page {
	if s.sources != nil {
		return s.sources.find(file)
	}
	return s.bySource[file]
}

// eachSource calls f with the content file of every page, in no set
// order: the keys of bySource.
func (s *Site) eachSource(f func(file string)) {
	if s.sources != nil {
		s.sources.each(func(k string, _ *Page) { f(k) })
		return
	}
	for k := range s.bySource {
		f(k)
	}
}

// freeze turns the site's maps of pages by path and by source file, and
// its language views' (which share them), into pageIndexes, for a build
// that keeps no state for a next one: the site is read, not changed,
// from then on.
func (s *Site) freeze() {
	if s.paths != nil {
		return
	}
	paths := newPageIndex(s.byPath, s.AllPages, func(p *Page) string { return p.Path })
	sources := newPageIndex(s.bySource, s.AllPages, func(p *Page) string { return p.Source })
	for _, v := range append([]*Site{s}, viewsOf(s)...) {
		v.paths, v.sources, v.byPath, v.bySource = paths, sources, nil, nil
	}
}

// viewsOf lists the language views of s.
func viewsOf(s *Site) []*Site {
	var out []*Site
	for _, v := range s.views {
		out = append(out, v)
	}
	return out
}

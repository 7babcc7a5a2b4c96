package check

import (
	"sync"
	"unsafe"
)

// A slabPool keeps the slabs that checked pages took their nodes,
// attributes and element lists from, for the next page to parse: a page
// has about one node a tag, and they live only while the page is checked.
// Without it every page allocates (and the collector scans) a slab of
// nodes as big as its HTML five times over. It is safe for concurrent
// use; a nil *slabPool keeps nothing, and each Parse allocates its own.
type slabPool struct{ pool sync.Pool }

// slabs are the memory one parse takes its nodes from.
type slabs struct {
	nodes    []Node
	attrs    []Attr
	elements []*Node

	// What collectFacts gathers before it packs it: refs and ids as long
	// as they were left (to be cleared), packed empty.
	refs   []ref
	ids    []string
	packed []byte
}

// get returns slabs with room for at least the numbers of nodes,
// attributes and elements given, all empty.
func (sp *slabPool) get(nodes, attrs, elements int) *slabs {
	var sl *slabs
	if sp != nil {
		sl, _ = sp.pool.Get().(*slabs)
	}
	if sl == nil {
		sl = new(slabs)
	}
	if cap(sl.nodes) < nodes {
		sl.nodes = make([]Node, 0, nodes)
	}
	if cap(sl.attrs) < attrs {
		sl.attrs = make([]Attr, 0, attrs)
	}
	if cap(sl.elements) < elements {
		sl.elements = make([]*Node, 0, elements)
	}
	return sl
}

// used records how much of sl a parse wrote, from the slices it ended
// with: nodes, attrs and elements grew from sl's (empty) slices, and
// went elsewhere when they outgrew them.
func (sl *slabs) used(nodes []Node, attrs []Attr, elements []*Node) {
	sl.nodes = usedOf(sl.nodes, nodes)
	sl.attrs = usedOf(sl.attrs, attrs)
	sl.elements = usedOf(sl.elements, elements)
}

// usedOf is the part of base that now, which grew from base[:0], has
// written: base[:len(now)] while now is in base's array, all of base once
// it has moved out.
func usedOf[T any](base, now []T) []T {
	if cap(now) == cap(base) && unsafe.SliceData(now) == unsafe.SliceData(base) {
		return base[:len(now)]
	}
	return base[:cap(base)]
}

// put clears what a parse wrote into sl (see used), so that the pool
// holds no page's strings or nodes, and keeps sl for the next parse. The
// document parsed from sl must not be used again, nor any of its nodes.
func (sp *slabPool) put(sl *slabs) {
	if sp == nil || sl == nil {
		return
	}
	clear(sl.nodes)
	clear(sl.attrs)
	clear(sl.elements)
	clear(sl.refs)
	clear(sl.ids)
	sl.nodes, sl.attrs, sl.elements = sl.nodes[:0], sl.attrs[:0], sl.elements[:0]
	sl.refs, sl.ids = sl.refs[:0], sl.ids[:0]
	sp.pool.Put(sl)
}

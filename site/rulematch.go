package site

import (
	"github.com/dlclark/regexp2/v2/syntax"
)

// A reNode is a pattern that matches without regexp2: a node of
// regexp2's own parse tree, of the kinds most of chroma's rules are made
// of (characters, sets, strings, loops of one character, alternation,
// groups, word boundaries, line anchors). A regexp2 call costs a few
// hundred nanoseconds before it looks at a character (a runner from a
// pool, a timeout clock, a Match object), which is most of a token's
// cost. The nodes backtrack as regexp2 does: alternatives in order,
// greedy loops longest first, lazy loops shortest first, atomic ones not
// at all; so the match found is regexp2's.
type reNode struct {
	kind     syntax.NodeType
	kids     []*reNode
	set      *syntax.CharSet
	ch       rune
	str      []rune
	min, max int  // loops; max < 0 is no bound
	behind   bool // a lookaround that looks behind (at one character)
}

// compileNative is the pattern as reNodes, or nil when it uses anything
// else (case-insensitive matching, lookaround, back references, loops
// of more than one character, ...).
func compileNative(pattern string) *reNode {
	tree, err := syntax.Parse(pattern, syntax.ParseOptions{})
	if err != nil || tree.Options&(syntax.IgnoreCase|syntax.RightToLeft|syntax.ECMAScript) != 0 {
		return nil
	}
	n, ok := nativeNode(tree.Root)
	if !ok {
		return nil
	}
	if code, err := syntax.Write(tree); err == nil {
		code.PrepareCharSetASCIIBitmaps() // the tree's sets among them
	}
	return n
}

// nativeNode converts one node of regexp2's tree, and its children.
func nativeNode(n *syntax.RegexNode) (*reNode, bool) {
	if n.T == syntax.NtPosLook || n.T == syntax.NtNegLook {
		return lookNode(n)
	}
	if n.Options&(syntax.IgnoreCase|syntax.RightToLeft|syntax.ECMAScript) != 0 {
		return nil, false
	}
	r := &reNode{kind: n.T, set: n.Set, ch: n.Ch, str: n.Str, min: n.M, max: n.N}
	if r.max == int(^uint32(0)>>1) || r.max < 0 {
		r.max = -1
	}
	switch n.T {
	case syntax.NtOne, syntax.NtNotone, syntax.NtMulti, syntax.NtBoundary, syntax.NtNonboundary,
		syntax.NtBol, syntax.NtEol, syntax.NtBeginning, syntax.NtStart, syntax.NtEnd, syntax.NtEndZ,
		syntax.NtEmpty, syntax.NtNothing, syntax.NtUpdateBumpalong:
	case syntax.NtSet, syntax.NtSetloop, syntax.NtSetlazy, syntax.NtSetloopatomic:
		if n.Set == nil {
			return nil, false
		}
	case syntax.NtOneloop, syntax.NtNotoneloop, syntax.NtOnelazy, syntax.NtNotonelazy,
		syntax.NtOneloopatomic, syntax.NtNotoneloopatomic:
	case syntax.NtConcatenate, syntax.NtAlternate, syntax.NtCapture, syntax.NtGroup, syntax.NtAtomic,
		syntax.NtLoop, syntax.NtLazyloop:
		for _, c := range n.Children {
			k, ok := nativeNode(c)
			if !ok {
				return nil, false
			}
			r.kids = append(r.kids, k)
		}
		if n.T != syntax.NtConcatenate && n.T != syntax.NtAlternate && len(r.kids) != 1 {
			return nil, false
		}
		// A loop of a part that can match nothing would need regexp2's
		// rules for empty iterations.
		if (n.T == syntax.NtLoop || n.T == syntax.NtLazyloop) && minWidth(r.kids[0]) == 0 {
			return nil, false
		}
	default:
		return nil, false
	}
	return r, true
}

// lookNode converts a lookahead, or a lookbehind at one character.
func lookNode(n *syntax.RegexNode) (*reNode, bool) {
	if len(n.Children) != 1 || n.Options&(syntax.IgnoreCase|syntax.ECMAScript) != 0 {
		return nil, false
	}
	c := n.Children[0]
	behind := n.Options&syntax.RightToLeft != 0 || c.Options&syntax.RightToLeft != 0
	if behind {
		if c.Options&(syntax.IgnoreCase|syntax.ECMAScript) != 0 ||
			c.T != syntax.NtOne && c.T != syntax.NtNotone && (c.T != syntax.NtSet || c.Set == nil) {
			return nil, false
		}
		kid := &reNode{kind: c.T, set: c.Set, ch: c.Ch}
		return &reNode{kind: n.T, kids: []*reNode{kid}, behind: true}, true
	}
	kid, ok := nativeNode(c)
	if !ok {
		return nil, false
	}
	return &reNode{kind: n.T, kids: []*reNode{kid}}, true
}

// minWidth is the fewest characters a node matches.
func minWidth(n *reNode) int {
	switch n.kind {
	case syntax.NtOne, syntax.NtNotone, syntax.NtSet:
		return 1
	case syntax.NtMulti:
		return len(n.str)
	case syntax.NtOneloop, syntax.NtNotoneloop, syntax.NtSetloop, syntax.NtOnelazy, syntax.NtNotonelazy,
		syntax.NtSetlazy, syntax.NtOneloopatomic, syntax.NtNotoneloopatomic, syntax.NtSetloopatomic:
		return n.min
	case syntax.NtLoop, syntax.NtLazyloop:
		return n.min * minWidth(n.kids[0])
	case syntax.NtConcatenate:
		w := 0
		for _, k := range n.kids {
			w += minWidth(k)
		}
		return w
	case syntax.NtAlternate:
		w := -1
		for _, k := range n.kids {
			if kw := minWidth(k); w < 0 || kw < w {
				w = kw
			}
		}
		return max(w, 0)
	case syntax.NtCapture, syntax.NtGroup, syntax.NtAtomic:
		return minWidth(n.kids[0])
	}
	return 0
}

// maxNativeSteps bounds the nodes one native match may try. Backtracking
// can take time exponential in the text (a loop of alternatives that
// overlap, on a long run of one letter); regexp2 stops such a match after
// chroma's MatchTimeout, and a native match that runs past its steps is
// handed to regexp2, so that the answer, timeout included, is regexp2's.
// A real token takes some tens of steps.
const maxNativeSteps = 1 << 20

// A reRun is one match of reNodes in a text, anchored at start (\G).
type reRun struct {
	text  []rune
	start int
	end   int // where the match ended, once it has
	steps int // nodes tried, with those of the runs of its lookarounds and atomic groups
	limit int
}

// A reCont is what is left to match after a node: the nodes of a
// sequence from i on, then the continuation of the sequence.
type reCont struct {
	seq   []*reNode
	i     int
	loop  *reNode // or, when set: another iteration of a loop
	count int     // iterations of loop matched so far
	up    *reCont
}

// matchNative matches n at pos in text and returns where the match
// ends, or -1; ok is false when it gave up after limit steps without an
// answer.
func matchNative(n *reNode, text []rune, pos, limit int) (end int, ok bool) {
	r := reRun{text: text, start: pos, limit: limit}
	matched := r.node(n, pos, nil)
	switch {
	case r.steps > limit:
		return -1, false
	case !matched:
		return -1, true
	}
	return r.end, true
}

// matchInner matches a part on its own (a lookaround, an atomic group)
// at pos, counting its steps with r's; it returns where it ended.
func (r *reRun) matchInner(n *reNode, pos int) (end int, ok bool) {
	inner := reRun{text: r.text, start: r.start, steps: r.steps, limit: r.limit}
	ok = inner.node(n, pos, nil)
	r.steps = inner.steps
	return inner.end, ok
}

// next matches what is left, k, at pos.
func (r *reRun) next(pos int, k *reCont) bool {
	for k != nil && k.loop == nil && k.i == len(k.seq) {
		k = k.up
	}
	switch {
	case k == nil:
		r.end = pos
		return true
	case k.loop != nil:
		return r.iterate(k.loop, pos, k.count, k.up)
	}
	return r.node(k.seq[k.i], pos, &reCont{seq: k.seq, i: k.i + 1, up: k.up})
}

// iterate matches the rest of a loop of a part that cannot match
// nothing, count iterations done, at pos, then k: greedy loops try one
// more iteration first, lazy ones last.
func (r *reRun) iterate(n *reNode, pos, count int, k *reCont) bool {
	more := n.max < 0 || count < n.max
	again := func() bool {
		return more && r.node(n.kids[0], pos, &reCont{loop: n, count: count + 1, up: k})
	}
	if n.kind == syntax.NtLazyloop {
		return count >= n.min && r.next(pos, k) || again()
	}
	return again() || count >= n.min && r.next(pos, k)
}

// node matches n at pos, then k.
func (r *reRun) node(n *reNode, pos int, k *reCont) bool {
	if r.steps++; r.steps > r.limit {
		return false // given up: every caller fails too, at once
	}
	switch n.kind {
	case syntax.NtOne, syntax.NtNotone, syntax.NtSet:
		return pos < len(r.text) && r.one(n, r.text[pos]) && r.next(pos+1, k)
	case syntax.NtMulti:
		if len(r.text)-pos < len(n.str) {
			return false
		}
		for i, c := range n.str {
			if r.text[pos+i] != c {
				return false
			}
		}
		return r.next(pos+len(n.str), k)
	case syntax.NtConcatenate:
		return r.next(pos, &reCont{seq: n.kids, up: k})
	case syntax.NtAlternate:
		for _, c := range n.kids {
			if r.node(c, pos, k) {
				return true
			}
		}
		return false
	case syntax.NtCapture, syntax.NtGroup:
		return r.node(n.kids[0], pos, k)
	case syntax.NtAtomic:
		end, ok := r.matchInner(n.kids[0], pos)
		return ok && r.next(end, k)
	case syntax.NtLoop, syntax.NtLazyloop:
		return r.iterate(n, pos, 0, k)
	case syntax.NtPosLook, syntax.NtNegLook:
		return r.look(n, pos) == (n.kind == syntax.NtPosLook) && r.next(pos, k)
	case syntax.NtEmpty, syntax.NtUpdateBumpalong:
		return r.next(pos, k)
	case syntax.NtNothing:
		return false
	}
	if ok, isAnchor := r.anchor(n.kind, pos); isAnchor {
		return ok && r.next(pos, k)
	}
	return r.loop(n, pos, k)
}

// look tells whether a lookaround's part matches at pos: ahead from pos,
// or behind at the character before pos. As in regexp2, a lookaround's
// match is not backtracked into.
func (r *reRun) look(n *reNode, pos int) bool {
	if n.behind {
		return pos > 0 && r.one(n.kids[0], r.text[pos-1])
	}
	_, ok := r.matchInner(n.kids[0], pos)
	return ok
}

// anchor tests a zero-width node at pos; isAnchor is false for other
// kinds of node.
func (r *reRun) anchor(kind syntax.NodeType, pos int) (ok, isAnchor bool) {
	switch kind {
	case syntax.NtBoundary:
		return r.boundary(pos), true
	case syntax.NtNonboundary:
		return !r.boundary(pos), true
	case syntax.NtBol:
		return pos == 0 || r.text[pos-1] == '\n', true
	case syntax.NtEol:
		return pos == len(r.text) || r.text[pos] == '\n', true
	case syntax.NtBeginning:
		return pos == 0, true
	case syntax.NtStart:
		return pos == r.start, true
	case syntax.NtEnd:
		return pos == len(r.text), true
	case syntax.NtEndZ:
		return pos == len(r.text) || pos == len(r.text)-1 && r.text[pos] == '\n', true
	}
	return false, false
}

// loop matches a loop of one character at pos, then k.
func (r *reRun) loop(n *reNode, pos int, k *reCont) bool {
	most := 0
	for pos+most < len(r.text) && (n.max < 0 || most < n.max) && r.one(n, r.text[pos+most]) {
		most++
	}
	if most < n.min {
		return false
	}
	switch n.kind {
	case syntax.NtOneloopatomic, syntax.NtNotoneloopatomic, syntax.NtSetloopatomic:
		return r.next(pos+most, k)
	case syntax.NtOnelazy, syntax.NtNotonelazy, syntax.NtSetlazy:
		for i := n.min; i <= most; i++ {
			if r.next(pos+i, k) {
				return true
			}
		}
		return false
	}
	for i := most; i >= n.min; i-- {
		if r.next(pos+i, k) {
			return true
		}
	}
	return false
}

// one tests a character against a node of one character.
func (r *reRun) one(n *reNode, c rune) bool {
	switch n.kind {
	case syntax.NtOne, syntax.NtOneloop, syntax.NtOnelazy, syntax.NtOneloopatomic:
		return c == n.ch
	case syntax.NtNotone, syntax.NtNotoneloop, syntax.NtNotonelazy, syntax.NtNotoneloopatomic:
		return c != n.ch
	}
	return n.set.Contains(c)
}

// boundary is regexp2's \b: a word character on one side of pos only.
func (r *reRun) boundary(pos int) bool {
	return (pos > 0 && syntax.IsWordChar(r.text[pos-1])) != (pos < len(r.text) && syntax.IsWordChar(r.text[pos]))
}

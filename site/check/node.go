package check

import (
	"strings"
)

// An Attr is one attribute of an element, its value with entities decoded.
type Attr struct {
	Key, Val string
}

// A Node is an element or a run of text of a parsed page. Elements have a
// lower-case Tag; text nodes have Tag "" and their Text. Line and Col are
// where the node starts in the output file (1-based, in bytes).
type Node struct {
	Tag       string
	Attrs     []Attr
	Text      string
	Line, Col int

	Parent, FirstChild, LastChild, NextSibling *Node

	implicit bool     // made by the parser: html, head or body without a tag
	named    bool     // name is computed
	flags    tagFlags // what the parser knows of the tag
	name     string   // the accessible name, once named
}

// IsElement reports whether n is an element with one of the given tags
// (any element when no tag is given).
func (n *Node) IsElement(tags ...string) bool {
	if n == nil || n.Tag == "" {
		return false
	}
	if len(tags) == 0 {
		return true
	}
	for _, t := range tags {
		if n.Tag == t {
			return true
		}
	}
	return false
}

// Attr returns the value of the attribute key and whether it is present.
func (n *Node) Attr(key string) (string, bool) {
	for _, a := range n.Attrs {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

// AttrOr returns the value of the attribute key, or "" when it is absent.
func (n *Node) AttrOr(key string) string {
	v, _ := n.Attr(key)
	return v
}

// Has reports whether the element has the attribute key.
func (n *Node) Has(key string) bool {
	_, ok := n.Attr(key)
	return ok
}

// Walk calls f for n and every node beneath it in document order, and
// skips the children of a node for which f returns false.
func (n *Node) Walk(f func(*Node) bool) {
	if !f(n) {
		return
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		c.Walk(f)
	}
}

// TextContent is the text beneath n with runs of white space made single
// spaces and the ends trimmed. Content hidden with aria-hidden="true" is
// left out; images inside count with their alt text.
func (n *Node) TextContent() string {
	if n.FirstChild != nil && n.FirstChild == n.LastChild && n.FirstChild.Tag == "" {
		return normaliseSpace(n.FirstChild.Text) // the common case: text only
	}
	var b spaceWriter
	n.Walk(func(c *Node) bool {
		switch {
		case c.Tag == "":
			b.write(c.Text)
		case c != n && c.AttrOr("aria-hidden") == "true":
			return false
		case c.Tag == "img" || (c.Tag == "input" && strings.EqualFold(c.AttrOr("type"), "image")):
			b.write(" " + c.AttrOr("alt") + " ")
		case c.Tag == "script" || c.Tag == "style" || c.Tag == "template":
			return false
		}
		return true
	})
	return b.String()
}

// spaceWriter collects text, making each run of white space one space.
type spaceWriter struct {
	b     []byte
	space bool
}

func (w *spaceWriter) write(s string) {
	for i := 0; i < len(s); i++ {
		if isSpace(s[i]) {
			w.space = len(w.b) > 0
			continue
		}
		if w.space {
			w.b = append(w.b, ' ')
			w.space = false
		}
		w.b = append(w.b, s[i])
	}
}

func (w *spaceWriter) String() string { return string(w.b) }

// Closest returns n or its nearest ancestor with one of the tags, or nil.
func (n *Node) Closest(tags ...string) *Node {
	for c := n; c != nil; c = c.Parent {
		if c.IsElement(tags...) {
			return c
		}
	}
	return nil
}

func (n *Node) appendChild(c *Node) {
	c.Parent = n
	if n.LastChild == nil {
		n.FirstChild = c
	} else {
		n.LastChild.NextSibling = c
	}
	n.LastChild = c
}

// normaliseSpace makes every run of white space a single space and trims
// the ends.
func normaliseSpace(s string) string {
	prevSpace := true
	for i := 0; i < len(s); i++ {
		sp := isSpace(s[i])
		if sp && (prevSpace || s[i] != ' ') {
			var w spaceWriter
			w.write(s)
			return w.String()
		}
		prevSpace = sp
	}
	if prevSpace && len(s) > 0 {
		return s[:len(s)-1]
	}
	return s
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'
}

// isBlank reports whether s is empty or only white space.
func isBlank(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isSpace(s[i]) {
			return false
		}
	}
	return true
}

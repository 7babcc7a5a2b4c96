package site

import (
	"strconv"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/util"
)

// headingIDs makes the ids of headings by GitHub's rule, which Hugo
// follows by default (autoHeadingIDType "github"): letters, combining
// marks and digits of any script are kept, lowercased, and so are
// underscores; spaces, tabs and hyphens become hyphens; anything else
// goes. A heading with nothing left is "heading"; an id already taken
// gets -1, -2 and so on. goldmark's own rule kept ASCII letters and
// digits only: "Hawliau'r ŵyr" was "hawliaur-yr", and a heading in
// Greek or Japanese was "heading". One headingIDs serves one page.
type headingIDs struct {
	used map[string]bool
	next map[string]int // per id as generated, the suffix to try next
}

var _ parser.IDs = (*headingIDs)(nil)

func newHeadingIDs() *headingIDs {
	return &headingIDs{used: map[string]bool{}, next: map[string]int{}}
}

// Generate is the id of a heading whose source line is value, unique in
// the page.
func (s *headingIDs) Generate(value []byte, kind ast.NodeKind) []byte {
	id := headingID(util.TrimRightSpace(util.TrimLeftSpace(value)))
	if len(id) == 0 {
		id = []byte("heading")
		if kind != ast.KindHeading {
			id = []byte("id")
		}
	}
	key := string(id)
	if !s.used[key] {
		s.used[key] = true
		return id
	}
	for i := max(s.next[key], 1); ; i++ {
		if try := key + "-" + strconv.Itoa(i); !s.used[try] {
			s.used[try] = true
			s.next[key] = i + 1
			return []byte(try)
		}
	}
}

// Put records an id given in the source ({#id}), which a generated id
// then avoids.
func (s *headingIDs) Put(value []byte) {
	s.used[string(value)] = true
}

// headingID is text by GitHub's rule, before it is made unique.
func headingID(text []byte) []byte {
	id := make([]byte, 0, len(text))
	for len(text) > 0 {
		r, size := utf8.DecodeRune(text)
		text = text[size:]
		switch {
		case r == ' ' || r == '\t' || r == '-':
			id = append(id, '-')
		case r < utf8.RuneSelf:
			if 'A' <= r && r <= 'Z' {
				r += 'a' - 'A'
			}
			if 'a' <= r && r <= 'z' || '0' <= r && r <= '9' || r == '_' {
				id = append(id, byte(r))
			}
		case r != utf8.RuneError && unicode.In(r, unicode.L, unicode.M, unicode.Nd, unicode.Pc):
			id = utf8.AppendRune(id, unicode.ToLower(r))
		}
	}
	return id
}

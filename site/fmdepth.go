package site

import "gopkg.in/yaml.v3"

// maxNesting is how deeply front matter may nest lists and sets of keys.
// Real pages use two or three levels; the TOML decoder takes time that
// grows much faster than the input with depth (8,000 inline tables take
// half a minute), so deeper front matter is refused before it is decoded.
const maxNesting = 20

// tooDeep is the error for front matter nested past maxNesting.
func tooDeep(name string, line int) *Error {
	return errorf(name, line, "front matter is nested more than %d levels deep here; no page needs that many: flatten the lists and keys", maxNesting)
}

// yamlTooDeep returns the first node nested more than maxNesting levels
// below n's parent (a mapping or list is one level more than its
// parent), or nil. It does not follow aliases: the anchored node was
// counted where it was written.
func yamlTooDeep(n *yaml.Node, depth int) *yaml.Node {
	if n.Kind != yaml.MappingNode && n.Kind != yaml.SequenceNode {
		return nil
	}
	depth++
	if depth > maxNesting {
		return n
	}
	for _, c := range n.Content {
		if deep := yamlTooDeep(c, depth); deep != nil {
			return deep
		}
	}
	return nil
}

// tomlScan is the state of tomlDepth: where it is in the text and the
// tables and arrays open around it.
type tomlScan struct {
	b     []byte
	i     int
	line  int         // 0-based line of the front matter
	open  []tomlFrame // inline tables and arrays open at i
	base  int         // level of the keys under the last [table] header
	inKey bool        // reading a key (before its =)
	parts int         // dotted parts of the key read so far
	value int         // level of the value being read
	max   int         // deepest level seen
	at    int         // line of max
	limit int         // stop once max passes it
}

// A tomlFrame is an inline table or array: level is the level of its
// keys (a table) or of its elements (an array).
type tomlFrame struct {
	kind  byte // '{' or '['
	level int
}

// tomlDepth returns how deeply TOML text nests, counted as the decoded
// value would be (the top-level table is level 1; each table or array is
// one level more than its parent), and the 0-based line it reaches that
// depth on. It reads the text once, without decoding, and stops as soon as
// the depth passes limit. FuzzTOMLDepth holds it to the decoder.
func tomlDepth(b []byte, limit int) (depth, line int) {
	s := &tomlScan{b: b, inKey: true, limit: limit}
	for s.i < len(s.b) && s.max <= limit {
		s.step()
	}
	return s.max, s.at
}

func (s *tomlScan) note(level int) {
	if level > s.max {
		s.max, s.at = level, s.line
	}
}

// step reads one byte, or one string, comment or table header.
func (s *tomlScan) step() {
	c := s.b[s.i]
	switch {
	case c == '\n':
		s.line++
		if len(s.open) == 0 {
			s.inKey, s.parts = true, 0
		}
	case c == '#':
		for s.i+1 < len(s.b) && s.b[s.i+1] != '\n' {
			s.i++
		}
	case c == '"' || c == '\'':
		s.skipString(c)
		return
	case c == ' ' || c == '\t' || c == '\r':
	case s.inKey:
		s.keyByte(c)
	default:
		s.valueByte(c)
	}
	s.i++
}

// keyByte reads a byte of a key, or a table header at the start of a line.
func (s *tomlScan) keyByte(c byte) {
	switch c {
	case '[':
		if len(s.open) == 0 && s.parts == 0 {
			s.header()
		}
	case '.':
		s.parts++
	case '=':
		s.inKey = false
		s.value = s.parent() + s.parts + 1
		s.note(s.value)
	case '}': // an empty inline table, or one ending in a comma
		s.close()
	}
}

// parent is the level of the table the key being read is in.
func (s *tomlScan) parent() int {
	if n := len(s.open); n > 0 {
		return s.open[n-1].level
	}
	return s.base
}

// valueByte reads a byte of a value.
func (s *tomlScan) valueByte(c byte) {
	switch c {
	case '[':
		s.open = append(s.open, tomlFrame{'[', s.value + 1})
		s.note(s.value + 1)
		s.value++
	case '{':
		s.open = append(s.open, tomlFrame{'{', s.value})
		s.note(s.value + 1)
		s.inKey, s.parts = true, 0
	case ']', '}':
		s.close()
	case ',':
		if n := len(s.open); n > 0 {
			if f := s.open[n-1]; f.kind == '{' {
				s.inKey, s.parts = true, 0
			} else {
				s.value = f.level
			}
		}
	}
}

// close ends the innermost inline table or array.
func (s *tomlScan) close() {
	if n := len(s.open); n > 0 {
		s.open = s.open[:n-1]
	}
	s.inKey = false
}

// header reads a [table] or [[array.of.tables]] header: the keys below
// it are one level deeper than its last part (two for an array of tables).
func (s *tomlScan) header() {
	level := 1
	if s.i+1 < len(s.b) && s.b[s.i+1] == '[' {
		level++
		s.i++
	}
	for s.i++; s.i < len(s.b) && s.b[s.i] != ']' && s.b[s.i] != '\n'; s.i++ {
		switch s.b[s.i] {
		case '.':
			level++
		case '"', '\'':
			s.skipString(s.b[s.i])
			s.i--
		}
	}
	s.base = level
	s.note(level + 1)
	s.parts = 0
	for s.i < len(s.b) && s.b[s.i] == ']' {
		s.i++
	}
	s.i-- // step moves past the last ]
	s.inKey = false
}

// skipString moves past a basic or literal string, single- or multi-line,
// counting its lines, and leaves i after its closing quote.
func (s *tomlScan) skipString(q byte) {
	multi := s.i+2 < len(s.b) && s.b[s.i+1] == q && s.b[s.i+2] == q
	if multi {
		s.i += 3
	} else {
		s.i++
	}
	for s.i < len(s.b) {
		c := s.b[s.i]
		switch {
		case c == '\\' && q == '"':
			if s.i+1 < len(s.b) && s.b[s.i+1] == '\n' {
				s.line++
			}
			s.i += 2
			continue
		case c == '\n':
			if !multi {
				return // an unclosed string: the decoder reports it
			}
			s.line++
		case c == q && !multi:
			s.i++
			return
		case c == q && s.i+2 < len(s.b) && s.b[s.i+1] == q && s.b[s.i+2] == q:
			s.i += 3
			for s.i < len(s.b) && s.b[s.i] == q { // up to two quotes may end the content
				s.i++
			}
			return
		}
		s.i++
	}
}

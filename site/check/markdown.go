package check

import (
	"strings"
)

// A mdBlock is a run of prose in a page's Markdown: a paragraph, a list
// item or a heading, with inline syntax stripped, line by line.
type mdBlock struct {
	heading int // 1 to 6 for a heading, else 0
	line    int // the first line's number in the source file
	lines   []mdLine
}

type mdLine struct {
	line int
	text string
}

func (b *mdBlock) text() string {
	if len(b.lines) == 1 {
		return b.lines[0].text
	}
	parts := make([]string, len(b.lines))
	for i, l := range b.lines {
		parts[i] = l.text
	}
	return strings.Join(parts, " ")
}

// mdScanner splits Markdown into prose blocks. It is line based and
// pragmatic: code blocks, tables, HTML blocks and link definitions are
// skipped; headings, list items, quotes and paragraphs are kept.
type mdScanner struct {
	blocks  []mdBlock
	cur     *mdBlock
	fence   string // the open code fence, or ""
	inTable bool
	inHTML  bool
	inList  bool
	blank   bool // the previous line was blank
}

// scanMarkdown returns the prose blocks of a Markdown body whose first
// line is line first of its file.
func scanMarkdown(body []byte, first int) []mdBlock {
	s := &mdScanner{blank: true}
	n := first
	for raw := range strings.Lines(string(body)) {
		s.line(n, strings.TrimRight(raw, "\r\n"))
		n++
	}
	s.end()
	return s.blocks
}

func (s *mdScanner) end() {
	if s.cur != nil && len(s.cur.lines) > 0 {
		s.blocks = append(s.blocks, *s.cur)
	}
	s.cur = nil
}

func (s *mdScanner) start(line, heading int) {
	s.end()
	s.cur = &mdBlock{line: line, heading: heading}
}

func (s *mdScanner) add(line int, text string) {
	if s.cur == nil {
		s.start(line, 0)
	}
	if t := stripInline(text); t != "" {
		s.cur.lines = append(s.cur.lines, mdLine{line, t})
	}
}

func (s *mdScanner) line(n int, l string) {
	wasBlank := s.blank
	s.blank = isBlank(l)
	if s.fence != "" {
		if strings.HasPrefix(strings.TrimLeft(l, " "), s.fence) {
			s.fence = ""
		}
		return
	}
	if s.blank {
		s.end()
		s.inTable, s.inHTML = false, false
		return
	}
	if s.inTable || s.inHTML {
		return
	}
	indent := len(l) - len(strings.TrimLeft(l, " \t"))
	t := strings.TrimSpace(l)
	if indent >= 4 && wasBlank && !s.inList {
		return // indented code
	}
	for strings.HasPrefix(t, ">") { // block quotes: keep the text
		t = strings.TrimSpace(t[1:])
	}
	if indent == 0 && wasBlank && !isListItem(t) {
		s.inList = false
	}
	s.block(n, t)
}

// block handles one non-blank line outside code, tables and HTML.
func (s *mdScanner) block(n int, t string) {
	switch {
	case strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~"):
		s.end()
		s.fence = t[:3]
	case isTableRow(t) || isTableSeparator(t):
		if isTableSeparator(t) && s.cur != nil {
			s.cur = nil // the paragraph was the table's header row
		}
		s.end()
		s.inTable = true
	case t[0] == '<' && len(t) > 1 && (isLetter(t[1]) || t[1] == '/' || t[1] == '!'):
		s.end()
		s.inHTML = true
	case isThematicBreak(t):
		s.setext(n, t)
	case strings.HasPrefix(t, "#"):
		s.atxHeading(n, t)
	case isLinkDefinition(t):
		s.end()
	case isListItem(t):
		s.inList = true
		s.start(n, 0)
		s.add(n, listItemText(t))
	case strings.HasPrefix(t, ": "):
		s.start(n, 0)
		s.add(n, t[2:])
	case strings.HasPrefix(t, "[^") && strings.Contains(t, "]:"):
		s.start(n, 0)
		s.add(n, t[strings.Index(t, "]:")+2:])
	case allByte(t, '='):
		s.setext(n, t)
	default:
		if s.cur != nil && s.cur.heading > 0 {
			s.end()
		}
		s.add(n, t)
	}
}

// setext turns the paragraph above a line of = or - into a heading, or
// ends the block at a thematic break.
func (s *mdScanner) setext(n int, t string) {
	if s.cur != nil && s.cur.heading == 0 && len(s.cur.lines) > 0 && (allByte(t, '=') || allByte(t, '-')) {
		s.cur.heading = 2
		if t[0] == '=' {
			s.cur.heading = 1
		}
	}
	s.end()
}

func (s *mdScanner) atxHeading(n int, t string) {
	level := 0
	for level < len(t) && t[level] == '#' {
		level++
	}
	if level > 6 || (level < len(t) && t[level] != ' ' && t[level] != '\t') {
		s.add(n, t) // not a heading: "#hashtag"
		return
	}
	text := strings.TrimSpace(t[level:])
	if i := strings.LastIndex(text, "{"); i >= 0 && strings.HasSuffix(text, "}") {
		text = strings.TrimSpace(text[:i]) // {#id .class}
	}
	text = strings.TrimSpace(strings.TrimRight(text, "#"))
	s.start(n, level)
	s.add(n, text)
	s.end()
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isDigit(c byte) bool  { return c >= '0' && c <= '9' }

func allByte(t string, c byte) bool {
	t = strings.TrimSpace(t)
	if t == "" {
		return false
	}
	for i := 0; i < len(t); i++ {
		if t[i] != c {
			return false
		}
	}
	return true
}

func isThematicBreak(t string) bool {
	t = strings.ReplaceAll(t, " ", "")
	return len(t) >= 3 && (allByte(t, '-') || allByte(t, '*') || allByte(t, '_'))
}

func isTableRow(t string) bool { return strings.HasPrefix(t, "|") }

func isTableSeparator(t string) bool {
	if !strings.Contains(t, "-") || !strings.Contains(t, "|") {
		return false
	}
	for i := 0; i < len(t); i++ {
		switch t[i] {
		case '|', '-', ':', ' ', '\t':
		default:
			return false
		}
	}
	return true
}

func isLinkDefinition(t string) bool {
	if !strings.HasPrefix(t, "[") || strings.HasPrefix(t, "[^") {
		return false
	}
	i := strings.Index(t, "]:")
	return i > 1 && !strings.Contains(t[:i], "](")
}

// listMarker returns the length of a list item marker and the space after
// it, or 0.
func listMarker(t string) int {
	if len(t) >= 2 && (t[0] == '-' || t[0] == '*' || t[0] == '+') && (t[1] == ' ' || t[1] == '\t') {
		return 2
	}
	i := 0
	for i < len(t) && i < 9 && isDigit(t[i]) {
		i++
	}
	if i > 0 && i+1 < len(t) && (t[i] == '.' || t[i] == ')') && (t[i+1] == ' ' || t[i+1] == '\t') {
		return i + 2
	}
	return 0
}

func isListItem(t string) bool { return listMarker(t) > 0 }

func listItemText(t string) string {
	t = strings.TrimSpace(t[listMarker(t):])
	for _, box := range []string{"[ ] ", "[x] ", "[X] "} {
		t = strings.TrimPrefix(t, box)
	}
	return t
}

// stripInline removes inline Markdown: code spans, images, autolinks and
// HTML tags go; links keep their text; emphasis marks and escapes go.
func stripInline(t string) string {
	var b strings.Builder
	for i := 0; i < len(t); i++ {
		c := t[i]
		switch {
		case c == '\\' && i+1 < len(t):
			i++
			b.WriteByte(t[i])
		case c == '`':
			i = skipCodeSpan(t, i)
		case c == '!' && i+1 < len(t) && t[i+1] == '[':
			_, j := linkParts(t, i+1)
			if j > i+1 {
				i = j - 1
			} else {
				b.WriteByte(c)
			}
		case c == '[':
			text, j := linkParts(t, i)
			switch {
			case strings.HasPrefix(text, "^") && j > i:
				i = j - 1 // footnote reference
			case j > i:
				b.WriteString(stripInline(text))
				i = j - 1
			default:
				b.WriteByte(c)
			}
		case c == '<':
			if j := strings.IndexByte(t[i:], '>'); j > 0 && (i+1 < len(t) && (isLetter(t[i+1]) || t[i+1] == '/' || t[i+1] == '!')) {
				i += j
			} else {
				b.WriteByte(c)
			}
		case c == '*' || c == '~':
		case c == '_' && (i == 0 || i+1 == len(t) || !isWordByte(t[i-1]) || !isWordByte(t[i+1])):
		default:
			b.WriteByte(c)
		}
	}
	return strings.TrimSpace(b.String())
}

func isWordByte(c byte) bool { return isLetter(c) || isDigit(c) || c >= 0x80 }

// skipCodeSpan returns the index of the last backtick of the code span
// that starts at i, or i when it is not closed.
func skipCodeSpan(t string, i int) int {
	n := 0
	for i+n < len(t) && t[i+n] == '`' {
		n++
	}
	fence := t[i : i+n]
	if j := strings.Index(t[i+n:], fence); j >= 0 {
		return i + n + j + n - 1
	}
	return i + n - 1
}

// linkParts reads a link at t[i] == '[': its text and the index just past
// it ([text](url), [text][ref] or [text]); j == i when it is not a link.
func linkParts(t string, i int) (text string, j int) {
	depth := 0
	for k := i; k < len(t); k++ {
		switch t[k] {
		case '\\':
			k++
		case '[':
			depth++
		case ']':
			depth--
			if depth > 0 {
				continue
			}
			text = t[i+1 : k]
			rest := t[k+1:]
			switch {
			case strings.HasPrefix(rest, "("):
				if e := matchingParen(rest); e > 0 {
					return text, k + 1 + e + 1
				}
			case strings.HasPrefix(rest, "["):
				if e := strings.IndexByte(rest, ']'); e > 0 {
					return text, k + 1 + e + 1
				}
			}
			return text, k + 1
		}
	}
	return "", i
}

// matchingParen returns the index of the ) that closes the ( at s[0], or -1.
func matchingParen(s string) int {
	depth := 0
	for k := 0; k < len(s); k++ {
		switch s[k] {
		case '\\':
			k++
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return k
			}
		}
	}
	return -1
}

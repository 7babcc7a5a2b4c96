// Package printable shows text from a site (file names, messages) safely
// in a terminal or CI log. It is shared by the build's errors and check's
// findings, which must escape the same characters.
package printable

import (
	"strconv"
	"strings"
	"unicode"
)

// IsControl reports a control or bidirectional-control character: one
// that would move the cursor, retitle a terminal or reorder a line.
func IsControl(r rune) bool {
	return unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r)
}

// Escape writes control characters of s, other than those in keep, as
// Go writes them in strings (\x1b, \u202e): an escape sequence in a
// file's name or a link could otherwise clear the terminal, retitle it,
// or hide lines of a CI log. Pass "\n" as keep to keep line breaks.
func Escape(s, keep string) string {
	escape := func(r rune) bool { return IsControl(r) && !strings.ContainsRune(keep, r) }
	if !strings.ContainsFunc(s, escape) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if escape(r) {
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

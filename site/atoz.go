package site

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// welshDigraphs are the letters of the Welsh alphabet written with two
// characters, in the order they are tried.
var welshDigraphs = [...]string{"ch", "dd", "ff", "ng", "ll", "ph", "rh", "th"}

// firstLetter is the A to Z letter of a title: "A" to "Z" (in Welsh, also
// "Ch", "Dd", "Ff", "Ng", "Ll", "Ph", "Rh" and "Th", and an accented
// letter under its base: "Ŵyr" under "W"), or "Other".
func firstLetter(title string, welsh bool) string {
	if welsh {
		lower := strings.ToLower(norm.NFD.String(title))
		for _, d := range welshDigraphs {
			if strings.HasPrefix(lower, d) {
				return strings.ToUpper(d[:1]) + d[1:]
			}
		}
		title = lower
	}
	r, _ := utf8.DecodeRuneInString(title)
	l := string(unicode.ToUpper(r))
	if l < "A" || l > "Z" {
		return "Other"
	}
	return l
}

// lettersInOrder sorts the letters of the groups: in the English
// alphabet, or the Welsh one (C, Ch, D, Dd, …, with the letters Welsh does
// not use, such as K and V, where English has them); Other last.
func lettersInOrder(groups map[string][]*Page, welsh bool) []string {
	keys := sortedKeys(groups)
	rank := func(l string) string {
		if l == "Other" {
			return "\xff"
		}
		if welsh && len(l) == 2 {
			return strings.ToLower(l[:1]) + "\x7f" + l // after every word of its first letter
		}
		return strings.ToLower(l)
	}
	slices.SortFunc(keys, func(a, b string) int { return strings.Compare(rank(a), rank(b)) })
	return keys
}

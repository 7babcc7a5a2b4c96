package site

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

var yamlLineRE = regexp.MustCompile(`^line (\d+): `)

// yamlParserErrors are the messages of yaml.v3's parser (not its
// scanner). The parser gives the 0-based line of the token it stopped at,
// one line before the mistake; the scanner gives the 1-based line.
var yamlParserErrors = map[string]bool{
	"did not find expected key":              true,
	"did not find expected node content":     true,
	"did not find expected '-' indicator":    true,
	"did not find expected ',' or ']'":       true,
	"did not find expected ',' or '}'":       true,
	"did not find expected <document start>": true,
}

// yamlSyntaxError turns yaml.v3's syntax error into an error at the line
// of the mistake, saying what to do. yaml.v3 often names the line where
// it gave up (the end of the block, for a quote that is never closed)
// or the line before the mistake; the line of the mistake is found by
// looking for what each message is about: an unclosed quote or bracket,
// a tab, a value with ": ".
func yamlSyntaxError(name string, fm []byte, err error) *Error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 1 // of the front matter; yaml.v3 names no line for its first
	if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = msg[len(m[0]):]
		if yamlParserErrors[msg] {
			line++
		}
	}
	lines := strings.Split(string(fm), "\n")
	line = min(max(line, 1), len(lines))
	at, advice := yamlMistake(lines, msg, line-1)
	return errorf(name, at+2, "front matter is not valid YAML: %s", advice)
}

// yamlMistake returns the 0-based line of the mistake yaml.v3 reported as
// msg at line (0-based), and what to do about it.
func yamlMistake(lines []string, msg string, line int) (int, string) {
	switch {
	case strings.Contains(msg, "tab character") || msg == "found character that cannot start any token":
		if i := tabIndented(lines); i >= 0 {
			return i, "this line is indented with a tab; YAML needs spaces: indent it with spaces"
		}
		return line, reservedStart(lines[line])
	case msg == "mapping values are not allowed in this context":
		if continuesValue(lines, line) {
			return line, `this line looks like a key, but it is indented under the value above, so YAML reads it as part of that value: line it up with the other keys, or put the whole value on one line, in quotes`
		}
		return line, colonAdvice(lines[line])
	case strings.HasPrefix(msg, "unknown anchor"):
		return startsWith(lines, '*', line), "a value that starts with * must be in quotes (in YAML, * refers to an anchor)"
	case strings.HasPrefix(msg, "found unknown escape character"):
		return line, `in double quotes a backslash starts an escape: write \\ for a backslash, or put the value in single quotes`
	}
	if i, advice := quoteOrBracketMistake(lines, line); i >= 0 {
		return i, advice
	}
	switch msg {
	case "did not find expected key", "could not find expected ':'":
		return line, "this line is not a key: value line like those above it; check its indentation, and put a value that contains special characters in quotes"
	case "did not find expected '-' indicator":
		return line, "the front matter mixes list items (- item) with keys; write each setting as key: value"
	case "did not find expected node content":
		return line, "a value is missing or starts with a character YAML reserves; put the value in quotes"
	case "found unexpected end of stream":
		return line, "the front matter ends inside a value; check for a missing closing quote or bracket"
	}
	return line, msg + "; check this line and the one above it"
}

// tabIndented returns the first line indented with a tab, or -1.
func tabIndented(lines []string) int {
	for i, l := range lines {
		rest := strings.TrimLeft(l, " \t")
		if rest != "" && strings.Contains(l[:len(l)-len(rest)], "\t") {
			return i
		}
	}
	return -1
}

// startsWith returns the first line whose value starts with c, or def.
func startsWith(lines []string, c byte, def int) int {
	for i, l := range lines {
		if v := yamlValueStart(l); v >= 0 && l[v] == c {
			return i
		}
	}
	return def
}

// continuesValue reports whether line is indented more than the line
// above it, which has a key and a value.
func continuesValue(lines []string, line int) bool {
	indent := func(l string) int { return len(l) - len(strings.TrimLeft(l, " ")) }
	for i := line - 1; i >= 0; i-- {
		if strings.TrimSpace(lines[i]) == "" {
			continue
		}
		return indent(lines[line]) > indent(lines[i]) && yamlValueStart(lines[i]) >= 0
	}
	return false
}

// colonAdvice says how to write a value that contains ": ".
func colonAdvice(l string) string {
	const advice = `a value that contains ": " must be in quotes`
	key, val, ok := strings.Cut(strings.TrimSpace(l), ": ")
	val = strings.TrimSpace(val)
	if !ok || strings.ContainsAny(key, `"'[]{}#`) || val == "" {
		return advice + `, such as title: "Rights: an overview"; and a key must line up with the keys above it`
	}
	if !strings.ContainsAny(val, `"\`) {
		return advice + `: write ` + key + `: "` + val + `"`
	}
	if !strings.Contains(val, "'") {
		return advice + `: write ` + key + `: '` + val + `'`
	}
	return advice + `, such as title: "Rights: an overview"`
}

// quoteOrBracketMistake looks, up to line, for a quoted or bracketed
// value that is never closed, or that runs into the next key, or that is
// followed by more text, and returns its line and what to do; -1 when
// there is none. A value closed on a later line, before any line that
// looks like a key, is a value written on several lines, not a mistake.
func quoteOrBracketMistake(lines []string, line int) (int, string) {
	full := strings.Join(lines, "\n")
	off := make([]int, len(lines)+1) // where each line starts in full
	for i, l := range lines {
		off[i+1] = off[i] + len(l) + 1
	}
	for i := 0; i <= line && i < len(lines); i++ {
		v := yamlValueStart(lines[i])
		if v < 0 {
			continue
		}
		val := lines[i][v:]
		var end int
		switch val[0] {
		case '"', '\'':
			end = quoteEnd(full[off[i]+v:])
		case '[', '{':
			end = flowEnd(full[off[i]+v:])
		case '|', '>':
			i = blockScalarEnd(lines, i)
			continue
		default:
			continue
		}
		if end < 0 {
			return i, unclosedAdvice(val[0])
		}
		end += off[i] + v
		last := i
		for off[last+1] <= end-1 {
			last++
		}
		if keyLineBetween(lines, i, last) {
			return i, unclosedAdvice(val[0])
		}
		if rest := strings.TrimSpace(full[end : off[last+1]-1]); rest != "" && rest[0] != '#' && rest[0] != ':' { // ':' follows a quoted key
			return last, trailingAdvice(val[0])
		}
		i = last
	}
	return -1, ""
}

// blockScalarEnd returns the last line of the block scalar (| or >)
// whose key is on line i: the lines after it indented more than it.
func blockScalarEnd(lines []string, i int) int {
	indent := len(lines[i]) - len(strings.TrimLeft(lines[i], " "))
	for i+1 < len(lines) {
		l := lines[i+1]
		if rest := strings.TrimLeft(l, " "); rest != "" && len(l)-len(rest) <= indent {
			break
		}
		i++
	}
	return i
}

// keyLineBetween reports whether a line after first, up to last, looks
// like a key at the indentation of line first or less.
func keyLineBetween(lines []string, first, last int) bool {
	indent := len(lines[first]) - len(strings.TrimLeft(lines[first], " "))
	for _, l := range lines[first+1 : last+1] {
		rest := strings.TrimLeft(l, " ")
		if len(l)-len(rest) <= indent && yamlKeyLineRE.MatchString(rest) {
			return true
		}
	}
	return false
}

var yamlKeyLineRE = regexp.MustCompile(`^(- )?[A-Za-z_][A-Za-z0-9_-]*:( |$)`)

func unclosedAdvice(open byte) string {
	switch open {
	case '"':
		return `the " that opens this value is never closed; end the value with "`
	case '\'':
		return `the ' that opens this value is never closed; end the value with ' (and write an apostrophe inside it as '')`
	case '[':
		return "the [ that opens this list is never closed; end the list with ], and put any item that contains a comma, bracket or colon in quotes"
	}
	return "the { that opens this value is never closed; end it with }, and put any value that contains a comma, brace or colon in quotes"
}

func trailingAdvice(open byte) string {
	switch open {
	case '"':
		return `text follows the closing "; put the whole value inside the quotes, and write \" for a " inside them`
	case '\'':
		return `text follows the closing '; put the whole value inside the quotes, and write an apostrophe inside them as ''`
	case '[':
		return "text follows the ] that closes this list; put it inside the list, or the whole value in quotes"
	}
	return "text follows the } that closes this value; put the whole value in quotes"
}

// yamlValueStart returns where the value of a "key: value" or "- value"
// line starts, or -1 for a line with no value.
func yamlValueStart(l string) int {
	i := len(l) - len(strings.TrimLeft(l, " "))
	for strings.HasPrefix(l[i:], "- ") {
		i += 2
		i += len(l[i:]) - len(strings.TrimLeft(l[i:], " "))
	}
	if m := yamlKeyRE.FindStringIndex(l[i:]); m != nil {
		i += m[1]
		i += len(l[i:]) - len(strings.TrimLeft(l[i:], " "))
	}
	if i >= len(l) {
		return -1
	}
	return i
}

var yamlKeyRE = regexp.MustCompile(`^[^\s"'\[\]{}#:,][^:#]*:( |$)`)

// quoteEnd returns the index just after the quote that closes the quoted
// scalar v starts with, or -1 when it is not closed in v.
func quoteEnd(v string) int {
	q := v[0]
	for i := 1; i < len(v); i++ {
		switch {
		case q == '"' && v[i] == '\\':
			i++
		case v[i] == q && q == '\'' && i+1 < len(v) && v[i+1] == '\'':
			i++
		case v[i] == q:
			return i + 1
		}
	}
	return -1
}

// flowEnd returns the index just after the bracket that closes the flow
// collection v starts with, or -1 when it is not closed in v.
func flowEnd(v string) int {
	depth := 0
	for i := 0; i < len(v); i++ {
		switch v[i] {
		case '[', '{':
			depth++
		case ']', '}':
			depth--
			if depth == 0 {
				return i + 1
			}
		case '"', '\'':
			if i > 0 && strings.IndexByte("[{, ", v[i-1]) < 0 {
				continue // a quote inside a plain item
			}
			e := quoteEnd(v[i:])
			if e < 0 {
				return -1
			}
			i += e - 1
		}
	}
	return -1
}

// reservedStart says which character YAML reserves (@, ` or %) starts a
// key or a value on the line, for "found character that cannot start
// any token".
func reservedStart(line string) string {
	rest := strings.TrimLeft(line, " ")
	for strings.HasPrefix(rest, "- ") {
		rest = strings.TrimLeft(rest[2:], " ")
	}
	if rest != "" && strings.IndexByte("@`%", rest[0]) >= 0 {
		if k, _, ok := strings.Cut(rest, ":"); ok && !strings.ContainsAny(k, " ") || strings.Contains(rest, ": ") {
			return fmt.Sprintf("a key cannot start with %c; put the key in quotes", rest[0])
		}
		return fmt.Sprintf("a value cannot start with %c; put the value in quotes", rest[0])
	}
	prev := byte(' ')
	for i := 0; i < len(line); i++ {
		c := line[i]
		if strings.IndexByte("@`%", c) >= 0 && strings.IndexByte(":[{,-", prev) >= 0 {
			return fmt.Sprintf("a value cannot start with %c; put the value in quotes", c)
		}
		if c != ' ' {
			prev = c
		}
	}
	return "a value cannot start with @, ` or %; put the value in quotes"
}

package site

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Most front matter is lines of "key: plain value". fastYAML reads those
// without the general YAML parser, which is the slowest part of reading a
// page; anything else (lists, nested keys, comments, quotes with escapes,
// numbers other than plain integers) makes it return false, and the full
// parser reads the block. A fuzz test holds it to yaml.v3's results.
func fastYAML(fm []byte) ([]fmEntry, bool) {
	if !yamlPrintable(fm) {
		return nil, false
	}
	var entries []fmEntry
	seen := map[string]bool{}
	line := 1
	for rest := fm; len(rest) > 0; line++ {
		var l []byte
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			l, rest = rest[:i], rest[i+1:]
		} else {
			l, rest = rest, nil
		}
		if len(bytes.Trim(l, " ")) == 0 {
			continue
		}
		key, val, ok := splitKey(l)
		if !ok || seen[key] {
			return nil, false
		}
		v, raw, ok := plainScalar(val)
		if !ok {
			return nil, false
		}
		seen[key] = true
		entries = append(entries, fmEntry{key: key, line: line + 1, val: v, raw: raw})
	}
	return entries, true
}

func splitKey(l []byte) (string, string, bool) {
	i := bytes.IndexByte(l, ':')
	if i <= 0 || i > 64 || i+1 >= len(l) || l[i+1] != ' ' {
		return "", "", false
	}
	for j, c := range l[:i] {
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || j > 0 && (c >= '0' && c <= '9' || c == '-')) {
			return "", "", false
		}
	}
	return string(l[:i]), strings.TrimRight(string(l[i+2:]), " "), true
}

var (
	plainIntRE  = regexp.MustCompile(`^(0|-?[1-9][0-9]{0,8})$`)
	plainDateRE = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`)
	numberishRE = regexp.MustCompile(`^[-+.0-9]`)
)

// plainScalar resolves a value as YAML 1.2's core schema does, for the
// simple cases only. raw is the value as yaml.v3's Node.Value has it.
func plainScalar(v string) (val any, raw string, ok bool) {
	v = strings.TrimLeft(v, " ")
	if v == "" || strings.ContainsAny(v, "\t\r\\") {
		return nil, "", false
	}
	raw = v
	if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') {
		q := v[0]
		inner := v[1 : len(v)-1]
		if v[len(v)-1] != q || strings.IndexByte(inner, q) >= 0 {
			return nil, "", false
		}
		return inner, inner, true
	}
	if strings.ContainsAny(v[:1], "[]{}&*!|>'\"%@`#-?:,~") || strings.Contains(v, ": ") || strings.Contains(v, " #") || strings.HasSuffix(v, ":") {
		return nil, "", false
	}
	switch v {
	case "true", "True", "TRUE":
		return true, raw, true
	case "false", "False", "FALSE":
		return false, raw, true
	case "null", "Null", "NULL":
		return nil, raw, true
	}
	if plainIntRE.MatchString(v) {
		n, err := strconv.Atoi(v)
		return n, raw, err == nil
	}
	if plainDateRE.MatchString(v) {
		t, err := time.Parse("2006-01-02", v)
		if err != nil || t.IsZero() {
			return nil, "", false
		}
		return t, raw, true
	}
	if numberishRE.MatchString(v) || strings.EqualFold(v, ".inf") || strings.EqualFold(v, ".nan") {
		return nil, "", false // floats, octal, hex, times: leave them to the full parser
	}
	return v, raw, true
}

// yamlPrintable reports whether b holds only characters YAML allows
// without escaping, and none that yaml.v3 reads as a line break other
// than \n: no carriage return, next line (U+0085), line or paragraph
// separator (U+2028, U+2029); no tabs either.
func yamlPrintable(b []byte) bool {
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		switch {
		case r == utf8.RuneError && n <= 1:
			return false
		case r == '\n', r >= 0x20 && r <= 0x7e, r >= 0xa0 && r <= 0xd7ff && r != 0x2028 && r != 0x2029, r >= 0xe000 && r <= 0xfffd && r != 0xfeff, r >= 0x10000:
		default:
			return false
		}
		b = b[n:]
	}
	return true
}

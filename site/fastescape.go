package site

// The escapers html/template inserts into the pipelines of a layout,
// written out for the fast executor (fastexec.go). Each behaves exactly as
// its namesake in Go's html/template (escape.go, html.go, url.go,
// content.go), from which the code is copied; the few cases that would
// need more of html/template's machinery (stripping the tags of
// template.HTML in an attribute, JSON in a script) return errFastUnsupported,
// which makes the layout run on html/template instead. The differential
// tests in fastexec_test.go hold them to the real ones.

import (
	"errors"
	"fmt"
	"html/template"
	"reflect"
	"strings"
	"unicode/utf8"
)

// errFastUnsupported is what the fast executor returns for a value or a
// case it does not handle: the layout then runs on html/template.
var errFastUnsupported = errors.New("not supported by the fast executor")

// fastEscaper is an html/template escaper applied to one value.
type fastEscaper func(v any) (string, error)

// stringEscaper is what an escaper does to a value of type string (not
// a named string type such as template.HTML, which has a content type):
// for a chain of escapers, where each escapes the string of the one
// before, and for a field of type string.
func stringEscaper(name string) func(string) string {
	switch name {
	case "_html_template_htmlescaper", "_html_template_attrescaper", "_html_template_rcdataescaper":
		return func(s string) string { return htmlReplace(s, htmlReplacementTable) }
	case "_html_template_urlfilter":
		return func(s string) string {
			if !isSafeURL(s) {
				return "#ZgotmplZ"
			}
			return s
		}
	case "_html_template_urlnormalizer":
		return func(s string) string { return processURLValue(true, s) }
	case "_html_template_urlescaper":
		return func(s string) string { return processURLValue(false, s) }
	}
	return nil
}

// fastEscapers are the escapers the fast executor implements, by the
// names html/template gives them in a pipeline.
func fastEscaperFor(name string) fastEscaper {
	switch name {
	case "_html_template_htmlescaper":
		return escapeHTMLValue
	case "_html_template_attrescaper":
		return escapeAttrValue
	case "_html_template_rcdataescaper":
		return escapeRCDATAValue
	case "_html_template_urlfilter":
		return filterURLValue
	case "_html_template_urlnormalizer":
		return func(v any) (string, error) { return processURLValue(true, v), nil }
	case "_html_template_urlescaper":
		return func(v any) (string, error) { return processURLValue(false, v), nil }
	case "_html_template_jsvalescaper":
		return escapeJSValue
	}
	return nil
}

// escapeHTMLValue is html/template's htmlEscaper.
func escapeHTMLValue(v any) (string, error) {
	s, html := stringifyValue(v)
	if html == contentHTML {
		return s, nil
	}
	return htmlReplace(s, htmlReplacementTable), nil
}

// escapeAttrValue is html/template's attrEscaper, but for template.HTML,
// whose tags it would strip.
func escapeAttrValue(v any) (string, error) {
	s, t := stringifyValue(v)
	if t == contentHTML {
		return "", errFastUnsupported
	}
	return htmlReplace(s, htmlReplacementTable), nil
}

// escapeRCDATAValue is html/template's rcdataEscaper.
func escapeRCDATAValue(v any) (string, error) {
	s, t := stringifyValue(v)
	if t == contentHTML {
		return htmlReplace(s, htmlNormReplacementTable), nil
	}
	return htmlReplace(s, htmlReplacementTable), nil
}

// filterURLValue is html/template's urlFilter.
func filterURLValue(v any) (string, error) {
	s, t := stringifyValue(v)
	if t == contentURL {
		return s, nil
	}
	if !isSafeURL(s) {
		return "#ZgotmplZ", nil
	}
	return s, nil
}

// escapeJSValue is html/template's jsValEscaper for template.JS, the
// output of breadcrumbList; any other value is left to html/template.
func escapeJSValue(v any) (string, error) {
	if js, ok := v.(template.JS); ok {
		return string(js), nil
	}
	return "", errFastUnsupported
}

// The content types of stringifyValue that the escapers here treat
// apart.
const (
	contentPlain = iota
	contentHTML
	contentURL
	contentOther // CSS, HTMLAttr, JS, JSStr, Srcset
)

// stringifyValue is html/template's stringify of one argument: the text
// of a value and its content type. A value of the fast executor's own
// (noValue) is the nil html/template is given.
func stringifyValue(v any) (string, int) {
	switch v.(type) {
	case nil, noValue, nilAny:
		return "", contentPlain
	}
	switch s := indirectValue(v).(type) {
	case string:
		return s, contentPlain
	case template.CSS:
		return string(s), contentOther
	case template.HTML:
		return string(s), contentHTML
	case template.HTMLAttr:
		return string(s), contentOther
	case template.JS:
		return string(s), contentOther
	case template.JSStr:
		return string(s), contentOther
	case template.URL:
		return string(s), contentURL
	case template.Srcset:
		return string(s), contentOther
	}
	return fmt.Sprint(indirectToStringerOrError(v)), contentPlain
}

// indirectValue is html/template's indirect: pointers followed to what
// they point at, stopping at nil.
func indirectValue(a any) any {
	if t := reflect.TypeOf(a); t.Kind() != reflect.Pointer {
		return a
	}
	v := reflect.ValueOf(a)
	for v.Kind() == reflect.Pointer && !v.IsNil() {
		v = v.Elem()
	}
	return v.Interface()
}

var (
	fmtStringerType = reflect.TypeFor[fmt.Stringer]()
	errorType       = reflect.TypeFor[error]()
)

// indirectToStringerOrError is html/template's: pointers followed until a
// value is a fmt.Stringer or an error, or not a pointer.
func indirectToStringerOrError(a any) any {
	v := reflect.ValueOf(a)
	for !v.Type().Implements(fmtStringerType) && !v.Type().Implements(errorType) && v.Kind() == reflect.Pointer && !v.IsNil() {
		v = v.Elem()
	}
	return v.Interface()
}

// htmlReplacementTable and htmlNormReplacementTable are html/template's.
var htmlReplacementTable = []string{
	0:    "\uFFFD",
	'"':  "&#34;",
	'&':  "&amp;",
	'\'': "&#39;",
	'+':  "&#43;",
	'<':  "&lt;",
	'>':  "&gt;",
}

var htmlNormReplacementTable = []string{
	0:    "\uFFFD",
	'"':  "&#34;",
	'\'': "&#39;",
	'+':  "&#43;",
	'<':  "&lt;",
	'>':  "&gt;",
}

// htmlReplace is html/template's htmlReplacer with badRunes true, as
// every escaper here calls it. The common case, nothing to replace, is
// found by a byte scan first.
func htmlReplace(s string, table []string) string {
	i := 0
	for i < len(s) {
		c := s[i]
		if int(c) < len(table) && table[c] != "" {
			break
		}
		i++
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	written := 0
	for w := 0; i < len(s); i += w {
		r, n := utf8.DecodeRuneInString(s[i:])
		w = n
		if int(r) < len(table) {
			if repl := table[r]; repl != "" {
				b.WriteString(s[written:i])
				b.WriteString(repl)
				written = i + w
			}
		}
	}
	b.WriteString(s[written:])
	return b.String()
}

// isSafeURL is html/template's: a relative URL, or one whose protocol is
// http, https or mailto.
func isSafeURL(s string) bool {
	if protocol, _, ok := strings.Cut(s, ":"); ok && !strings.Contains(protocol, "/") {
		if !strings.EqualFold(protocol, "http") && !strings.EqualFold(protocol, "https") && !strings.EqualFold(protocol, "mailto") {
			return false
		}
	}
	return true
}

// processURLValue is html/template's urlProcessor.
func processURLValue(norm bool, v any) string {
	s, t := stringifyValue(v)
	if t == contentURL {
		norm = true
	}
	i := 0
	for i < len(s) && urlByteKept(s, i, norm) {
		i++
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	written := 0
	for ; i < len(s); i++ {
		if urlByteKept(s, i, norm) {
			continue
		}
		b.WriteString(s[written:i])
		fmt.Fprintf(&b, "%%%02x", s[i])
		written = i + 1
	}
	b.WriteString(s[written:])
	return b.String()
}

// urlByteKept reports whether html/template's processURLOnto keeps the
// byte s[i] as it is.
func urlByteKept(s string, i int, norm bool) bool {
	c := s[i]
	switch c {
	case '!', '#', '$', '&', '*', '+', ',', '/', ':', ';', '=', '?', '@', '[', ']':
		return norm
	case '-', '.', '_', '~':
		return true
	case '%':
		return norm && i+2 < len(s) && isHexByte(s[i+1]) && isHexByte(s[i+2])
	}
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

func isHexByte(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

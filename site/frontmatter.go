package site

import (
	"bytes"
	"fmt"
	"hash/fnv"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/BurntSushi/toml"
	"gopkg.in/yaml.v3"
)

// FrontMatter is the typed front matter of one page. Keys the generator
// does not know are kept in Params for the layouts.
type FrontMatter struct {
	Title        string
	Description  string
	NavTitle     string
	Weight       int
	Date         time.Time
	Lastmod      time.Time
	LastReviewed time.Time
	ReviewBy     time.Time
	Draft        bool
	TOC          bool
	Slug         string
	URL          string
	Aliases      []string
	Layout       string
	Owner        string
	Menu         string
	Params       map[string]any

	// Lines maps each key to the line of the source file it was set on.
	Lines map[string]int
}

// A source is a content file split into front matter and body.
type source struct {
	fm       FrontMatter
	fmText   string // the front matter as written, to tell a body edit from a tree change
	body     []byte
	bodyLine int // line of the file on which body starts
	sum      uint64
	bodyOff  int  // where body starts in the file's normalized text
	dropped  bool // body was let go after the first read (see dropBody)
}

var bom = []byte("\xef\xbb\xbf")

// parsePage splits and decodes a Markdown file. name is used in errors.
func parsePage(name string, data []byte) (*source, Errors) {
	data = normalizeText(data)
	if bytes.IndexByte(data, 0) >= 0 {
		return nil, Errors{errorf(name, 0, "this is a binary file, not Markdown text; remove it or give it another extension")}
	}
	if !utf8.Valid(data) {
		line := 1 + bytes.Count(data[:firstInvalidUTF8(data)], []byte("\n"))
		return nil, Errors{errorf(name, line, "text is not UTF-8; save the file with UTF-8 encoding")}
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, Errors{errorf(name, 1, "the file is empty; add front matter with at least a title:\n---\ntitle: Page title\n---")}
	}
	delim, fm, body, bodyLine, err := splitFrontMatter(name, data)
	if err != nil {
		return nil, Errors{err}
	}
	entries, err := decodeFrontMatter(name, delim, fm)
	if err != nil {
		return nil, Errors{err}
	}
	m, errs := typedFrontMatter(name, entries)
	if len(errs) > 0 {
		return nil, errs
	}
	return &source{fm: m, fmText: string(fm), body: body, bodyLine: bodyLine, sum: checksum(data), bodyOff: len(data) - len(body)}, nil
}

// normalizeText drops a byte order mark and turns CR LF and CR line
// endings into LF: the text parsePage and checksum see.
func normalizeText(data []byte) []byte {
	data = bytes.TrimPrefix(data, bom)
	if bytes.Contains(data, []byte("\r")) {
		data = bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
		data = bytes.ReplaceAll(data, []byte("\r"), []byte("\n"))
	}
	return data
}

func checksum(b []byte) uint64 {
	h := fnv.New64a()
	h.Write(b)
	return h.Sum64()
}

func firstInvalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return len(b)
}

// splitFrontMatter finds the front matter block opened by --- (YAML) or
// +++ (TOML) on the first line.
func splitFrontMatter(name string, data []byte) (delim string, fm, body []byte, bodyLine int, err *Error) {
	first, rest, _ := bytes.Cut(data, []byte("\n"))
	delim = string(bytes.TrimRight(first, " \t"))
	if delim != "---" && delim != "+++" {
		return "", nil, nil, 0, errorf(name, 1, "no front matter: start the file with a line ---, then title: Page title, then a closing ---")
	}
	line := 2
	for off := 0; off <= len(rest); {
		end := bytes.IndexByte(rest[off:], '\n')
		var l []byte
		if end < 0 {
			l = rest[off:]
		} else {
			l = rest[off : off+end]
		}
		if string(bytes.TrimRight(l, " \t")) == delim {
			bodyStart := len(rest)
			if end >= 0 {
				bodyStart = off + end + 1
			}
			return delim, rest[:off], rest[bodyStart:], line + 1, nil
		}
		if end < 0 {
			break
		}
		off += end + 1
		line++
	}
	return "", nil, nil, 0, errorf(name, 1, "front matter opened with %s is never closed; add a line %s after the last key", delim, delim)
}

type fmEntry struct {
	key  string
	line int
	val  any
}

var yamlLineRE = regexp.MustCompile(`line (\d+)`)

// decodeFrontMatter decodes YAML or TOML into key/value pairs in source
// order, each with the file line it is on (front matter starts on line 2).
func decodeFrontMatter(name, delim string, fm []byte) ([]fmEntry, *Error) {
	if delim == "+++" {
		return decodeTOML(name, fm)
	}
	if entries, ok := fastYAML(fm); ok {
		return entries, nil
	}
	return decodeYAML(name, fm)
}

// decodeYAML reads front matter with the full YAML parser.
func decodeYAML(name string, fm []byte) ([]fmEntry, *Error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(fm, &doc); err != nil {
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		line := 2
		if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
			n, _ := strconv.Atoi(m[1])
			line = n + 1
			msg = strings.TrimSpace(strings.Replace(msg, m[0]+":", "", 1))
		}
		return nil, errorf(name, line, "front matter is not valid YAML: %s", msg)
	}
	if len(doc.Content) == 0 {
		return nil, nil
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, errorf(name, root.Line+1, "front matter must be a list of key: value lines")
	}
	entries := make([]fmEntry, 0, len(root.Content)/2)
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		var val any
		if err := v.Decode(&val); err != nil {
			return nil, errorf(name, v.Line+1, "%s: %v", k.Value, err)
		}
		if v.Kind == yaml.ScalarNode && v.Tag == "!!timestamp" {
			if t, ok := val.(time.Time); !ok || t.IsZero() {
				val = v.Value
			}
		}
		entries = append(entries, fmEntry{key: k.Value, line: k.Line + 1, val: val})
	}
	return entries, nil
}

func decodeTOML(name string, fm []byte) ([]fmEntry, *Error) {
	var m map[string]any
	md, err := toml.Decode(string(fm), &m)
	if err != nil {
		line := 2
		if pe, ok := err.(toml.ParseError); ok {
			line = pe.Position.Line + 1
			return nil, errorf(name, line, "front matter is not valid TOML: %s", pe.Message)
		}
		return nil, errorf(name, line, "front matter is not valid TOML: %v", err)
	}
	lines := bytes.Split(fm, []byte("\n"))
	var entries []fmEntry
	seen := map[string]bool{}
	for _, k := range md.Keys() {
		if len(k) != 1 || seen[k[0]] {
			continue
		}
		seen[k[0]] = true
		entries = append(entries, fmEntry{key: k[0], line: tomlKeyLine(lines, k[0]), val: m[k[0]]})
	}
	return entries, nil
}

func tomlKeyLine(lines [][]byte, key string) int {
	for i, l := range lines {
		l = bytes.TrimSpace(l)
		l = bytes.Trim(l, "[")
		l = bytes.TrimPrefix(l, []byte(`"`))
		if bytes.HasPrefix(l, []byte(key)) {
			rest := bytes.TrimLeft(l[len(key):], `" `)
			if len(rest) == 0 || rest[0] == '=' || rest[0] == ']' {
				return i + 2
			}
		}
	}
	return 2
}

// typedFrontMatter checks the type of each known key.
func typedFrontMatter(name string, entries []fmEntry) (FrontMatter, Errors) {
	fm := FrontMatter{Params: map[string]any{}, Lines: map[string]int{}}
	var errs Errors
	bad := func(e fmEntry, format string, args ...any) {
		errs = append(errs, errorf(name, e.line, "%s: "+format, append([]any{e.key}, args...)...))
	}
	for _, e := range entries {
		fm.Lines[e.key] = e.line
		var err string
		switch e.key {
		case "title":
			fm.Title, err = asString(e.val)
		case "description":
			fm.Description, err = asString(e.val)
		case "nav_title":
			fm.NavTitle, err = asString(e.val)
		case "slug":
			fm.Slug, err = asString(e.val)
		case "url":
			fm.URL, err = asString(e.val)
		case "layout":
			fm.Layout, err = asString(e.val)
		case "owner":
			fm.Owner, err = asString(e.val)
		case "menu":
			fm.Menu, err = asString(e.val)
			if err == "" && fm.Menu != "main" && fm.Menu != "footer" && fm.Menu != "none" {
				err = fmt.Sprintf("%q is not a menu; use main, footer or none", fm.Menu)
			}
		case "weight":
			fm.Weight, err = asInt(e.val)
		case "date":
			fm.Date, err = asDate(e.val)
		case "lastmod":
			fm.Lastmod, err = asDate(e.val)
		case "last_reviewed":
			fm.LastReviewed, err = asDate(e.val)
		case "review_by":
			fm.ReviewBy, err = asDate(e.val)
		case "draft":
			fm.Draft, err = asBool(e.val)
		case "toc":
			fm.TOC, err = asBool(e.val)
		case "aliases":
			fm.Aliases, err = asStrings(e.val)
		default:
			fm.Params[e.key] = e.val
		}
		if err != "" {
			bad(e, "%s", err)
		}
	}
	if _, ok := fm.Lines["title"]; !ok {
		errs = append(errs, errorf(name, 1, "title is missing; add a line title: Page title to the front matter"))
	} else if strings.TrimSpace(fm.Title) == "" && len(errs) == 0 {
		errs = append(errs, errorf(name, fm.Lines["title"], "title is empty; give the page a title"))
	}
	return fm, errs
}

func asString(v any) (string, string) {
	switch v := v.(type) {
	case string:
		return v, ""
	case nil:
		return "", ""
	case int, int64, float64, bool:
		return fmt.Sprint(v), ""
	case time.Time:
		return v.Format("2006-01-02"), ""
	}
	return "", fmt.Sprintf("%s is not text; write a single line of text", describe(v))
}

func asInt(v any) (int, string) {
	switch v := v.(type) {
	case int:
		return v, ""
	case int64:
		if v >= math.MinInt32 && v <= math.MaxInt32 {
			return int(v), ""
		}
	case float64:
		if v == math.Trunc(v) && math.Abs(v) <= math.MaxInt32 {
			return int(v), ""
		}
	case string:
		if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil {
			return n, ""
		}
	}
	return 0, fmt.Sprintf("%s is not a whole number; write a number such as 10", describe(v))
}

var dateLayouts = []string{"2006-01-02", time.RFC3339, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02 15:04"}

func asDate(v any) (time.Time, string) {
	switch v := v.(type) {
	case time.Time:
		return v, ""
	case string:
		s := strings.TrimSpace(v)
		for _, l := range dateLayouts {
			if t, err := time.Parse(l, s); err == nil {
				return t, ""
			}
		}
	}
	return time.Time{}, fmt.Sprintf("%s is not a date; write it as YYYY-MM-DD, for example 2003-11-24", describe(v))
}

func asBool(v any) (bool, string) {
	if b, ok := v.(bool); ok {
		return b, ""
	}
	return false, fmt.Sprintf("%s is not true or false", describe(v))
}

func asStrings(v any) ([]string, string) {
	switch v := v.(type) {
	case string:
		return []string{v}, ""
	case nil:
		return nil, ""
	case []any:
		out := make([]string, 0, len(v))
		for _, x := range v {
			s, ok := x.(string)
			if !ok {
				return nil, fmt.Sprintf("%s is not a path; write each alias as a site path such as /old/page.htm", describe(x))
			}
			out = append(out, s)
		}
		return out, ""
	}
	return nil, fmt.Sprintf("%s is not a list of paths; write a list such as [/old/page.htm]", describe(v))
}

func describe(v any) string {
	switch v := v.(type) {
	case string:
		return strconv.Quote(v)
	case nil:
		return "an empty value"
	case []any:
		return "a list"
	case map[string]any:
		return "a set of keys"
	}
	return fmt.Sprint(v)
}

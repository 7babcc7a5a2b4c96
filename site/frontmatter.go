package site

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"hash/maphash"
	"math"
	"regexp"
	"slices"
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
	Changes      []PageChange // newest first

	// Lines maps each key to the line of the source file it was set on.
	Lines keyLines
	// Timed holds the date keys written with a time of day, not a day
	// alone: the sitemap gives those their time.
	Timed map[string]bool
}

// A source is a content file split into front matter and body.
type source struct {
	// fm is the typed front matter, read as the tree is assembled. A
	// build that keeps no state for a next one lets it go then (see
	// dropFrontMatter): what the build needs of it afterwards is below.
	fm           *FrontMatter
	lines        keyLines // fm.Lines
	lastmod      time.Time
	lastmodTimed bool   // fm.lastmodTimed()
	dropped      bool   // body was let go after the first read (see dropBody)
	fmText       string // the front matter as written, to tell a body edit from a tree change
	warns        Errors // warnings about the front matter, given each time the page is rendered
	body         []byte
	bodyLine     int // line of the file on which body starts
	sum          uint64
	bodyOff      int // where body starts in the file's normalized text
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
	m, warns, errs := typedFrontMatter(name, entries)
	if len(errs) > 0 {
		return nil, errs
	}
	return &source{fm: &m, lines: m.Lines, lastmod: m.Lastmod, lastmodTimed: m.lastmodTimed(), fmText: string(fm), warns: warns, body: body, bodyLine: bodyLine, sum: checksum(data), bodyOff: len(data) - len(body)}, nil
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

// checksum is a hash of a source file's text, to tell whether it changed
// within one process (a build's second read, the preview's edits). It
// is maphash, which reads 8 bytes at a time: FNV-1a, one byte at a time,
// was 2% of a build's CPU on long pages.
func checksum(b []byte) uint64 { return maphash.Bytes(sourceSeed, b) }

// sourceSeed keys checksum within one process.
var sourceSeed = maphash.MakeSeed()

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

// An fmEntry is one top-level key of the front matter with its value.
type fmEntry struct {
	key   string
	line  int    // of the file
	val   any    // as the YAML or TOML decoder reads it
	raw   string // a scalar as written, for messages
	clock bool   // a date value written with a time of day
}

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
		return nil, yamlSyntaxError(name, fm, err)
	}
	if len(doc.Content) == 0 {
		return nil, nil
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, errorf(name, root.Line+1, "front matter must be a list of key: value lines")
	}
	if deep := yamlTooDeep(root, 0); deep != nil {
		return nil, tooDeep(name, deep.Line+1)
	}
	if err := yamlDuplicateKey(name, root); err != nil {
		return nil, err
	}
	entries := make([]fmEntry, 0, len(root.Content)/2)
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		e, err := yamlEntry(name, k, v)
		if err != nil {
			return nil, err
		}
		entries = append(entries, e)
	}
	return entries, nil
}

// yamlDupRE finds yaml.v3's report of a key set twice below the top level.
var yamlDupRE = regexp.MustCompile(`line (\d+): mapping key "(.*)" already defined at line (\d+)`)

// yamlEntry decodes the value of one top-level key.
func yamlEntry(name string, k, v *yaml.Node) (fmEntry, *Error) {
	var val any
	if err := v.Decode(&val); err != nil {
		if m := yamlDupRE.FindStringSubmatch(err.Error()); m != nil {
			line, _ := strconv.Atoi(m[1])
			first, _ := strconv.Atoi(m[3])
			return fmEntry{}, errorf(name, line+1, "%s: %s is set twice, on line %d and again here; keep one of them", k.Value, m[2], first+1)
		}
		if strings.Contains(err.Error(), "excessive aliasing") {
			return fmEntry{}, errorf(name, v.Line+1, "%s: this value's aliases (*%s) repeat other values so many times over that the front matter would hold millions of them (a \"billion laughs\"); write the values out instead of repeating them with & and *", k.Value, firstAlias(v))
		}
		return fmEntry{}, errorf(name, v.Line+1, "%s: %s", k.Value, strings.TrimPrefix(err.Error(), "yaml: "))
	}
	e := fmEntry{key: k.Value, line: k.Line + 1, val: val}
	if v.Kind == yaml.ScalarNode {
		e.raw = v.Value
	}
	if v.Kind == yaml.ScalarNode && v.Tag == "!!timestamp" {
		if t, ok := val.(time.Time); !ok || t.IsZero() {
			e.val = v.Value
		} else {
			// YAML writes a time after a T, t or space; a day alone has none.
			e.clock = strings.ContainsAny(strings.TrimSpace(v.Value), "Tt ")
		}
	}
	return e, nil
}

// firstAlias is the name of the first alias (*name) in n, or "".
func firstAlias(n *yaml.Node) string {
	if n.Kind == yaml.AliasNode {
		return n.Value
	}
	for _, c := range n.Content {
		if a := firstAlias(c); a != "" {
			return a
		}
	}
	return ""
}

// yamlDuplicateKey reports a top-level key set twice, naming both lines.
// (yaml.v3 reports duplicates only below the top level, and the fast
// reader leaves any block with a repeated key to this path.)
func yamlDuplicateKey(name string, root *yaml.Node) *Error {
	first := make(map[string]int, len(root.Content)/2)
	for i := 0; i+1 < len(root.Content); i += 2 {
		k := root.Content[i]
		if k.Kind != yaml.ScalarNode {
			continue
		}
		if line, ok := first[k.Value]; ok {
			return errorf(name, k.Line+1, "%s is set twice, on line %d and again here; keep one of them", k.Value, line)
		}
		first[k.Value] = k.Line + 1
	}
	return nil
}

func decodeTOML(name string, fm []byte) ([]fmEntry, *Error) {
	if depth, line := tomlDepth(fm, maxNesting); depth > maxNesting {
		return nil, tooDeep(name, line+2)
	}
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
	keyLines := tomlKeyLines(lines)
	var entries []fmEntry
	seen := map[string]bool{}
	for _, k := range md.Keys() {
		if len(k) != 1 || seen[k[0]] {
			continue
		}
		seen[k[0]] = true
		val, clock := tomlDate(m[k[0]])
		line, ok := keyLines[k[0]]
		if !ok {
			line = 2
		}
		entries = append(entries, fmEntry{key: k[0], line: line, val: val, raw: tomlNumber(lines[line-2], k[0], val), clock: clock})
	}
	return entries, nil
}

// tomlDate gives a TOML date or date-time without an offset the same
// time YAML gives it (UTC), whatever the machine's zone; clock tells a
// value with a time of day. Other values are returned as they are.
func tomlDate(v any) (any, bool) {
	t, ok := v.(time.Time)
	if !ok {
		return v, false
	}
	switch t.Location().String() {
	case "date-local":
		return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC), false
	case "datetime-local":
		return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC), true
	case "time-local":
		return t, false
	}
	return t, true
}

// tomlNumber returns a number as written on its key's line, for
// messages; "" for other values.
func tomlNumber(line []byte, key string, v any) string {
	switch v.(type) {
	case int64, float64:
		k, val, _ := bytes.Cut(line, []byte("="))
		if !bytes.Contains(k, []byte(key)) {
			return ""
		}
		val, _, _ = bytes.Cut(val, []byte("#"))
		return string(bytes.TrimSpace(val))
	}
	return ""
}

// maxLineKey is the longest key whose line tomlKeyLines finds: lines
// are needed for the known keys and the keys near one (nearKey takes
// keys of up to 20 bytes), not for the others.
const maxLineKey = 24

// tomlKeyLines finds the line (front matter starts on line 2) of each
// top-level key of up to maxLineKey bytes in one pass over the lines: a
// key is on the first line that, without its leading [ and ", starts
// with it, followed by nothing but " and spaces before =, ] or the end.
// Looking for each key from the top took time in the square of the
// number of keys. TestTOMLKeyLinesOracle holds it to the one-key search.
func tomlKeyLines(lines [][]byte) map[string]int {
	found := map[string]int{}
	for i, l := range lines {
		l = bytes.TrimSpace(l)
		l = bytes.Trim(l, "[")
		l = bytes.TrimPrefix(l, []byte(`"`))
		for k := 0; k <= min(len(l), maxLineKey); k++ {
			rest := bytes.TrimLeft(l[k:], `" `)
			if len(rest) > 0 && rest[0] != '=' && rest[0] != ']' {
				continue
			}
			if _, ok := found[string(l[:k])]; !ok {
				found[string(l[:k])] = i + 2
			}
		}
	}
	return found
}

// frontMatterKeys are the keys the generator reads; others go to Params.
var frontMatterKeys = [...]string{"title", "description", "nav_title", "slug", "url", "layout", "owner", "menu",
	"weight", "date", "lastmod", "last_reviewed", "review_by", "draft", "toc", "aliases", "changes"}

// typedFrontMatter checks the type of each known key. A key set to null
// is unset. It warns about an unknown key that looks like a misspelt
// known one.
func typedFrontMatter(name string, entries []fmEntry) (fm FrontMatter, warns, errs Errors) {
	fm = FrontMatter{}
	for _, e := range entries {
		if !slices.Contains(frontMatterKeys[:], e.key) {
			if k := nearKey(e.key); k != "" {
				w := errorf(name, e.line, "%s: unknown key; did you mean %s? (if not, it is kept in .Params for the layouts)", e.key, k)
				w.Rule = "unknown-key"
				warns = append(warns, w)
			}
		}
		if e.val == nil {
			if e.key == "title" {
				fm.Lines.put(e.key, e.line) // an empty title, reported below
			}
			continue
		}
		fm.Lines.put(e.key, e.line)
		if msg := fm.set(e); msg != "" {
			errs = append(errs, errorf(name, e.line, "%s: %s", e.key, msg))
		}
	}
	if !fm.Lines.has("title") {
		errs = append(errs, errorf(name, 1, "title is missing; add a line title: Page title to the front matter"))
	} else if strings.TrimSpace(fm.Title) == "" && len(errs) == 0 {
		errs = append(errs, errorf(name, fm.Lines.line("title"), "title is empty; give the page a title"))
	}
	return fm, warns, errs
}

// set stores one key, or returns what is wrong with its value.
func (fm *FrontMatter) set(e fmEntry) (msg string) {
	switch e.key {
	case "title":
		fm.Title, msg = asString(e.val)
	case "description":
		fm.Description, msg = asString(e.val)
	case "nav_title":
		fm.NavTitle, msg = asString(e.val)
	case "slug":
		fm.Slug, msg = asString(e.val)
	case "url":
		fm.URL, msg = asString(e.val)
	case "layout":
		fm.Layout, msg = asString(e.val)
	case "owner":
		fm.Owner, msg = asString(e.val)
	case "menu":
		fm.Menu, msg = asString(e.val)
		if msg == "" && fm.Menu != "main" && fm.Menu != "footer" && fm.Menu != "none" {
			msg = fmt.Sprintf("%q is not a menu; use main, footer or none", fm.Menu)
		}
	case "weight":
		fm.Weight, msg = asInt(e)
	case "date":
		msg = fm.setDate(&fm.Date, e)
	case "lastmod":
		msg = fm.setDate(&fm.Lastmod, e)
	case "last_reviewed":
		msg = fm.setDate(&fm.LastReviewed, e)
	case "review_by":
		msg = fm.setDate(&fm.ReviewBy, e)
	case "draft":
		fm.Draft, msg = asBool(e.val)
	case "toc":
		fm.TOC, msg = asBool(e.val)
	case "aliases":
		fm.Aliases, msg = asStrings(e.val)
	case "changes":
		fm.Changes, msg = asChanges(e.val)
	default:
		if fm.Params == nil { // most pages have none: no map for each
			fm.Params = map[string]any{}
		}
		fm.Params[e.key] = e.val
	}
	return msg
}

// setDate stores a date, and notes whether it has a time of day.
func (fm *FrontMatter) setDate(dst *time.Time, e fmEntry) string {
	t, clock, msg := asDate(e)
	*dst = t
	if clock {
		if fm.Timed == nil {
			fm.Timed = map[string]bool{}
		}
		fm.Timed[e.key] = true
	}
	return msg
}

// lastmodTimed reports whether the page's lastmod (its date when it has
// no lastmod) was written with a time of day.
func (fm *FrontMatter) lastmodTimed() bool {
	if !fm.Lastmod.IsZero() {
		return fm.Timed["lastmod"]
	}
	return fm.Timed["date"]
}

// nearKey returns the known key that key is a likely misspelling of:
// within one edit (a letter added, dropped, changed, or two swapped) of
// a key of up to five letters, within two of a longer one; else "".
func nearKey(key string) string {
	if len(key) > 20 {
		return ""
	}
	for _, k := range frontMatterKeys {
		limit := 1
		if len(k) > 5 {
			limit = 2
		}
		if absInt(len(key)-len(k)) <= limit && editDistance(key, k) <= limit {
			return k
		}
	}
	return ""
}

func absInt(n int) int { return max(n, -n) }

// editDistance is the optimal string alignment distance between a and b:
// insertions, deletions, substitutions and swaps of neighbouring bytes.
func editDistance(a, b string) int {
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
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

// asInt reads a whole number that fits in 32 bits; a number out of
// range is named as written.
func asInt(e fmEntry) (int, string) {
	var f float64
	switch v := e.val.(type) {
	case int:
		f = float64(v)
	case int64:
		f = float64(v)
	case float64:
		f = v
	case string:
		n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if err != nil && !errors.Is(err, strconv.ErrRange) {
			return 0, notWhole(e.val)
		}
		f = float64(n)
		if err != nil {
			f = math.Inf(1)
			if strings.HasPrefix(strings.TrimSpace(v), "-") {
				f = math.Inf(-1)
			}
		}
	default:
		return 0, notWhole(e.val)
	}
	if math.IsNaN(f) || f != math.Trunc(f) {
		return 0, notWhole(e.val)
	}
	if f > math.MaxInt32 || f < math.MinInt32 {
		written := cmp.Or(strings.TrimSpace(e.raw), strings.TrimSpace(fmt.Sprint(e.val)))
		if f > 0 {
			return 0, fmt.Sprintf("%s is too large; write a smaller whole number, such as 10", written)
		}
		return 0, fmt.Sprintf("%s is too far below zero; write a whole number such as -10", written)
	}
	return int(f), ""
}

func notWhole(v any) string {
	return fmt.Sprintf("%s is not a whole number; write a number such as 10", describe(v))
}

// dateLayouts are the forms a date may take in front matter: Hugo's,
// with or without a time of day and a zone. A time without a zone is
// UTC. clock tells a form with a time of day.
var dateLayouts = []struct {
	layout string
	clock  bool
}{
	{"2006-01-02", false},
	{time.RFC3339, true}, // parsing takes fractions of a second after any seconds field
	{"2006-01-02T15:04:05", true},
	{"2006-01-02T15:04:05-0700", true},
	{"2006-01-02T15:04", true},
	{"2006-01-02T15:04Z07:00", true},
	{"2006-01-02 15:04:05Z07:00", true},
	{"2006-01-02 15:04:05Z0700", true},
	{"2006-01-02 15:04:05 -07:00", true},
	{"2006-01-02 15:04:05 -0700", true},
	{"2006-01-02 15:04:05 -0700 MST", true}, // Go's Time.String
	{"2006-01-02 15:04:05", true},
	{"2006-01-02 15:04", true},
	{"2006-01-02 15:04 -0700", true},
	{time.RFC1123Z, true},
	{time.RFC1123, true},
	{time.RFC822Z, true},
	{time.RFC822, true},
	{time.RFC850, true},
	{time.ANSIC, true},
	{time.UnixDate, true},
	{time.RubyDate, true},
	{"02 Jan 2006", false},
}

// parseDate reads a date written in one of dateLayouts. Hours may have
// one digit (7:37). A zone named by letters (EST) counts as UTC, as in
// Hugo: write an offset (-0500) instead.
func parseDate(s string) (t time.Time, clock, ok bool) {
	s = strings.TrimSpace(s)
	for _, l := range dateLayouts {
		if t, err := time.ParseInLocation(l.layout, s, time.UTC); err == nil {
			return t, l.clock, true
		}
	}
	return time.Time{}, false, false
}

// asDate reads a date, and reports whether it has a time of day. A year
// before 1000 or after 9999 is a slip (0000-01-01, 0204-05-01), which
// would sort the page first or last everywhere and print as a year no
// reader would believe.
func asDate(e fmEntry) (time.Time, bool, string) {
	switch v := e.val.(type) {
	case time.Time:
		if v.Location().String() == "time-local" { // TOML's time of day alone
			return time.Time{}, false, fmt.Sprintf("%s is a time of day without a date; write the date too, for example 2003-11-24T%s", v.Format("15:04:05"), v.Format("15:04:05"))
		}
		return v, e.clock, implausibleYear(v)
	case string:
		if t, clock, ok := parseDate(v); ok {
			return t, clock, implausibleYear(t)
		}
	}
	return time.Time{}, false, fmt.Sprintf("%s is not a date; write it as YYYY-MM-DD, for example 2003-11-24, or with a time, such as 2003-11-24T09:30:00Z", describe(e.val))
}

// implausibleYear is the message for a date whose year is before 1000
// or after 9999, or "".
func implausibleYear(t time.Time) string {
	if y := t.Year(); y < 1000 || y > 9999 {
		return fmt.Sprintf("%s has the year %d, which cannot be right; write a date such as 2024-05-01", t.Format("2006-01-02"), y)
	}
	return ""
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

// keyLines maps front matter keys to the lines of the source file they
// were set on. A build holds one for each page, so the keys the generator
// knows take two bytes each, in place; other keys, and known keys past
// line 65,535, both rare, go to a map.
type keyLines struct {
	known [len(frontMatterKeys)]uint16 // by the key's place in frontMatterKeys
	set   uint32                       // bit i: known[i] is set
	other map[string]int
}

// keyLines.set has a bit for each known key.
var _ [32 - len(frontMatterKeys)]struct{}

// line is the line key was set on; 0 when it was not.
func (l *keyLines) line(key string) int {
	n, _ := l.lookup(key)
	return n
}

// has reports whether key was set.
func (l *keyLines) has(key string) bool {
	_, ok := l.lookup(key)
	return ok
}

func (l *keyLines) lookup(key string) (int, bool) {
	if i := knownKey(key); i >= 0 && l.set&(1<<i) != 0 {
		return int(l.known[i]), true
	}
	n, ok := l.other[key]
	return n, ok
}

// put records that key was set on line.
func (l *keyLines) put(key string, line int) {
	i := knownKey(key)
	if i >= 0 && line >= 0 && line <= math.MaxUint16 {
		l.known[i], l.set = uint16(line), l.set|1<<i
		delete(l.other, key)
		return
	}
	if i >= 0 {
		l.set &^= 1 << i
	}
	if l.other == nil {
		l.other = map[string]int{}
	}
	l.other[key] = line
}

// knownKey is the place of key in frontMatterKeys, or -1.
func knownKey(key string) int {
	for i, k := range frontMatterKeys {
		if k == key {
			return i
		}
	}
	return -1
}

// dropFrontMatter lets go of the typed front matter of pages once the
// tree is assembled, in a build that keeps no state for a next one: the
// pages hold what the layouts read of it, and their sources what the
// build needs of it afterwards.
func dropFrontMatter(pages []*Page) {
	for _, p := range pages {
		if p.src != nil {
			p.src.fm = nil
		}
	}
}

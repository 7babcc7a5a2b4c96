package site

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/BurntSushi/toml"
)

// stringTables holds each language's interface strings, from
// layouts/i18n/<code>.toml: the English text as the key and the language's
// text as the value, such as "Contents" = "Cynnwys". The default language
// needs no table: its strings are the keys. It is read-only once loaded.
type stringTables map[string]map[string]string

// readStrings reads the tables of layouts/i18n. A missing folder is no
// tables; a symbolic link is refused, as in the rest of layouts/.
func readStrings(fsys fs.FS) (stringTables, Errors) {
	const dir = "layouts/i18n"
	if symlinked(fsys, dir) {
		return nil, Errors{layoutLinkError(dir)}
	}
	entries, err := fs.ReadDir(fsys, dir)
	if errors.Is(err, fs.ErrNotExist) {
		return stringTables{}, nil
	}
	if err != nil {
		return nil, Errors{errorf(dir, 0, "cannot read: %v", unwrapPathError(err))}
	}
	t := stringTables{}
	var errs Errors
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || path.Ext(name) != ".toml" || ignoredName(name) {
			continue
		}
		file := dir + "/" + name
		if e.Type()&fs.ModeSymlink != 0 {
			errs = append(errs, layoutLinkError(file))
			continue
		}
		table, err := readTable(fsys, file)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		t[strings.TrimSuffix(name, ".toml")] = table
	}
	return t, errs
}

// readTable reads one language's table.
func readTable(fsys fs.FS, file string) (map[string]string, *Error) {
	data, err := readInput(fsys, file)
	if err != nil {
		return nil, readError(file, err, "")
	}
	if !utf8.Valid(data) {
		return nil, errorf(file, 0, "text is not UTF-8; save the file with UTF-8 encoding")
	}
	// A table is flat; one nested thousands of levels deep would take the
	// TOML decoder minutes, as in front matter.
	if depth, line := tomlDepth(data, maxNesting); depth > maxNesting {
		return nil, errorf(file, line+1, "nested more than %d levels deep here; write each string as \"English\" = \"translation\"", maxNesting)
	}
	var raw map[string]any
	if _, err := toml.Decode(string(data), &raw); err != nil {
		var perr toml.ParseError
		if errors.As(err, &perr) {
			return nil, errorf(file, perr.Position.Line, "%s; write each string as \"English\" = \"translation\"", perr.Message)
		}
		return nil, errorf(file, 0, "%v", err)
	}
	table := make(map[string]string, len(raw))
	for k, v := range raw {
		s, ok := v.(string)
		if !ok {
			return nil, errorf(file, lineOf(string(data), k), "%q is not text; write \"English\" = \"translation\", in quotes", k)
		}
		table[k] = s
	}
	return table, nil
}

// lineOf finds the line where a key is set in a TOML table, or 0.
func lineOf(text, key string) int {
	for i, line := range strings.Split(text, "\n") {
		l := strings.TrimSpace(line)
		if strings.HasPrefix(l, strconv.Quote(key)) || strings.HasPrefix(l, key+" ") || strings.HasPrefix(l, key+"=") {
			return i + 1
		}
	}
	return 0
}

// translate is the i18n function of layouts: {{ i18n . "Contents" }}
// gives "Contents" on a page in the default language, and the language's
// string on a page in another. The first argument is a page, the site,
// or a language code. A string missing from a language's table is an
// error, so that no page is left half translated.
func (t stringTables) translate(ctx any, key string) (string, error) {
	l := contextLanguage(ctx)
	if l == nil || l.Default {
		return key, nil
	}
	file := "layouts/i18n/" + l.Code + ".toml"
	table, ok := t[l.Code]
	if !ok {
		return "", fmt.Errorf("there is no %s for the %s pages; create it with the line %q = \"…\"", file, l.EnglishName(), key)
	}
	s, ok := table[key]
	if !ok {
		return "", fmt.Errorf("%s has no %s for %q; add the line %q = \"…\"", file, l.EnglishName(), key, key)
	}
	return s, nil
}

// contextLanguage is the language of a page, a site view or a code.
func contextLanguage(ctx any) *Language {
	switch c := ctx.(type) {
	case *Page:
		if c.Site != nil && c.standIn {
			return c.Site.Lang
		}
		return c.Language
	case *Site:
		return c.Lang
	case *Language:
		return c
	}
	return nil
}

// date is the date function of layouts: {{ date . .Lastmod }} writes a
// date in the language of the page (or site), day, month and year:
// "24 November 2003", "24 Tachwedd 2003". A language's month names come
// from its table ("November" = "Tachwedd"); Welsh has its own built in.
func (t stringTables) date(ctx any, d time.Time) (string, error) {
	if d.IsZero() {
		return "", nil
	}
	month, err := t.translate(ctx, d.Month().String())
	if err != nil {
		if l := contextLanguage(ctx); l == nil || l.Code != "cy" {
			return "", err
		}
		month = welshMonth(d.Month())
	}
	return fmt.Sprintf("%d %s %d", d.Day(), month, d.Year()), nil
}

// welshMonth is a month's name in Welsh.
func welshMonth(m time.Month) string {
	return [12]string{"Ionawr", "Chwefror", "Mawrth", "Ebrill", "Mai", "Mehefin",
		"Gorffennaf", "Awst", "Medi", "Hydref", "Tachwedd", "Rhagfyr"}[m-1]
}

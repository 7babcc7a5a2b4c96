package site

import (
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

func TestStringsAndDates(t *testing.T) {
	fsys := fstest.MapFS{
		"layouts/i18n/cy.toml": {Data: []byte("\"Contents\" = \"Cynnwys\"\n")},
		"layouts/i18n/ga.toml": {Data: []byte("\"November\" = \"Samhain\"\n")},
	}
	tables, errs := readStrings(fsys)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	en := &Language{Code: "en", Lang: "en-GB", Default: true}
	cy := &Language{Code: "cy", Lang: "cy", Name: "Cymraeg"}
	ga := &Language{Code: "ga", Lang: "ga", Name: "Gaeilge"}
	fr := &Language{Code: "fr", Lang: "fr", Name: "Français"}
	day := time.Date(2003, 11, 24, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		l    *Language
		want string
	}{{en, "24 November 2003"}, {cy, "24 Tachwedd 2003"}, {ga, "24 Samhain 2003"}} {
		if got, err := tables.date(c.l, day); got != c.want || err != nil {
			t.Errorf("date in %s = %q, %v; want %q", c.l.Code, got, err, c.want)
		}
	}
	// A page or a site gives its language.
	page := &Page{Language: cy}
	if got, _ := tables.date(page, time.Date(2003, 6, 12, 0, 0, 0, 0, time.UTC)); got != "12 Mehefin 2003" {
		t.Errorf("date of a Welsh page = %q", got)
	}
	if got, _ := tables.translate(&Site{Lang: cy}, "Contents"); got != "Cynnwys" {
		t.Errorf("i18n on the Welsh site = %q", got)
	}
	if got, _ := tables.translate(page, "Contents"); got != "Cynnwys" {
		t.Errorf("i18n on a Welsh page = %q", got)
	}
	if got, _ := tables.translate(en, "Contents"); got != "Contents" {
		t.Errorf("i18n in English = %q", got)
	}
	if _, err := tables.date(fr, day); err == nil || !strings.Contains(err.Error(), "there is no layouts/i18n/fr.toml") {
		t.Errorf("a date in a language with no table: %v", err)
	}
	if _, err := tables.translate(cy, "Search"); err == nil || !strings.Contains(err.Error(), `layouts/i18n/cy.toml has no Welsh for "Search"; add the line "Search" = "…"`) {
		t.Errorf("a missing string: %v", err)
	}
	if got, _ := tables.date(cy, time.Time{}); got != "" {
		t.Errorf("no date: %q", got)
	}
}

// TestStringsTooDeep: a table nested thousands of levels deep is refused
// before the TOML decoder, which would take minutes on it.
func TestStringsTooDeep(t *testing.T) {
	deep := "x = " + strings.Repeat("{a = ", 8000) + "1" + strings.Repeat("}", 8000) + "\n"
	_, errs := readStrings(fstest.MapFS{"layouts/i18n/cy.toml": {Data: []byte(deep)}})
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "layouts/i18n/cy.toml:1: nested more than") {
		t.Errorf("errors %v", errs)
	}
}

package check

import (
	"fmt"
	"strings"
	"time"
)

// A Translation is a default-language page's status in another language.
type Translation struct {
	Language string // the language's name in English: "Welsh"
	Code     string // its code: "cy"

	// Source is the translation's content file, "" when there is none;
	// Expected says whether there should be one: the page's section is
	// translated into the language. Want is the file to create.
	Source   string
	Expected bool
	Want     string

	// Updated is when the page last changed (its lastmod, else its date,
	// or its newest change note), in the default language and in the
	// translation; UpdatedLine is the line of the translation's lastmod
	// (0 when it has none).
	Updated, TranslationUpdated time.Time
	UpdatedLine                 int
}

// Status is the translation's state for the review report: "up to date",
// "may be out of date", "missing" (its section is translated) or "not
// translated".
func (t Translation) Status() string {
	switch {
	case t.Source != "" && t.Stale():
		return "may be out of date"
	case t.Source != "":
		return "up to date"
	case t.Expected:
		return "missing"
	}
	return "not translated"
}

// Stale reports whether the default-language page changed after the
// translation did.
func (t Translation) Stale() bool {
	return t.Source != "" && t.Updated.After(t.TranslationUpdated)
}

// checkTranslations reports, for a page in the default language, each
// language its section is translated into but it is not, and each
// translation older than the page. Both are notices: a site may publish a
// page in one language on purpose, and --strict does not fail on them.
func checkTranslations(p *Page, _ *Document, report func(Finding)) {
	for _, t := range p.Translations {
		switch {
		case t.Source == "" && t.Expected:
			report(Finding{File: p.Source, Rule: "translation-missing", Severity: Notice,
				Message: fmt.Sprintf("%s has no %s translation", p.Source, t.Language),
				Fix:     fmt.Sprintf("translate it as %s (charter new %s starts one), or leave it: %s pages link to it, marked as %s", t.Want, strings.TrimPrefix(t.Want, "content/"), t.Language, englishName(p.Lang))})
		case t.Stale():
			report(Finding{File: t.Source, Line: t.UpdatedLine, Rule: "translation-outdated", Severity: Notice,
				Message: fmt.Sprintf("the %s translation may be out of date (%s changed %s, %s %s)", t.Language, englishName(p.Lang), longDate(t.Updated), t.Language, longDate(t.TranslationUpdated)),
				Fix:     fmt.Sprintf("bring it in line with %s, then set its lastmod to the day you did", p.Source)})
		}
	}
}

// english reports whether a language tag is English, or unknown.
func english(tag string) bool {
	return tag == "" || tag == "en" || strings.HasPrefix(strings.ToLower(tag), "en-")
}

// englishName names the default language in messages.
func englishName(tag string) string {
	if english(tag) {
		return "English"
	}
	return tag
}

// longDate writes a date as "24 November 2003".
func longDate(t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	return t.Format("2 January 2006")
}

package cli

import (
	"strings"

	"charter/site"
	"charter/site/check"
)

// translationFacts gives the checker a page's language and, in a site of
// more than one language, how it stands in the others: for a page in the
// default language, each translation's file and dates; for a translation,
// the page it translates.
func translationFacts(s *site.Site, p *site.Page, cp *check.Page) {
	cp.Lang = p.Lang()
	if p.IsTranslation() {
		cp.TranslationOf = p.Original().Source
		return
	}
	if p.Source == "" || len(s.Languages) < 2 {
		return
	}
	for _, l := range s.Languages[1:] {
		t := check.Translation{Language: l.EnglishName(), Code: l.Code, Updated: p.Lastmod, Want: translationFile(p.Source, l.Code)}
		if p.Parent != nil && p.Parent.Translation(l.Code) != nil {
			t.Expected = true
		}
		if tp := p.Translation(l.Code); tp != nil {
			t.Source, t.TranslationUpdated = tp.Source, tp.Lastmod
			_, t.UpdatedLine = tp.FrontMatterLastmod()
		}
		cp.Translations = append(cp.Translations, t)
	}
}

// translationFile is the file of a page's translation into a language:
// content/data-sharing/toolkit.cy.md for content/data-sharing/toolkit.md.
func translationFile(source, code string) string {
	return strings.TrimSuffix(source, ".md") + "." + code + ".md"
}

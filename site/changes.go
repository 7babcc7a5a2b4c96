package site

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
)

// A PageChange is one entry of a page's history, from the changes key of its
// front matter: when the page changed, and a one-sentence note of what
// changed.
type PageChange struct {
	Date time.Time
	Note string
}

// A SiteChange is a change to one page, for the site-wide list of changes.
type SiteChange struct {
	PageChange
	Page *Page
}

// asChanges reads the changes key: a list of entries, each with a date and
// a note. It returns them newest first; entries of the same date keep the
// order they were written in.
func asChanges(v any) ([]PageChange, string) {
	var items []any
	switch v := v.(type) {
	case nil:
		return nil, ""
	case []any:
		items = v
	case []map[string]any: // TOML's array of tables
		for _, m := range v {
			items = append(items, m)
		}
	default:
		return nil, fmt.Sprintf("%s is not a list of changes; write each change as - date: 2003-11-24 and note: What changed.", describe(v))
	}
	out := make([]PageChange, 0, len(items))
	for i, it := range items {
		c, msg := asChange(it)
		if msg != "" {
			return nil, fmt.Sprintf("change %d: %s", i+1, msg)
		}
		out = append(out, c)
	}
	slices.SortStableFunc(out, func(a, b PageChange) int { return b.Date.Compare(a.Date) })
	return out, ""
}

// asChange reads one entry of the changes list.
func asChange(v any) (PageChange, string) {
	m, ok := v.(map[string]any)
	if t, isDate := v.(time.Time); isDate {
		return PageChange{}, fmt.Sprintf("%s is a date without a note; write - date: %s and, under it, note: What changed.", t.Format(time.DateOnly), t.Format(time.DateOnly))
	}
	if !ok {
		return PageChange{}, fmt.Sprintf("%s is not a date and a note; write - date: 2003-11-24 and, under it, note: What changed.", describe(v))
	}
	var c PageChange
	for k := range m {
		if k != "date" && k != "note" {
			return c, fmt.Sprintf("%q is not a key of a change; a change has only date and note", k)
		}
	}
	d, ok := m["date"]
	if !ok {
		return c, "the date is missing; add date: 2003-11-24"
	}
	var msg string
	if c.Date, _, msg = asDate(fmEntry{val: d}); msg != "" {
		return c, "date: " + msg
	}
	if c.Note, msg = asString(m["note"]); msg != "" {
		return c, "note: " + msg
	}
	c.Note = strings.TrimSpace(c.Note)
	if c.Note == "" {
		return c, "the note is missing; add note: and one sentence saying what changed"
	}
	return c, ""
}

// Changes lists the changes to every page in the site's language, newest first; those
// of the same day in page path order.
func (s *Site) Changes() []SiteChange {
	var out []SiteChange
	for _, p := range s.AllPages {
		if p.Language != s.Lang {
			continue // another language's
		}
		for _, c := range p.Changes {
			out = append(out, SiteChange{PageChange: c, Page: p})
		}
	}
	slices.SortStableFunc(out, func(a, b SiteChange) int {
		return cmp.Or(b.Date.Compare(a.Date), cmp.Compare(a.Page.Path, b.Page.Path))
	})
	return out
}

// LatestChange is the page's newest change, or nil when it has none.
func (p *Page) LatestChange() *PageChange {
	if len(p.Changes) == 0 {
		return nil
	}
	return &p.Changes[0]
}

// FrontMatterLastmod is lastmod as the page's front matter writes it, and
// the line it is on; zero when it does not. (Lastmod is also set from date
// and from the newest change.)
func (p *Page) FrontMatterLastmod() (time.Time, int) {
	if p.src == nil {
		return time.Time{}, 0
	}
	return p.src.lastmod, p.src.lines.line("lastmod")
}

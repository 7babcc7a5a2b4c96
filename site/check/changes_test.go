package check

import (
	"strings"
	"testing"
	"time"
)

// TestChangeNoteMissing: check warns, at the lastmod line, when lastmod is
// newer than the newest change note, and says nothing when a note covers
// it, when the page keeps no history or when lastmod is not written.
func TestChangeNoteMissing(t *testing.T) {
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	cases := []struct {
		lastmod, latest string
		want            bool
	}{
		{"2003-11-25", "2003-11-24", true},
		{"2003-11-24", "2003-11-24", false},
		{"2003-11-21", "2003-11-24", false},
		{"2003-11-25", "", false},
		{"", "2003-11-24", false},
	}
	r := rule{"change-note-missing", checkChangeNote}
	for _, c := range cases {
		p := &Page{Source: "content/data-sharing/_index.md", Title: "Data sharing", HTML: []byte("<!DOCTYPE html><html lang=en><title>x</title><h1>x</h1>")}
		if c.lastmod != "" {
			p.Lastmod, p.LastmodLine = day(c.lastmod), 6
		}
		if c.latest != "" {
			p.LatestChange = day(c.latest)
		}
		fs := runOne(t, r, p)
		if got := len(fs) == 1; got != c.want || len(fs) > 1 {
			t.Errorf("lastmod %q, newest note %q: findings %v, want a warning: %v", c.lastmod, c.latest, fs, c.want)
			continue
		}
		if c.want {
			f := fs[0]
			if f.File != p.Source || f.Line != 6 || f.Severity != Warning || !strings.Contains(f.Message, "2003-11-25") ||
				!strings.Contains(f.Message, "24 November 2003") || !strings.Contains(f.Fix, "date: 2003-11-25") {
				t.Errorf("finding %+v", f)
			}
		}
	}
}

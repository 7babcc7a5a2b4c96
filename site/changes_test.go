package site

import (
	"strings"
	"testing"
)

// TestIncrementalChangeNote: a change note added to a page deep in the site
// reaches the layouts that list changes across the site (here a "What's
// new" page), as a full build would.
func TestIncrementalChangeNote(t *testing.T) {
	ls := newLiveSite(t)
	ls.mustBuild(ls.write("content/data-sharing/new/deep.md", "---\ntitle: Deep\n---\nText.\n"))
	res := ls.mustBuild(ls.write("content/data-sharing/new/deep.md", "---\ntitle: Deep\nchanges:\n  - date: 2003-12-01\n    note: Added protocols.\n---\nText.\n"))
	if !strings.Contains(string(ls.files["whats-new/index.html"]), "Added protocols.") {
		t.Error("the What's new page's list does not show the new note")
	}
	if res.Rendered >= len(res.Site.AllPages) {
		t.Errorf("rendered all %d pages for a change note", res.Rendered)
	}
	ls.matchesFullBuild()
}

// TestChangesOrder: a page's changes come newest first, whatever order they
// are written in, and those of one day keep their written order; the site's
// list is newest first, then by page path.
func TestChangesOrder(t *testing.T) {
	cs, msg := asChanges([]any{
		map[string]any{"date": "2003-11-21", "note": "First."},
		map[string]any{"date": "2003-11-24", "note": "Second."},
		map[string]any{"date": "2003-11-21", "note": "Also first."},
	})
	if msg != "" {
		t.Fatal(msg)
	}
	var got []string
	for _, c := range cs {
		got = append(got, c.Date.Format("2006-01-02")+" "+c.Note)
	}
	if want := "2003-11-24 Second.|2003-11-21 First.|2003-11-21 Also first."; strings.Join(got, "|") != want {
		t.Errorf("got %s, want %s", strings.Join(got, "|"), want)
	}
	s := &Site{}
	a := &Page{Path: "/b/", Changes: cs[1:]}
	b := &Page{Path: "/a/", Changes: cs[:2]}
	s.AllPages = []*Page{a, b}
	got = nil
	for _, c := range s.Changes() {
		got = append(got, c.Page.Path+" "+c.Note)
	}
	if want := "/a/ Second.|/a/ First.|/b/ First.|/b/ Also first."; strings.Join(got, "|") != want {
		t.Errorf("site changes %s, want %s", strings.Join(got, "|"), want)
	}
}

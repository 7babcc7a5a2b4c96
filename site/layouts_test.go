package site

import (
	"strings"
	"testing"
	"testing/fstest"
)

func file(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s), Mode: 0o644} }

// A cached partial shows each section its own list, not the list of
// whichever section happened to render first.
func TestPartialCachedKeysByData(t *testing.T) {
	fsys := fstest.MapFS{
		"content/_index.md":             file("---\ntitle: Home\n---\n"),
		"content/a/_index.md":           file("---\ntitle: Alpha\n---\n"),
		"content/a/one.md":              file("---\ntitle: One\n---\nText.\n"),
		"content/b/_index.md":           file("---\ntitle: Beta\n---\n"),
		"content/b/two.md":              file("---\ntitle: Two\n---\nText.\n"),
		"layouts/_default/home.html":    file(`<title>{{ .Title }}</title>`),
		"layouts/_default/section.html": file(`<title>{{ .Title }}</title>`),
		"layouts/_default/page.html":    file(`<title>{{ .Title }}</title>{{ partialCached "related.html" .Parent }}|{{ partialCached "site.html" .Site "one" }}`),
		"layouts/partials/related.html": file(`More in {{ .Title }}`),
		"layouts/partials/site.html":    file(`{{ .Title }}`),
	}
	out, _ := mustBuild(t, fsys, Config{})
	for page, want := range map[string]string{"a/one/index.html": "More in Alpha|Home", "b/two/index.html": "More in Beta|Home"} {
		got, _ := out.File(page)
		if !strings.Contains(string(got), want) {
			t.Errorf("%s = %q, want it to contain %q", page, got, want)
		}
	}
}

// Data that cannot be a map key is refused with a message that says what
// to do, instead of a panic.
func TestPartialCachedUncomparableData(t *testing.T) {
	fsys := fstest.MapFS{
		"content/_index.md":             file("---\ntitle: Home\n---\n"),
		"layouts/_default/home.html":    file(`{{ partialCached "x.html" (dict "a" 1) }}`),
		"layouts/partials/x.html":       file(`{{ .a }}`),
		"layouts/_default/section.html": file(``),
		"layouts/_default/page.html":    file(``),
	}
	_, _, err := build(t, fsys, Config{})
	if err == nil || !strings.Contains(err.Error(), "give a key after it") || !strings.Contains(err.Error(), "home.html") {
		t.Fatalf("err = %v, want a partialCached key error naming the layout", err)
	}
	fsys["layouts/_default/home.html"] = file(`{{ partialCached "x.html" (dict "a" 1) "k" }}`)
	out, _ := mustBuild(t, fsys, Config{})
	if got, _ := out.File("index.html"); !strings.Contains(string(got), "1") {
		t.Errorf("home = %q, want the partial's output", got)
	}
}

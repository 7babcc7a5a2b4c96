package site

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
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

// markCurrent marks the page and its sections, in either form a layout
// writes an href, and leaves every other link alone.
func TestMarkCurrent(t *testing.T) {
	home := &Page{Kind: KindHome, RelPermalink: "/"}
	sec := &Page{Kind: KindSection, RelPermalink: "/données/", Parent: home}
	page := &Page{Kind: KindPage, RelPermalink: "/données/café/", Parent: sec}
	in := template.HTML(`<a href="/">Home</a><a href="/donn%c3%a9es/">Data</a><a href="/données/café/">Café</a><a href="/données/café/more/">More</a><a href="/other/">Other</a>`)
	want := `<a href="/">Home</a><a href="/donn%c3%a9es/" aria-current="true">Data</a><a href="/données/café/" aria-current="page">Café</a><a href="/données/café/more/">More</a><a href="/other/">Other</a>`
	if got := markCurrent(in, page); string(got) != want {
		t.Errorf("markCurrent\n got %s\nwant %s", got, want)
	}
	if got := markCurrent(in, home); got != in {
		t.Errorf("on the home page markCurrent changed %s", got)
	}
}

// The breadcrumb JSON-LD lists the trail in order and cannot close its
// script element, whatever a title holds.
func TestBreadcrumbList(t *testing.T) {
	home := &Page{Kind: KindHome, Title: "Home", Permalink: "https://example.org/"}
	sec := &Page{Kind: KindSection, Title: "Data", NavTitle: "Data short", Permalink: "https://example.org/data/", Parent: home}
	page := &Page{Kind: KindPage, Title: `Rights </script><script>alert(1)</script> & "more"`, Permalink: "https://example.org/data/x/", Parent: sec}
	got, err := breadcrumbList(page)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(got), "</script") || strings.Contains(string(got), "<") {
		t.Errorf("JSON-LD can close its script: %s", got)
	}
	var v struct {
		Type  string `json:"@type"`
		Items []struct {
			Position int
			Name     string
			Item     string
		} `json:"itemListElement"`
	}
	if err := json.Unmarshal([]byte(got), &v); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, got)
	}
	if v.Type != "BreadcrumbList" || len(v.Items) != 3 || v.Items[1].Name != "Data short" || v.Items[2].Position != 3 || v.Items[2].Item != "https://example.org/data/x/" || !strings.HasPrefix(v.Items[2].Name, "Rights </script>") {
		t.Errorf("breadcrumbList = %s", got)
	}
}

// A loop of partials is found once per build: a page that calls a
// partial of a loop found before fails at once, with the same report,
// instead of running it a few hundred levels deep again (some 18 ms a
// page: 40 looping pages took 0.8 s to fail, and take 0.07 s).
func TestPartialLoopFoundOnce(t *testing.T) {
	fsys := fstest.MapFS{
		"content/_index.md":          file("---\ntitle: Home\n---\n"),
		"layouts/_default/home.html": file(`{{ .Title }}`),
		"layouts/_default/page.html": file(`{{ .Title }}`),
		"layouts/partials/ping.html": file("<p>\n{{ partialCached \"pong.html\" . }}</p>"),
		"layouts/partials/pong.html": file("{{ with . }}{{ partialCached \"ping.html\" . \"again\" }}{{ end }}"),
	}
	for i := range 40 {
		fsys[fmt.Sprintf("content/p%d.md", i)] = file(fmt.Sprintf("---\ntitle: P%d\n---\n", i))
	}
	bl, err := NewBuilder(Config{Serve: true}, fsys) // it keeps the build
	if err != nil {
		t.Fatal(err)
	}
	if _, err := bl.Build(context.Background(), NewMemOutput()); err != nil {
		t.Fatal(err)
	}
	lay := bl.last.lay
	var first string
	for i, p := range bl.last.site.AllPages {
		before := lay.runs.Load()
		_, err := lay.partialCached(lay.templateSet, "ping.html", p)
		var loop *partialLoopError
		if !errors.As(err, &loop) {
			t.Fatalf("%s: err = %v, want a loop", p.Source, err)
		}
		report, where := loop.cycle()
		if i == 0 {
			first = fmt.Sprint(report, where)
			if lay.runs.Load()-before < 64 {
				t.Fatalf("the first loop ran %d partials", lay.runs.Load()-before)
			}
			continue
		}
		if got := fmt.Sprint(report, where); got != first {
			t.Errorf("%s: loop %s, first %s", p.Source, got, first)
		}
		if n := lay.runs.Load() - before; n != 0 {
			t.Errorf("%s: ran %d partials to find the loop again", p.Source, n)
		}
	}
	lay.cache.Clear() // as a rebuild does: the loop is looked for again
	before := lay.runs.Load()
	if _, err := lay.partialCached(lay.templateSet, "pong.html", bl.last.site.AllPages[1]); err == nil || lay.runs.Load()-before < 64 {
		t.Errorf("after Clear: err %v after %d partials", err, lay.runs.Load()-before)
	}
}

package site

import (
	"io/fs"
	"os"
	"strings"
	"testing"
)

// Pages built from minified layouts around minified content are the
// pages a full minification would give: minifying both once more gives
// the same bytes, and the build's page is at most a little larger.
func TestMinifiedLayoutsMatchFullMinify(t *testing.T) {
	tricky, _ := siteFS(t, "testdata/sites/tricky-layouts.txtar")
	for name, fsys := range map[string]fs.FS{"real site": os.DirFS(".."), "tricky layouts": tricky} {
		t.Run(name, func(t *testing.T) { matchFullMinify(t, fsys) })
	}
}

func matchFullMinify(t *testing.T, fsys fs.FS) {
	build := func(minify bool) map[string][]byte {
		b, err := NewBuilder(Config{Minify: minify}, fsys)
		if err != nil {
			t.Fatal(err)
		}
		out := NewMemOutput()
		if _, err := b.Build(t.Context(), out); err != nil {
			t.Fatal(err)
		}
		return out.Files()
	}
	small, plain := build(true), build(false)
	m := newMinifier()
	pages, extra := 0, 0
	for name, got := range small {
		if !strings.HasSuffix(name, ".html") {
			continue
		}
		full, err := m.Bytes("text/html", plain[name])
		if err != nil {
			t.Fatal(err)
		}
		again, err := m.Bytes("text/html", got)
		if err != nil {
			t.Fatal(err)
		}
		if string(again) != string(full) {
			t.Errorf("%s: minifying the page again changes it beyond a full minification:\n got %s\nwant %s", name, again, full)
		}
		pages++
		extra += len(got) - len(full)
	}
	t.Logf("%d pages, %d bytes more than full minification", pages, extra)
}

// An IndexOnly build writes the very search index a full build writes,
// and nothing else.
func TestIndexOnlyBuild(t *testing.T) {
	fsys := os.DirFS("..")
	index := func(docs []SearchDoc) (map[string][]byte, error) {
		files := map[string][]byte{}
		for _, d := range docs {
			files["search/"+strings.Trim(d.URL, "/")+".txt"] = []byte(d.Title + "\n" + d.Section + "\n" + strings.Join(d.Headings, "|") + "\n" + d.Text)
		}
		return files, nil
	}
	build := func(cfg Config) map[string][]byte {
		b, err := NewBuilder(cfg, fsys)
		if err != nil {
			t.Fatal(err)
		}
		out := NewMemOutput()
		if _, err := b.Build(t.Context(), out); err != nil {
			t.Fatal(err)
		}
		return out.Files()
	}
	full := build(Config{Minify: true, Fingerprint: true, Index: index})
	only := build(Config{Index: index, IndexOnly: true})
	n := 0
	for name, data := range full {
		if !strings.HasPrefix(name, "search/") || !strings.HasSuffix(name, ".txt") {
			continue
		}
		n++
		if string(only[name]) != string(data) {
			t.Errorf("%s differs:\n%s\n---\n%s", name, only[name], data)
		}
	}
	if n < 40 || len(only) != n {
		t.Errorf("full build indexed %d pages; the index-only build wrote %d files", n, len(only))
	}
}

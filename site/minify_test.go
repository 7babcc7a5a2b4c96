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
	files := func(minify bool) map[string][]byte {
		out, _ := mustBuild(t, fsys, Config{Minify: minify})
		return out.Files()
	}
	small, plain := files(true), files(false)
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

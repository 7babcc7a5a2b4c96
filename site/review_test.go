package site

import (
	"strings"
	"testing"
	"testing/fstest"
)

// TestLayoutMistakeReportedOnce: a mistake in a layout that every page
// (and the 404 page, which has no source) runs into is one error, with the
// number of pages, whether or not html/template gives it a line.
func TestLayoutMistakeReportedOnce(t *testing.T) {
	for _, c := range []struct{ name, file, add, want string }{
		{"unclosed comment", "layouts/_default/baseof.html", "\n<!-- never closed\n", "the comment <!-- opened here is never closed"},
		{"quote in an attribute name", "layouts/_default/baseof.html", "\n<a href=\"x\"\" title=\"{{ .Title }}\">x</a>\n", `in attribute name`},
	} {
		t.Run(c.name, func(t *testing.T) {
			fsys, _ := siteFS(t, "testdata/sites/small.txtar")
			f := fsys[c.file]
			fsys[c.file] = &fstest.MapFile{Data: append(append([]byte(nil), f.Data...), c.add...), Mode: 0o644}
			_, _, err := build(t, fsys, Config{})
			if err == nil {
				t.Fatal("the build succeeded")
			}
			errs, ok := err.(Errors)
			if !ok {
				t.Fatalf("%T: %v", err, err)
			}
			n := 0
			for _, e := range errs {
				if strings.Contains(e.Error(), c.want) {
					n++
				}
			}
			if n != 1 {
				t.Errorf("%q reported %d times, want once:\n%v", c.want, n, err)
			}
		})
	}
}

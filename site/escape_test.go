package site

import (
	"bytes"
	"html/template"
	"testing"
)

// tocItemTemplate is the markup TOCLinks writes, as a layout would write it.
var tocItemTemplate = template.Must(template.New("toc").Parse(`{{ range . }}<li><a href="#{{ .ID }}">{{ .Text }}</a></li>{{ end }}`))

// FuzzTOCLinks holds TOCLinks to html/template writing the same markup,
// on any heading id and text.
func FuzzTOCLinks(f *testing.F) {
	for _, s := range []string{"part-1", "a b", "x\"y'z<&>+", "é ü ŵ", "%41", "\x00", "\xff\xfe", "#?/:=", "a\u2028b"} {
		f.Add(s, s)
	}
	f.Fuzz(func(t *testing.T, id, text string) {
		toc := []Heading{{2, id, text}, {3, "skipped", "skipped"}, {2, text, id}}
		p := &Page{}
		p.rendered.Store(&rendered{toc: toc})
		var want bytes.Buffer
		if err := tocItemTemplate.Execute(&want, []Heading{toc[0], toc[2]}); err != nil {
			t.Skip(err)
		}
		if got := string(p.TOCLinks(2)); got != want.String() {
			t.Fatalf("TOCLinks = %q, html/template wrote %q", got, want.String())
		}
	})
}

package site

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"testing"

	"charter/site/internal/gensite"
)

// BenchmarkLayoutPage executes the layout of one ordinary page of the
// generated site (a page with a section, breadcrumbs, previous and next
// pages and a table of contents) with its partials cached, as the build
// does for each page after the first few: the cost of html/template on a
// page, apart from its Markdown.
func BenchmarkLayoutPage(b *testing.B) {
	dir := b.TempDir()
	if err := gensite.WriteWith(dir, 50, "..", gensite.Options{Words: 300}); err != nil {
		b.Fatal(err)
	}
	bl, err := NewBuilder(Config{Minify: true, Fingerprint: true, Serve: true}, os.DirFS(dir))
	if err != nil {
		b.Fatal(err)
	}
	if _, err := bl.Build(context.Background(), NewMemOutput()); err != nil {
		b.Fatal(err)
	}
	st := bl.last
	var p *Page
	for _, q := range st.site.AllPages {
		if q.Kind == KindPage && q.Prev != nil && q.Next != nil {
			p = q
			break
		}
	}
	name, _ := st.lay.find(p)
	var toc []Heading // a GOV.UK-length page's: ten sections of two levels
	for i := range 10 {
		toc = append(toc, Heading{2, fmt.Sprintf("part-%d", i), fmt.Sprintf("Part %d of the guidance", i)}, Heading{3, fmt.Sprintf("detail-%d", i), "The detail"})
	}
	p.rendered.Store(&rendered{content: "<p>The text of the page.</p>", toc: toc})
	var buf bytes.Buffer
	bg := budgetFor(st.lay.timeout, 100)
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := st.lay.execute(context.Background(), &buf, name, p, bg); err != nil {
			b.Fatal(err)
		}
	}
}

package site

import (
	"context"
	"io/fs"
	"math/rand/v2"
	"os"
	"reflect"
	"strings"
	"testing"
)

// PageProse parses a page's Markdown again as the build does: on every
// page of the fixture with a fault for each check rule, and of the real
// site, it gives the very prose a KeepGoing build kept. (The Markdown is
// kept by a build for the preview only.)
func TestPageProseMatchesBuild(t *testing.T) {
	fixture, _ := siteFS(t, "testdata/check/faults.txtar")
	sites := map[string]fs.FS{"faults": fixture}
	if !testing.Short() {
		sites["real"] = os.DirFS("..")
	}
	for name, fsys := range sites {
		b, err := NewBuilder(Config{Minify: true, Serve: true, KeepGoing: true}, fsys) // Serve keeps the Markdown
		if err != nil {
			t.Fatal(err)
		}
		res, err := b.Build(context.Background(), NewMemOutput())
		if err != nil {
			t.Fatal(err)
		}
		compared := 0
		for _, p := range res.Site.AllPages {
			want := p.Prose
			p.Prose = nil
			got := res.Site.PageProse(p)
			p.Prose = want
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s: %s: PageProse gives\n%+v\nthe build kept\n%+v", name, p.Source, got, want)
			}
			if len(want) > 0 {
				compared++
			}
		}
		if compared < 10 {
			t.Errorf("%s: only %d pages with prose compared", name, compared)
		}
	}
}

// TestWriteInlineMatchesInlineText holds writeInline, which writes text
// without escapes or references as it is, to inlineText on random text.
func TestWriteInlineMatchesInlineText(t *testing.T) {
	parts := []string{"a", " ", "\\", "\\*", "&", "&amp;", "&#43;", "&copy", "é", "*", "\n", "\\\\", "&lt;"}
	for seed := uint64(1); seed <= 20000; seed++ {
		rng := rand.New(rand.NewPCG(seed, 19))
		var v strings.Builder
		for range rng.IntN(6) {
			v.WriteString(parts[rng.IntN(len(parts))])
		}
		var got strings.Builder
		writeInline(&got, []byte(v.String()))
		if want := inlineText([]byte(v.String())); got.String() != want {
			t.Fatalf("seed %d: writeInline(%q) wrote %q, want %q", seed, v.String(), got.String(), want)
		}
	}
}

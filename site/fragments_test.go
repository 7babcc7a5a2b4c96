package site

import (
	"errors"
	"flag"
	"fmt"
	"hash/maphash"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

var fragSeed = flag.Uint64("frag-seed", 0, "replay TestFragmentsAsPagesRender with this seed")

var idHashSeed = flag.Uint64("idhash-seed", 0, "replay TestIDHashes with this seed")

func TestIDSet(t *testing.T) {
	for _, ids := range [][]string{nil, {""}, {"a"}, {"", "b", ""}, {"main", strings.Repeat("x", 300), "é\"<", "top"}} {
		s := packIDs(ids)
		if got := s.first(len(ids) + 1); !slices.Equal(got, ids) {
			t.Errorf("packIDs(%q) unpacks as %q", ids, got)
		}
		for _, id := range ids {
			if !s.has(id) {
				t.Errorf("packIDs(%q) has no %q", ids, id)
			}
		}
		for _, id := range []string{"ma", "x", "mainx", "\x01"} {
			if s.has(id) != slices.Contains(ids, id) {
				t.Errorf("packIDs(%q).has(%q) = %v", ids, id, s.has(id))
			}
		}
	}
	html := []byte(`<h2 id="one">1</h2><p id="">x</p><div data-id="no" id="two"><a id="unclosed`)
	if got, want := collectIDs(html).first(10), []string{"one", "", "two"}; !slices.Equal(got, want) {
		t.Errorf("collectIDs = %q, want %q", got, want)
	}
}

// TestIDHashes holds the hashed ids that the check of #fragment links as
// pages render keeps to the ids themselves: the same answer to has, on
// random lists of ids (empty ones, repeated ones, long ones, non-ASCII)
// asked about ids that differ from them by a byte or a length. Seeded;
// replay with -idhash-seed.
func TestIDHashes(t *testing.T) {
	seed := testSeed(t, *idHashSeed, "idhash-seed")
	rng := rand.New(rand.NewPCG(seed, 15))
	alphabet := []string{"a", "b", "-", "1", "é", "\"", "\x00"}
	randomID := func() string {
		var b strings.Builder
		for range rng.IntN(4) * rng.IntN(12) {
			b.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		return b.String()
	}
	for round := range 2000 {
		var ids, asked []string
		for range rng.IntN(30) {
			ids = append(ids, randomID())
		}
		for _, id := range ids {
			asked = append(asked, id, id+"a", strings.TrimSuffix(id, id[max(0, len(id)-1):]))
		}
		for range 10 {
			asked = append(asked, randomID())
		}
		exact := packIDs(ids)
		hseed := maphash.MakeSeed()
		hashed := idHashes(nil).appendHashes(hseed, exact)
		if len(hashed) != len(ids) {
			t.Fatalf("seed %d round %d: %d ids hash to %d bytes", seed, round, len(ids), len(hashed))
		}
		for _, id := range asked {
			if got, want := hashed.has(hseed, id), exact.has(id); got != want {
				t.Fatalf("seed %d round %d: has(%q) = %v hashed, %v exact, of %q", seed, round, id, got, want, ids)
			}
		}
	}
}

// TestFragmentsAsPagesRender holds the check of #fragment links as pages
// render (a build that keeps no state) to the check over the whole site
// at the end (the preview's build, which keeps every link): the same
// errors on random sites whose pages link to headings of pages rendered
// before and after them, of their own, of pages whose layout fails, and
// to ids that do not exist. Seeded; replay with -frag-seed.
func TestFragmentsAsPagesRender(t *testing.T) {
	seed := testSeed(t, *fragSeed, "frag-seed")
	rng := rand.New(rand.NewPCG(seed, 14))
	rounds := 40
	if testing.Short() {
		rounds = 12
	}
	broken := 0
	for round := range rounds {
		fsys := fragSite(rng)
		_, _, early := build(t, fsys, Config{})
		_, _, batch := build(t, fsys, Config{Serve: true})
		got, want := errorLines(early), errorLines(batch)
		if !slices.Equal(got, want) {
			t.Fatalf("seed %d round %d: checked as pages render:\n%s\nchecked at the end:\n%s", seed, round, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		for _, l := range got {
			if strings.Contains(l, "has no heading") {
				broken++
			}
		}
	}
	if broken == 0 {
		t.Fatalf("seed %d: no round had a broken fragment link", seed)
	}
}

// errorLines lists a build's errors, one a line.
func errorLines(err error) []string {
	var es Errors
	if err == nil || !errors.As(err, &es) {
		return []string{fmt.Sprint(err)}
	}
	var out []string
	for _, e := range es {
		out = append(out, e.Error())
	}
	return out
}

// fragSite is a random site of up to three sections whose pages link to
// one another's headings.
func fragSite(rng *rand.Rand) fstest.MapFS {
	fsys := fstest.MapFS{
		"content/_index.md":             {Data: []byte("---\ntitle: Home\n---\n## Home heading\n")},
		"layouts/_default/baseof.html":  {Data: []byte(`<html><body><main id="main">{{ block "main" . }}{{ end }}</main></body></html>`)},
		"layouts/_default/home.html":    {Data: []byte(`{{ define "main" }}{{ .Content }}{{ end }}`)},
		"layouts/_default/section.html": {Data: []byte(`{{ define "main" }}<nav id="pages">{{ range .Pages }}{{ .Title }}{{ end }}</nav>{{ .Content }}{{ end }}`)},
		"layouts/_default/page.html":    {Data: []byte(`{{ define "main" }}{{ with .Params.fail }}{{ index . 5 }}{{ end }}{{ .Content }}{{ end }}`)},
	}
	type pg struct{ file, rel string } // rel: from the content folder
	var pages []pg
	sections := 1 + rng.IntN(3)
	for s := range sections {
		pages = append(pages, pg{fmt.Sprintf("content/s%d/_index.md", s), fmt.Sprintf("s%d/_index.md", s)})
		for i := range 1 + rng.IntN(12) {
			pages = append(pages, pg{fmt.Sprintf("content/s%d/p%d.md", s, i), fmt.Sprintf("s%d/p%d.md", s, i)})
		}
	}
	frags := []string{"h-0", "h-1", "h-2", "main", "pages", "nope", "top", "", "h%2D1", "%zz"}
	for _, p := range pages {
		var b strings.Builder
		fmt.Fprintf(&b, "---\ntitle: %s\n", p.rel)
		if !strings.HasSuffix(p.file, "_index.md") && rng.IntN(12) == 0 {
			b.WriteString("fail: ab\n") // its layout fails: links to it are not checked
		}
		b.WriteString("---\n")
		for range rng.IntN(6) {
			fmt.Fprintf(&b, "## H %d\n\n", rng.IntN(3))
			for range rng.IntN(4) {
				t := pages[rng.IntN(len(pages))]
				frag := frags[rng.IntN(len(frags))]
				switch rng.IntN(4) {
				case 0:
					fmt.Fprintf(&b, "See [here](#%s).\n", frag)
				case 1:
					fmt.Fprintf(&b, "See [there](/%s#%s).\n", t.rel, frag)
				case 2:
					fmt.Fprintf(&b, "See [there](%s#%s).\n", pageURL(strings.TrimSuffix(t.rel, ".md")), frag)
				default:
					if rng.IntN(10) == 0 {
						b.WriteString("See [nothing](/missing.md#h-1).\n") // a problem of the page: its ids are its headings
					} else {
						fmt.Fprintf(&b, "See [home](/_index.md#%s).\n", frag)
					}
				}
			}
			b.WriteString("\n")
		}
		fsys[p.file] = &fstest.MapFile{Data: []byte(b.String())}
	}
	return fsys
}

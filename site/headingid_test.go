package site

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"unicode"

	"github.com/yuin/goldmark/ast"
)

var idSeed = flag.Uint64("id-seed", 0, "replay TestHeadingIDsAgreeWithLinks with this seed")

// TestHeadingIDs checks heading ids against GitHub's (github-slugger) and
// Hugo's default (autoHeadingIDType "github"): letters and digits of any
// script are kept, lowercased; spaces and hyphens become hyphens; other
// punctuation goes; a repeated id gets -1, -2.
func TestHeadingIDs(t *testing.T) {
	ids := newHeadingIDs()
	for _, c := range []struct{ text, want string }{
		{"Hawliau’r ŵyr a’r wyres", "hawliaur-ŵyr-ar-wyres"},
		{"Â chwi", "â-chwi"},
		{"Café, thé et été", "café-thé-et-été"},
		{"Äußere Angelegenheiten", "äußere-angelegenheiten"},
		{"Ελληνικά 2024", "ελληνικά-2024"},
		{"日本語のページ", "日本語のページ"},
		{"  What is a \"right\"?  ", "what-is-a-right"},
		{"snake_case and kebab-case", "snake_case-and-kebab-case"},
		{"A -- B", "a----b"},
		{"?!", "heading"},
		{"Café, thé et été", "café-thé-et-été-1"},
		{"café thé et été", "café-thé-et-été-2"},
		{"w\u0302 decomposed", "w\u0302-decomposed"},
		{"١٢٣ digits", "١٢٣-digits"},
		{"Tab\there", "tab-here"},
	} {
		if got := string(ids.Generate([]byte(c.text), ast.KindHeading)); got != c.want {
			t.Errorf("Generate(%q) = %q, want %q", c.text, got, c.want)
		}
	}
	ids.Put([]byte("given"))
	if got := string(ids.Generate([]byte("Given"), ast.KindHeading)); got != "given-1" {
		t.Errorf("after Put(given): Generate(Given) = %q, want given-1", got)
	}
}

// idRunes are what random headings are made of: letters of several
// scripts, accented ones composed and not, digits, punctuation.
var idRunes = []rune("aaZéÉŵŴâÂßİıΣσς日本Жжŉǅ15٣ _-–.,’'\"?!&<>#*`\u0302\t")

// TestHeadingIDsAgreeWithLinks builds random pages whose headings mix
// scripts and punctuation, each linking to its headings by the id that
// GitHub's rule gives: every id is in the page, the table of contents
// holds the same ids as the HTML, and the fragment check finds no broken
// link. Seeded; replay with -id-seed.
func TestHeadingIDsAgreeWithLinks(t *testing.T) {
	seed := testSeed(t, *idSeed, "id-seed")
	rng := rand.New(rand.NewPCG(seed, 2))
	for round := range 20 {
		var b strings.Builder
		b.WriteString("---\ntitle: T\n---\n")
		seen := map[string]bool{}
		var want []string
		for range 1 + rng.IntN(6) {
			var h []rune
			for range 1 + rng.IntN(10) {
				h = append(h, idRunes[rng.IntN(len(idRunes))])
			}
			text := strings.TrimSpace(string(h))
			if strings.ContainsAny(text, "#*`<>&\\") || text == "" {
				continue // markup of its own: the id is of the source
			}
			id := slugRef(text)
			if seen[id] {
				i := 1
				for seen[fmt.Sprintf("%s-%d", id, i)] {
					i++
				}
				id = fmt.Sprintf("%s-%d", id, i)
			}
			seen[id] = true
			want = append(want, id)
			fmt.Fprintf(&b, "## %s\n\nSee [it](#%s).\n\n", text, id)
		}
		fsys := fstest.MapFS{
			"content/p.md":               {Data: []byte(b.String())},
			"layouts/_default/list.html": {Data: []byte(`{{ .Content }}`)},
			"layouts/_default/page.html": {Data: []byte(`<nav>{{ range .TOC }}<a href="#{{ .ID }}">x</a>{{ end }}</nav>{{ .Content }}`)},
		}
		out, _, err := build(t, fsys, Config{})
		if err != nil {
			t.Fatalf("seed %d round %d: %v\n%s", seed, round, err, b.String())
		}
		html := string(out.Files()["p/index.html"])
		got := collectIDs([]byte(html)).first(100)
		if !slices.Equal(got, want) {
			t.Fatalf("seed %d round %d: ids %q, want %q\n%s", seed, round, got, want, b.String())
		}
		nav, _, _ := strings.Cut(html, "</nav>")
		var toc []string
		for _, m := range tocHref.FindAllStringSubmatch(nav, -1) {
			id, err := url.PathUnescape(m[1])
			if err != nil {
				t.Fatal(err)
			}
			toc = append(toc, id)
		}
		if !slices.Equal(toc, want) {
			t.Fatalf("seed %d round %d: table of contents %q, want %q\n%s", seed, round, toc, want, b.String())
		}
	}
}

var tocHref = regexp.MustCompile(`href="#([^"]*)"`)

// slugRef is GitHub's rule written plainly: the oracle of Generate for
// one heading of its own.
func slugRef(s string) string {
	var b strings.Builder
	for _, r := range s {
		r = unicode.ToLower(r)
		switch {
		case r == ' ' || r == '\t' || r == '-':
			b.WriteRune('-')
		case unicode.In(r, unicode.L, unicode.M, unicode.Nd, unicode.Pc):
			b.WriteRune(r)
		}
	}
	if b.Len() == 0 {
		return "heading"
	}
	return b.String()
}

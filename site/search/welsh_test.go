package search

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// Welsh words are lower-cased and accent-folded but not stemmed: the
// English stemmer would make "cyhoeddus" (public) "cyhoeddu" (to publish).
func TestWelshWordsNotStemmed(t *testing.T) {
	got := WordsIn(Welsh, "Mae’n rhaid i GYRFF CYHOEDDUS ŵyr a’r gwybodaethau")
	want := []string{"rhaid", "gyrff", "cyhoeddus", "wyr", "gwybodaethau"}
	if !slices.Equal(got, want) {
		t.Errorf("WordsIn(cy) = %q, want %q", got, want)
	}
	if en := WordsIn("en", "cyhoeddus"); !slices.Equal(en, []string{"cyhoeddu"}) {
		t.Errorf("the English stemmer gives %q; this test needs a word it changes", en)
	}
}

// A Welsh index holds Welsh words as written, says it is Welsh, and the
// script looks a Welsh query word up as written.
func TestWelshIndexFindsUnstemmedWord(t *testing.T) {
	files, err := Index([]Doc{
		{URL: "/cy/a/", Title: "Cyrff cyhoeddus", Text: "Mae’n rhaid i gyrff cyhoeddus ateb.", Lang: Welsh},
		{URL: "/cy/b/", Title: "Cyhoeddi", Text: "Sut i gyhoeddi adroddiad.", Lang: Welsh},
	})
	if err != nil {
		t.Fatal(err)
	}
	var man Manifest
	if err := json.Unmarshal(files["search/meta.json"], &man); err != nil {
		t.Fatal(err)
	}
	if man.Lang != Welsh {
		t.Errorf("manifest language %q, want cy", man.Lang)
	}
	terms := map[string]bool{}
	for name, data := range files {
		if strings.Contains(name, "/t/") {
			var shard map[string]string
			if err := json.Unmarshal(data, &shard); err != nil {
				t.Fatal(err)
			}
			for k := range shard {
				terms[k] = true
			}
		}
	}
	if !terms["cyhoeddus"] || terms["cyhoeddu"] || !terms["gyhoeddi"] || terms["mae"] {
		t.Errorf("terms %v: want cyhoeddus and gyhoeddi as written, no stems, no stop words", slices.Sorted(func(yield func(string) bool) {
			for k := range terms {
				if !yield(k) {
					return
				}
			}
		}))
	}
	js := runJS(t, `(s, d) => s.queryTerms(d, false, 'cy').map(g => g.map(l => l[0]).join(' '))`, "Cyhoeddus")
	if !slices.Equal(js, []string{"cyhoeddus"}) {
		t.Errorf("the script looks up %q for a Welsh query, want cyhoeddus", js)
	}
}

// The script splits Welsh text into the very terms Go does.
func TestWelshWordsMatchJavaScript(t *testing.T) {
	var sb strings.Builder
	files, _ := filepath.Glob(filepath.Join("..", "..", "content", "*.cy.md"))
	more, _ := filepath.Glob(filepath.Join("..", "..", "content", "*", "*.cy.md"))
	for _, f := range append(files, more...) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		sb.Write(b)
	}
	text := sb.String() + "\nŴyr ŶCH Llŷn â’r i’r mae’n sy’n cyhoeddus gwasanaethau 2000 a b"
	want := WordsIn(Welsh, text)
	js := runJS(t, `(s, d) => s.terms(d, 'cy')`, text)
	if !slices.Equal(js, want) {
		t.Fatalf("Go %q\nJavaScript %q", want, js)
	}
	if len(want) < 20 {
		t.Errorf("only %d Welsh words compared", len(want))
	}
}

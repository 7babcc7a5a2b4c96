package search

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
)

// highlightCase is one text and query given to marks in static/js/search.js.
type highlightCase struct {
	Text, Query string
	Typing      bool
}

// jsMarks runs marks from static/js/search.js over the cases and returns,
// for each, its runs of text, each [text, marked].
func jsMarks(t *testing.T, cases []highlightCase) [][][2]any {
	t.Helper()
	in, _ := json.Marshal(cases)
	out := runJS(t, `(s, d) => JSON.parse(d).map(c => JSON.stringify(s.marks(c.Text, c.Query, c.Typing)))`, string(in))
	if len(out) != len(cases) {
		t.Fatalf("node returned %d results for %d cases", len(out), len(cases))
	}
	runs := make([][][2]any, len(out))
	for i, o := range out {
		if err := json.Unmarshal([]byte(o), &runs[i]); err != nil {
			t.Fatalf("case %d: %v: %s", i, err, o)
		}
	}
	return runs
}

func termSet(text string) map[string]bool {
	m := map[string]bool{}
	Words(text, func(s string) { m[s] = true })
	return m
}

var markWordRE = regexp.MustCompile(`[\p{L}\p{M}\p{N}'’]+`)

// TestHighlightMatchesIndex is the oracle for the search page's <mark>: over
// a seeded random walk of texts and finished queries made of the site's own
// words, the script marks exactly the words whose Go terms (as the index
// has them) include a query term, and keeps the text whole. A failure names
// its seed.
func TestHighlightMatchesIndex(t *testing.T) {
	vocab := siteVocabulary(t)
	seed := rand.Uint64()
	r := rand.New(rand.NewPCG(seed, 15))
	seps := []string{" ", " ", " ", ", ", ": ", ". ", " (", ") ", "-", " “", "” ", "'s "}
	var cases []highlightCase
	for range 300 {
		var b strings.Builder
		for range 1 + r.IntN(20) {
			w := vocab[r.IntN(len(vocab))]
			if r.IntN(4) == 0 {
				w = strings.ToUpper(w[:1]) + w[1:]
			}
			b.WriteString(w + seps[r.IntN(len(seps))])
		}
		text := b.String()
		tw := markWordRE.FindAllString(text, -1)
		var q []string
		for range 1 + r.IntN(3) {
			if r.IntN(3) == 0 {
				q = append(q, vocab[r.IntN(len(vocab))])
			} else {
				q = append(q, tw[r.IntN(len(tw))])
			}
		}
		cases = append(cases, highlightCase{Text: text, Query: strings.Join(q, " ") + " "})
	}
	for i, runs := range jsMarks(t, cases) {
		c := cases[i]
		want := termSet(c.Query)
		var whole strings.Builder
		for _, run := range runs {
			s, marked := run[0].(string), run[1] == true
			whole.WriteString(s)
			for _, w := range markWordRE.FindAllString(s, -1) {
				hit := false
				for term := range termSet(w) {
					hit = hit || want[term]
				}
				if hit != marked {
					t.Fatalf("seed %d: text %q, query %q: word %q marked %v, but its terms %v against the query's %v say %v",
						seed, c.Text, c.Query, w, marked, termSet(w), want, hit)
				}
			}
		}
		if whole.String() != c.Text {
			t.Fatalf("seed %d: the runs %q do not make up the text %q", seed, whole.String(), c.Text)
		}
	}
}

// TestHighlightWhileTyping: the word being typed marks the words it would
// find, by prefix, as the search does; a finished word only whole terms.
func TestHighlightWhileTyping(t *testing.T) {
	cases := []highlightCase{
		{"Privacy and data sharing", "priv", true},
		{"Privacy and data sharing", "priv ", false},
		{"Requests for information: requesting it", "request informat", true},
		{"The Information Commissioner", "the", false},
		{"Café owners' rights", "cafe", false},
		{"<b>Data</b> sharing", "data", false},
	}
	want := []string{
		"[Privacy] and data sharing",
		"Privacy and data sharing",
		"[Requests] for [information]: [requesting] it",
		"The Information Commissioner",
		"[Café] owners' rights",
		"<b>[Data]</b> sharing",
	}
	for i, runs := range jsMarks(t, cases) {
		var b strings.Builder
		for _, run := range runs {
			if run[1] == true {
				fmt.Fprintf(&b, "[%s]", run[0])
			} else {
				b.WriteString(run[0].(string))
			}
		}
		if b.String() != want[i] {
			t.Errorf("%q searched for %q: %s, want %s", cases[i].Text, cases[i].Query, b.String(), want[i])
		}
	}
}

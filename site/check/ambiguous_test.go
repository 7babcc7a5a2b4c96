package check

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

var ambiguousSeed = flag.Uint64("ambiguous-seed", 0, "replay TestAmbiguousLinksGroupOldFindings with this seed only")

// ambiguousPerLink is the rule as it was, one finding for every link that
// goes elsewhere than the first link of its name: the oracle of the
// grouped rule.
func ambiguousPerLink(p *Page, d *Document, report func(Finding)) {
	type first struct {
		href string
		n    *Node
	}
	seen := map[string]first{}
	for _, n := range d.Elements {
		if !isLink(n) || n.AttrOr("role") == "doc-backlink" {
			continue
		}
		name := strings.ToLower(accessibleName(d, n))
		if name == "" {
			continue
		}
		href := absoluteHref(p.URL, n.AttrOr("href"))
		f0, ok := seen[name]
		if !ok {
			seen[name] = first{href, n}
			continue
		}
		if f0.href != href {
			f := p.at(n)
			f.Message = fmt.Sprintf("two links called %q go to different places: %s (at %d:%d) and %s", truncate(accessibleName(d, n), 60), f0.href, f0.n.Line, f0.n.Col, href)
			f.Fix = "give each link text that names its own destination"
			report(f)
		}
	}
}

var oldAmbiguousRE = regexp.MustCompile(`^two links called (".*") go to different places: (.*) \(at (\d+):(\d+)\) and (.*)$`)
var newAmbiguousRE = regexp.MustCompile(`^(\d+) links called (".*") go to (\d+) different places: (.*) \(at (\d+):(\d+)\), (.*)$`)

// TestAmbiguousLinksGroupOldFindings holds the grouped ambiguous-link-text
// rule to the rule as it was, on random pages of links with a few names
// and places (some relative, some in other case, some footnote
// backlinks): one finding for each name the old rule reported, at the
// place of its first old finding; the old finding itself where the old
// rule made one; else the count of links and of places the old findings
// add up to. Replay with -ambiguous-seed.
func TestAmbiguousLinksGroupOldFindings(t *testing.T) {
	seeds := seedsOr(*ambiguousSeed, 400)
	for _, seed := range seeds {
		p := randomLinksPage(seed)
		d := Parse(p.HTML)
		var old, got []Finding
		ambiguousPerLink(p, d, func(f Finding) { old = append(old, f) })
		checkAmbiguousLinks(p, d, func(f Finding) { got = append(got, f) })
		want, err := groupOld(old, d, p)
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		if len(got) != len(want) {
			t.Fatalf("seed %d: %d findings, want %d\ngot  %v\nwant %v\n%s", seed, len(got), len(want), got, want, p.HTML)
		}
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("seed %d: finding %d\ngot  %+v\nwant %+v\n%s", seed, i, got[i], want[i], p.HTML)
			}
		}
	}
}

// groupOld is the grouped findings that the old rule's findings make.
func groupOld(old []Finding, d *Document, p *Page) ([]Finding, error) {
	type group struct {
		first  Finding
		n      int
		places []string
	}
	var order []string
	groups := map[string]*group{}
	for _, f := range old {
		m := oldAmbiguousRE.FindStringSubmatch(f.Message)
		if m == nil {
			return nil, fmt.Errorf("old message %q", f.Message)
		}
		name, _ := strconv.Unquote(m[1])
		key := strings.ToLower(name)
		g := groups[key]
		if g == nil {
			g = &group{first: f, places: []string{m[2]}}
			groups[key] = g
			order = append(order, key)
		}
		g.n++
		if !contains(g.places, m[5]) {
			g.places = append(g.places, m[5])
		}
	}
	var out []Finding
	for _, key := range order {
		g := groups[key]
		f := g.first
		if g.n > 1 {
			m := oldAmbiguousRE.FindStringSubmatch(f.Message)
			links := g.n + 1 + linksSameAsFirst(d, p, key, m[2])
			shown := g.places[1:min(len(g.places), 4)]
			more := ""
			if k := len(g.places) - 1 - len(shown); k > 0 {
				more = fmt.Sprintf(" and %d more", k)
			}
			f.Message = fmt.Sprintf("%d links called %s go to %d different places: %s (at %s:%s), %s%s", links, m[1], len(g.places), m[2], m[3], m[4], strings.Join(shown, ", "), more)
			if newAmbiguousRE.FindString(f.Message) == "" {
				return nil, fmt.Errorf("grouped message %q", f.Message)
			}
		}
		out = append(out, f)
	}
	return out, nil
}

// linksSameAsFirst counts the links named key, after the first, that go
// where the first goes: the old rule reported none of them.
func linksSameAsFirst(d *Document, p *Page, key, href string) int {
	n := -1
	for _, e := range d.Elements {
		if isLink(e) && e.AttrOr("role") != "doc-backlink" && strings.ToLower(accessibleName(d, e)) == key && absoluteHref(p.URL, e.AttrOr("href")) == href {
			n++
		}
	}
	return n
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// randomLinksPage is a page of up to 40 links with a few names (in two
// cases, some with an aria-label, some empty) to a few places, written
// absolute or relative, and some footnote backlinks.
func randomLinksPage(seed uint64) *Page {
	rng := rand.New(rand.NewPCG(seed, 7))
	names := []string{"Guidance", "guidance", "Apply", "More about fees", "", "GUIDANCE", "Énergie", "éNERGIE", "\u212Aelvin", "kelvin", "İndex", "index"}
	hrefs := []string{"/a/", "/b/", "../a/", "/p/x/", "x/", "#fees", "https://example.org/", "/c/"}
	var b strings.Builder
	for range rng.IntN(40) {
		name, href := names[rng.IntN(len(names))], hrefs[rng.IntN(len(hrefs))]
		switch rng.IntN(8) {
		case 0:
			fmt.Fprintf(&b, `<a href="%s" aria-label="%s">x</a>`, href, name)
		case 1:
			fmt.Fprintf(&b, `<a href="%s" role="doc-backlink">%s</a>`, href, name)
		case 2:
			b.WriteString("<p>\n")
			fallthrough
		default:
			fmt.Fprintf(&b, `<a href="%s">%s</a> `, href, name)
		}
	}
	return &Page{Output: "p/index.html", URL: "/p/", HTML: []byte(page(b.String()))}
}

// TestAmbiguousLinksMatchSlow holds checkAmbiguousLinks, whose link names
// are lower-cased into one string and whose groups are kept by index, to
// the rule as it was before (slowAmbiguousLinks): the same findings on
// random pages of links whose names differ in case, some not ASCII.
// Replay with -ambiguous-seed.
func TestAmbiguousLinksMatchSlow(t *testing.T) {
	seeds := []uint64{*ambiguousSeed}
	if *ambiguousSeed == 0 {
		seeds = []uint64{rand.Uint64() | 1}
		for i := range 400 {
			seeds = append(seeds, uint64(i+1))
		}
	}
	for _, seed := range seeds {
		p := randomLinksPage(seed)
		d := Parse(p.HTML)
		var want, got []Finding
		slowAmbiguousLinks(p, d, func(f Finding) { want = append(want, f) })
		checkAmbiguousLinks(p, d, func(f Finding) { got = append(got, f) })
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("seed %d (replay with -ambiguous-seed %d):\ngot  %v\nwant %v\n%s", seed, seed, got, want, p.HTML)
		}
	}
}

// slowAmbiguousLinks is checkAmbiguousLinks as it was: each name
// lower-cased with strings.ToLower, and a map of *linkGroup.
func slowAmbiguousLinks(p *Page, d *Document, report func(Finding)) {
	var order []string
	groups := map[string]*linkGroup{}
	for _, n := range d.Elements {
		if !isLink(n) || n.AttrOr("role") == "doc-backlink" {
			continue
		}
		name := strings.ToLower(accessibleName(d, n))
		if name == "" {
			continue
		}
		g := groups[name]
		if g == nil {
			groups[name] = &linkGroup{first: n, href: absoluteHref(p.URL, n.AttrOr("href"))}
			continue
		}
		if g.add(n, absoluteHref(p.URL, n.AttrOr("href"))) {
			order = append(order, name)
		}
	}
	for _, name := range order {
		report(groups[name].finding(p, d))
	}
}

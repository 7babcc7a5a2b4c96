package check

import (
	"bytes"
	"flag"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

var factsSeed = flag.Uint64("facts-seed", 0, "replay TestRefPlaces with this seed only")

// TestRefPlaces is the oracle of the places a page's facts keep for its
// links: on random pages (links in the layout and in <main>, some written
// in the Markdown, some twice, some escaped, images, srcsets, a skip
// link), each ref's place is where Page.at puts its element in a fresh
// parse, as the link rules reported it when they parsed the page again.
// Replay a failure with -facts-seed.
func TestRefPlaces(t *testing.T) {
	seeds := seedsOr(*factsSeed, 300)
	for _, seed := range seeds {
		p := randomFactsPage(seed)
		facts := collectFacts(p, newURLTable())
		p.doc = nil
		var want []string
		d := p.Doc()
		skip := d.skipLink()
		for _, n := range d.Elements {
			for _, a := range urlAttrs[n.Tag] {
				v, ok := n.Attr(a)
				if !ok {
					continue
				}
				urls := []string{v}
				if a == "srcset" {
					urls = srcsetURLs(v)
				}
				for _, u := range urls {
					want = append(want, fmt.Sprintf("%s %s %v %+v", strings.TrimSpace(u), n.Tag, n == skip, p.at(n)))
				}
			}
		}
		var got []string
		for rf := range facts.eachRef {
			got = append(got, fmt.Sprintf("%s %s %v %+v", rf.url(), rf.tagName(), rf.isSkipLink(), p.refAt(rf)))
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("seed %d (replay with -facts-seed %d): refs\n%s\nwant\n%s\nHTML:\n%s", seed, seed, strings.Join(got, "\n"), strings.Join(want, "\n"), p.HTML)
		}
	}
}

// randomFactsPage is a page of random links, some written in its Markdown.
func randomFactsPage(seed uint64) *Page {
	rng := rand.New(rand.NewPCG(seed, 17))
	urls := []string{"/a/", "/b/", "/b/#x", "b%20c.png", "/b c/", "/b%20c/", "https://example.org/", "#main", "/img.png", "/a/", ""}
	pick := func() string { return urls[rng.IntN(len(urls))] }
	var b strings.Builder
	b.WriteString("<!DOCTYPE html><html lang=en><head><title>T</title><link href=\"/css/site.css\" rel=stylesheet></head><body>\n")
	if rng.IntN(2) == 0 {
		b.WriteString("<a href=\"#main\">Skip to main content</a>\n")
	}
	for range rng.IntN(4) {
		fmt.Fprintf(&b, "<nav><a href=\"%s\">Nav</a></nav>\n", pick())
	}
	if rng.IntN(5) > 0 {
		b.WriteString("<main id=main>\n")
	}
	for range rng.IntN(12) {
		switch rng.IntN(6) {
		case 0:
			fmt.Fprintf(&b, "<p><img src=\"%s\" alt=\"\"></p>\n", pick())
		case 1:
			fmt.Fprintf(&b, "<img srcset=\"%s 1x, %s 2x\" src=\"%s\" alt=x>\n", pick(), pick(), pick())
		case 2:
			fmt.Fprintf(&b, "<h2 id=x>Part</h2>\n")
		case 3:
			fmt.Fprintf(&b, "<script src=\"%s\"></script>\n", pick())
		default:
			fmt.Fprintf(&b, "<p>Read <a href=\"%s\">this</a>.</p>\n", pick())
		}
	}
	b.WriteString("</main><footer><a href=\"/a/\">A</a></footer></body></html>\n")
	p := &Page{Output: "p/index.html", URL: "/p/", HTML: []byte(b.String())}
	if rng.IntN(4) > 0 {
		p.Source = "content/p.md"
	}
	for i := range rng.IntN(8) {
		p.Links = append(p.Links, Link{Line: 3 + i, URL: pick(), Image: rng.IntN(3) == 0})
	}
	return p
}

// seedsOr is the seed given with a test's flag, or else the seeds 1 to n.
func seedsOr(given uint64, n int) []uint64 {
	if given != 0 {
		return []uint64{given}
	}
	seeds := make([]uint64, n)
	for i := range seeds {
		seeds[i] = uint64(i + 1)
	}
	return seeds
}

// TestTraceLinksMatchSlow holds traceLinks, which keeps each URL's lines
// in a group indexed once, to the version with a map of lines and a map
// of counts (slowTraceLinks): the same line for every element, on random
// pages whose Markdown links share URLs. Replay with -facts-seed.
func TestTraceLinksMatchSlow(t *testing.T) {
	seeds := seedsOr(*factsSeed, 500)
	for _, seed := range seeds {
		p := randomFactsPage(seed)
		d := Parse(p.HTML)
		got, want := traceLinks(d, p), slowTraceLinks(d, p)
		if fmt.Sprint(got) != fmt.Sprint(want) || len(got) != len(want) {
			t.Fatalf("seed %d (replay with -facts-seed %d): %v, want %v\nlinks %v\nHTML:\n%s", seed, seed, got, want, p.Links, p.HTML)
		}
		for n, line := range want {
			if got[n] != line {
				t.Fatalf("seed %d (replay with -facts-seed %d): <%s> at %d:%d traced to line %d, want %d", seed, seed, n.Tag, n.Line, n.Col, got[n], line)
			}
		}
	}
}

// slowTraceLinks is traceLinks as it was.
func slowTraceLinks(d *Document, p *Page) map[*Node]int {
	out := map[*Node]int{}
	if p.Source == "" {
		return out
	}
	lines := map[mdKey][]int{}
	for _, l := range p.Links {
		k := mdKey{unescapeURL(l.URL), l.Image}
		lines[k] = append(lines[k], l.Line)
	}
	if len(lines) == 0 {
		return out
	}
	seen := map[mdKey]int{}
	for _, n := range contentElements(d) {
		var k mdKey
		switch n.Tag {
		case "a":
			k = mdKey{unescapeURL(n.AttrOr("href")), false}
		case "img":
			k = mdKey{unescapeURL(n.AttrOr("src")), true}
		default:
			continue
		}
		if ls := lines[k]; len(ls) > 0 {
			i := min(seen[k], len(ls)-1)
			seen[k]++
			out[n] = ls[i]
		}
	}
	return out
}

// TestIDScanMatchesMap holds Document.ID's first look-ups, which scan the
// elements, to its map of ids, on random pages with ids and a names
// repeated, empty, and on other elements than a. Replay with -facts-seed.
func TestIDScanMatchesMap(t *testing.T) {
	seeds := seedsOr(*factsSeed, 500)
	keys := []string{"a", "b", "main", "", "x y", "A"}
	for _, seed := range seeds {
		rng := rand.New(rand.NewPCG(seed, 41))
		var b strings.Builder
		for range rng.IntN(20) {
			k := keys[rng.IntN(len(keys))]
			switch rng.IntN(4) {
			case 0:
				fmt.Fprintf(&b, "<div id=%q>d</div>", k)
			case 1:
				fmt.Fprintf(&b, "<a name=%q>a</a>", k)
			case 2:
				fmt.Fprintf(&b, "<p name=%q id=%q>p</p>", k, keys[rng.IntN(len(keys))])
			default:
				fmt.Fprintf(&b, "<span>%s</span>", k)
			}
		}
		src := []byte(b.String())
		scanned, mapped := Parse(src), Parse(src)
		mapped.idScans = idScansBeforeMap
		for _, k := range keys {
			got, want := scanned.ID(k), mapped.ID(k)
			if (got == nil) != (want == nil) || got != nil && (got.Line != want.Line || got.Col != want.Col) {
				t.Fatalf("seed %d (replay with -facts-seed %d): ID(%q) scanned %v, mapped %v\n%s", seed, seed, k, got, want, src)
			}
		}
	}
}

// TestDropLocalRefsMatchesSlow holds dropLocalRefs, which moves the refs
// it keeps to the front in place, to appending them to a new slice, on
// the facts of random pages. Replay with -facts-seed.
func TestDropLocalRefsMatchesSlow(t *testing.T) {
	seeds := seedsOr(*factsSeed, 300)
	for _, seed := range seeds {
		p := randomFactsPage(seed)
		f := collectFacts(p, newURLTable())
		var want []byte
		for b := f.refs; len(b) > 0; {
			v, n := nextRef(b)
			if n == 0 {
				break
			}
			if v[3]&refLocal == 0 {
				want = append(want, b[:n]...)
			}
			b = b[n:]
		}
		f.dropLocalRefs()
		if !bytes.Equal(f.refs, want) || (f.refs == nil) != (want == nil) {
			t.Fatalf("seed %d (replay with -facts-seed %d): refs %v, want %v", seed, seed, f.refs, want)
		}
	}
}

package search

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// decode reads a postings string back into document numbers and weights.
func decode(t testing.TB, s string) (docs, weights []int) {
	t.Helper()
	doc := -1
	for i := 0; i < len(s); {
		gap, shift := 0, 0
		for {
			v := strings.IndexByte(digits, s[i])
			i++
			gap |= (v & 31) << shift
			shift += 5
			if v&32 == 0 {
				break
			}
		}
		doc += gap
		docs = append(docs, doc)
		weights = append(weights, strings.IndexByte(digits, s[i]))
		i++
	}
	return docs, weights
}

// index is a built index opened the way the script opens it.
type index struct {
	files  map[string][]byte
	man    Manifest
	keys   []string
	shards []map[string]string
}

func open(t testing.TB, docs []Doc) *index {
	t.Helper()
	files, err := Index(docs)
	if err != nil {
		t.Fatal(err)
	}
	ix := &index{files: files}
	if err := json.Unmarshal(files["search/meta.json"], &ix.man); err != nil {
		t.Fatal(err)
	}
	ix.keys = ix.man.Keys
	for _, k := range ix.keys {
		var m map[string]string
		if err := json.Unmarshal(ix.file(t, "t/"+k), &m); err != nil {
			t.Fatal(err)
		}
		ix.shards = append(ix.shards, m)
	}
	return ix
}

// file returns search/HASH/name.json.
func (ix *index) file(t testing.TB, name string) []byte {
	t.Helper()
	b, ok := ix.files["search/"+ix.man.Hash+"/"+name+".json"]
	if !ok {
		t.Fatalf("no file %s", name)
	}
	return b
}

// shardOf finds the shard for term tm as the script does.
func (ix *index) shardOf(tm string) int {
	i, _ := slices.BinarySearch(ix.keys, tm)
	if i < len(ix.keys) && ix.keys[i] == tm {
		return i
	}
	return max(0, i-1)
}

// meta returns the metadata row of document d.
func (ix *index) meta(t testing.TB, d int) []string {
	t.Helper()
	c := d / ix.man.Chunk
	var rows [][]string
	if err := json.Unmarshal(ix.file(t, "d/"+strconv.Itoa(c)), &rows); err != nil {
		t.Fatal(err)
	}
	return rows[d-c*ix.man.Chunk]
}

var sample = []Doc{
	{URL: "/rights/privacy/", Title: "Privacy notice", Description: "What we collect.", Text: "This website does not use cookies. We hold personal information only if you contact us."},
	{URL: "/rights/data-sharing/", Title: "Data sharing", Section: "", Headings: []string{"Privacy safeguards"}, Text: "Public bodies share personal data with care. Privacy matters."},
	{URL: "/rights/foi/requests/", Title: "Making a request", Section: "Freedom of information", Text: strings.Repeat("You can request information held by a public authority. ", 10)},
}

func TestIndex(t *testing.T) {
	ix := open(t, sample)
	if ix.man.Docs != 3 || ix.man.Version != Version || len(ix.files) != 3 {
		t.Fatalf("manifest %+v", ix.man)
	}
	for p := range ix.files {
		if !strings.HasPrefix(p, "search/") {
			t.Errorf("file %s outside search/", p)
		}
	}
	// Documents are numbered in URL order: data-sharing 0, foi 1, privacy 2.
	docs, ws := decode(t, ix.shards[ix.shardOf("privaci")]["privaci"])
	if !slices.Equal(docs, []int{0, 2}) {
		t.Fatalf("privaci in %v", docs)
	}
	if float64(ws[1]) != math.Round(titleBonus*weightScale) || float64(ws[0]) <= headBonus*weightScale {
		t.Errorf("weights %v: want %v for the title, more than %v for a heading and body", ws, titleBonus*weightScale, headBonus*weightScale)
	}
	if row := ix.meta(t, 1); !slices.Equal(row, []string{"/rights/foi/requests/", "Making a request", "Freedom of information", row[3]}) ||
		!strings.HasSuffix(row[3], "…") || len([]rune(row[3])) > ExcerptRunes+1 {
		t.Errorf("metadata %q", row)
	}
	if row := ix.meta(t, 2); row[3] != "What we collect." {
		t.Errorf("excerpt %q, want the description", row[3])
	}
	for _, stop := range []string{"the", "we", "you"} {
		if _, ok := ix.shards[ix.shardOf(stop)][stop]; ok {
			t.Errorf("stop word %q indexed", stop)
		}
	}
}

func TestIndexDeterministic(t *testing.T) {
	docs := generate(300, 1)
	a, err := Index(docs)
	if err != nil {
		t.Fatal(err)
	}
	rand.New(rand.NewPCG(9, 9)).Shuffle(len(docs), func(i, j int) { docs[i], docs[j] = docs[j], docs[i] })
	b, _ := Index(docs)
	if len(a) != len(b) {
		t.Fatalf("%d files, then %d", len(a), len(b))
	}
	for p, x := range a {
		if !bytes.Equal(x, b[p]) {
			t.Errorf("%s differs between runs", p)
		}
	}
}

// Counting on several cores gives exactly what one pass gives: the same
// term numbers, postings and lengths.
func TestPostingsOnCores(t *testing.T) {
	ds, err := sortDocs(generate(3000, 4))
	if err != nil {
		t.Fatal(err)
	}
	one := buildPostingsOn(ds, 1)
	for _, w := range []int{2, 3, 8} {
		many := buildPostingsOn(ds, w)
		if !reflect.DeepEqual(one, many) {
			t.Errorf("%d workers: postings differ from one pass", w)
		}
	}
}

// TestShards checks that every term is found in the shard the script would
// fetch, and every prefix in the run of shards it would fetch.
func TestShards(t *testing.T) {
	ix := open(t, generate(1500, 2))
	if len(ix.shards) < 10 {
		t.Fatalf("only %d shards", len(ix.shards))
	}
	seen := map[string]bool{}
	for i, s := range ix.shards {
		for tm := range s {
			if j := ix.shardOf(tm); j != i {
				t.Fatalf("term %q is in shard %d (key %q), looked up in %d (key %q)", tm, i, ix.keys[i], j, ix.keys[j])
			}
			if seen[tm] {
				t.Fatalf("term %q in two shards", tm)
			}
			seen[tm] = true
		}
	}
	for _, p := range []string{"in", "inf", "priv", "re", "requ", "zz", "0"} {
		want := 0
		for tm := range seen {
			if strings.HasPrefix(tm, p) {
				want++
			}
		}
		got := 0
		for i := ix.shardOf(p); i < len(ix.keys) && (i == ix.shardOf(p) || strings.HasPrefix(ix.keys[i], p)); i++ {
			for tm := range ix.shards[i] {
				if strings.HasPrefix(tm, p) {
					got++
				}
			}
		}
		if got != want {
			t.Errorf("prefix %q: %d terms in the shards fetched, %d in all", p, got, want)
		}
	}
}

func TestIndexErrors(t *testing.T) {
	for _, docs := range [][]Doc{
		{{Title: "No URL"}},
		{{URL: "/a/", Title: "A"}, {URL: "/a/", Title: "B"}},
	} {
		if _, err := Index(docs); err == nil {
			t.Errorf("Index(%v) succeeded", docs)
		}
	}
	files, err := Index(nil)
	if err != nil || len(files) != 1 {
		t.Errorf("Index(nil) = %d files, %v", len(files), err)
	}
}

// generate makes n documents of about 600 words drawn from the real site's
// text, so word frequencies follow the site's.
func generate(n int, seed uint64) []Doc {
	words := siteWords()
	r := rand.New(rand.NewPCG(seed, 1))
	pick := func(k int) string {
		ws := make([]string, k)
		for i := range ws {
			ws[i] = words[r.IntN(len(words))]
		}
		return strings.Join(ws, " ")
	}
	sections := []string{"Human rights", "Freedom of information", "Data protection", "Data sharing", "Frequently asked questions", "Legislation", "Publications", "Elections", "Gender recognition", "Contact details"}
	docs := make([]Doc, n)
	for i := range docs {
		title := pick(2 + r.IntN(5))
		sec := r.IntN(len(sections))
		docs[i] = Doc{
			URL:         fmt.Sprintf("/rights/%s/%s-%d/", strings.ReplaceAll(strings.ToLower(sections[sec]), " ", "-"), strings.ReplaceAll(strings.ToLower(title), " ", "-"), i),
			Title:       title,
			Section:     sections[sec],
			Description: pick(12 + r.IntN(10)),
			Headings:    []string{pick(3), pick(4), pick(3), pick(5)},
			Text:        pick(550 + r.IntN(100)),
		}
	}
	return docs
}

var wordRE = regexp.MustCompile(`[A-Za-z0-9’']+`)

// siteWords returns every word of the real site's content, in order, front
// matter keys and Markdown marks left out.
func siteWords() []string {
	return wordRE.FindAllString(siteText(nil), -1)
}

func gz(b []byte) int {
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	w.Write(b)
	w.Close()
	return buf.Len()
}

// BenchmarkIndex indexes 10,000 generated pages and reports the index's size
// per page and what a visitor downloads for a first query of a common word.
func BenchmarkIndex(b *testing.B) {
	docs := generate(10000, 3)
	var files map[string][]byte
	for b.Loop() {
		var err error
		if files, err = Index(docs); err != nil {
			b.Fatal(err)
		}
	}
	total, totalGz := 0, 0
	for _, f := range files {
		total += len(f)
		totalGz += gz(f)
	}
	b.ReportMetric(float64(total)/float64(len(docs)), "bytes/page")
	b.ReportMetric(float64(totalGz)/float64(len(docs)), "gzbytes/page")
	b.ReportMetric(float64(len(files)), "files")

	ix := open(b, docs)
	const word = "information"
	tm := term(word)
	shard := ix.file(b, "t/"+ix.keys[ix.shardOf(tm)])
	ds, ws := decode(b, ix.shards[ix.shardOf(tm)][tm])
	first := [][]byte{ix.files["search/meta.json"], shard, ix.file(b, "d/0")}
	n, ngz := 0, 0
	for _, f := range first {
		n += len(f)
		ngz += gz(f)
	}
	b.ReportMetric(float64(n), "firstquery-B")
	b.ReportMetric(float64(ngz), "firstquery-gzB")
	// The script shows the top 20, whose metadata may lie in several chunks.
	order := make([]int, len(ds))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(x, y int) int { return ws[y] - ws[x] })
	chunks := map[int]bool{}
	for _, i := range order[:min(20, len(order))] {
		chunks[ds[i]/ix.man.Chunk] = true
	}
	n, ngz = len(first[0])+len(shard), gz(first[0])+gz(shard)
	for c := range chunks {
		f := ix.file(b, "d/"+strconv.Itoa(c))
		n += len(f)
		ngz += gz(f)
	}
	b.ReportMetric(float64(n), "top20-B")
	b.ReportMetric(float64(ngz), "top20-gzB")
	b.Logf("%q: %d of %d pages; manifest %d B, shard %d B, chunk %d B; top 20 in %d chunks",
		word, len(ds), len(docs), len(first[0]), len(shard), len(first[2]), len(chunks))
}

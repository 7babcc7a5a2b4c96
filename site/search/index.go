// Package search builds a static search index that a browser script queries
// without any server: see Index for the files and their format.
package search

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Doc is one page to index.
type Doc struct {
	URL         string // the page's URL as linked, with the base path: "/rights/data-sharing/"
	Title       string
	Description string
	Section     string   // title of its top-level section, "" for top-level pages
	Headings    []string // its h2/h3 heading texts
	Text        string   // the page's body text, plain (tags stripped, whitespace collapsed)
	Lang        string   // the page's language code; the documents of one index share it
}

const (
	// ChunkDocs is the number of documents per metadata chunk. The script
	// fetches the chunks of the 20 best results, which on a large site lie in
	// up to 20 chunks: small chunks keep that download small.
	ChunkDocs = 20
	// ShardBytes is the size a term shard grows to before the next begins.
	// A term is never split, so a shard holding one very common term is larger.
	ShardBytes = 16 << 10
	// ExcerptRunes is the length of an excerpt taken from a page's text when it
	// has no description.
	ExcerptRunes = 160
	// Version is the format version written in the manifest.
	Version = 1
)

// Manifest is search/meta.json, the one file a visitor always fetches.
type Manifest struct {
	Version int      `json:"v"`
	Docs    int      `json:"n"`           // number of documents
	Chunk   int      `json:"c"`           // documents per metadata chunk
	Hash    string   `json:"h"`           // the folder under search/ holding the shards and chunks
	Keys    []string `json:"t"`           // the term shards' keys, in term order
	Lang    string   `json:"l,omitempty"` // "cy" for a Welsh index, whose terms are not stemmed
}

// Index builds a compact static search index split so that a visitor
// downloads only what a query needs. It returns the files to write, keyed by
// path relative to the site root, all under "search/". The same docs, in any
// order, give byte-identical output. Index is safe for concurrent use.
//
// The files:
//
//   - search/meta.json: a Manifest. It should be served with a short cache
//     lifetime; everything else lives under search/HASH/, HASH being the
//     start of the SHA-256 of all the other files, and never changes.
//   - search/HASH/t/KEY.json: a term shard, a JSON object from each term (a
//     stemmed word, see Words) to its postings. The shards hold consecutive
//     runs of the sorted terms; KEY is the shortest prefix of the shard's
//     first term that sorts after the previous shard's last term, so a term,
//     or every term with a given prefix, is found by comparing it with the
//     keys alone: the shard of term T is the last whose key is <= T, and the
//     terms with prefix P lie in the shard of P and the following shards
//     whose keys start with P.
//   - search/HASH/d/I.json: metadata for documents I*Chunk to (I+1)*Chunk-1,
//     a JSON array of [url, title, section, excerpt].
//
// Documents are numbered in URL order. Postings are a string of pairs
// (document number gap, weight), each gap a little-endian base-32 varint and
// each weight one digit, in the alphabet "0-9A-Za-z-_" (values 0-63, 32
// being the varint continuation bit). The first gap is the document number
// plus one. The weight (1-63) is a BM25 score of the term in the text and
// description plus bonuses for the title and headings; the script multiplies
// it by the term's inverse document frequency, from the number of postings.
func Index(docs []Doc) (map[string][]byte, error) {
	ds, err := sortDocs(docs)
	if err != nil {
		return nil, err
	}
	rows := make([][4]string, len(ds))
	for i, d := range ds {
		rows[i] = [4]string{d.URL, d.Title, d.Section, excerpt(d)}
	}
	return indexFiles(buildPostings(ds).encodeAll(), rows, docsLang(ds))
}

// indexFiles writes the index of documents numbered as rows, which hold
// each one's URL, title, section and excerpt, in language lang.
func indexFiles(ps encodedTerms, rows [][4]string, lang string) (map[string][]byte, error) {
	files := map[string][]byte{}
	man := Manifest{Version: Version, Docs: len(rows), Chunk: ChunkDocs}
	if lang == Welsh {
		man.Lang = Welsh
	}
	for _, shard := range shardTerms(ps) {
		man.Keys = append(man.Keys, shard.key)
		files["t/"+shard.key+".json"] = shard.json()
	}
	for i := 0; i < len(rows); i += ChunkDocs {
		b, err := json.Marshal(rows[i:min(i+ChunkDocs, len(rows))])
		if err != nil {
			return nil, fmt.Errorf("search metadata: %w", err)
		}
		files["d/"+strconv.Itoa(i/ChunkDocs)+".json"] = b
	}
	man.Hash = hashFiles(files)
	out := make(map[string][]byte, len(files)+1)
	for p, b := range files {
		out["search/"+man.Hash+"/"+p] = b
	}
	b, err := json.Marshal(man)
	if err != nil {
		return nil, fmt.Errorf("search manifest: %w", err)
	}
	out["search/meta.json"] = b
	return out, nil
}

// hashFiles returns the start of a SHA-256 of the files' names and contents.
func hashFiles(files map[string][]byte) string {
	h := sha256.New()
	for _, p := range slices.Sorted(maps.Keys(files)) {
		fmt.Fprintf(h, "%s %d\n", p, len(files[p]))
		h.Write(files[p])
	}
	return hex.EncodeToString(h.Sum(nil)[:5])
}

// sortDocs orders the documents by URL, so that output does not depend on the
// caller's order, and rejects duplicates and documents without a URL.
func sortDocs(docs []Doc) ([]Doc, error) {
	ds := slices.Clone(docs)
	slices.SortStableFunc(ds, func(a, b Doc) int { return cmp.Compare(a.URL, b.URL) })
	for i, d := range ds {
		if d.URL == "" {
			return nil, fmt.Errorf("search: page %q has no URL", d.Title)
		}
		if i > 0 && ds[i-1].URL == d.URL {
			return nil, fmt.Errorf("search: two pages have the URL %s", d.URL)
		}
		if (d.Lang == Welsh) != (ds[0].Lang == Welsh) {
			return nil, fmt.Errorf("search: %s and %s are in different languages; index each language apart", ds[0].URL, d.URL)
		}
	}
	return ds, nil
}

// docsLang is the language of a run of documents, which share one.
func docsLang(ds []Doc) string {
	if len(ds) == 0 {
		return ""
	}
	return ds[0].Lang
}

// excerpt is the page's description or, failing that, the start of its text
// cut at a word.
func excerpt(d Doc) string {
	if s := strings.TrimSpace(d.Description); s != "" {
		return s
	}
	s := strings.Join(strings.Fields(d.Text), " ")
	if utf8.RuneCountInString(s) <= ExcerptRunes {
		return s
	}
	r := []rune(s)[:ExcerptRunes+1]
	cut := strings.LastIndexByte(string(r), ' ')
	if cut <= 0 {
		cut = len(string(r[:ExcerptRunes]))
	}
	return strings.TrimRight(string(r)[:cut], " ,;:.") + "…"
}

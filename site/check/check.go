// Package check checks the rendered output of a build: links, static
// accessibility rules, HTML validity and plain-English hints on the
// content. It is a leaf: it knows nothing of how the site was built, only
// the pages and files the caller hands it in a Site.
package check

import (
	"cmp"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"time"
)

// Severity tells whether a finding fails the check.
type Severity int

// The severities. An Error fails the check; a Warning fails it only in
// strict mode; a Notice never does (such as a page not yet translated,
// which a site may publish on purpose).
const (
	Error Severity = iota
	Warning
	Notice
)

// String returns "error", "warning" or "notice".
func (s Severity) String() string {
	switch s {
	case Warning:
		return "warning"
	case Notice:
		return "notice"
	}
	return "error"
}

// A Finding is one problem. File is the source file where the problem can
// be traced to one (such as "content/faqs/_index.md"), else the output file
// with the site's output prefix ("public/faqs/index.html"). Line and Col
// are 1-based, and 0 when unknown.
type Finding struct {
	File     string
	Line     int
	Col      int
	Rule     string // short kebab-case rule id, such as "img-alt"
	Severity Severity
	Message  string // what is wrong
	Fix      string // how to fix it, one sentence
}

// A Link is a link or image written in a page's Markdown, with the line of
// the source file it is on. URL is the destination as written in the
// output HTML.
type Link struct {
	Line    int
	Written string
	URL     string
	Image   bool
	NoAlt   bool // an image with empty alt text that is not marked decorative
}

// A Page is one rendered HTML page and what is known of its source.
type Page struct {
	Output      string  // output file, relative to the output root: "faqs/index.html"
	Source      string  // content file: "content/faqs/_index.md"; "" for generated pages
	URL         string  // URL path as written in hrefs, with the base path: "/rights/faqs/"
	HTML        []byte  // the rendered page, possibly minified
	Prose       []Block // the Markdown's prose, block by block; nil if none
	Links       []Link  // the Markdown's links and images
	Title       string
	Description string
	Owner       string

	LastReviewed, ReviewBy time.Time
	Draft                  bool

	// Lastmod is lastmod as the front matter writes it, on line
	// LastmodLine (zero when it does not); LatestChange is the date of the
	// newest entry of its changes list (zero when it has none).
	Lastmod      time.Time
	LastmodLine  int
	LatestChange time.Time

	// Lang is the page's language tag ("en-GB", "cy"); "" when unknown.
	// Translations is, for a page in the site's default language, its
	// status in each other language; TranslationOf names the page a
	// translation translates.
	Lang          string
	Translations  []Translation
	TranslationOf string

	doc   *Document  // set while Run checks the page
	facts *pageFacts // what the site-wide rules need, kept after the tree is dropped
}

// A Site is the output of one build.
type Site struct {
	Pages    []*Page
	Files    map[string]bool   // every output file: "css/site.css", "faqs/index.html", "404.html"
	BasePath string            // "/" or "/rights/"
	Drafts   map[string]string // URL path (with the base path) of each left-out draft -> its source file
	// Unbuilt maps the URL path (with the base path) of each page the
	// build left out because of its own problem (in Known) to its source
	// file: links to it are not reported on top of that problem.
	Unbuilt      map[string]string
	OutputPrefix string // put before output file names in findings: "public/"

	// Known are findings the build itself made, such as its broken-link
	// problems. Run reports them, and drops link findings of its own on
	// the same file and line so that one broken link is reported once.
	Known []Finding

	urls *urlTable // numbers the URLs of the pages' facts; see urlTable
}

// urlTable is the table that numbers the URLs of the site's pages, made
// on the first call. Call it before checking pages in parallel.
func (s *Site) urlTable() *urlTable {
	if s.urls == nil {
		s.urls = newURLTable()
	}
	return s.urls
}

// Options configure Run. The zero value checks everything with the
// current time taken as zero, so callers set Now.
type Options struct {
	Now time.Time // today, for review_by dates; rules never read the clock

	// Rules are extra per-page rules, run after the built-in ones.
	Rules []Rule
	// Skip lists rule ids whose findings are left out.
	Skip []string
}

// A Rule checks one page. Check may be called for many pages at once, so
// a Rule must be safe for concurrent use. It reports findings through
// report; Run fills in an empty Rule with Name(), and an empty File with
// the page's output file. While Run checks a page, p.Doc() is the page's
// parsed HTML; a Rule must keep neither it nor any of its nodes after
// Check returns, as Run reuses their memory for the next page.
type Rule interface {
	Name() string
	Check(p *Page, report func(Finding))
}

// Doc returns the page's parsed HTML, parsing it on the first call and
// keeping the tree until Run is done with the page (Run lets it go to save
// memory). Doc is not safe for concurrent use on one page.
func (p *Page) Doc() *Document {
	if p.doc == nil {
		p.doc = Parse(p.HTML)
	}
	return p.doc
}

// Run checks every page and the links between them, and returns the
// findings sorted by file, line, column, rule and message. Pages are
// checked in parallel; each page's HTML is parsed once, and the tree is
// let go as soon as its page is checked. A Stream gives the same findings
// without holding every page's HTML.
func Run(s *Site, opts Options) []Finding {
	rules := append(pageRules(opts), opts.Rules...)
	per := make([][]Finding, len(s.Pages))
	s.urlTable()
	pool := new(slabPool)
	parallel(len(s.Pages), func(i int) {
		per[i] = checkPage(s, s.Pages[i], rules, pool)
	})
	return siteFindings(s, per, opts)
}

// siteFindings adds to the per-page findings of s.Pages (per, by index)
// those of the site-wide rules, which need every page's facts: broken
// links and fragments, and duplicate titles. It sorts them all, with the
// build's own findings, as Run returns them.
func siteFindings(s *Site, per [][]Finding, opts Options) []Finding {
	idx := newSiteIndex(s)
	lr := &linkRule{site: s, index: idx, resolved: new(sync.Map)}
	parallel(len(s.Pages), func(i int) {
		per[i] = append(per[i], runRule(s, s.Pages[i], lr)...)
	})
	var all []Finding
	for _, fs := range per {
		all = append(all, fs...)
	}
	all = append(all, duplicateTitles(s)...)
	all = mergeKnown(all, s.Known)
	return filterSkipped(sortFindings(all), opts.Skip)
}

// checkPage parses one page, runs the per-page rules on it and keeps the
// facts the site-wide rules need. A panic while parsing or collecting is
// a finding, as it is in a rule; the other pages are checked all the same.
// The page's tree takes its memory from pool and gives it back when the
// page is checked: nothing of the tree outlives checkPage (the facts and
// findings hold strings, never nodes).
func checkPage(s *Site, p *Page, rules []Rule, pool *slabPool) (out []Finding) {
	stage := "parsing its HTML"
	defer func() {
		if v := recover(); v != nil {
			out = append(out, internalError(s, p, stage, v))
		}
		if p.doc != nil {
			pool.put(p.doc.slabs)
		}
		p.doc = nil
	}()
	p.doc = parsePooled(p.HTML, pool)
	for _, r := range rules {
		out = append(out, runRule(s, p, r)...)
	}
	stage = "collecting its links and ids"
	p.facts = collectFacts(p, s.urlTable())
	return out
}

// runRule runs one rule and fills in the defaults of its findings. A
// panic in the rule is a finding of its own, and ends only that rule's
// work on that page.
func runRule(s *Site, p *Page, r Rule) (out []Finding) {
	defer func() {
		if v := recover(); v != nil {
			out = append(out, internalError(s, p, "rule "+r.Name(), v))
		}
	}()
	r.Check(p, func(f Finding) {
		if f.Rule == "" {
			f.Rule = r.Name()
		}
		if f.File == "" {
			f.File = s.OutputPrefix + p.Output
		}
		out = append(out, f)
	})
	return out
}

// internalError is the finding for a panic while checking a page: a bug
// in the checker, reported at the page so that the run can go on.
func internalError(s *Site, p *Page, stage string, v any) Finding {
	file := p.Source
	if file == "" {
		file = s.OutputPrefix + p.Output
	}
	return Finding{
		File: file, Rule: "internal-error", Severity: Error,
		Message: fmt.Sprintf("internal error while checking %s (%s): %v; this is a bug, please report it", file, stage, v),
		Fix:     "this is a bug in charter, not in your site: please report it with this page; the other pages were checked",
	}
}

// mergeKnown adds the build's own findings, dropping link findings that
// repeat one of them.
func mergeKnown(fs, known []Finding) []Finding {
	if len(known) == 0 {
		return fs
	}
	type place struct {
		file string
		line int
	}
	seen := map[place]bool{}
	for _, k := range known {
		seen[place{k.File, k.Line}] = true
	}
	out := fs[:0]
	for _, f := range fs {
		if isLinkRule(f.Rule) && f.Line > 0 && seen[place{f.File, f.Line}] {
			continue
		}
		out = append(out, f)
	}
	return append(out, known...)
}

func filterSkipped(fs []Finding, skip []string) []Finding {
	if len(skip) == 0 {
		return fs
	}
	return slices.DeleteFunc(fs, func(f Finding) bool { return slices.Contains(skip, f.Rule) })
}

// sortFindings orders findings by file, line, column, rule and message,
// and drops exact repeats.
func sortFindings(fs []Finding) []Finding {
	slices.SortFunc(fs, compareFindings)
	return slices.Compact(fs)
}

func compareFindings(a, b Finding) int {
	return cmp.Or(
		cmp.Compare(a.File, b.File),
		cmp.Compare(a.Line, b.Line),
		cmp.Compare(a.Col, b.Col),
		cmp.Compare(a.Rule, b.Rule),
		cmp.Compare(a.Message, b.Message),
		cmp.Compare(a.Severity, b.Severity),
		cmp.Compare(a.Fix, b.Fix),
	)
}

// parallel calls f(0) … f(n-1) on GOMAXPROCS goroutines.
func parallel(n int, f func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	if workers <= 1 {
		for i := range n {
			f(i)
		}
		return
	}
	var wg sync.WaitGroup
	next := make(chan int, workers)
	for range workers {
		wg.Go(func() {
			for i := range next {
				f(i)
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}

package check

import (
	"maps"
	"slices"
	"sync"
	"time"
)

// Live checks the pages of a site that keeps changing, such as the
// preview's, one page at a time and only when asked. Update takes the
// names of the files a build wrote, which is cheap; Findings asks the
// loader for the page (and for the pages its #fragment links point to)
// when it changed since it was last loaded, parses its HTML and runs the
// rules, once per change.
//
// Findings gives what Run would give for that page, with one exception:
// duplicate-title, which needs every page's <title> and so every page
// parsed, is left to Run (charter check). Links are checked against the
// files of the whole site.
//
// Live is safe for concurrent use.
type Live struct {
	opts Options
	load Loader

	mu    sync.Mutex
	gen   int                  // counts Updates
	site  Site                 // Pages unused; Files kept up to date
	pages map[string]*livePage // by output file
}

// A Loader returns the pages written to the output files given, as the
// site is now; it may leave out any it cannot give. Live calls it without
// holding its lock, from the goroutine that asks for findings.
type Loader func(outputs []string) map[string]*Page

// livePage is one page with its per-page findings, once checked.
type livePage struct {
	page     *Page // nil until loaded after a change
	checked  bool
	findings []Finding // of the per-page rules
}

// A LiveUpdate is what a build changed.
type LiveUpdate struct {
	// Replace: Files is the whole site; every other file goes.
	Replace bool
	Files   []string // output files written: "faqs/index.html", "css/site.css"
	Pages   []string // the pages among Files, by output file
	Removed []string // output files the site no longer has

	// BasePath, OutputPrefix, Drafts and Unbuilt are as in Site, for the
	// whole site after the build.
	BasePath     string
	OutputPrefix string
	Drafts       map[string]string
	Unbuilt      map[string]string
}

// NewLive returns a checker with no pages yet, which loads pages with
// load. opts.Now is ignored: review dates are checked against the clock
// when a page is checked.
func NewLive(opts Options, load Loader) *Live {
	return &Live{
		opts:  opts,
		load:  load,
		site:  Site{Files: map[string]bool{}},
		pages: map[string]*livePage{},
	}
}

// Update takes what a build changed. Its cost is that of a few map writes
// per file: no page is loaded or parsed.
func (l *Live) Update(u LiveUpdate) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.gen++
	if u.Replace {
		l.site.Files = make(map[string]bool, len(u.Files))
		l.pages = make(map[string]*livePage, len(u.Pages))
	}
	for _, f := range u.Files {
		l.site.Files[f] = true
	}
	for _, f := range u.Removed {
		delete(l.site.Files, f)
		delete(l.pages, f)
	}
	for _, p := range u.Pages {
		l.pages[p] = &livePage{}
	}
	l.site.BasePath, l.site.OutputPrefix = u.BasePath, u.OutputPrefix
	l.site.Drafts, l.site.Unbuilt = maps.Clone(u.Drafts), maps.Clone(u.Unbuilt)
}

// loadTries is how many times Findings loads pages that changed again
// while they were loaded, before it checks with what it has.
const loadTries = 3

// Findings checks the page written to the output file ("faqs/index.html")
// and returns its findings, sorted as Run sorts them; false when the site
// has no such page, or the loader could not give it.
func (l *Live) Findings(output string) ([]Finding, bool) {
	for try := 0; ; try++ {
		l.mu.Lock()
		fs, missing, ok := l.findings(output, try == loadTries)
		gen := l.gen
		l.mu.Unlock()
		if len(missing) == 0 || !ok {
			return fs, ok
		}
		loaded := l.load(missing)
		l.mu.Lock()
		if l.gen == gen {
			for name, p := range loaded {
				if lp := l.pages[name]; lp != nil && lp.page == nil {
					lp.page = p
				}
			}
		}
		l.mu.Unlock()
	}
}

// findings checks a page whose page and link targets are loaded, or
// returns the pages to load first; with last, it checks with what it has.
// The caller holds l.mu.
func (l *Live) findings(output string, last bool) ([]Finding, []string, bool) {
	lp := l.pages[output]
	switch {
	case lp == nil, lp.page == nil && last:
		return nil, nil, false
	case lp.page == nil:
		return nil, []string{output}, true
	}
	if !lp.checked {
		opts := l.opts
		opts.Now = time.Now()
		lp.findings = checkPage(&l.site, lp.page, append(pageRules(opts), opts.Rules...), nil)
		lp.checked = true
	}
	ix := &liveIndex{live: l}
	links := runRule(&l.site, lp.page, &linkRule{site: &l.site, index: ix})
	lp.page.doc = nil // the tree is big; a link finding may have parsed it again
	if len(ix.missing) > 0 && !last {
		return nil, ix.missing, true
	}
	out := append(slices.Clone(lp.findings), links...)
	return filterSkipped(sortFindings(out), l.opts.Skip), nil, true
}

// liveIndex finds the pages a page's #fragment links point to, with their
// facts collected, and notes those not loaded yet.
type liveIndex struct {
	live    *Live
	missing []string
}

func (ix *liveIndex) page(output string) *Page {
	lp := ix.live.pages[output]
	switch {
	case lp == nil:
		return nil
	case lp.page == nil:
		ix.missing = append(ix.missing, output)
		return nil
	}
	p := lp.page
	if p.facts == nil {
		func() {
			defer func() {
				if recover() != nil { // reported when the page itself is checked
					p.facts = &pageFacts{}
				}
				p.doc = nil
			}()
			p.facts = collectFacts(p, ix.live.site.urlTable())
		}()
	}
	return p
}

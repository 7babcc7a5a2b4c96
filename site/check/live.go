package check

import (
	"maps"
	"sync"
	"time"
)

// Live checks the pages of a site that keeps changing, such as the
// preview's, one page at a time and only when asked: Update hands it the
// pages a build wrote, which is cheap, and Findings checks one page,
// parsing its HTML and running the rules on the first call after the page
// changed.
//
// Findings gives what Run would give for that page, with one exception:
// duplicate-title, which needs every page's <title> and so every page
// parsed, is left to Run (charter check). Links are checked against the
// files of the whole site, and links to a #fragment of another page parse
// that page when it has changed.
//
// Live is safe for concurrent use.
type Live struct {
	opts  Options
	rules []Rule

	mu    sync.Mutex
	site  Site                 // Pages unused; Files kept up to date
	pages map[string]*livePage // by output file
}

// livePage is one page with its per-page findings, once checked.
type livePage struct {
	page     *Page
	checked  bool
	findings []Finding // of the per-page rules
}

// A LiveUpdate is what a build changed.
type LiveUpdate struct {
	// Replace: Files and Pages are the whole site; every other file and
	// page goes.
	Replace bool
	Files   []string // output files written: "faqs/index.html", "css/site.css"
	Removed []string // output files the site no longer has
	Pages   []*Page  // the pages among Files, or every page with Replace

	// BasePath, OutputPrefix, Drafts and Unbuilt are as in Site, for the
	// whole site after the build.
	BasePath     string
	OutputPrefix string
	Drafts       map[string]string
	Unbuilt      map[string]string
}

// NewLive returns a checker with no pages yet. opts.Now is ignored: review
// dates are checked against the clock when a page is checked.
func NewLive(opts Options) *Live {
	return &Live{
		opts:  opts,
		site:  Site{Files: map[string]bool{}},
		pages: map[string]*livePage{},
	}
}

// Update takes what a build changed. Its cost is that of a few map writes
// per file: no page is parsed.
func (l *Live) Update(u LiveUpdate) {
	l.mu.Lock()
	defer l.mu.Unlock()
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
		l.pages[p.Output] = &livePage{page: p}
	}
	l.site.BasePath, l.site.OutputPrefix = u.BasePath, u.OutputPrefix
	l.site.Drafts, l.site.Unbuilt = maps.Clone(u.Drafts), maps.Clone(u.Unbuilt)
}

// Findings checks the page written to the output file ("faqs/index.html")
// and returns its findings, sorted as Run sorts them; false when the site
// has no such page.
func (l *Live) Findings(output string) ([]Finding, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	lp := l.pages[output]
	if lp == nil {
		return nil, false
	}
	if !lp.checked {
		opts := l.opts
		opts.Now = time.Now()
		rules := append(pageRules(opts), opts.Rules...)
		lp.findings = checkPage(&l.site, lp.page, rules)
		lp.checked = true
	}
	lr := &linkRule{site: &l.site, index: l}
	out := append(append([]Finding(nil), lp.findings...), runRule(&l.site, lp.page, lr)...)
	lp.page.doc = nil // the tree is big; a link finding may have parsed it again
	return filterSkipped(sortFindings(out), l.opts.Skip), true
}

// page is the page written to an output file, with its facts collected,
// for the link rule. The caller holds l.mu.
func (l *Live) page(output string) *Page {
	lp := l.pages[output]
	if lp == nil {
		return nil
	}
	if lp.page.facts == nil {
		func() {
			defer func() {
				if recover() != nil {
					lp.page.facts = &pageFacts{ids: map[string]bool{}}
				}
				lp.page.doc = nil
			}()
			lp.page.facts = collectFacts(lp.page)
		}()
	}
	return lp.page
}

package check

import (
	"slices"
	"sync"
)

// A Stream checks the pages of a build as the build writes them, so that
// nothing holds every page's HTML at once: Page runs the per-page rules on
// one page, keeps their findings and the page's facts (its title, ids and
// links, with where each link is written), and lets go of the page's HTML,
// prose and Markdown links. Finish then runs the site-wide rules over
// those facts. Finish(s) returns what Run(s) would, when s.Pages are the
// pages given to Page, whatever order they were given in.
//
// Page is safe for concurrent use; Finish is called once, after the last
// Page.
type Stream struct {
	opts   Options
	rules  []Rule
	prefix *Site // the OutputPrefix that per-page findings are given
	pool   *slabPool

	mu   sync.Mutex
	done map[*Page][]Finding // the per-page findings of the pages given
}

// NewStream returns a Stream that checks with opts, and puts outputPrefix
// (the Site's OutputPrefix) before output file names in findings.
func NewStream(opts Options, outputPrefix string) *Stream {
	return &Stream{
		opts:   opts,
		rules:  append(pageRules(opts), opts.Rules...),
		prefix: &Site{OutputPrefix: outputPrefix, urls: newURLTable()}, // made before Page runs in parallel
		done:   map[*Page][]Finding{},
		pool:   new(slabPool),
	}
}

// Page checks one page and lets go of its HTML, Prose and Links: the
// findings about them are made. It keeps no reference to the HTML it was
// given, so the caller may reuse the buffer. A page whose facts could not
// be collected (a bug, reported as an internal error) keeps a copy of its
// HTML, so that the site-wide rules meet the same bug as they would in Run.
func (st *Stream) Page(p *Page) {
	fs := checkPage(st.prefix, p, st.rules, st.pool)
	if p.facts != nil {
		// The links within the page are checked now, and only those to
		// other pages kept for Finish.
		fs = append(fs, runRule(st.prefix, p, &linkRule{site: st.prefix, local: true})...)
		p.facts.dropLocalRefs()
		p.HTML, p.Prose, p.Links = nil, nil, nil
	} else {
		p.HTML = slices.Clone(p.HTML)
	}
	st.mu.Lock()
	st.done[p] = fs
	st.mu.Unlock()
}

// Finish checks the pages of s that were not given to Page (such as the
// 404 pages), runs the site-wide rules, and returns every finding sorted,
// with the build's own findings, as Run does. s.OutputPrefix must be the
// one given to NewStream.
func (st *Stream) Finish(s *Site) []Finding {
	per := make([][]Finding, len(s.Pages))
	// One table numbers the URLs of every page's facts: the link rule
	// keeps what a URL resolves to by its number.
	s.urls = st.prefix.urls
	parallel(len(s.Pages), func(i int) {
		p := s.Pages[i]
		st.mu.Lock()
		fs, ok := st.done[p]
		st.mu.Unlock()
		if !ok {
			fs = checkPage(s, p, st.rules, st.pool)
		}
		per[i] = fs
	})
	st.done = nil
	return siteFindings(s, per, st.opts)
}

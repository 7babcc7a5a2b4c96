package cli

import (
	"path"
	"sync"

	"charter/site"
	"charter/site/check"
)

// checkingOutput is where `charter check` builds the site: it checks each
// page as the build writes it (check.Stream) and keeps, of the files,
// only their names and the 404 pages, so that check's memory follows the
// number of pages and not their text.
type checkingOutput struct {
	stream *check.Stream

	mu       sync.Mutex
	files    map[string]bool
	pages    map[string]*check.Page // the pages checked, by output file
	notFound map[string][]byte      // files named 404.html, checked at the end
}

var _ site.PageOutput = (*checkingOutput)(nil)

func newCheckingOutput(opts check.Options) *checkingOutput {
	return &checkingOutput{
		stream:   check.NewStream(opts, "public/"),
		files:    map[string]bool{},
		pages:    map[string]*check.Page{},
		notFound: map[string][]byte{},
	}
}

// WriteFile notes a file that is not a page of the site's tree.
func (o *checkingOutput) WriteFile(name string, data []byte) error {
	name, err := site.OutputName(name)
	if err != nil {
		return err
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	o.files[name] = true
	delete(o.pages, name)
	if path.Base(name) == "404.html" {
		o.notFound[name] = append([]byte(nil), data...)
	}
	return nil
}

// WritePage checks page p, whose HTML data the build writes to name.
func (o *checkingOutput) WritePage(p *site.Page, name string, data []byte) error {
	name, err := site.OutputName(name)
	if err != nil {
		return err
	}
	cp := checkPageOf(p.Site, p, data)
	o.stream.Page(cp)
	o.mu.Lock()
	defer o.mu.Unlock()
	o.files[name] = true
	o.pages[name] = cp
	return nil
}

// finish gives the findings of the build res wrote into o, as check.Run
// gives them for CheckSite(res, files), and the site checked.
func (o *checkingOutput) finish(res *site.Result) ([]check.Finding, *check.Site) {
	var unchecked []check.Finding
	s := checkSiteOf(res, o.files, func(p *site.Page, name string) *check.Page {
		cp := o.pages[name]
		if cp == nil {
			// Written, but not as a page, so not checked as it went: no
			// build does this, and if one did, it would be reported.
			cp = &check.Page{Output: name, Source: p.Source, URL: p.RelPermalink}
			unchecked = append(unchecked, check.Finding{File: "public/" + name, Rule: "internal-error", Severity: check.Error,
				Message: "internal error: the page was written as a file, so it was not checked; this is a bug, please report it",
				Fix:     "this is a bug in charter, not in your site: please report it"})
		}
		return cp
	})
	s.Known = append(s.Known, unchecked...)
	s.Pages = append(s.Pages, notFoundPages(res.Site, o.notFound)...)
	return o.stream.Finish(s), s
}

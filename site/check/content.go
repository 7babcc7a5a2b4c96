package check

import (
	"fmt"
	"time"
)

// The content rules: warnings about a page's front matter.

// reviewRule warns about pages whose review_by date has passed.
type reviewRule struct{ now time.Time }

func (reviewRule) Name() string { return "review-overdue" }

func (r reviewRule) Check(p *Page, report func(Finding)) {
	if p.Source == "" || !overdue(p.ReviewBy, r.now) {
		return
	}
	owner := p.Owner
	if owner == "" {
		owner = "no owner named"
	}
	report(Finding{
		File: p.Source, Severity: Warning,
		Message: fmt.Sprintf("%q (owner: %s) was due for review by %s", p.Title, owner, p.ReviewBy.Format("2 January 2006")),
		Fix:     "review the page, then set last_reviewed to today and review_by to the next review date",
	})
}

// overdue reports whether a review_by date is before the day of now.
func overdue(reviewBy, now time.Time) bool {
	if reviewBy.IsZero() {
		return false
	}
	return reviewBy.Format(time.DateOnly) < now.Format(time.DateOnly)
}

func checkDescription(p *Page, d *Document, report func(Finding)) {
	if p.Source == "" || !isBlank(p.Description) {
		return
	}
	report(Finding{
		File: p.Source, Severity: Warning,
		Message: "the page has no description, which lists and search results show",
		Fix:     "add description: to the front matter: one sentence saying what the page is for",
	})
}

// checkChangeNote warns when lastmod is newer than the newest note in the
// page's changes list: an edit that went out without saying what changed.
func checkChangeNote(p *Page, d *Document, report func(Finding)) {
	if p.Source == "" || p.LatestChange.IsZero() || p.Lastmod.IsZero() {
		return
	}
	lastmod, latest := p.Lastmod.Format(time.DateOnly), p.LatestChange.Format(time.DateOnly)
	if lastmod <= latest {
		return
	}
	report(Finding{
		File: p.Source, Line: p.LastmodLine, Severity: Warning,
		Message: fmt.Sprintf("lastmod %s is newer than the newest change note (%s): the page changed without a note saying what changed",
			lastmod, p.LatestChange.Format("2 January 2006")),
		Fix: fmt.Sprintf("add an entry to changes: with date: %s and a one-sentence note: of what changed, or set lastmod to the date of the newest note", lastmod),
	})
}

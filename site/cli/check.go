package cli

import (
	"cmp"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"charter/site"
	"charter/site/check"
	"charter/site/internal/inject"
)

const checkUsage = `Usage: charter check [flags]

Builds the site in memory (public/ is not touched) and checks links, accessibility,
HTML and content. Exit status 1 if there is any error; 0 with only warnings.

Flags:
`

func runCheck(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	var sf siteFlags
	sf.register(fs, false)
	format := fs.String("format", "text", "how to print findings: text, json or github (workflow annotations)")
	strict := fs.Bool("strict", false, "fail on warnings too")
	external := fs.Bool("external", false, "also check links to other sites (needs the network)")
	cacheFile := fs.String("external-cache", "", "the `file` that remembers external link results for a day (default in your cache folder)")
	review := fs.String("review-report", "", "write every page's owner and review dates to `FILE` (.csv or .json), overdue first")
	noColor := fs.Bool("no-color", false, "no colour in text output (NO_COLOR does the same)")
	if code, stop := sf.parse(fs, checkUsage, args, stderr); stop {
		return code
	}
	defer sf.close()
	if *format != "text" && *format != "json" && *format != "github" {
		fmt.Fprintf(stderr, "charter check: --format %q is not one of text, json, github\n", *format)
		return 2
	}
	site.TuneGC(checkMemoryLimit(sf.source))
	b, err := site.NewBuilder(site.Config{BaseURL: sf.baseURL, Drafts: sf.drafts, Minify: true, Fingerprint: true, KeepGoing: true, Timeout: sf.timeout}, sf.oneBuildFS())
	if err != nil {
		fmt.Fprintf(stderr, "charter check: %v\n", err)
		return 2
	}
	out := newCheckingOutput(check.Options{Now: time.Now(), Rules: injectedRules(ctx)})
	res, err := b.Build(ctx, out)
	var findings []check.Finding
	var cs *check.Site
	if err != nil {
		es, ok := site.AsErrors(err)
		if !ok {
			fmt.Fprintf(stderr, "charter check: %v\n", err)
			return 1
		}
		// The site does not build: what stopped it is the finding.
		for _, e := range es {
			findings = append(findings, check.Finding{File: e.File, Line: e.Line, Rule: "build", Severity: check.Error, Message: e.Msg, Fix: "fix this first: the other checks need a site that builds"})
		}
	} else {
		findings, cs = out.finish(res)
		if *external {
			findings = append(findings, checkExternal(ctx, cs, *cacheFile, stderr)...)
		}
	}
	if *review != "" && cs != nil {
		if err := check.WriteReviewReport(*review, cs.Pages, time.Now()); err != nil {
			fmt.Fprintf(stderr, "charter check: --review-report: %v\n", err)
			return 2
		}
	}
	if err := writeFindings(*format, findings, !*noColor && colorTerminal(stdout), stdout, stderr); err != nil {
		fmt.Fprintf(stderr, "charter check: %v\n", err)
		return 1
	}
	return check.ExitCode(findings, *strict)
}

// checkMemoryLimit is the soft memory limit for checking a site. Check
// keeps, of each page, its findings and facts (title, ids, links), about
// 7 KiB a page with the site's tree; measured on 10,000 generated pages,
// its live heap peaks near 110 MiB at 300 and at 1,100 words a page.
// 320 MiB leaves the collector room at that size (a lower limit costs
// more collections); larger sites get 32 KiB a page.
func checkMemoryLimit(source string) int64 {
	return max(320<<20, int64(contentFiles(source))*32<<10)
}

// contentFiles counts the files under the site's content folder: about
// its number of pages, which the memory a command needs follows.
func contentFiles(source string) int {
	n, _ := site.ContentFiles(source) // a site that cannot be read fails to build anyway
	return n
}

// buildWarnings are the warnings the build gave (a misspelt front matter
// key, a removed javascript: link, URLs that differ only in case, a
// symbolic link not followed) as findings of their rules.
func buildWarnings(ws site.Errors) []check.Finding {
	fs := make([]check.Finding, 0, len(ws))
	for _, w := range ws {
		rule := w.Rule
		if rule == "" {
			rule = "build"
		}
		fs = append(fs, check.Finding{File: w.File, Line: w.Line, Rule: rule, Severity: check.Warning, Message: w.Msg})
	}
	return fs
}

// injectedRules is the panicking rule a test asks for through ctx (see
// package inject); none in a real run.
func injectedRules(ctx context.Context) []check.Rule {
	f := inject.From(ctx)
	if f.Rule == "" {
		return nil
	}
	return []check.Rule{panicRule{name: f.Rule, file: f.File}}
}

// panicRule is a check rule that panics on one page, as a bug would.
type panicRule struct{ name, file string }

func (r panicRule) Name() string { return r.name }

func (r panicRule) Check(p *check.Page, report func(check.Finding)) {
	if p.Source == r.file {
		var counts map[string]int
		counts[p.Source]++ // assignment to a nil map
	}
}

// checkExternal checks links to other sites, remembering the answers in
// cacheFile (by default in the user's cache folder) for a day.
func checkExternal(ctx context.Context, cs *check.Site, cacheFile string, stderr io.Writer) []check.Finding {
	if cacheFile == "" {
		if dir, err := os.UserCacheDir(); err == nil {
			cacheFile = filepath.Join(dir, "charter", "external-links.json")
			_ = os.MkdirAll(filepath.Dir(cacheFile), 0o755)
		}
	}
	ext, err := check.CheckExternal(ctx, check.ExternalLinks(cs), check.ExternalOptions{CacheFile: cacheFile})
	if err != nil {
		fmt.Fprintf(stderr, "warning: external link cache: %v\n", err)
	}
	return ext
}

// writeFindings prints findings as text, JSON or GitHub annotations.
func writeFindings(format string, findings []check.Finding, color bool, stdout, stderr io.Writer) error {
	switch format {
	case "json":
		return check.WriteJSON(stdout, findings)
	case "github":
		fmt.Fprintln(stderr, check.Summary(findings))
		return check.WriteGitHub(stdout, findings)
	}
	return check.WriteText(stdout, findings, color)
}

// colorTerminal reports whether w is a terminal that wants colour.
func colorTerminal(w io.Writer) bool {
	if _, ok := os.LookupEnv("NO_COLOR"); ok {
		return false
	}
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// CheckSite gives the checker a site built with KeepGoing: every page's
// HTML with its Markdown source, links and dates, every file the build
// produced, the drafts left out, and the broken links the build found.
func CheckSite(res *site.Result, files map[string][]byte) *check.Site {
	names := make(map[string]bool, len(files))
	for name := range files {
		names[name] = true
	}
	s := checkSiteOf(res, names, func(p *site.Page, name string) *check.Page {
		return checkPageOf(res.Site, p, files[name])
	})
	s.Pages = append(s.Pages, notFoundPages(res.Site, files)...)
	return s
}

// checkSiteOf is the checker's site of a build that wrote the files
// named, with the check page of each page written, as page gives it, in
// the order of AllPages; the 404 pages are the caller's to add.
func checkSiteOf(res *site.Result, files map[string]bool, page func(p *site.Page, name string) *check.Page) *check.Site {
	s := &check.Site{
		Files:        files,
		BasePath:     res.Site.Base.Path,
		Drafts:       res.Site.DraftURLs(),
		Unbuilt:      res.Site.UnbuiltURLs(),
		OutputPrefix: "public/",
	}
	for _, p := range res.Site.AllPages {
		name := p.OutputFile()
		if !files[name] {
			s.Unbuilt[p.RelPermalink] = p.Source // left out: its problem is in Known
			continue
		}
		s.Pages = append(s.Pages, page(p, name))
	}
	for _, e := range res.Problems {
		s.Known = append(s.Known, knownFinding(e))
	}
	s.Known = append(s.Known, buildWarnings(res.Warnings)...)
	return s
}

// checkPageOf is what the checker needs of a page: its HTML with its
// Markdown source, links and dates.
func checkPageOf(s *site.Site, p *site.Page, html []byte) *check.Page {
	cp := &check.Page{
		Output: p.OutputFile(), Source: p.Source, URL: p.RelPermalink, HTML: html,
		Title: p.Title, Description: p.Description, Owner: p.Owner,
		LastReviewed: p.LastReviewed, ReviewBy: p.ReviewBy, Draft: p.Draft,
	}
	cp.Lastmod, cp.LastmodLine = p.FrontMatterLastmod()
	if c := p.LatestChange(); c != nil {
		cp.LatestChange = c.Date
	}
	cp.Prose = checkBlocks(p.Prose)
	if len(p.Links) > 0 {
		cp.Links = make([]check.Link, 0, len(p.Links))
	}
	for _, l := range p.Links {
		cp.Links = append(cp.Links, check.Link{Line: l.Line, Written: l.Written, URL: l.URL, Image: l.Image, NoAlt: l.NoAlt})
	}
	translationFacts(s, p, cp)
	return cp
}

// checkBlocks is a page's prose as the checker reads it.
func checkBlocks(prose []site.ProseBlock) []check.Block {
	if len(prose) == 0 {
		return nil
	}
	out := make([]check.Block, 0, len(prose))
	for _, b := range prose {
		cb := check.Block{Heading: b.Heading, Line: b.Line, Title: b.Title}
		if len(b.Lines) > 0 {
			cb.Lines = make([]check.BlockLine, 0, len(b.Lines))
		}
		for _, l := range b.Lines {
			cb.Lines = append(cb.Lines, check.BlockLine{Line: l.Line, Text: l.Text})
		}
		out = append(out, cb)
	}
	return out
}

// notFoundPages are the 404 pages of each language among files.
func notFoundPages(s *site.Site, files map[string][]byte) []*check.Page {
	var out []*check.Page
	for _, l := range s.Languages {
		name := strings.TrimPrefix(l.Prefix, "/") + "404.html"
		if html, ok := files[name]; ok {
			out = append(out, &check.Page{Output: name, URL: s.Base.Path + name, HTML: html, Lang: l.Lang})
		}
	}
	return out
}

// knownFinding is a problem of a KeepGoing build as a finding of its rule.
func knownFinding(e *site.Error) check.Finding {
	f := check.Finding{File: e.File, Line: e.Line, Rule: e.Rule, Severity: check.Error, Message: e.Msg}
	switch e.Rule {
	case "build":
		f.Fix = "fix this so that the page builds; the page was left out of the other checks"
	case "draft-link":
		f.Fix = "publish the page (draft: false) or remove the link"
	default:
		f.Rule = cmp.Or(f.Rule, "broken-link")
		f.Fix = "fix the link so that it names an existing, published page, file or heading"
	}
	return f
}

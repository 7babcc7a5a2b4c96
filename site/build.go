package site

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"charter/site/internal/inject"

	"github.com/tdewolff/minify/v2"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// Config is how a site is built.
type Config struct {
	BaseURL string // --base-url: "/", "/rights/" or "https://example.org/rights/"
	Drafts  bool   // include pages with draft: true
	Minify  bool   // minify HTML, CSS, JS, SVG, XML and JSON
	Serve   bool   // the build is for the preview server

	// Fingerprint puts a content hash in the names of static CSS, JS,
	// images and fonts, so that they can be cached for a long time.
	Fingerprint bool

	// Index, when set, makes a build's search index: the build adds each
	// published page's text as soon as the page renders, and writes the
	// files of the index once every page has.
	Index func() Indexer

	// KeepGoing turns broken links into Result.Problems instead of
	// failing the build, so that a checker sees every page.
	KeepGoing bool

	// IndexOnly writes the search index and nothing else: pages are
	// converted from Markdown but not laid out, and no other file is
	// written. The preview makes its search index this way.
	IndexOnly bool

	// Timeout is how long one page's Markdown conversion, and one layout
	// execution, may take before the build fails (--timeout); zero means
	// DefaultTimeout.
	Timeout time.Duration
}

// An Indexer makes a search index from pages' text. Add is called from
// many goroutines at once, in no set order; Files once, after the last Add.
type Indexer interface {
	Add(SearchDoc)
	Files() (map[string][]byte, error)
}

// Builder builds one site. NewBuilder checks the configuration once;
// Build is not safe for concurrent use.
type Builder struct {
	cfg    Config
	fsys   fs.FS
	base   BaseURL
	min    *minify.M
	assets *assetMap
	last   *buildState // the last good build, kept in serve mode
}

// NewBuilder returns a builder for the site whose root (holding content/,
// layouts/ and static/) is fsys.
func NewBuilder(cfg Config, fsys fs.FS) (*Builder, error) {
	base, err := ParseBaseURL(cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	return &Builder{cfg: cfg, fsys: fsys, base: base, min: newMinifier(), assets: &assetMap{}}, nil
}

// layoutMinifier is the minifier for layout text, or nil when the build
// does not minify.
func (b *Builder) layoutMinifier() *minify.M {
	if !b.cfg.Minify {
		return nil
	}
	return newTemplateMinifier()
}

// Result tells what a build produced.
type Result struct {
	Pages    int // HTML pages, the home page and section pages included
	Sections int
	Files    int // static files and files copied from content/
	Aliases  int
	Warnings Errors
	Problems Errors   // broken links, when Config.KeepGoing is set
	Written  []string // output files written by this build, sorted
	Removed  []string // output files of the previous build that no longer exist
	Rendered int      // pages rendered by this build
	CSSOnly  bool     // the build only changed stylesheets
	Site     *Site
	Duration time.Duration
}

// warnings collects warnings from many goroutines.
type warnings struct {
	mu   sync.Mutex
	list Errors
}

func (w *warnings) add(e *Error) {
	w.mu.Lock()
	w.list = append(w.list, e)
	w.mu.Unlock()
}

// Build reads the whole site and writes it to out. With changes, and a
// previous good build by the same Builder in serve mode, it rebuilds only
// what the changes affect. On error nothing should be published: the
// error lists every problem found (as Errors), and the Builder keeps its
// last good state.
func (b *Builder) Build(ctx context.Context, out Output, changes ...Change) (res *Result, err error) {
	defer b.recoverBuild(&err)
	start := time.Now()
	if b.last != nil && len(changes) > 0 {
		res, err = b.incremental(ctx, out, changes)
	} else {
		res, err = b.full(ctx, out)
	}
	if err != nil {
		return nil, err
	}
	res.Duration = time.Since(start)
	return res, nil
}

// recoverBuild turns a panic in a build into an error, and makes the next
// build a full one, since the panic may have left the kept state half
// updated. The preview server goes on serving its last good build.
func (b *Builder) recoverBuild(err *error) {
	if v := recover(); v != nil {
		b.last = nil
		*err = Errors{internalError("", "building the site", v)}
	}
}

// full builds every page.
func (b *Builder) full(ctx context.Context, out Output) (*Result, error) {
	warn := &warnings{}
	in, errs := listInputs(b.fsys, warn.add)
	parsed, perrs := b.parseAll(ctx, in.pages)
	left, perrs := b.leaveOut(perrs)
	errs = append(errs, perrs...)
	var lay *layouts
	if !b.cfg.IndexOnly {
		var lerrs Errors
		lay, lerrs = loadLayouts(b.fsys, b.templateFuncs(inject.From(ctx)), b.layoutMinifier(), b.timeout())
		errs = append(errs, lerrs...)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if len(errs) > 0 {
		return nil, errs.sorted()
	}
	b.assets.reset()
	site, errs := assemble(append(parsed, unparsed(in.pages, parsed)...), siteFiles(in), b.cfg, b.base, warn.add)
	aerrs, errs := b.leaveOut(errs)
	if len(errs) > 0 {
		return nil, errs.sorted()
	}
	site.fsys = b.fsys
	left = append(left, aerrs...)
	if !b.cfg.Serve {
		dropFrontMatter(site.AllPages)
		site.freeze()
	}
	st := &buildState{in: in, sources: map[string]loaded{}, lay: lay, site: site, md: newMarkdown(site.RawHTML),
		ids: map[string]idSet{}, refs: map[string][]fragRef{}, failed: map[string]bool{}}
	if b.cfg.Serve { // for the next build: see incremental
		for _, l := range parsed {
			st.sources[l.file] = l
		}
	}
	r := &pageRenderer{b: b, st: st, out: out, warn: warn, faults: inject.From(ctx)}
	if b.cfg.Index != nil {
		r.index = b.cfg.Index()
	}
	if b.cfg.IndexOnly {
		return r.indexOnly(ctx)
	}
	if !b.cfg.Serve && !b.cfg.KeepGoing {
		r.frags = newFragChecker(site.AllPages)
	}
	errs = r.writeStatic(ctx, in.static, true)
	site.assets = b.assets
	perrs, problems := r.render(ctx, site.AllPages)
	errs = append(errs, perrs...)
	var fragErrs Errors
	if r.frags != nil { // and the pages' ids go before the search index comes
		fragErrs = r.frags.finish(r.idsOf(ctx))
	}
	// The search index is built beside the rest, which is mostly serial.
	var tail [2]Errors
	parallel(ctx, 2, func(i int) {
		if i == 0 {
			tail[0] = r.writeIndex()
			return
		}
		tail[1] = append(r.copyFiles(ctx, in.assets), r.writeExtras(ctx)...)
		if r.frags == nil {
			fragErrs = r.checkFragments(site.AllPages)
		}
	})
	errs = append(errs, tail[1]...)
	errs = append(errs, tail[0]...)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if b.cfg.KeepGoing {
		problems = append(problems, fragErrs...)
	} else {
		errs = append(errs, fragErrs...)
	}
	if len(errs) > 0 {
		return nil, groupLayoutErrors(errs).sorted()
	}
	res := r.result(append(left, problems...))
	res.Rendered = len(site.AllPages)
	if b.cfg.Serve {
		st.files = map[string]bool{}
		for _, f := range res.Written {
			st.files[f] = true
		}
		b.last = st
	}
	return res, nil
}

// leaveOut splits the problems of a KeepGoing build, which leaves out the
// pages they stop, from errors that stop the build. Every problem goes to
// check under the rule "build"; without KeepGoing all are errors.
func (b *Builder) leaveOut(errs Errors) (problems, rest Errors) {
	if !b.cfg.KeepGoing {
		return nil, errs
	}
	for _, e := range errs {
		e.Rule = "build"
	}
	return errs, nil
}

// indexOnly renders the pages' Markdown and writes the search index.
func (r *pageRenderer) indexOnly(ctx context.Context) (*Result, error) {
	errs, _ := r.render(ctx, r.st.site.AllPages)
	errs = append(errs, r.writeIndex()...)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if len(errs) > 0 {
		return nil, errs.sorted()
	}
	return r.result(nil), nil
}

// siteFiles lists the files copied to the output: static files and
// content assets, sorted.
func siteFiles(in inputs) []string {
	files := append(slices.Clone(in.static), in.assets...)
	slices.Sort(files)
	return files
}

func (r *pageRenderer) result(problems Errors) *Result {
	site := r.st.site
	res := &Result{Site: site, Files: len(r.st.in.static) + len(r.st.in.assets), Aliases: len(site.aliases),
		Warnings: r.warn.list.sorted(), Problems: problems.sorted(), Written: r.written()}
	for _, p := range site.AllPages {
		res.Pages++
		if p.Kind == KindSection {
			res.Sections++
		}
	}
	return res
}

// parallel calls f(i) for i in [0, n) on every core, stopping early when
// ctx is cancelled.
func parallel(ctx context.Context, n int, f func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	var next int
	var mu sync.Mutex
	var wg sync.WaitGroup
	var panicked any
	for range workers {
		wg.Go(func() {
			defer func() {
				if r := recover(); r != nil {
					mu.Lock()
					panicked = r
					next = n
					mu.Unlock()
				}
			}()
			for ctx.Err() == nil {
				mu.Lock()
				i := next
				next++
				mu.Unlock()
				if i >= n {
					return
				}
				f(i)
			}
		})
	}
	wg.Wait()
	if panicked != nil {
		panic(panicked) // re-raised on the caller's goroutine, where run recovers it
	}
}

// parseAll reads every content file and decodes its front matter.
func (b *Builder) parseAll(ctx context.Context, files []string) ([]loaded, Errors) {
	out := make([]loaded, len(files))
	errs := make([]Errors, len(files))
	parallel(ctx, len(files), func(i int) {
		defer func() {
			if v := recover(); v != nil {
				out[i], errs[i] = loaded{}, Errors{internalError(files[i], "reading the front matter", v)}
			}
		}()
		data, err := readInput(b.fsys, files[i])
		if err != nil {
			errs[i] = Errors{readError(files[i], err, "; check its permissions")}
			return
		}
		src, perrs := parsePage(files[i], data)
		errs[i] = perrs
		switch {
		case src != nil && b.cfg.Serve:
			src.releaseBody() // read again when the page renders
		case src != nil:
			src.dropBody()
		}
		out[i] = loaded{file: files[i], src: src}
	})
	var all Errors
	var ok []loaded
	for i := range files {
		all = append(all, errs[i]...)
		if out[i].src != nil {
			ok = append(ok, out[i])
		}
	}
	return ok, all
}

const chromaCSS = "/css/chroma.css"

// buildState is what a Builder keeps of its last good build, to rebuild
// only what changes affect.
type buildState struct {
	in      inputs
	sources map[string]loaded // content file -> parsed source; kept for serve mode only
	lay     *layouts
	site    *Site
	md      goldmark.Markdown
	ids     map[string]idSet     // page path -> ids in its HTML
	refs    map[string][]fragRef // page path -> its #fragment links
	failed  map[string]bool      // pages whose layout failed (KeepGoing)
	files   map[string]bool      // output files of the build
}

// pageRenderer holds the state of one build's rendering phase.
type pageRenderer struct {
	b      *Builder
	st     *buildState
	out    Output
	warn   *warnings
	faults inject.Faults // test faults; zero in a real run

	index Indexer // the search index, when the build makes one

	// frags, in a build that keeps no state for the next, checks #fragment
	// links as pages render; nil when st keeps them all, to check at the end.
	frags *fragChecker

	mu sync.Mutex
	// wrote is the names of the files written, packed: a build holds
	// them until its end.
	wrote nameList
}

// written lists the names of the files written, sorted.
func (r *pageRenderer) written() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var w []string
	r.wrote.each(func(name string) { w = append(w, name) })
	slices.Sort(w)
	return w
}

// pageResult is what rendering one page found out.
type pageResult struct {
	errs, problems Errors
	ids            idSet
	refs           []fragRef
	failed         bool
	abandoned      bool // over its budget or cancelled: its buffers are still in use
}

// SearchDoc is one page's text for a search index.
type SearchDoc struct {
	URL         string // with the base path: "/rights/data-sharing/"
	Title       string
	Description string
	Section     string // the title of its top-level section
	Headings    []string
	Text        string // the body text, tags stripped
	Lang        string // the page's language code: "en", "cy"
	IndexDir    string // the folder of its language's search index: "search/", "cy/search/"
}

// render renders pages in parallel and records their ids and links in
// the state. It returns errors, and the broken links when KeepGoing.
func (r *pageRenderer) render(ctx context.Context, pages []*Page) (errs, problems Errors) {
	// Each page's result, nil when the page had nothing to report: the
	// build holds them until the last page has rendered, and most pages
	// of a build that checks links as they render have nothing.
	results := make([]*pageResult, len(pages))
	var made []*pageBuffers // each worker's, to stop their runners at the end
	var mu sync.Mutex
	bufs := sync.Pool{New: func() any {
		buf := new(pageBuffers)
		mu.Lock()
		made = append(made, buf)
		mu.Unlock()
		return buf
	}}
	defer func() {
		for _, buf := range made {
			buf.run.stop()
		}
	}()
	// A page over its budget stops the others: they would likely run as
	// long, one after the other.
	stop, cancel := context.WithCancel(ctx)
	defer cancel()
	parallel(stop, len(pages), func(i int) {
		buf := bufs.Get().(*pageBuffers)
		res := r.renderSafely(stop, pages[i], buf)
		if r.frags != nil {
			r.frags.rendered(pages[i], &res)
		}
		if !res.isZero() {
			kept := res
			results[i] = &kept
		}
		if res.abandoned {
			cancel() // and the buffers stay with the page's goroutine
		} else {
			bufs.Put(buf)
		}
	})
	// A KeepGoing build leaves out the pages that fail, unless a page
	// over its budget stopped the others: then the build fails.
	keepGoing := r.b.cfg.KeepGoing && !slices.ContainsFunc(results, func(res *pageResult) bool { return res != nil && res.abandoned })
	var left Errors
	for i, kept := range results {
		var res pageResult
		if kept != nil {
			res = *kept
		}
		p := pages[i].Path
		if len(res.errs) > 0 && keepGoing {
			res.failed = true // check goes on without the page
			left = append(left, res.errs...)
		} else {
			errs = append(errs, res.errs...)
		}
		problems = append(problems, res.problems...)
		if r.frags == nil {
			r.st.ids[p], r.st.refs[p] = res.ids, res.refs
		}
		if res.failed {
			r.st.failed[p] = true
		} else {
			delete(r.st.failed, p)
		}
	}
	left, _ = r.b.leaveOut(groupLayoutErrors(left))
	return groupLayoutErrors(errs), append(problems, left...)
}

// groupLayoutErrors reports a layout error that many pages hit once, with
// the number of pages, instead of once per page. The same error met
// rendering a page without a source (the 404 page) is the same mistake,
// and so is one that html/template gives without a line (file "layouts").
func groupLayoutErrors(errs Errors) Errors {
	type key struct {
		file string
		line int
		msg  string
	}
	type group struct {
		err   *Error
		msg   string
		first string // the first page rendered, "" if none
		pages int
	}
	groups := map[key]*group{}
	var out Errors
	for _, e := range errs {
		if e.File != "layouts" && !strings.HasPrefix(e.File, "layouts/") {
			out = append(out, e)
			continue
		}
		msg, page, ok := strings.Cut(e.Msg, " (rendering ")
		k := key{e.File, e.Line, msg}
		g := groups[k]
		if g == nil {
			g = &group{err: &Error{File: e.File, Line: e.Line, Msg: msg}, msg: msg}
			groups[k] = g
			out = append(out, g.err)
		}
		if ok {
			if g.pages++; g.first == "" {
				g.first = page
			}
		}
	}
	for _, g := range groups {
		switch {
		case g.pages == 1:
			g.err.Msg = g.msg + " (rendering " + g.first
		case g.pages > 1:
			g.err.Msg = fmt.Sprintf("%s (rendering %d pages, the first %s", g.msg, g.pages, g.first)
		}
	}
	return out
}

type pageBuffers struct {
	content, page, min bytes.Buffer
	w                  *bufio.Writer // over content, for goldmark, which would make one a page
	run                runner        // runs the page's conversion and layout within their budgets
}

// isZero reports whether res has nothing to report.
func (res *pageResult) isZero() bool {
	return len(res.errs) == 0 && len(res.problems) == 0 && res.ids == "" && len(res.refs) == 0 && !res.failed && !res.abandoned
}

// renderSafely renders a page, turning a panic into an error at the page,
// so that one bad page neither crashes the command nor hides the others.
func (r *pageRenderer) renderSafely(ctx context.Context, p *Page, buf *pageBuffers) (res pageResult) {
	defer func() {
		if v := recover(); v != nil {
			p.rendered.Store(nil)
			res = pageResult{failed: true, errs: Errors{internalError(pageFile(p), "rendering", v)}}
		}
	}()
	if r.faults.Render && p.Source == r.faults.File {
		panic("injected fault")
	}
	return r.renderPage(ctx, p, buf)
}

// renderPage converts a page's Markdown, executes its layout, and writes
// the minified result.
func (r *pageRenderer) renderPage(ctx context.Context, p *Page, buf *pageBuffers) (res pageResult) {
	rd := &rendered{}
	if p.src != nil {
		for _, w := range p.src.warns {
			r.warn.add(w)
		}
	}
	if p.src != nil && !r.convert(ctx, p, buf, rd, &res) {
		return res
	}
	if r.b.cfg.IndexOnly {
		return res
	}
	html, err, stopped := r.execute(ctx, p, rd, &buf.page, &buf.run)
	res.abandoned = stopped
	if err != nil || stopped {
		res.failed = true
		if err != nil {
			res.errs = Errors{err}
		}
		return res
	}
	res.ids = collectIDs(html)
	// The layouts ran from minified text around minified content: the
	// page needs no second pass, unless the minified layouts were set
	// aside.
	if r.st.lay.src == nil {
		res.errs = r.writeOf(p, outputFile(p.Path), html, &buf.min)
	} else {
		res.errs = r.writeRawOf(p, outputFile(p.Path), html)
	}
	// A one-off build lets each page's Markdown go once it is written,
	// which keeps the heap, and the collector's work, small. The preview
	// server keeps it for the next edit; check has what it needs in
	// p.Links and p.Prose.
	if !r.b.cfg.Serve && p.src != nil {
		p.src.body = nil
	}
	return res
}

// convert turns a page's Markdown into HTML in rd, within the time
// budget. It reports whether the page can go on to its layout.
func (r *pageRenderer) convert(ctx context.Context, p *Page, buf *pageBuffers, rd *rendered, res *pageResult) bool {
	body, berr := readBody(r.b.fsys, p.Source, p.src)
	if berr != nil {
		res.errs = Errors{berr}
		return false
	}
	st := &renderState{page: p, site: r.st.site, lines: lineIndex{body: body, first: p.src.bodyLine}, keepLinks: r.b.cfg.Serve || r.b.cfg.KeepGoing, shareLinks: r.b.cfg.Serve, keepProse: r.b.cfg.KeepGoing}
	var rerr error
	d := budgetFor(r.b.timeout(), len(body)).time
	check := deadlineStop(ctx, time.Now().Add(d))
	stop := buf.run.run(ctx, d, func() { rerr = r.markdown(body, st, buf, check) })
	if stop == nil && (errors.Is(rerr, errOverBudget) || ctx.Err() != nil) {
		stop, rerr = cmp.Or(ctx.Err(), rerr), nil
	}
	switch {
	case stop != nil:
		res.abandoned = true
		if errors.Is(stop, errOverBudget) {
			res.errs = Errors{errorf(p.Source, 0, "still converting after %s; is something nested very deeply? (the limit is --timeout)", d.Round(time.Millisecond))}
		}
		return false
	case rerr != nil:
		res.errs = Errors{errorf(p.Source, 0, "cannot render the Markdown: %v", rerr)}
		return false
	}
	for _, w := range st.warns {
		r.warn.add(w)
	}
	res.refs = st.frags
	p.Links, p.Prose = slices.Clone(st.links), st.prose // kept: no spare room
	if len(st.errs) > 0 && r.b.cfg.KeepGoing {
		res.problems, st.errs = st.errs, nil
	}
	if len(st.errs) > 0 {
		res.ids = packIDs(st.ids) // the layout's ids are unknown: check against headings
		res.errs = st.errs
		return false
	}
	content := buf.content.Bytes()
	if r.b.cfg.Minify {
		buf.min.Reset()
		if err := r.b.min.Minify("text/html", &buf.min, &buf.content); err != nil {
			res.errs = Errors{errorf(p.Source, 0, "cannot minify the Markdown output: %v", err)}
			return false
		}
		content = buf.min.Bytes()
	}
	rd.content = template.HTML(content)
	rd.toc, rd.questions = st.toc, st.questions
	if r.index != nil && !p.Draft && p.Kind != KindHome && p.Layout != "az" && p.Layout != "search" && p.Params["search"] != false {
		r.index.Add(*searchDoc(p, rd))
	}
	return true
}

// markdown parses and renders a page's body into buf.content. It stops
// with the error of stop when that returns one.
func (r *pageRenderer) markdown(body []byte, st *renderState, buf *pageBuffers, stop func() error) (err error) {
	defer recoverStop(&err)
	pc := parser.NewContext(parser.WithIDs(newHeadingIDs()))
	pc.Set(stateKey, st)
	pc.Set(budgetKey, stop)
	doc := r.st.md.Parser().Parse(text.NewReader(body), parser.WithContext(pc))
	if buf.w == nil {
		buf.w = bufio.NewWriterSize(&buf.content, 32<<10)
	}
	buf.content.Reset()
	buf.w.Reset(&buf.content)
	return r.st.md.Renderer().Render(buf.w, body, doc)
}

// execute runs the page's layout with its rendered content in place,
// within the time budget. stopped reports an execution over its budget
// (err says so) or cancelled (err is nil); w may then still be in use.
func (r *pageRenderer) execute(ctx context.Context, p *Page, rd *rendered, w *bytes.Buffer, on *runner) (html []byte, err *Error, stopped bool) {
	name, tries := r.st.lay.find(p)
	if name == "" {
		file, line := p.Source, 0
		if p.src != nil {
			line = p.src.lines.line("layout")
		}
		if file == "" {
			file = "layouts"
		}
		return nil, errorf(file, line, "no layout for this page: create layouts/%s", strings.Join(tries, " or layouts/")), false
	}
	w.Reset()
	p.rendered.Store(rd)
	var xerr error
	bg := budgetFor(r.st.lay.timeout, len(rd.content))
	run := on.run(ctx, bg.time, func() { xerr = r.st.lay.execute(ctx, w, name, p, bg) })
	if run != nil {
		// The layout was left running: xerr is still its to write.
		if ctx.Err() != nil {
			return nil, nil, true
		}
		return nil, r.pageError(errorf("layouts/"+name, 0, "%s", budgetMessage(run, bg)), p), true
	}
	if xerr == nil {
		p.rendered.Store(nil)
		return w.Bytes(), nil, false
	}
	if !overBudget(ctx, xerr) {
		p.rendered.Store(nil)
		e := r.st.lay.explain(xerr)
		if msg := panicInFunc(xerr); msg != "" {
			e.Msg = msg
		}
		return nil, r.pageError(e, p), false
	}
	if ctx.Err() != nil {
		return nil, nil, true
	}
	if msg := budgetMessage(xerr, bg); msg != "" {
		return nil, r.pageError(errorf("layouts/"+name, 0, "%s", msg), p), true
	}
	return nil, r.pageError(r.st.lay.explain(xerr), p), true
}

// pageError adds the page being rendered to a layout error.
func (r *pageRenderer) pageError(e *Error, p *Page) *Error {
	if p.Source != "" {
		e.Msg += " (rendering " + p.Source + ")"
	}
	return e
}

// write minifies (when enabled) and writes one output file.
func (r *pageRenderer) write(name string, data []byte, tmp *bytes.Buffer) Errors {
	return r.writeOf(nil, name, data, tmp)
}

// writeRaw writes one output file as it is.
func (r *pageRenderer) writeRaw(name string, data []byte) Errors {
	return r.writeRawOf(nil, name, data)
}

// copyFiles copies files of static/ to the output root and files of
// content/ beside their pages.
func (r *pageRenderer) copyFiles(ctx context.Context, files []string) Errors {
	errs := make([]Errors, len(files))
	parallel(ctx, len(files), func(i int) {
		defer func() {
			if v := recover(); v != nil {
				errs[i] = Errors{internalError(files[i], "copying", v)}
			}
		}()
		data, err := readInput(r.b.fsys, files[i])
		if err != nil {
			errs[i] = Errors{readError(files[i], err, "")}
			return
		}
		var tmp bytes.Buffer
		errs[i] = r.write(assetOutput(files[i]), data, &tmp)
	})
	var out Errors
	for _, e := range errs {
		out = append(out, e...)
	}
	return out
}

// assetOutput is where a file of static/ or content/ is copied to.
func assetOutput(file string) string {
	return strings.TrimPrefix(strings.TrimPrefix(file, "static/"), "content/")
}

// writeExtras writes the code highlighting stylesheet, the 404 page and
// the alias redirects.
func (r *pageRenderer) writeExtras(ctx context.Context) Errors {
	var errs Errors
	var tmp bytes.Buffer
	site := r.st.site
	for _, nf := range notFoundPages(site, r.st.lay.strings) {
		name, _ := r.st.lay.find(nf)
		if name == "" {
			continue
		}
		var buf bytes.Buffer
		var on runner
		html, err, stopped := r.execute(ctx, nf, &rendered{}, &buf, &on)
		on.stop()
		if stopped && err == nil {
			err = &Error{Msg: "cancelled"}
		}
		if err != nil {
			errs = append(errs, err)
		} else {
			errs = append(errs, r.write(outputFile(nf.Path), html, &tmp)...)
		}
	}
	for _, al := range site.aliases {
		var buf bytes.Buffer
		if err := redirectTemplate.Execute(&buf, al.to); err != nil {
			errs = append(errs, errorf(al.to.Source, 0, "cannot write the redirect %s: %v", al.from, err))
			continue
		}
		errs = append(errs, r.write(outputFile(al.from), buf.Bytes(), &tmp)...)
	}
	return append(errs, r.publishFiles()...)
}

var redirectTemplate = template.Must(template.New("redirect").Parse(`<!DOCTYPE html>
<html lang="{{.Site.Language}}">
<head>
<meta charset="utf-8">
<title>This page has moved: {{.Title}}</title>
<link rel="canonical" href="{{.Permalink}}">
<meta name="robots" content="noindex">
<meta http-equiv="refresh" content="0; url={{.RelPermalink}}">
</head>
<body>
<main>
<h1>This page has moved</h1>
<p>Go to <a href="{{.RelPermalink}}">{{.Title}}</a>.</p>
</main>
</body>
</html>
`))

// searchDoc is a page's text for the search index.
func searchDoc(p *Page, rd *rendered) *SearchDoc {
	d := &SearchDoc{URL: p.RelPermalink, Title: p.Title, Description: p.Description, Text: plainify(rd.content), IndexDir: "search/"}
	if l := p.Language; l != nil {
		d.Lang, d.IndexDir = l.Code, strings.TrimPrefix(l.Prefix, "/")+"search/"
	}
	if s := p.Section(); s != nil && s != p {
		d.Section = s.Title
	}
	for _, h := range rd.toc {
		d.Headings = append(d.Headings, h.Text)
	}
	return d
}

// writeIndex builds the search index from the pages just rendered.
func (r *pageRenderer) writeIndex() Errors {
	if r.index == nil {
		return nil
	}
	files, err := r.index.Files()
	if err != nil {
		return Errors{&Error{File: "search", Msg: fmt.Sprintf("cannot build the search index: %v", err)}}
	}
	var errs Errors
	var tmp bytes.Buffer
	for _, name := range sortedKeys(files) {
		errs = append(errs, r.write(name, files[name], &tmp)...)
	}
	return errs
}

// checkFragments checks the #fragment links of pages against the ids of
// the pages they point to.
func (r *pageRenderer) checkFragments(pages []*Page) Errors {
	var errs Errors
	for _, p := range pages {
		for _, f := range r.st.refs[p.Path] {
			if e := checkRef(f, r.st.ids[f.target], r.st.failed[f.target]); e != nil {
				errs = append(errs, e)
			}
		}
	}
	return errs
}

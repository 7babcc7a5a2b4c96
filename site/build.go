package site

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"html/template"
	"io/fs"
	"net/url"
	"os"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"time"

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
func (b *Builder) Build(ctx context.Context, out Output, changes ...Change) (*Result, error) {
	start := time.Now()
	var res *Result
	var err error
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

// full builds every page.
func (b *Builder) full(ctx context.Context, out Output) (*Result, error) {
	warn := &warnings{}
	in, errs := listInputs(b.fsys, warn.add)
	parsed, perrs := b.parseAll(ctx, in.pages)
	errs = append(errs, perrs...)
	var lay *layouts
	if !b.cfg.IndexOnly {
		var lerrs Errors
		lay, lerrs = loadLayouts(b.fsys, b.templateFuncs(), b.layoutMinifier())
		errs = append(errs, lerrs...)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if len(errs) > 0 {
		return nil, errs.sorted()
	}
	b.assets.reset()
	site, errs := assemble(parsed, siteFiles(in), b.cfg, b.base, warn.add)
	if len(errs) > 0 {
		return nil, errs.sorted()
	}
	st := &buildState{in: in, sources: map[string]loaded{}, lay: lay, site: site, md: newMarkdown(site.RawHTML),
		ids: map[string][]string{}, refs: map[string][]fragRef{}, failed: map[string]bool{}}
	for _, l := range parsed {
		st.sources[l.file] = l
	}
	r := &pageRenderer{b: b, st: st, out: out, warn: warn}
	if b.cfg.Index != nil {
		r.index = b.cfg.Index()
	}
	if b.cfg.IndexOnly {
		return r.indexOnly(ctx)
	}
	errs = r.writeStatic(ctx, in.static, true)
	site.assets = b.assets
	perrs, problems := r.render(ctx, site.AllPages)
	errs = append(errs, perrs...)
	// The search index is built beside the rest, which is mostly serial.
	var tail [2]Errors
	var fragErrs Errors
	parallel(ctx, 2, func(i int) {
		if i == 0 {
			tail[0] = r.writeIndex()
			return
		}
		tail[1] = append(r.copyFiles(ctx, in.assets), r.writeExtras()...)
		fragErrs = r.checkFragments(site.AllPages)
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
		return nil, errs.sorted()
	}
	res := r.result(problems)
	res.Rendered = len(site.AllPages)
	st.files = map[string]bool{}
	for _, f := range res.Written {
		st.files[f] = true
	}
	if b.cfg.Serve {
		b.last = st
	}
	return res, nil
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

// siteFiles lists the site paths of static files and content assets.
func siteFiles(in inputs) []string {
	files := make([]string, 0, len(in.static)+len(in.assets)+1)
	for _, f := range in.static {
		files = append(files, strings.TrimPrefix(f, "static"))
	}
	for _, f := range in.assets {
		files = append(files, strings.TrimPrefix(f, "content"))
	}
	return append(files, chromaCSS)
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

// TuneGC trades memory for speed: the collector runs less often, and the
// soft memory limit (in bytes) keeps the heap near the ceiling the command
// needs: about 180 MiB for a 10,000-page build that writes each page and
// lets it go, more for commands that hold the whole site in memory. GOGC
// and GOMEMLIMIT in the environment, when set, win over these.
func TuneGC(limit int64) {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(limit)
	}
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
		data, err := fs.ReadFile(b.fsys, files[i])
		if err != nil {
			errs[i] = Errors{errorf(files[i], 0, "cannot read: %v; check its permissions", unwrapPathError(err))}
			return
		}
		src, perrs := parsePage(files[i], data)
		errs[i] = perrs
		if src != nil && !b.cfg.Serve && !b.cfg.KeepGoing {
			src.dropBody() // read again when the page renders
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
	sources map[string]loaded // content file -> parsed source
	lay     *layouts
	site    *Site
	md      goldmark.Markdown
	ids     map[string][]string  // page path -> ids in its HTML
	refs    map[string][]fragRef // page path -> its #fragment links
	failed  map[string]bool      // pages whose layout failed (KeepGoing)
	files   map[string]bool      // output files of the build
}

// pageRenderer holds the state of one build's rendering phase.
type pageRenderer struct {
	b    *Builder
	st   *buildState
	out  Output
	warn *warnings

	index Indexer // the search index, when the build makes one

	mu    sync.Mutex
	wrote []string
}

func (r *pageRenderer) written() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	w := slices.Clone(r.wrote)
	slices.Sort(w)
	return w
}

// pageResult is what rendering one page found out.
type pageResult struct {
	errs, problems Errors
	ids            []string
	refs           []fragRef
	failed         bool
}

// SearchDoc is one page's text for a search index.
type SearchDoc struct {
	URL         string // with the base path: "/rights/data-sharing/"
	Title       string
	Description string
	Section     string // the title of its top-level section
	Headings    []string
	Text        string // the body text, tags stripped
}

// render renders pages in parallel and records their ids and links in
// the state. It returns errors, and the broken links when KeepGoing.
func (r *pageRenderer) render(ctx context.Context, pages []*Page) (errs, problems Errors) {
	results := make([]pageResult, len(pages))
	bufs := sync.Pool{New: func() any { return new(pageBuffers) }}
	parallel(ctx, len(pages), func(i int) {
		buf := bufs.Get().(*pageBuffers)
		results[i] = r.renderPage(pages[i], buf)
		bufs.Put(buf)
	})
	for i, res := range results {
		p := pages[i].Path
		errs = append(errs, res.errs...)
		problems = append(problems, res.problems...)
		r.st.ids[p], r.st.refs[p] = res.ids, res.refs
		if res.failed {
			r.st.failed[p] = true
		} else {
			delete(r.st.failed, p)
		}
	}
	return groupLayoutErrors(errs), problems
}

// groupLayoutErrors reports a layout error that many pages hit once, with
// the number of pages, instead of once per page.
func groupLayoutErrors(errs Errors) Errors {
	type key struct {
		file string
		line int
		msg  string
	}
	count := map[key]int{}
	var out Errors
	for _, e := range errs {
		msg, page, ok := strings.Cut(e.Msg, " (rendering ")
		if !strings.HasPrefix(e.File, "layouts/") || !ok {
			out = append(out, e)
			continue
		}
		k := key{e.File, e.Line, msg}
		if count[k]++; count[k] == 1 {
			out = append(out, &Error{File: e.File, Line: e.Line, Msg: msg + " (rendering " + page})
		}
	}
	for _, e := range out {
		msg, _, ok := strings.Cut(e.Msg, " (rendering ")
		if n := count[key{e.File, e.Line, msg}]; ok && n > 1 {
			e.Msg = fmt.Sprintf("%s (rendering %d pages, the first %s", msg, n, strings.SplitN(e.Msg, " (rendering ", 2)[1])
		}
	}
	return out
}

type pageBuffers struct {
	content, page, min bytes.Buffer
	w                  *bufio.Writer // over content, for goldmark, which would make one a page
}

// renderPage converts a page's Markdown, executes its layout, and writes
// the minified result.
func (r *pageRenderer) renderPage(p *Page, buf *pageBuffers) (res pageResult) {
	buf.content.Reset()
	rd := &rendered{}
	if p.src != nil {
		body, err := readBody(r.b.fsys, p.Source, p.src)
		if err != nil {
			res.errs = Errors{err}
			return res
		}
		st := &renderState{page: p, site: r.st.site, lines: lineIndex{body: body, first: p.src.bodyLine}, keepLinks: r.b.cfg.Serve || r.b.cfg.KeepGoing}
		pc := parser.NewContext()
		pc.Set(stateKey, st)
		doc := r.st.md.Parser().Parse(text.NewReader(body), parser.WithContext(pc))
		if buf.w == nil {
			buf.w = bufio.NewWriterSize(&buf.content, 32<<10)
		}
		buf.w.Reset(&buf.content)
		if err := r.st.md.Renderer().Render(buf.w, body, doc); err != nil {
			res.errs = Errors{errorf(p.Source, 0, "cannot render the Markdown: %v", err)}
			return res
		}
		for _, w := range st.warns {
			r.warn.add(w)
		}
		res.refs = st.frags
		p.Links = st.links
		if len(st.errs) > 0 && r.b.cfg.KeepGoing {
			res.problems, st.errs = st.errs, nil
		}
		if len(st.errs) > 0 {
			res.ids = st.ids // the layout's ids are unknown: check against headings
			res.errs = st.errs
			return res
		}
		content := buf.content.Bytes()
		if r.b.cfg.Minify {
			buf.min.Reset()
			if err := r.b.min.Minify("text/html", &buf.min, &buf.content); err != nil {
				res.errs = Errors{errorf(p.Source, 0, "cannot minify the Markdown output: %v", err)}
				return res
			}
			content = buf.min.Bytes()
		}
		rd.content = template.HTML(content)
		rd.toc, rd.questions = st.toc, st.questions
		if r.index != nil && !p.Draft && p.Kind != KindHome && p.Layout != "az" && p.Layout != "search" && p.Params["search"] != false {
			r.index.Add(searchDoc(p, rd))
		}
	}
	if r.b.cfg.IndexOnly {
		return res
	}
	html, err := r.execute(p, rd, &buf.page)
	if err != nil {
		res.failed = true
		res.errs = Errors{err}
		return res
	}
	res.ids = collectIDs(html)
	// The layouts ran from minified text around minified content: the
	// page needs no second pass, unless the minified layouts were set
	// aside.
	if r.st.lay.src == nil {
		res.errs = r.write(outputFile(p.Path), html, &buf.min)
	} else {
		res.errs = r.writeRaw(outputFile(p.Path), html)
	}
	// A one-off build lets each page's Markdown go once it is written,
	// which keeps the heap, and the collector's work, small. The preview
	// server and check keep it, for the next edit and for their rules.
	if !r.b.cfg.Serve && !r.b.cfg.KeepGoing && p.src != nil {
		p.src.body = nil
	}
	return res
}

// execute runs the page's layout with its rendered content in place.
func (r *pageRenderer) execute(p *Page, rd *rendered, w *bytes.Buffer) ([]byte, *Error) {
	name, tries := r.st.lay.find(p)
	if name == "" {
		file, line := p.Source, 0
		if p.src != nil {
			line = p.src.fm.Lines["layout"]
		}
		if file == "" {
			file = "layouts"
		}
		return nil, errorf(file, line, "no layout for this page: create layouts/%s", strings.Join(tries, " or layouts/"))
	}
	w.Reset()
	p.rendered.Store(rd)
	err := r.st.lay.execute(w, name, p)
	p.rendered.Store(nil)
	if err != nil {
		e := templateError(err)
		if p.Source != "" {
			e.Msg += " (rendering " + p.Source + ")"
		}
		return nil, e
	}
	return w.Bytes(), nil
}

// write minifies (when enabled) and writes one output file.
func (r *pageRenderer) write(name string, data []byte, tmp *bytes.Buffer) Errors {
	if mt := mediaType(name); r.b.cfg.Minify && mt != "" {
		tmp.Reset()
		// A Buffer, which minify reads without copying.
		if err := r.b.min.Minify(mt, tmp, bytes.NewBuffer(data)); err != nil {
			return Errors{errorf(name, 0, "cannot minify the output: %v", err)}
		}
		data = tmp.Bytes()
	}
	return r.writeRaw(name, data)
}

// writeRaw writes one output file as it is.
func (r *pageRenderer) writeRaw(name string, data []byte) Errors {
	if err := r.out.WriteFile(name, data); err != nil {
		return Errors{&Error{Msg: err.Error()}}
	}
	r.mu.Lock()
	r.wrote = append(r.wrote, name)
	r.mu.Unlock()
	return nil
}

// copyFiles copies files of static/ to the output root and files of
// content/ beside their pages.
func (r *pageRenderer) copyFiles(ctx context.Context, files []string) Errors {
	errs := make([]Errors, len(files))
	parallel(ctx, len(files), func(i int) {
		data, err := fs.ReadFile(r.b.fsys, files[i])
		if err != nil {
			errs[i] = Errors{errorf(files[i], 0, "cannot read: %v", unwrapPathError(err))}
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
func (r *pageRenderer) writeExtras() Errors {
	var errs Errors
	var tmp bytes.Buffer
	site := r.st.site
	nf := &Page{Title: "Page not found", Kind: Kind404, Path: "/404.html", Site: site, Parent: site.Home, Params: map[string]any{}}
	nf.RelPermalink, nf.Permalink = site.Base.Rel(nf.Path), site.Base.Abs(nf.Path)
	if name, _ := r.st.lay.find(nf); name != "" {
		var buf bytes.Buffer
		html, err := r.execute(nf, &rendered{}, &buf)
		if err != nil {
			errs = append(errs, err)
		} else {
			errs = append(errs, r.write("404.html", html, &tmp)...)
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

// collectIDs finds the values of id attributes in unminified HTML.
func collectIDs(html []byte) []string {
	var ids []string
	for rest := html; ; {
		i := bytes.Index(rest, []byte(` id="`))
		if i < 0 {
			break
		}
		rest = rest[i+5:]
		j := bytes.IndexByte(rest, '"')
		if j < 0 {
			break
		}
		ids = append(ids, string(rest[:j]))
		rest = rest[j:]
	}
	return ids
}

// searchDoc is a page's text for the search index.
func searchDoc(p *Page, rd *rendered) SearchDoc {
	d := SearchDoc{URL: p.RelPermalink, Title: p.Title, Description: p.Description, Text: plainify(rd.content)}
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
			frag, err := url.PathUnescape(f.frag)
			if err != nil {
				frag = f.frag
			}
			ids := r.st.ids[f.target]
			if frag == "" || frag == "top" || r.st.failed[f.target] || slices.Contains(ids, frag) {
				continue
			}
			where := "this page"
			if f.targetFile != "" && f.targetFile != f.file {
				where = f.targetFile
			}
			errs = append(errs, errorf(f.file, f.line, "link to %s: %s has no heading with the id %q%s", f.dest, where, frag, headingHint(ids)))
		}
	}
	return errs
}

func headingHint(ids []string) string {
	if len(ids) == 0 {
		return ""
	}
	if len(ids) > 8 {
		ids = ids[:8]
	}
	return fmt.Sprintf(" (ids there: %s)", strings.Join(ids, ", "))
}

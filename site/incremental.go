package site

import (
	"context"
	"errors"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strings"

	"charter/site/internal/inject"
)

// A Change is a file of the site that was written, created or removed,
// as reported by a watcher. Path is slash-separated and relative to the
// site root ("content/faqs/_index.md"); a removed folder removes every
// file beneath it.
type Change struct {
	Path    string
	Removed bool
}

// changeSet sorts changes by the kind of input they touch.
type changeSet struct {
	pages, assets, static []string // written files
	gonePages, goneOther  []string // removed files
	layouts               []string // changed layout names, relative to layouts/
}

func (b *Builder) classify(changes []Change, st *buildState) changeSet {
	var cs changeSet
	seen := map[Change]bool{}
	for _, c := range changes {
		c.Path = strings.TrimPrefix(path.Clean("/"+c.Path), "/")
		if seen[c] || ignoredName(path.Base(c.Path)) {
			continue
		}
		seen[c] = true
		top, _, _ := strings.Cut(c.Path, "/")
		switch {
		case top == "layouts":
			cs.layouts = append(cs.layouts, strings.TrimPrefix(c.Path, "layouts/"))
		case top != "content" && top != "static":
		case c.Removed:
			for _, f := range st.allFiles() {
				if f == c.Path || strings.HasPrefix(f, c.Path+"/") {
					if strings.HasSuffix(strings.ToLower(f), ".md") && top == "content" {
						cs.gonePages = append(cs.gonePages, f)
					} else {
						cs.goneOther = append(cs.goneOther, f)
					}
				}
			}
		default:
			info, err := fs.Stat(b.fsys, c.Path)
			switch {
			case err != nil && errors.Is(err, fs.ErrNotExist):
				// Gone again before we looked: an editor's temporary file.
			case err == nil && info.IsDir():
				// A new folder: its files come as their own changes, or
				// are found by listing it.
				_ = fs.WalkDir(b.fsys, c.Path, func(p string, d fs.DirEntry, err error) error {
					if err == nil && d.Type().IsRegular() && !ignoredName(d.Name()) {
						cs.add(p)
					}
					return nil
				})
			default:
				cs.add(c.Path)
			}
		}
	}
	return cs
}

func (cs *changeSet) add(p string) {
	switch {
	case strings.HasPrefix(p, "static/"):
		cs.static = append(cs.static, p)
	case strings.HasSuffix(strings.ToLower(p), ".md"):
		cs.pages = append(cs.pages, p)
	default:
		cs.assets = append(cs.assets, p)
	}
}

func (st *buildState) allFiles() []string {
	out := make([]string, 0, len(st.sources)+len(st.in.assets)+len(st.in.static))
	for f := range st.sources {
		out = append(out, f)
	}
	out = append(out, st.in.assets...)
	return append(out, st.in.static...)
}

// clone copies the state's maps, so that a failed rebuild leaves the last
// good state as it was.
func (st *buildState) clone() *buildState {
	c := *st
	c.sources = maps.Clone(st.sources)
	c.ids = maps.Clone(st.ids)
	c.refs = maps.Clone(st.refs)
	c.failed = maps.Clone(st.failed)
	c.files = maps.Clone(st.files)
	c.in = inputs{pages: slices.Clone(st.in.pages), assets: slices.Clone(st.in.assets), static: slices.Clone(st.in.static)}
	return &c
}

// incremental rebuilds what changes affect, starting from the last good
// build.
func (b *Builder) incremental(ctx context.Context, out Output, changes []Change) (*Result, error) {
	old := b.last
	cs := b.classify(changes, old)
	st := old.clone()
	warn := &warnings{}

	bodyOnly, treeChanged, errs := b.parseChanged(st, cs)
	if len(cs.layouts) > 0 {
		lay, lerrs := loadLayouts(b.fsys, b.templateFuncs(inject.From(ctx)), b.layoutMinifier(), b.timeout())
		errs = append(errs, lerrs...)
		st.lay = lay
	}
	if len(errs) > 0 {
		return nil, errs.sorted()
	}
	filesChanged := st.updateInputs(cs)
	if treeChanged || filesChanged {
		if errs := st.reassemble(b, old, warn); len(errs) > 0 {
			return nil, errs.sorted()
		}
	} else if len(cs.layouts) == 0 {
		st.lay = old.lay
	}
	if treeChanged || filesChanged {
		st.lay.cache.Clear() // its entries are keyed by the old tree's pages
	}

	// Body-only edits reuse the page objects: swap in the new source, and
	// swap it back if the rebuild fails.
	var restore []func()
	for _, f := range bodyOnly {
		if p := st.site.bySource[f]; p != nil && !treeChanged && !filesChanged {
			oldSrc := p.src
			p.src = st.sources[f].src
			restore = append(restore, func() { p.src = oldSrc })
		}
	}
	undo := func() {
		for _, f := range restore {
			f()
		}
	}

	affected := st.affected(cs, old, bodyOnly, treeChanged || filesChanged)
	r := &pageRenderer{b: b, st: st, out: out, warn: warn, faults: inject.From(ctx)}
	st.site.assets = b.assets
	errs, problems := r.render(ctx, affected)
	errs = append(errs, r.writeStatic(ctx, cs.static, false)...)
	errs = append(errs, r.copyFiles(ctx, cs.assets)...)
	if treeChanged || filesChanged || len(cs.layouts) > 0 {
		errs = append(errs, r.writeExtras(ctx)...)
	}
	if err := ctx.Err(); err != nil {
		undo()
		return nil, err
	}
	if b.cfg.KeepGoing {
		problems = append(problems, r.checkFragments(affected)...)
	} else {
		errs = append(errs, r.checkFragments(affected)...)
	}
	if len(errs) > 0 {
		undo()
		return nil, groupLayoutErrors(errs).sorted()
	}
	res := r.result(problems)
	res.Rendered = len(affected)
	res.Removed = st.updateFiles(res.Written, treeChanged || filesChanged, cs)
	res.CSSOnly = cs.cssOnly()
	b.last = st
	return res, nil
}

// parseChanged reads and parses the changed pages into the state and
// drops the removed ones. A page whose front matter is as it was is a
// body-only edit; any other change changes the tree.
func (b *Builder) parseChanged(st *buildState, cs changeSet) (bodyOnly []string, treeChanged bool, errs Errors) {
	treeChanged = len(cs.gonePages) > 0
	for _, f := range cs.pages {
		data, err := fs.ReadFile(b.fsys, f)
		if err != nil {
			errs = append(errs, errorf(f, 0, "cannot read: %v; check its permissions", unwrapPathError(err)))
			continue
		}
		prev, existed := st.sources[f]
		if existed && prev.src.sum == checksum(data) {
			continue // touched, not changed
		}
		src, perrs := parsePage(f, data)
		if len(perrs) > 0 {
			errs = append(errs, perrs...)
			continue
		}
		st.sources[f] = loaded{file: f, src: src}
		if !existed || prev.src.fmText != src.fmText {
			treeChanged = true
		} else {
			bodyOnly = append(bodyOnly, f)
		}
	}
	for _, f := range cs.gonePages {
		delete(st.sources, f)
	}
	return bodyOnly, treeChanged, errs
}

// cssOnly reports a change set of stylesheets alone: the preview swaps
// them without reloading pages.
func (cs changeSet) cssOnly() bool {
	if len(cs.pages)+len(cs.gonePages)+len(cs.layouts)+len(cs.assets) > 0 || len(cs.static) == 0 {
		return false
	}
	for _, f := range append(slices.Clone(cs.static), cs.goneOther...) {
		if path.Ext(f) != ".css" {
			return false
		}
	}
	return true
}

// updateInputs records added and removed static files and assets; it
// reports whether the set of files changed.
func (st *buildState) updateInputs(cs changeSet) bool {
	changed := false
	gone := map[string]bool{}
	for _, f := range cs.goneOther {
		gone[f] = true
	}
	keep := func(list []string) []string {
		return slices.DeleteFunc(list, func(f string) bool {
			if gone[f] {
				changed = true
				return true
			}
			return false
		})
	}
	st.in.assets, st.in.static = keep(st.in.assets), keep(st.in.static)
	for _, f := range cs.assets {
		if !slices.Contains(st.in.assets, f) {
			st.in.assets = append(st.in.assets, f)
			changed = true
		}
	}
	for _, f := range cs.static {
		if !slices.Contains(st.in.static, f) {
			st.in.static = append(st.in.static, f)
			changed = true
		}
	}
	slices.Sort(st.in.assets)
	slices.Sort(st.in.static)
	if len(st.in.pages) != len(st.sources) || len(cs.gonePages) > 0 {
		st.in.pages = slices.Sorted(maps.Keys(st.sources))
	}
	return changed
}

// reassemble builds a new page tree from all sources. Pages that are not
// rendered again keep the links recorded when they last were.
func (st *buildState) reassemble(b *Builder, old *buildState, warn *warnings) Errors {
	loadedPages := make([]loaded, 0, len(st.sources))
	for _, f := range st.in.pages {
		loadedPages = append(loadedPages, st.sources[f])
	}
	site, errs := assemble(loadedPages, siteFiles(st.in), b.cfg, b.base, warn.add)
	if len(errs) > 0 {
		return errs
	}
	for _, p := range site.AllPages {
		if q := old.site.byPath[p.Path]; q != nil {
			p.Links = q.Links
		}
	}
	st.site = site
	st.md = newMarkdown(site.RawHTML)
	return nil
}

// affected lists the pages a rebuild must render, in path order.
func (st *buildState) affected(cs changeSet, old *buildState, bodyOnly []string, treeChanged bool) []*Page {
	site := st.site
	set := map[*Page]bool{}
	all := func() []*Page { return site.AllPages }
	add := func(ps ...*Page) {
		for _, p := range ps {
			if p != nil {
				set[p] = true
			}
		}
	}
	for _, name := range cs.layouts {
		if strings.HasPrefix(name, "partials/") || path.Base(name) == "baseof.html" || !strings.HasSuffix(name, ".html") {
			return all()
		}
		for _, p := range site.AllPages {
			if n, _ := st.lay.find(p); n == name {
				add(p)
			}
		}
		if _, ok := old.lay.leaves[name]; !ok {
			return all() // a new layout may now be the one a page uses
		}
	}
	if treeChanged {
		if topLevel(site) != topLevel(old.site) {
			return all() // the navigation every page shows changed
		}
		for _, p := range site.AllPages {
			if n, _ := st.lay.find(p); st.lay.siteWide[n] {
				add(p) // it lists pages from across the site, such as their changes
			}
		}
		for _, f := range append(slices.Clone(cs.pages), cs.gonePages...) {
			p, was := site.bySource[f], old.site.bySource[f]
			if p != nil && (p.Kind == KindHome || p.Parent.Kind == KindHome) {
				return all()
			}
			if p != nil {
				add(p)
				add(descendants(p)...)
				addAncestry(site, p, add)
			}
			if was != nil {
				// Where the page was: its old section, and every page that
				// linked to its old address.
				if q := site.byPath[was.Path]; q != nil {
					add(q)
				}
				for a := was.Parent; a != nil; a = a.Parent {
					if q := site.byPath[a.Path]; q != nil {
						addAncestry(site, q, add)
						add(q)
						break
					}
				}
				if p == nil || p.Path != was.Path {
					add(linkingTo(site, was.RelPermalink)...)
				}
			}
		}
		for _, f := range cs.goneOther {
			add(linkingTo(site, site.Base.Rel(assetOutput(f)))...)
		}
	}
	for _, f := range bodyOnly {
		if p := site.bySource[f]; p != nil {
			add(p, p.Parent, p.Prev, p.Next)
		}
	}
	out := slices.Collect(maps.Keys(set))
	slices.SortFunc(out, func(a, b *Page) int { return strings.Compare(a.Path, b.Path) })
	return out
}

// addAncestry adds the sections above p, below the home page, and their
// children: the pages whose lists and related links show p.
func addAncestry(site *Site, p *Page, add func(...*Page)) {
	for a := p.Parent; a != nil && a.Kind != KindHome; a = a.Parent {
		add(a)
		add(a.Children...)
	}
	if p.Parent != nil {
		add(p.Parent.Children...)
	}
}

// topLevel summarises what every page's navigation shows: the home
// page's children with their titles and weights.
func topLevel(site *Site) string {
	var b strings.Builder
	for _, c := range site.Home.Children {
		b.WriteString(c.Path + "\x00" + c.LinkTitle() + "\x00" + c.Menu + "\x00" + c.Kind + "\n")
	}
	return b.String()
}

func descendants(p *Page) []*Page {
	var out []*Page
	for _, c := range p.Children {
		out = append(out, c)
		out = append(out, descendants(c)...)
	}
	return out
}

// linkingTo lists the pages whose Markdown links to url.
func linkingTo(site *Site, url string) []*Page {
	var out []*Page
	for _, p := range site.AllPages {
		for _, l := range p.Links {
			u, _, _ := strings.Cut(l.URL, "#")
			if u == url {
				out = append(out, p)
				break
			}
		}
	}
	return out
}

// updateFiles records the files of the new build and returns those of
// the last build that are gone.
func (st *buildState) updateFiles(written []string, treeChanged bool, cs changeSet) []string {
	for _, f := range written {
		st.files[f] = true
	}
	if !treeChanged {
		return nil
	}
	want := map[string]bool{"404.html": st.files["404.html"], strings.TrimPrefix(chromaCSS, "/"): true}
	for _, f := range written {
		want[f] = true // this build wrote the 404 page, feeds, sitemap and the like again
	}
	for _, p := range st.site.AllPages {
		want[outputFile(p.Path)] = true
	}
	for _, al := range st.site.aliases {
		want[outputFile(al.from)] = true
	}
	for _, f := range append(slices.Clone(st.in.static), st.in.assets...) {
		want[assetOutput(f)] = true
	}
	var removed []string
	for f := range st.files {
		if !want[f] {
			removed = append(removed, f)
			delete(st.files, f)
		}
	}
	slices.Sort(removed)
	return removed
}

package site

import (
	"context"
	"errors"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strings"
	"syscall"

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

// classify sorts changes by kind. Each path is looked at as it is on
// disk now, whatever the change said: changes gathered over several
// batches (some of them in builds that failed or were cancelled) may name
// a file as removed and then written again, or a folder that was replaced
// by another with other files. Files of the last build at or below a
// changed path that are gone now are removed; files there now are written.
func (b *Builder) classify(changes []Change, st *buildState) changeSet {
	var cs changeSet
	seen := map[string]bool{}
	var old []string
	for _, c := range changes {
		p := strings.TrimPrefix(path.Clean("/"+c.Path), "/")
		if seen[p] || hiddenPath(p) {
			continue
		}
		seen[p] = true
		top, _, _ := strings.Cut(p, "/")
		switch top {
		case "layouts":
			cs.layouts = append(cs.layouts, strings.TrimPrefix(p, "layouts/"))
			continue
		case "content", "static":
		default:
			continue
		}
		if regularFile(b.fsys, p) && !st.hasFilesUnder(p) {
			cs.add(p) // a file written, where no folder was
			continue
		}
		if old == nil {
			old = st.allFiles()
		}
		for _, f := range old {
			if (f == p || strings.HasPrefix(f, p+"/")) && !regularFile(b.fsys, f) {
				cs.remove(f)
			}
		}
		b.walkChanged(p, cs.add)
	}
	for _, list := range []*[]string{&cs.pages, &cs.assets, &cs.static, &cs.gonePages, &cs.goneOther, &cs.layouts} {
		slices.Sort(*list)
		*list = slices.Compact(*list)
	}
	return cs
}

// hiddenPath reports a path with an editor's or system file in it, which
// a build never reads.
func hiddenPath(p string) bool {
	for _, seg := range strings.Split(p, "/") {
		if ignoredName(seg) {
			return true
		}
	}
	return false
}

// regularFile reports whether name is a regular file now, as a build
// would read it (symbolic links are not).
//
// A file that cannot be looked at for another reason (the process ran
// out of open files) counts as one: reading it then fails with an error
// that names it, and the change stays pending. Taken as removed, the page
// would vanish from the preview.
func regularFile(fsys fs.FS, name string) bool {
	info, err := fs.Lstat(fsys, name)
	if err != nil {
		return !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, syscall.ENOTDIR)
	}
	return info.Mode().IsRegular()
}

// walkChanged calls add for the regular files at or below p, as a full
// build would list them. A path gone again before we looked (an editor's
// temporary file) adds nothing.
func (b *Builder) walkChanged(p string, add func(string)) {
	info, err := fs.Lstat(b.fsys, p)
	switch {
	case err != nil:
		return
	case info.Mode().IsRegular():
		add(p)
		return
	case !info.IsDir():
		return
	}
	_ = fs.WalkDir(b.fsys, p, func(f string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
		case f != p && ignoredName(d.Name()) && d.IsDir():
			return fs.SkipDir
		case d.Type().IsRegular() && !ignoredName(d.Name()):
			add(f)
		}
		return nil
	})
}

// remove records a file of the last build that is gone.
func (cs *changeSet) remove(f string) {
	if strings.HasPrefix(f, "content/") && strings.HasSuffix(strings.ToLower(f), ".md") {
		cs.gonePages = append(cs.gonePages, f)
	} else {
		cs.goneOther = append(cs.goneOther, f)
	}
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

// hasFilesUnder reports whether the last build had files below the
// folder p.
func (st *buildState) hasFilesUnder(p string) bool {
	for _, list := range [][]string{st.in.pages, st.in.assets, st.in.static} {
		i, _ := slices.BinarySearch(list, p+"/")
		if i < len(list) && strings.HasPrefix(list[i], p+"/") {
			return true
		}
	}
	return false
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
	// partialCached entries may read anything of a page (its title, its
	// contents list, its neighbours): a rebuild starts with none, as a
	// full build does. The few pages a rebuild renders fill it again.
	st.lay.cache.Clear()

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
		data, err := readInput(b.fsys, f)
		if err != nil {
			errs = append(errs, readError(f, err, "; check its permissions"))
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
		src.releaseBody() // read again when the page renders
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
	site.fsys = b.fsys
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
		if len(site.Languages) > 1 {
			return all() // each language's tree shows the other's pages
		}
		if !st.treeAffected(cs, old, add) {
			return all() // the navigation every page shows changed
		}
	}
	for _, f := range bodyOnly {
		if p := site.bySource[f]; p != nil {
			add(p, p.Parent, p.Prev, p.Next)
		}
	}
	out := ownPages(slices.Collect(maps.Keys(set))) // a stand-in is its language's page, not rendered
	slices.SortFunc(out, func(a, b *Page) int { return strings.Compare(a.Path, b.Path) })
	return out
}

// treeAffected adds the pages a change of the tree affects: the pages
// changed and where they were, their sections and neighbours, pages that
// linked to them, and pages whose layout lists pages from across the
// site. It returns false when every page is affected.
func (st *buildState) treeAffected(cs changeSet, old *buildState, add func(...*Page)) bool {
	site := st.site
	if topLevel(site) != topLevel(old.site) {
		return false
	}
	for _, p := range site.AllPages {
		if n, _ := st.lay.find(p); st.lay.siteWide[n] {
			add(p)
		}
	}
	for _, f := range append(slices.Clone(cs.pages), cs.gonePages...) {
		p, was := site.bySource[f], old.site.bySource[f]
		if p != nil && (p.Kind == KindHome || p.Parent.Kind == KindHome) {
			return false
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
	return true
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

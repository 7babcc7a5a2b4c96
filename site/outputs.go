package site

import (
	"fmt"
	"regexp"
	"strings"

	"golang.org/x/text/unicode/norm"
)

// An output is one file the build will write, and what makes it: a page,
// an alias, a file of static/ or content/, or the build itself.
type output struct {
	name string // the output file: "faqs/index.html"
	path string // the site path as written: "/faqs/"
	file string // the source file; "" for a file the build makes
	line int    // the line of the key that set the path, or 0
	kind string // outPage, outAlias, outFile or outBuild
	page *Page  // for a page or an alias, the page
	what string // for outBuild: what the file is, "the sitemap"
}

const (
	outPage  = "page"
	outAlias = "alias"
	outFile  = "file"
	outBuild = "build"
)

// desc names an output as the subject of its own error.
func (o *output) desc() string {
	switch o.kind {
	case outPage:
		return "its URL " + o.path + o.form()
	case outAlias:
		return "alias " + o.path + o.form()
	}
	return "its path " + o.path + o.form()
}

// form tells how a path with accents is spelled, when that matters: when
// it is not in the composed form (NFC) most editors save.
func (o *output) form() string {
	if norm.NFC.IsNormalString(o.path) {
		return ""
	}
	return " (with accents written as separate marks)"
}

// owner names an output as the other party in a clash.
func (o *output) owner() string {
	switch o.kind {
	case outPage:
		return "the URL of " + sourceName(o.page) + o.form()
	case outAlias:
		return fmt.Sprintf("an alias of %s (%s:%d)%s", o.page.Path, o.file, o.line, o.form())
	case outFile:
		if strings.HasPrefix(o.file, "static/") {
			return "the path of a static file (" + o.file + ")"
		}
		return "the path of the file " + o.file
	}
	return o.what + " that the build writes"
}

// fix says what to do about a clash, from this output's side.
func (o *output) fix() string {
	switch o.kind {
	case outPage:
		return "give the page another url or slug"
	case outAlias:
		return "remove the alias"
	}
	return "remove or rename the file"
}

// outputRegistry decides the path of every file a build writes before
// anything is written, and reports every two sources that would write the
// same file, or files that look the same, at the file and line of both.
type outputRegistry struct {
	byName map[string]*output
	byLook map[string]*output // lower-case NFC name -> the first output
	dirs   map[string]*output // folder -> the first output inside it
	errs   Errors
	warns  Errors
	index  []string // the folders of the search indexes: "search/", "cy/search/"
}

func newOutputRegistry() *outputRegistry {
	return &outputRegistry{byName: map[string]*output{}, byLook: map[string]*output{}, dirs: map[string]*output{}, index: []string{"search/"}}
}

// maxNameBytes is the longest file or folder name that common file
// systems (ext4, APFS, NTFS) take.
const maxNameBytes = 255

// searchFolderRE matches, inside a search index's folder, the files and
// folders the index is written to.
var searchFolderRE = regexp.MustCompile(`^(?:meta\.json$|[0-9a-f]{10}/)`)

// add registers one output and reports its clashes.
func (r *outputRegistry) add(o *output) {
	if o.file != "" && !r.checkName(o) {
		return
	}
	if prev := r.byName[o.name]; prev != nil {
		r.clash(o, prev)
		return
	}
	if !r.checkFolders(o) {
		return
	}
	r.byName[o.name] = o
	look := strings.ToLower(norm.NFC.String(o.name))
	prev := r.byLook[look]
	if prev == nil {
		r.byLook[look] = o
		return
	}
	if norm.NFC.String(prev.name) == norm.NFC.String(o.name) {
		r.both(&r.errs, o, prev, "%s looks the same as %s but is spelled with other Unicode characters; the two are one file on some systems and look alike to readers: spell both the same way", "")
		return
	}
	r.both(&r.warns, o, prev, "%s differs from %s only in case; the two clash on case-insensitive hosting, so rename one", "")
}

// checkName reports a source's output that the build would have to
// refuse: a name too long for file systems, a file name with a percent
// escape (url, slug and aliases are checked where they are read), or a
// path where the build writes its search index.
func (r *outputRegistry) checkName(o *output) bool {
	for part := range strings.SplitSeq(o.name, "/") {
		if len(part) > maxNameBytes {
			short := []rune(part)
			short = short[:min(len(short), 24)]
			noun := strings.TrimSuffix(o.desc(), " "+o.path)
			r.errs = append(r.errs, errorf(o.file, o.line, "%s has a part of %d bytes (%q…), longer than the %d that file systems allow in a name; shorten it", noun, len(part), string(short), maxNameBytes))
			return false
		}
	}
	if esc := percentEscape(o.path); esc != "" && (o.kind == outFile || o.kind == outPage && !hasURL(o.page)) {
		r.errs = append(r.errs, errorf(o.file, 0, "%s contains %s, an escaped character that browsers decode, so links to it would lead elsewhere; rename the file without it", o.desc(), esc))
		return false
	}
	if r.inSearchIndex(o.name) {
		r.errs = append(r.errs, errorf(o.file, o.line, "%s is where the build writes its search index; %s", o.desc(), o.fix()))
		return false
	}
	return true
}

// inSearchIndex reports whether a name is where the build writes one of
// its search indexes.
func (r *outputRegistry) inSearchIndex(name string) bool {
	for _, dir := range r.index {
		if rest, ok := strings.CutPrefix(name, dir); ok && searchFolderRE.MatchString(rest) {
			return true
		}
	}
	return false
}

// checkFolders reports an output that needs a folder where another is a
// file, or is a file where another needs a folder: /_headers/ and the
// _headers file. It reports whether o can be written.
func (r *outputRegistry) checkFolders(o *output) bool {
	if prev := r.dirs[o.name]; prev != nil {
		r.folderClash(prev, o, o.name)
		return false
	}
	dir := o.name
	for {
		i := strings.LastIndexByte(dir, '/')
		if i < 0 {
			break
		}
		dir = dir[:i]
		if prev := r.byName[dir]; prev != nil {
			r.folderClash(o, prev, dir)
			return false
		}
	}
	for dir := o.name; ; {
		i := strings.LastIndexByte(dir, '/')
		if i < 0 {
			break
		}
		dir = dir[:i]
		if r.dirs[dir] == nil {
			r.dirs[dir] = o
		}
	}
	return true
}

// folderClash reports an output that needs the folder dir where another
// output is a file.
func (r *outputRegistry) folderClash(needs, file *output, dir string) {
	if needs.file != "" {
		r.errs = append(r.errs, errorf(needs.file, needs.line, "%s needs a folder %s/, but that is %s; %s", needs.desc(), dir, file.owner(), needs.fix()))
	}
	if file.file != "" {
		r.errs = append(r.errs, errorf(file.file, file.line, "%s is a file where %s needs a folder; %s", file.desc(), needs.owner(), file.fix()))
	}
}

// clash reports two sources of one output file.
func (r *outputRegistry) clash(o, prev *output) {
	if o.kind == outAlias && prev.kind == outAlias && o.page == prev.page {
		return // the same alias twice on one page writes one redirect
	}
	both := ""
	if o.path != prev.path {
		both = fmt.Sprintf(" (both are written to %s)", o.name)
	}
	r.both(&r.errs, o, prev, "%s is %s", both)
}

// both adds a report at each side of a clash that has a source file.
func (r *outputRegistry) both(list *Errors, o, prev *output, format, extra string) {
	for _, pair := range [2][2]*output{{o, prev}, {prev, o}} {
		a, b := pair[0], pair[1]
		if a.file == "" {
			continue
		}
		msg := fmt.Sprintf(format, a.desc(), b.owner()) + extra
		if !strings.Contains(format, "; ") {
			msg += "; " + a.fix()
		}
		*list = append(*list, errorf(a.file, a.line, "%s", msg))
	}
}

// buildOutputs are the files every build writes besides pages, aliases
// and copied files.
var buildOutputs = []struct{ name, what string }{
	{"sitemap.xml", "the sitemap"},
	{"robots.txt", "the robots.txt"},
	{"feed.xml", "the site's feed"},
	{"404.html", "the page for missing addresses (made from layouts/404.html)"},
	{"_redirects", "the _redirects file"},
	{"_headers", "the _headers file"},
	{MarkerFile, "the marker of the output folder"},
	{strings.TrimPrefix(chromaCSS, "/"), "the code highlighting stylesheet"},
}

// registerOutputs decides the output file of every page, alias, section
// feed and copied file of the site, and reports clashes between them.
func (a *assembler) registerOutputs(files []string) {
	r := newOutputRegistry()
	for _, b := range buildOutputs {
		r.add(&output{name: b.name, path: "/" + b.name, kind: outBuild, what: b.what})
	}
	for _, l := range a.s.Languages[1:] {
		r.index = append(r.index, strings.TrimPrefix(l.Prefix, "/")+"search/")
		for _, f := range []string{"feed.xml", "404.html"} {
			name := strings.TrimPrefix(l.Prefix, "/") + f
			r.add(&output{name: name, path: "/" + name, kind: outBuild, what: "the " + l.Name + " " + f})
		}
	}
	for _, p := range a.s.AllPages {
		if p.IsSection() && !p.IsHome() && p.Params["feed"] == true {
			r.add(&output{name: strings.TrimPrefix(p.Path, "/") + "feed.xml", path: p.Path + "feed.xml", kind: outBuild, what: "the feed of " + sourceName(p)})
		}
	}
	hashed := fingerprintSources(files)
	for _, p := range a.s.AllPages {
		r.addSource(&output{name: outputFile(p.Path), path: p.Path, file: p.Source, line: pathLine(p), kind: outPage, page: p}, hashed)
	}
	for _, al := range a.s.aliases {
		r.addSource(&output{name: outputFile(al.from), path: al.from, file: al.to.Source, line: al.to.src.lines.line("aliases"), kind: outAlias, page: al.to}, hashed)
	}
	for _, f := range files {
		name := assetOutput(f)
		o := &output{name: name, path: "/" + name, file: f, kind: outFile}
		if strings.HasPrefix(f, "static/") {
			r.add(o) // a static file's own name is fingerprinted in turn
		} else {
			r.addSource(o, hashed)
		}
	}
	a.errs = append(a.errs, r.errs...)
	for _, w := range r.warns {
		w.Rule = "url-case"
		if a.warn != nil {
			a.warn(w)
		}
	}
}

// hasURL reports whether a page's path is set whole by its url key.
func hasURL(p *Page) bool { return p.src != nil && p.src.lines.line("url") > 0 }

// fingerprintedRE matches a fingerprinted name: "css/site.3f2a9c1e.css"
// gives "css/site" and ".css".
var fingerprintedRE = regexp.MustCompile(`^(.*)\.[0-9a-f]{8}(\.[^./]+)$`)

// fingerprintSources maps the output name of each static file the build
// fingerprints ("css/site.css", and the code stylesheet) to its source.
// Their fingerprinted names are only known once they are written, but
// their form is known before.
func fingerprintSources(files []string) map[string]string {
	m := map[string]string{strings.TrimPrefix(chromaCSS, "/"): "the code highlighting stylesheet"}
	for _, f := range files {
		if name := assetOutput(f); strings.HasPrefix(f, "static/") && fingerprinted(name) {
			m[name] = f
		}
	}
	return m
}

// addSource registers a page, an alias or a file of content/, refusing
// one at the fingerprinted name of a static file, which it would replace.
func (r *outputRegistry) addSource(o *output, hashed map[string]string) {
	if m := fingerprintedRE.FindStringSubmatch(o.name); m != nil {
		if src, ok := hashed[m[1]+m[2]]; ok {
			r.errs = append(r.errs, errorf(o.file, o.line, "%s has the form of the fingerprinted name of %s, which the build writes as %s.<fingerprint>%s; %s", o.desc(), src, m[1], m[2], o.fix()))
			return
		}
	}
	r.add(o)
}

// pathLine is the line of the front matter key that set a page's path.
func pathLine(p *Page) int {
	if p.src == nil {
		return 0
	}
	if l := p.src.lines.line("url"); l > 0 {
		return l
	}
	return p.src.lines.line("slug")
}

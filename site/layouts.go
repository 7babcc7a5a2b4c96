package site

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"html/template"
	"io/fs"
	"maps"
	"path"
	"reflect"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"text/template/parse"
	"time"
	"unicode/utf8"

	"charter/site/internal/inject"

	"github.com/tdewolff/minify/v2"
)

// layouts holds the compiled templates of layouts/. Each leaf template
// (home.html, page.html, a custom layout) is compiled once, with the
// partials and, when it only defines blocks, the baseof.html it fills.
// When the build minifies, the templates run from minified text, so that
// only each page's own Markdown output needs minifying; src keeps the
// text as written, to name the right line when a template fails.
// Execute is safe for concurrent use.
type layouts struct {
	*templateSet
	src     *templateSet      // the templates as written; nil when not minified
	cache   sync.Map          // cacheKey -> template.HTML
	files   map[string]string // the layout files as written, by name
	timeout time.Duration     // the budget of one execution
	running atomic.Int64      // partials that partialCached is running
	runs    atomic.Int64      // partials that partialCached has run, in every build
	strings stringTables      // layouts/i18n: each language's interface strings

	// siteWide holds the leaves that may show any page of the site (an
	// A-Z list, a site map, What's new): an incremental rebuild renders
	// their pages again whenever the tree changes.
	siteWide map[string]bool
}

// templateSet is one compilation of the layout files.
type templateSet struct {
	leaves map[string]*template.Template // "_default/page.html" -> its set
	entry  map[string]string             // leaf -> the template to execute
	base   *template.Template            // partials and baseof, for partialCached
	marks  *templateMarks                // see guard

	// The fast executor's programs (fastexec.go): of each leaf, and of
	// each partial partialCached runs, by name (a *fastLeaf).
	funcs    template.FuncMap
	fast     map[string]*fastLeaf
	partials sync.Map
	stdlib   bool // run html/template only: the fast executor's oracle
}

type cacheKey struct {
	set  *templateSet
	name string
	data any
	key  [2]any
}

// loopKey is where the cache keeps a loop found through a partial.
type loopKey struct {
	set  *templateSet
	name string
}

// loadLayouts reads and compiles every template under layouts/. With a
// minifier, the templates that run are compiled from minified text.
// A symbolic link in layouts/ is an error: it is not read.
func loadLayouts(fsys fs.FS, funcs template.FuncMap, min *minify.M, timeout time.Duration) (*layouts, Errors) {
	l := &layouts{timeout: timeout}
	files, errs := readLayouts(fsys)
	if len(errs) > 0 {
		return nil, errs
	}
	l.files = files
	if l.strings, errs = readStrings(fsys); len(errs) > 0 {
		return nil, errs
	}
	src, errs := l.compile(files, funcs)
	l.templateSet = src
	l.siteWide = siteWideLeaves(files, src)
	if len(errs) > 0 || min == nil {
		return l, errs
	}
	small := make(map[string]string, len(files))
	for name, text := range files {
		small[name] = text
		// minify's template mode trims the spaces around an action in a
		// textarea, where they are the field's text: such a file is left
		// as written.
		// An unclosed comment would be cut off: left as written, it
		// fails as it would without minifying.
		if lower := strings.ToLower(text); strings.Contains(lower, "<textarea") || strings.LastIndex(lower, "<!--") > strings.LastIndex(lower, "-->") {
			continue
		}
		if m, err := min.String("text/html", text); err == nil {
			small[name] = m
		}
	}
	// Minified text that no longer parses (it should not happen) leaves
	// the templates as written in use.
	if run, errs := l.compile(small, funcs); len(errs) == 0 {
		l.templateSet, l.src = run, src
	}
	return l, nil
}

// readLayouts reads the template files under layouts/ by their name
// inside it ("_default/page.html"). Symbolic links are refused, not read.
func readLayouts(fsys fs.FS) (map[string]string, Errors) {
	files := map[string]string{}
	var errs Errors
	// A layout left out would change every page it lays out, or fail it
	// with a misleading error: a link in layouts/ stops the build.
	if symlinked(fsys, "layouts") {
		return nil, Errors{layoutLinkError("layouts")}
	}
	err := fs.WalkDir(fsys, "layouts", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			errs = append(errs, readError(p, err, ""))
			return nil
		}
		if d.IsDir() || ignoredName(d.Name()) {
			return nil
		}
		// A linked folder would drop its layouts unread: refused too.
		if d.Type()&fs.ModeSymlink != 0 {
			errs = append(errs, layoutLinkError(p))
			return nil
		}
		if path.Ext(p) == ".html" && !d.Type().IsRegular() {
			errs = append(errs, errorf(p, 0, "cannot read: %v", errNotRegular))
			return nil
		}
		if path.Ext(p) != ".html" {
			return nil
		}
		b, err := readInput(fsys, p)
		if err != nil {
			errs = append(errs, readError(p, err, ""))
			return nil
		}
		if !utf8.Valid(b) {
			errs = append(errs, errorf(p, 0, "text is not UTF-8; save the file with UTF-8 encoding"))
			return nil
		}
		files[strings.TrimPrefix(p, "layouts/")] = string(b)
		return nil
	})
	if err != nil && len(errs) == 0 {
		errs = append(errs, errorf("layouts", 0, "cannot read the layouts folder: %v", unwrapPathError(err)))
	}
	return files, errs
}

// layoutLinkError refuses a symbolic link in layouts/.
func layoutLinkError(p string) *Error {
	return errorf(p, 0, "symbolic link not followed: a layout could read a file outside the site this way; copy the file into layouts/ instead")
}

// compile parses the layout files into leaf templates, each with the
// partials and baseof.html.
func (l *layouts) compile(files map[string]string, funcs template.FuncMap) (*templateSet, Errors) {
	s := &templateSet{leaves: map[string]*template.Template{}, entry: map[string]string{}, fast: map[string]*fastLeaf{}}
	fm := maps.Clone(funcs)
	s.funcs = fm
	fm["partialCached"] = func(name string, data any, keys ...any) (template.HTML, error) {
		return l.partialCached(s, name, data, keys...)
	}
	fm["i18n"] = l.strings.translate
	fm["date"] = l.strings.date
	var errs Errors
	n := 0
	base := template.New("").Funcs(fm)
	for _, name := range sortedKeys(files) {
		if strings.HasPrefix(name, "partials/") || path.Base(name) == "baseof.html" {
			if _, err := base.New(name).Parse(files[name]); err != nil {
				errs = append(errs, templateError(err))
			}
		}
	}
	s.base = base
	for _, name := range sortedKeys(files) {
		if strings.HasPrefix(name, "partials/") || path.Base(name) == "baseof.html" {
			continue
		}
		set, err := base.Clone()
		if err == nil {
			_, err = set.New(name).Parse(files[name])
		}
		if err != nil {
			errs = append(errs, templateError(err))
			continue
		}
		s.leaves[name] = set
		s.entry[name] = name
		s.fast[name] = &fastLeaf{}
		n += countTemplates(set)
		if onlyDefines(set.Lookup(name)) {
			for _, b := range []string{path.Dir(name) + "/baseof.html", "_default/baseof.html"} {
				if set.Lookup(b) != nil {
					s.entry[name] = b
					break
				}
			}
		}
	}
	s.marks = newTemplateMarks(n + countTemplates(base))
	seen := map[*parse.Tree]bool{}
	for _, name := range sortedKeys(s.leaves) {
		s.marks.guard(s.leaves[name], seen)
	}
	s.marks.guard(base, seen)
	return s, errs
}

// execute runs a leaf template within the time budget, stopping when ctx
// is cancelled. An error from the minified templates is looked for again
// in the templates as written, whose lines it names.
//
// The fast executor runs the leaf once html/template has run it without
// error; where it gives up, html/template runs it.
func (l *layouts) execute(ctx context.Context, w *bytes.Buffer, leaf string, data any, bg budget) error {
	fast := l.fast[leaf]
	if p := fast.program(); p != nil && !l.stdlib {
		if err, ok := fastRun(ctx, p, w, data, bg, l.marks); ok {
			return err
		}
	}
	err := l.leaves[leaf].ExecuteTemplate(newBudgetWriter(ctx, w, bg, l.marks), l.entry[leaf], data)
	if err == nil {
		fast.compileOnce(l.leaves[leaf], l.funcs, l.entry[leaf])
	}
	if err != nil && l.src != nil && !overBudget(ctx, err) {
		var discard bytes.Buffer
		if err2 := l.src.leaves[leaf].ExecuteTemplate(newBudgetWriter(ctx, &discard, bg, l.src.marks), l.src.entry[leaf], data); err2 != nil {
			err = err2
		}
	}
	return err
}

// overBudget reports an execution stopped for time or size, or because
// ctx was cancelled: running it again would take as long.
func overBudget(ctx context.Context, err error) bool {
	return ctx.Err() != nil || errors.Is(err, errOverBudget) || errors.Is(err, errTooLarge)
}

// partialCached executes a partial once per build for each distinct data
// value and keys, and reuses its output: for navigation that many pages
// share. The data is part of the key (unlike Hugo, where a partial cached
// without keys shows the first page's data on every page), so it must be
// comparable, such as a page or the site; data that is not (a dict, a
// list) needs a key after it.
func (l *layouts) partialCached(s *templateSet, name string, data any, keys ...any) (template.HTML, error) {
	if len(keys) > 2 {
		return "", fmt.Errorf("partialCached takes at most two keys")
	}
	k := cacheKey{set: s, name: name}
	if data != nil && reflect.TypeOf(data).Comparable() {
		k.data = data
	} else if data != nil && len(keys) == 0 {
		return "", fmt.Errorf("partialCached %q: its data (a %s) cannot be a cache key; give a key after it, such as .Section", name, reflect.TypeOf(data).Kind())
	}
	for i, key := range keys {
		if key != nil && !reflect.TypeOf(key).Comparable() {
			return "", fmt.Errorf("partialCached %q: key %d (a %s) cannot be a cache key; use a page, string or number", name, i+1, reflect.TypeOf(key).Kind())
		}
	}
	copy(k.key[:], keys)
	if v, ok := l.cache.Load(k); ok {
		return v.(template.HTML), nil
	}
	t := s.base.Lookup("partials/" + name)
	if t == nil {
		return "", fmt.Errorf("no partial layouts/partials/%s", name)
	}
	if loop, ok := l.cache.Load(loopKey{s, name}); ok {
		return "", loop.(*partialLoopError).again()
	}
	running := l.running.Add(1)
	defer l.running.Add(-1)
	if partialsTooDeep(running) {
		return "", &partialLoopError{}
	}
	l.runs.Add(1)
	b, err := s.runPartial(t, name, data, budgetFor(l.timeout, 0))
	if err != nil {
		return "", l.partialLoop(err, s, name)
	}
	out := template.HTML(b.String())
	l.cache.Store(k, out)
	return out, nil
}

// runPartial executes a partial for partialCached, on the fast executor
// once html/template has run it without error.
func (s *templateSet) runPartial(t *template.Template, name string, data any, bg budget) (*bytes.Buffer, error) {
	var b bytes.Buffer
	f, _ := s.partials.LoadOrStore(name, &fastLeaf{})
	fast := f.(*fastLeaf)
	if p := fast.program(); p != nil && !s.stdlib {
		if err, ok := fastRun(context.Background(), p, &b, data, bg, s.marks); ok {
			return &b, err
		}
	}
	if err := t.Execute(newBudgetWriter(context.Background(), &b, bg, s.marks), data); err != nil {
		return nil, err
	}
	fast.compileOnce(s.base, s.funcs, "partials/"+name)
	return &b, nil
}

// onlyDefines reports whether a template's body is blank, so that it
// is meant to fill the blocks of baseof.html.
func onlyDefines(t *template.Template) bool {
	if t == nil || t.Tree == nil || t.Tree.Root == nil {
		return true
	}
	return strings.TrimSpace(t.Tree.Root.String()) == ""
}

// find returns the layout for a page, trying the most specific first.
func (l *layouts) find(p *Page) (string, []string) {
	sec := ""
	if s := p.Section(); s != nil {
		sec = strings.Trim(strings.TrimPrefix(s.dirPath(), "content"), "/") + "/"
	}
	var tries []string
	if p.Layout != "" {
		tries = []string{sec + p.Layout + ".html", "_default/" + p.Layout + ".html"}
	} else {
		switch p.Kind {
		case KindHome:
			tries = []string{"home.html", "_default/home.html", "_default/list.html"}
		case KindSection:
			tries = []string{sec + "section.html", "_default/section.html", "_default/list.html"}
		case Kind404:
			tries = []string{"404.html", "_default/404.html"}
		default:
			tries = []string{sec + "page.html", "_default/page.html", "_default/single.html"}
		}
	}
	for _, t := range tries {
		if strings.HasPrefix(t, "/") {
			continue
		}
		if l.leaves[t] != nil {
			return t, tries
		}
	}
	return "", tries
}

// dirPath is the content folder a section page stands for.
func (p *Page) dirPath() string {
	if p.Source != "" {
		return p.dir()
	}
	return "content" + strings.TrimSuffix(p.Path, "/")
}

var templateErrRE = regexp.MustCompile(`^(?:html/)?template: ?([^:\s]+):(\d+)(?::\d+)?: (.*)$`)
var executingRE = regexp.MustCompile(`executing "[^"]*" at `)
var nilPageRE = regexp.MustCompile(`nil pointer evaluating \*site\.Page\.\w+`)

// templateError turns a text/template or html/template error into an
// Error naming the layout file and line.
func templateError(err error) *Error {
	msg := err.Error()
	if m := templateErrRE.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[2])
		rest := executingRE.ReplaceAllString(m[3], "")
		rest = strings.ReplaceAll(rest, "in type *site.Page", "of a page (see the README for the fields layouts can use)")
		if strings.Contains(rest, "nil pointer evaluating *site.Page.") {
			rest = nilPageRE.ReplaceAllString(rest, "there is no page here (a missing parent, previous or next page); guard it with {{ with }}")
		}
		return errorf("layouts/"+m[1], line, "%s", rest)
	}
	return &Error{File: "layouts", Msg: msg}
}

var callingRE = regexp.MustCompile(`error calling (\S+): `)

// panicInFunc is the message for a layout error that is a runtime panic
// in one of the generator's template functions (which html/template
// recovers): a bug in the generator, not in the layout. It is "" for
// any other error.
func panicInFunc(err error) string {
	var re runtime.Error
	if !errors.As(err, &re) {
		return ""
	}
	fn := "a template function"
	if m := callingRE.FindStringSubmatch(err.Error()); m != nil {
		fn = "the template function " + m[1]
	}
	return fmt.Sprintf("internal error in %s: %v; this is a bug, please report it", fn, re)
}

// templateFuncs are the helpers layouts may call. relURL and absURL give
// the published (fingerprinted) name of a static file.
func (b *Builder) templateFuncs(f inject.Faults) template.FuncMap {
	base := b.base
	funcs := template.FuncMap{
		"relURL":         func(p string) string { return base.Rel(b.assets.lookup(p)) },
		"absURL":         func(p string) string { return base.Abs(b.assets.lookup(p)) },
		"integrity":      b.assets.integrity,
		"ukdate":         ukDate,
		"isodate":        isoDate,
		"dict":           dict,
		"list":           func(xs ...any) []any { return xs },
		"lower":          strings.ToLower,
		"upper":          strings.ToUpper,
		"trim":           strings.TrimSpace,
		"hasPrefix":      strings.HasPrefix,
		"contains":       strings.Contains,
		"replace":        strings.ReplaceAll,
		"join":           strings.Join,
		"truncate":       truncateWords,
		"plainify":       plainify,
		"first":          firstPages,
		"markCurrent":    markCurrent,
		"breadcrumbList": breadcrumbList,
		"byTitle":        byTitle,
		"byLetter":       byLetter,
		"add":            func(a, b int) int { return a + b },
		"sub":            func(a, b int) int { return a - b },
	}
	if f.Func != "" {
		funcs[f.Func] = func(xs ...any) any { return xs[len(xs)] } // index out of range
	}
	return funcs
}

// breadcrumbList is the schema.org BreadcrumbList of a page, from the
// home page down to it, as JSON for a script element. Written in Go, it
// costs a page one call instead of a template loop of some thirty.
func breadcrumbList(p *Page) (template.JS, error) {
	type item struct {
		Type     string `json:"@type"`
		Position int    `json:"position"`
		Name     string `json:"name"`
		Item     string `json:"item"`
	}
	list := struct {
		Context string `json:"@context"`
		Type    string `json:"@type"`
		Items   []item `json:"itemListElement"`
	}{Context: "https://schema.org", Type: "BreadcrumbList"}
	for i, q := range p.Breadcrumbs() {
		list.Items = append(list.Items, item{"ListItem", i + 1, q.LinkTitle(), q.Permalink})
	}
	// Marshal escapes <, > and &, so the JSON cannot end the script.
	b, err := json.Marshal(list)
	return template.JS(b), err
}

// ukDate formats a date the way UK government sites do: 24 November 2003.
func ukDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("2 January 2006")
}

func isoDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("2006-01-02")
}

func dict(kv ...any) (map[string]any, error) {
	if len(kv)%2 != 0 {
		return nil, fmt.Errorf("dict needs pairs of key and value")
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			return nil, fmt.Errorf("dict key %v is not text", kv[i])
		}
		m[k] = kv[i+1]
	}
	return m, nil
}

// truncateWords shortens s to at most n characters, at a word boundary.
func truncateWords(n int, s string) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)[:n]
	cut := strings.LastIndexByte(string(r), ' ')
	if cut <= 0 {
		return string(r) + "…"
	}
	return strings.TrimRight(string(r)[:cut], " ,;:.") + "…"
}

// plainify strips tags from HTML and collapses white space.
func plainify(s any) string {
	var str string
	switch v := s.(type) {
	case template.HTML:
		str = string(v)
	case string:
		str = v
	default:
		str = fmt.Sprint(v)
	}
	var b strings.Builder
	b.Grow(len(str))
	space := false
	for i := 0; i < len(str); {
		c := str[i]
		switch {
		case c == '<':
			// A tag is a space; text resumes after its '>', if any.
			space = true
			end := strings.IndexByte(str[i:], '>')
			if end < 0 {
				i = len(str)
			} else {
				i += end + 1
			}
		case isPlainSpace(c):
			space = true
			i++
		default:
			// A run of text up to the next tag or space, copied at once.
			j := i + 1
			for j < len(str) && str[j] != '<' && !isPlainSpace(str[j]) {
				j++
			}
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteString(str[i:j])
			i = j
		}
	}
	out := b.String()
	if strings.IndexByte(out, '&') >= 0 {
		out = html.UnescapeString(out)
	}
	return out
}

// isPlainSpace reports the bytes plainify takes for spaces.
func isPlainSpace(c byte) bool {
	return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f'
}

// markCurrent marks, in a list of links shared by many pages, the link to
// page p with aria-current="page" and links to its sections with
// aria-current="true".
func markCurrent(h template.HTML, p *Page) template.HTML {
	// The few links to mark, in both the forms a layout may have written
	// them: as the path, and as html/template escapes it in an href.
	type mark struct{ href, value string }
	var marks [16]mark
	found := marks[:0]
	for q := p; q != nil && q.Kind != KindHome; q = q.Parent {
		v := "true"
		if q == p {
			v = "page"
		}
		found = append(found, mark{q.RelPermalink, v})
		if f := hrefForm(q.RelPermalink); f != q.RelPermalink {
			found = append(found, mark{f, v})
		}
	}
	s := string(h)
	var b strings.Builder
	last := 0 // s[:last] is in b
	for i := 0; ; {
		j := strings.Index(s[i:], `href="`)
		if j < 0 {
			break
		}
		start := i + j + len(`href="`)
		end := strings.IndexByte(s[start:], '"')
		if end < 0 {
			break
		}
		end += start
		for _, m := range found {
			if s[start:end] == m.href {
				if b.Len() == 0 {
					b.Grow(len(s) + 64)
				}
				b.WriteString(s[last : end+1])
				b.WriteString(` aria-current="`)
				b.WriteString(m.value)
				b.WriteByte('"')
				last = end + 1
				break
			}
		}
		i = end + 1
	}
	if last == 0 {
		return h
	}
	b.WriteString(s[last:])
	return template.HTML(b.String())
}

// hrefForm is a path as html/template writes it in an href attribute.
func hrefForm(u string) string {
	plain := func(c byte) bool { return c < 0x80 && c > 0x20 && !strings.ContainsRune(`"'<>\^`+"`{|}", rune(c)) }
	i := 0
	for i < len(u) && plain(u[i]) {
		i++
	}
	if i == len(u) {
		return u
	}
	var b strings.Builder
	for i := 0; i < len(u); i++ {
		c := u[i]
		if plain(c) {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02x", c)
		}
	}
	return b.String()
}

// byTitle returns pages sorted by title, ignoring case, then by path.
func byTitle(ps []*Page) []*Page {
	out := slices.Clone(ps)
	slices.SortStableFunc(out, func(a, b *Page) int {
		return cmp.Or(cmp.Compare(strings.ToLower(a.Title), strings.ToLower(b.Title)), cmp.Compare(a.Path, b.Path))
	})
	return out
}

// A LetterGroup is the pages whose titles start with one letter, for an
// A to Z list. Letter is "A" to "Z", or "Other"; ID is its lower case.
type LetterGroup struct {
	Letter, ID string
	Pages      []*Page
}

// byLetter groups pages by the first letter of their titles, A to Z and
// then Other, each group in title order. The home page and drafts are
// left out. Given a Welsh page or site ({{ byLetter .Site.Pages . }}), it
// uses the Welsh alphabet, whose letters include Ch, Dd, Ff, Ng, Ll, Ph,
// Rh and Th.
func byLetter(ps []*Page, ctx ...any) []LetterGroup {
	welsh := len(ctx) > 0 && contextLanguage(ctx[0]) != nil && contextLanguage(ctx[0]).Code == "cy"
	groups := map[string][]*Page{}
	for _, p := range byTitle(ps) {
		if p.Kind == KindHome || p.Draft || p.Title == "" {
			continue
		}
		l := firstLetter(p.Title, welsh)
		groups[l] = append(groups[l], p)
	}
	var out []LetterGroup
	for _, l := range lettersInOrder(groups, welsh) {
		if l != "Other" {
			out = append(out, LetterGroup{Letter: l, ID: strings.ToLower(l), Pages: groups[l]})
		}
	}
	if g := groups["Other"]; len(g) > 0 {
		out = append(out, LetterGroup{Letter: "Other", ID: "other", Pages: g})
	}
	return out
}

func firstPages(n int, ps []*Page) []*Page {
	if n < len(ps) {
		return ps[:n]
	}
	return ps
}

// siteWideMarkers are what a layout writes to reach pages beyond the
// page's own family: every page, or any page by its path.
var siteWideMarkers = []string{"AllPages", "GetPage", "Changes", ".Site.Pages"}

// templateRef finds the templates and partials a layout calls by name.
var templateRef = regexp.MustCompile(`(template|partial|partialCached)\s+"([^"]+)"`)

// siteWideLeaves lists the leaves whose text, or the text of the
// baseof.html and partials they reach, uses a site-wide marker.
func siteWideLeaves(files map[string]string, s *templateSet) map[string]bool {
	out := map[string]bool{}
	for leaf, entry := range s.entry {
		seen := map[string]bool{}
		todo := []string{leaf, entry}
		for len(todo) > 0 {
			name := todo[len(todo)-1]
			todo = todo[:len(todo)-1]
			text, ok := files[name]
			if !ok || seen[name] {
				continue
			}
			seen[name] = true
			for _, m := range siteWideMarkers {
				if strings.Contains(text, m) {
					out[leaf] = true
				}
			}
			for _, ref := range templateRef.FindAllStringSubmatch(text, -1) {
				todo = append(todo, ref[2], "partials/"+ref[2])
			}
		}
	}
	return out
}

package site

import (
	"fmt"
	"net/url"
	"path"
	"strings"
	"unique"

	"github.com/yuin/goldmark/ast"
)

// renderState is the per-page state of one Markdown conversion.
type renderState struct {
	page       *Page
	site       *Site
	lines      lineIndex
	errs       Errors
	warns      Errors
	toc        []Heading
	questions  []Question
	frags      []fragRef
	ids        []string // ids of every heading
	links      []LinkRef
	keepLinks  bool // record links, for check and the preview's next edit
	shareLinks bool // and share their text with other pages' links: the preview keeps them all
	keepProse  bool // record the prose blocks, for check
	prose      []ProseBlock
}

// A LinkRef is a link or image written in a page's Markdown.
type LinkRef struct {
	Line    int    // line in the source file
	Written string // the destination as written
	URL     string // the destination in the output
	Image   bool
	NoAlt   bool // an image with empty alt text, not marked decorative
}

// A fragRef is a link to #frag on a page, checked once every page's ids
// are known.
type fragRef struct {
	file       string
	line       int
	target     string // the target page's path
	targetFile string // and its source file
	frag       string
	dest       string
}

func (st *renderState) line(pos int) int { return st.lines.line(pos) }

// problem records an error that check reports under the rule.
func (st *renderState) problem(rule string, line int, format string, args ...any) {
	e := errorf(st.page.Source, line, format, args...)
	e.Rule = rule
	st.errs = append(st.errs, e)
}

func isDangerous(dest string) bool {
	d := strings.Map(func(r rune) rune {
		if r <= ' ' || r == 0x7f {
			return -1
		}
		return r
	}, strings.ToLower(dest))
	return strings.HasPrefix(d, "javascript:") || strings.HasPrefix(d, "vbscript:") || strings.HasPrefix(d, "data:")
}

// link resolves one link or image and records it.
func (st *renderState) link(dest string, pos int, image bool) (string, bool) {
	line := st.line(pos)
	d, ok := st.resolve(dest, line)
	if ok && st.keepLinks {
		l := LinkRef{Line: line, Written: dest, URL: d, Image: image}
		if st.shareLinks {
			l.Written, l.URL = unique.Make(dest).Value(), unique.Make(d).Value()
		}
		st.links = append(st.links, l)
	}
	return d, ok
}

// decorative is the title that marks an image with no alt text as
// decorative on purpose: ![](divider.png "decorative"). The title is not
// written to the output.
const decorative = "decorative"

// imageAlt records, for check, that the image just recorded has no alt
// text and is not marked decorative; it drops a "decorative" title.
func (st *renderState) imageAlt(n *ast.Image, src []byte) {
	if strings.EqualFold(strings.TrimSpace(string(n.Title)), decorative) {
		n.Title = nil
		return
	}
	if st.keepLinks && len(st.links) > 0 && strings.TrimSpace(nodeText(n, src)) == "" {
		st.links[len(st.links)-1].NoAlt = true
	}
}

// resolve turns a link written in Markdown into its URL in the output. It
// returns false for a URL that must not be output at all.
func (st *renderState) resolve(dest string, line int) (string, bool) {
	dest = strings.TrimSpace(dest)
	if isDangerous(dest) {
		w := errorf(st.page.Source, line, "link to %q removed: javascript:, vbscript: and data: URLs are not allowed", truncate(dest, 40))
		w.Rule = "unsafe-link"
		st.warns = append(st.warns, w)
		return "", false
	}
	if dest == "" || isExternal(dest) {
		return dest, true
	}
	raw, frag, hasFrag := strings.Cut(dest, "#")
	raw, query, _ := strings.Cut(raw, "?")
	if raw == "" {
		if hasFrag {
			st.frags = append(st.frags, fragRef{file: st.page.Source, line: line, target: st.page.Path, targetFile: st.page.Source, frag: frag, dest: dest})
		}
		return dest, true
	}
	p, err := url.PathUnescape(raw)
	if err != nil {
		p = raw
	}
	target, out, ok := st.lookup(p, dest, line)
	if !ok {
		return dest, true
	}
	if t := localise(st.page, target); t != target {
		target, out = t, t.RelPermalink
	}
	if query != "" {
		out += "?" + query
	}
	if hasFrag {
		out += "#" + frag
		if target != nil {
			st.frags = append(st.frags, fragRef{file: st.page.Source, line: line, target: target.Path, targetFile: target.Source, frag: frag, dest: dest})
		}
	}
	return out, true
}

// lookup finds what a path in a link points at: a Markdown file, a page,
// a static file or a file beside the page.
func (st *renderState) lookup(p, dest string, line int) (*Page, string, bool) {
	s := st.site
	dir := st.page.dir()
	if strings.HasSuffix(strings.ToLower(p), ".md") {
		file := path.Join(dir, p)
		if strings.HasPrefix(p, "/") {
			file = path.Join("content", p)
		}
		if t := s.pageOf(file); t != nil {
			return t, t.RelPermalink, true
		}
		if u := s.unbuilt[file]; u != "" {
			return nil, s.Base.Rel(u), true // its own problem is reported
		}
		if s.drafts[file] != "" {
			st.problem("draft-link", line, "link to %s, which is a draft: publish it (draft: false) or remove the link", file)
		} else {
			st.problem("broken-link", line, "link to %s, which does not exist; check the file name%s", file, suggestion(s, file))
		}
		return nil, "", false
	}
	var candidates []string
	if strings.HasPrefix(p, "/") {
		candidates = []string{path.Clean(p)}
	} else {
		candidates = []string{
			path.Join("/", strings.TrimPrefix(dir, "content"), p), // beside the source file
			path.Join(st.page.Path, p),                            // relative to the page's URL
		}
	}
	for _, c := range candidates {
		if s.files[c] {
			if s.assets != nil {
				c = s.assets.lookup(c)
			}
			return nil, s.Base.Rel(c), true
		}
		if t := s.pageAt(normalisePath(c)); t != nil {
			return t, t.RelPermalink, true
		}
	}
	for _, c := range candidates {
		if file := s.drafts[normalisePath(c)]; file != "" {
			st.problem("draft-link", line, "link to %s, the address of the draft %s: publish it (draft: false) or remove the link", dest, file)
			return nil, "", false
		}
		if s.unbuilt[normalisePath(c)] != "" {
			return nil, s.Base.Rel(normalisePath(c)), true // its own problem is reported
		}
	}
	st.problem("broken-link", line, "link to %s, which is not a page or file of the site; fix the path, or link to the Markdown file (for example ../section/page.md)", dest)
	return nil, "", false
}

// suggestion names a page with the same file name elsewhere, if any.
func suggestion(s *Site, file string) string {
	base := path.Base(file)
	best := ""
	s.eachSource(func(src string) {
		if path.Base(src) == base && base != "_index.md" && (best == "" || src < best) {
			best = src
		}
	})
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %s?)", best)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

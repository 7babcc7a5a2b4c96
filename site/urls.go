package site

import (
	"fmt"
	"net/url"
	"path"
	"strings"
	"unicode"
	"unicode/utf8"

	"charter/site/internal/printable"
)

// BaseURL is where the site is published: an optional scheme and host, and
// a path that always starts and ends with a slash.
type BaseURL struct {
	Host string // "https://example.org", or "" for a host-relative site
	Path string // "/" or "/rights/"
}

// ParseBaseURL reads the --base-url flag: "/", "/rights/" or
// "https://example.org/rights/".
func ParseBaseURL(s string) (BaseURL, error) {
	if s == "" {
		s = "/"
	}
	u, err := url.Parse(s)
	if err != nil || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return BaseURL{}, fmt.Errorf("base URL %q is not valid; give a path such as /rights/ or a URL such as https://example.org/rights/", s)
	}
	var b BaseURL
	if u.Scheme != "" || u.Host != "" {
		if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return BaseURL{}, fmt.Errorf("base URL %q must start with http:// or https://", s)
		}
		b.Host = u.Scheme + "://" + u.Host
	}
	p := u.EscapedPath()
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	p = path.Clean(p)
	if strings.Contains(u.Path, "..") {
		return BaseURL{}, fmt.Errorf("base URL %q must not contain ..", s)
	}
	if !strings.HasSuffix(p, "/") {
		p += "/"
	}
	b.Path = p
	return b, nil
}

// Rel turns a site path ("/data-sharing/") into a path under the base
// ("/rights/data-sharing/"). Anything with a scheme is returned as it is.
func (b BaseURL) Rel(p string) string {
	if isExternal(p) || b.Path == "/" && strings.HasPrefix(p, "/") {
		return p // the same, without a string of its own for every page
	}
	return b.Path + strings.TrimPrefix(p, "/")
}

// Abs turns a site path into an absolute URL when the base has a host.
func (b BaseURL) Abs(p string) string {
	if isExternal(p) {
		return p
	}
	return b.Host + b.Rel(p)
}

// isExternal reports a link with a scheme ("https:", "mailto:") or a
// host ("//example.org"): one that leaves the site.
func isExternal(s string) bool {
	return strings.HasPrefix(s, "//") || hasScheme(s)
}

// hasScheme reports whether s starts with a URL scheme and its colon, as
// the regular expression ^[a-zA-Z][a-zA-Z0-9+.-]*: does, without its cost
// on every link of every page.
func hasScheme(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
		case i > 0 && ('0' <= c && c <= '9' || c == '+' || c == '.' || c == '-'):
		case i > 0 && c == ':':
			return true
		default:
			return false
		}
	}
	return false
}

// pageURL maps a content file ("data-sharing/legal-guidance.md") to its
// site path ("/data-sharing/legal-guidance/").
func pageURL(rel string) string {
	dir, file := path.Split(rel)
	name := strings.TrimSuffix(file, path.Ext(file))
	segs := []string{}
	for s := range strings.SplitSeq(strings.Trim(dir, "/"), "/") {
		if s != "" {
			segs = append(segs, urlSegment(s))
		}
	}
	if name != "_index" && name != "index" {
		segs = append(segs, urlSegment(name))
	}
	if len(segs) == 0 {
		return "/"
	}
	return "/" + strings.Join(segs, "/") + "/"
}

// urlSegment makes a file or folder name into a URL segment: spaces
// become hyphens; case, accents and other letters are kept.
func urlSegment(s string) string {
	return strings.Join(strings.Fields(s), "-")
}

// checkPathValue rejects slug, url and alias values that could leave the
// output folder or that are not site paths. It returns "" when v is fine.
func checkPathValue(key, v string, slug bool) string {
	switch {
	case strings.TrimSpace(v) == "":
		return fmt.Sprintf("%s is empty; remove the key or give a path", key)
	case !utf8.ValidString(v):
		return fmt.Sprintf("%s %q is not valid UTF-8 text", key, v)
	case strings.ContainsAny(v, "\x00"):
		return fmt.Sprintf("%s %q contains a NUL byte; remove it", key, v)
	case strings.ContainsFunc(v, printable.IsControl):
		return fmt.Sprintf("%s %q contains a control character; remove it", key, v)
	case strings.ContainsFunc(v, unicode.IsSpace):
		return fmt.Sprintf("%s %q contains white space; a path has no spaces: write one path, with - between words", key, v)
	case strings.Contains(v, "\\"):
		return fmt.Sprintf("%s %q contains a backslash; use / to separate folders", key, v)
	case isExternal(v):
		return fmt.Sprintf("%s %q is a full URL; give a path on this site such as /old/page/", key, v)
	case strings.ContainsAny(v, "?#"):
		return fmt.Sprintf("%s %q contains ? or #; give a plain path", key, v)
	case percentEscape(v) != "":
		return fmt.Sprintf("%s %q contains %s, an escaped character that browsers decode, so links would lead elsewhere; write the character itself", key, v, percentEscape(v))
	}
	for s := range strings.SplitSeq(v, "/") {
		if s == ".." || s == "." {
			return fmt.Sprintf("%s %q contains %q, which could leave the output folder; give a path without it", key, v, s)
		}
	}
	if slug && strings.Contains(v, "/") {
		return fmt.Sprintf("slug %q contains /; a slug is one part of the URL, use url for a whole path", v)
	}
	if !slug && !strings.HasPrefix(v, "/") {
		return fmt.Sprintf("%s %q must start with /, as in /%s", key, v, v)
	}
	return ""
}

// escapedRel is Rel with the site path percent-encoded by escapePath,
// for the files that hosts and crawlers read as plain text.
func (b BaseURL) escapedRel(p string) string {
	return b.Path + escapePath(strings.TrimPrefix(p, "/"))
}

// escapedAbs is Abs with the site path percent-encoded by escapePath.
func (b BaseURL) escapedAbs(p string) string { return b.Host + b.escapedRel(p) }

// escapePath percent-encodes a site path for _redirects, _headers and
// sitemap.xml: every byte but letters, digits, / and -._~!$&'()+,;=@
// becomes %XX, so that a path is one field with no space, line break,
// quote, markup, wildcard (*) or placeholder (:name) in it. A host
// decodes it back to the same path.
func escapePath(p string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		c := p[i]
		if pathSafe(c) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

// pathSafe reports the bytes escapePath writes as they are.
func pathSafe(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("/-._~!$&'()+,;=@", c) >= 0
}

// percentEscape returns the first %XX (% and two hex digits) in v, or "".
// The output folder keeps such a name as it is, but html/template keeps
// it as an escape in links, which a browser decodes.
func percentEscape(v string) string {
	for i := strings.IndexByte(v, '%'); i >= 0 && i+2 < len(v); {
		if isHex(v[i+1]) && isHex(v[i+2]) {
			return v[i : i+3]
		}
		j := strings.IndexByte(v[i+1:], '%')
		if j < 0 {
			break
		}
		i += 1 + j
	}
	return ""
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// normalisePath turns a user-written site path into the form used as a
// key: it starts with "/", and ends with "/" unless its last part has a
// file extension.
func normalisePath(p string) string {
	p = path.Clean("/" + p)
	if p != "/" && path.Ext(p) == "" {
		p += "/"
	}
	return p
}

// outputFile is the file a site path is written to: "/a/b/" -> "a/b/index.html".
func outputFile(p string) string {
	if strings.HasSuffix(p, "/") {
		return strings.TrimPrefix(p, "/") + "index.html"
	}
	return strings.TrimPrefix(p, "/")
}

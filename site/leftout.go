package site

import "strings"

// leftOut records the content files that a KeepGoing build left out
// because they do not parse, under their file and the address they would
// most likely have had, so that links to them are not reported as broken
// on top of the page's own problem.
func (s *Site) leftOut(files []string, parsed []loaded) {
	ok := make(map[string]bool, len(parsed))
	for _, l := range parsed {
		ok[l.file] = true
	}
	for _, f := range files {
		if ok[f] {
			continue
		}
		if s.unbuilt == nil {
			s.unbuilt = map[string]string{}
		}
		p := pageURL(strings.TrimPrefix(f, "content/"))
		s.unbuilt[f] = p
		if s.byPath[p] == nil {
			s.unbuilt[p] = f
		}
	}
}

// UnbuiltURLs maps the URL (with the base path) of every page that a
// KeepGoing build left out, because it does not parse, to its content
// file.
func (s *Site) UnbuiltURLs() map[string]string {
	out := map[string]string{}
	for k, v := range s.unbuilt {
		if strings.HasPrefix(k, "/") {
			out[s.Base.Rel(k)] = v
		}
	}
	return out
}

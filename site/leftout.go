package site

import "strings"

// unparsed lists, as loaded files without a source, the content files
// that did not parse. Only a KeepGoing build gets this far with them.
func unparsed(files []string, parsed []loaded) []loaded {
	ok := make(map[string]bool, len(parsed))
	for _, l := range parsed {
		ok[l.file] = true
	}
	var out []loaded
	for _, f := range files {
		if !ok[f] {
			out = append(out, loaded{file: f})
		}
	}
	return out
}

// leftOut records a content file that a KeepGoing build leaves out
// because it does not parse, under its name and the address it would most
// likely have had, so that links to it are not reported as broken on top
// of the page's own problem.
func (s *Site) leftOut(file string) {
	if s.unbuilt == nil {
		s.unbuilt = map[string]string{}
	}
	p := pageURL(strings.TrimPrefix(file, "content/"))
	s.unbuilt[file] = p
	s.unbuilt[p] = file
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

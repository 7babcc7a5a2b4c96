package site

import "io/fs"

// dropBody lets go of the source's body after the first read, which
// decoded the front matter: a one-off build then holds front matter, not
// text, until each page renders, and readBody reads the body again. The
// front matter's text goes too: only the preview compares it.
func (s *source) dropBody() {
	s.body, s.fmText, s.dropped = nil, "", true
}

// readBody returns the Markdown body of a page's source: the one kept
// from the first read, or else the file read again. The file must be as
// it was at the first read, checksum and all: otherwise the build would
// mix the old front matter with a new body, and it stops instead.
func readBody(fsys fs.FS, file string, s *source) ([]byte, *Error) {
	if !s.dropped {
		return s.body, nil
	}
	data, err := fs.ReadFile(fsys, file)
	if err != nil {
		return nil, errorf(file, 0, "cannot read: %v; check its permissions", unwrapPathError(err))
	}
	data = normalizeText(data)
	if checksum(data) != s.sum || len(data) < s.bodyOff {
		return nil, errorf(file, 0, "the file changed while the site was being built; build again")
	}
	return data[s.bodyOff:], nil
}

package site

import (
	"errors"
	"io/fs"
)

// dropBody lets go of the source's body after the first read, which
// decoded the front matter: a one-off build then holds front matter, not
// text, until each page renders, and readBody reads the body again. The
// front matter's text goes too: only the preview compares it.
func (s *source) dropBody() {
	s.releaseBody()
	s.fmText = ""
}

// releaseBody lets go of the source's body, as dropBody does, but keeps
// the front matter's text, with which the preview tells a body edit from
// a change of the tree: the preview holds front matter, not text, for as
// long as it runs.
func (s *source) releaseBody() {
	s.body, s.dropped = nil, true
}

// errChanged is the message of a source that changed between the read
// of its front matter and the read of its body.
const errChanged = "the file changed while the site was being built; build again"

// readBody returns the Markdown body of a page's source: the one kept
// from the first read, or else the file read again. The file must be as
// it was at the first read, checksum and all: otherwise the build would
// mix the old front matter with a new body, and it stops instead.
func readBody(fsys fs.FS, file string, s *source) ([]byte, *Error) {
	if !s.dropped {
		return s.body, nil
	}
	data, err := readInput(fsys, file)
	if err != nil {
		return nil, readError(file, err, "; check its permissions")
	}
	data = normalizeText(data)
	if checksum(data) != s.sum || len(data) < s.bodyOff {
		return nil, errorf(file, 0, errChanged)
	}
	return data[s.bodyOff:], nil
}

// ChangedDuringBuild reports whether a build failed only because source
// files changed while it read them. The preview takes such a build as
// one overtaken by newer changes, as when it is cancelled: the watcher
// reports those files, and the next build reads them afresh.
func ChangedDuringBuild(err error) bool {
	var es Errors
	if !errors.As(err, &es) || len(es) == 0 {
		return false
	}
	for _, e := range es {
		if e.Msg != errChanged {
			return false
		}
	}
	return true
}

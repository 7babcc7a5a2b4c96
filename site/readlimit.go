package site

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"strings"
)

// The largest files a build reads whole. A page, layout or table is
// parsed into structures many times its size (a 100 MB page took 1.4 GB
// to build), so a text file is refused past maxTextFile: ten thousand
// times a long guidance page, and a build of one under a gigabyte. A
// file the build copies or minifies is held in memory once; past
// maxCopiedFile it is refused too, as most static hosts refuse it
// (GitHub Pages takes files up to 100 MB).
const (
	maxTextFile   = 64 << 20
	maxCopiedFile = 100 << 20
)

// errNotRegular refuses a named pipe, a device or a folder where the
// build reads a file.
var errNotRegular = errors.New("it is not an ordinary file (a named pipe, device or folder); replace it with one")

// A tooLargeError is a file of the site larger than the build reads.
type tooLargeError struct{ max int64 }

func (e *tooLargeError) Error() string {
	return fmt.Sprintf("file is larger than %s", byteSize(e.max))
}

// byteSize writes n bytes for a person: "64 MB".
func byteSize(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}

// inputLimit is the most the build reads of the site's file name: a
// page or layout (or a layouts/i18n table) is text it parses; anything
// else it copies or minifies.
func inputLimit(name string) int64 {
	switch {
	case strings.HasPrefix(name, "content/") && strings.EqualFold(path.Ext(name), ".md"), strings.HasPrefix(name, "layouts/"):
		return maxTextFile
	}
	return maxCopiedFile
}

// readInput reads the site's file name whole, refusing it (with a
// *tooLargeError) when it is larger than inputLimit allows, even when it
// grows while it is read.
func readInput(fsys fs.FS, name string) ([]byte, error) {
	max := inputLimit(name)
	if m, ok := fsys.(interface {
		ReadFileMax(string, int64) ([]byte, error)
	}); ok {
		return m.ReadFileMax(name, max)
	}
	return readFileMax(fsys, name, max)
}

// readFileMax reads fsys's file name whole, as fs.ReadFile does, but
// fails with a *tooLargeError past max bytes. A file system with a
// ReadFile method of its own (a test's, or the preview's) reads the file
// when its size is at most max, and the bytes read are measured again.
func readFileMax(fsys fs.FS, name string, max int64) ([]byte, error) {
	// Opening a named pipe waits for a writer, which may never come: not
	// even Ctrl-C would stop the build.
	info, err := fs.Stat(fsys, name)
	if err == nil && !info.Mode().IsRegular() {
		return nil, &fs.PathError{Op: "read", Path: name, Err: errNotRegular}
	}
	if rf, ok := fsys.(fs.ReadFileFS); ok {
		if err == nil && info.Size() > max {
			return nil, &fs.PathError{Op: "read", Path: name, Err: &tooLargeError{max}}
		}
		data, err := rf.ReadFile(name)
		if err == nil && int64(len(data)) > max {
			return nil, &fs.PathError{Op: "read", Path: name, Err: &tooLargeError{max}}
		}
		return data, err
	}
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	size := 512
	if info, err := f.Stat(); err == nil {
		if info.Size() > max {
			return nil, &fs.PathError{Op: "read", Path: name, Err: &tooLargeError{max}}
		}
		size = int(info.Size()) + 1
	}
	return readUpTo(f.Read, name, size, max)
}

// readUpTo reads the file name to its end with read, expecting size
// bytes (one read more confirms the end, as os.ReadFile does), and fails
// with a *tooLargeError past max bytes, however large size was said to
// be.
func readUpTo(read func([]byte) (int, error), name string, size int, max int64) ([]byte, error) {
	data := make([]byte, 0, size)
	for {
		if int64(len(data)) > max {
			return nil, &fs.PathError{Op: "read", Path: name, Err: &tooLargeError{max}}
		}
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)]
		}
		end := cap(data)
		if int64(end) > max+1 {
			end = int(max + 1)
		}
		n, err := read(data[len(data):end])
		data = data[:len(data)+n]
		if err == io.EOF && int64(len(data)) <= max {
			return data, nil
		}
		if err != nil && err != io.EOF {
			return nil, err
		}
	}
}

// isTooLarge reports whether err is a *tooLargeError.
func isTooLarge(err error) bool {
	var tl *tooLargeError
	return errors.As(err, &tl)
}

// tooLarge is the build's error for a file of the site refused by
// readInput for its size, saying what to do; nil for any other error.
func tooLarge(file string, err error) *Error {
	var tl *tooLargeError
	if !errors.As(err, &tl) {
		return nil
	}
	what := "publish a file this large somewhere else and link to it"
	switch {
	case strings.HasPrefix(file, "content/") && strings.EqualFold(path.Ext(file), ".md"):
		what = "split the page into smaller pages"
	case strings.HasPrefix(file, "layouts/"):
		what = "make it smaller: a layout or table this large holds something pasted in by mistake"
	}
	return errorf(file, 0, "the file is more than %s, the most a build reads; %s", byteSize(tl.max), what)
}

// readError is the build's error for a file of the site it could not
// read: too large, or "cannot read: ..." followed by hint.
func readError(file string, err error, hint string) *Error {
	if e := tooLarge(file, err); e != nil {
		return e
	}
	return errorf(file, 0, "cannot read: %v%s", unwrapPathError(err), hint)
}

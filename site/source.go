package site

import (
	"errors"
	"io/fs"

	"path"
	"strings"
)

// A tree of input files: content pages, content assets, static files.
type inputs struct {
	pages  []string // "content/a/b.md"
	assets []string // "content/a/chart.png"
	static []string // "static/css/site.css"
}

// ignoredName reports editor and system files that are never content:
// hidden files, vim swap, backup and test files, emacs lock and autosave
// files. The preview's watcher is given the same list (IgnoredName).
func ignoredName(name string) bool {
	switch {
	case strings.HasPrefix(name, "."), strings.HasPrefix(name, "#"),
		strings.HasSuffix(name, "~"), strings.HasSuffix(name, "#"),
		strings.HasSuffix(name, ".swp"), strings.HasSuffix(name, ".swx"), strings.HasSuffix(name, ".swo"),
		strings.HasSuffix(name, ".tmp"), strings.HasSuffix(name, ".bak"),
		name == "4913", name == "Thumbs.db", name == "desktop.ini":
		return true
	}
	return false
}

// IgnoredName reports whether the build skips a file or folder of this
// name, taking it for an editor's or the system's: .draft.md, #page.md#,
// page.md~, notes.tmp.
func IgnoredName(name string) bool { return ignoredName(name) }

// PageURL is the site path the build gives a content file
// ("faqs/voting.md" -> "/faqs/voting/"), before any slug or url.
func PageURL(rel string) string { return pageURL(rel) }

// listInputs walks content/ and static/. Symbolic links are not followed:
// each is reported as a warning.
func listInputs(fsys fs.FS, warn func(*Error)) (inputs, Errors) {
	var in inputs
	var errs Errors
	walk := func(root string, visit func(p string)) {
		if symlinked(fsys, root) {
			warn(symlinkWarning(root))
			return
		}
		err := fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				if p == root && errorIsNotExist(err) {
					return fs.SkipDir
				}
				errs = append(errs, errorf(p, 0, "cannot read: %v; check its permissions", unwrapPathError(err)))
				return nil
			}
			if p != root && ignoredName(d.Name()) {
				if d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			if d.Type()&fs.ModeSymlink != 0 {
				warn(symlinkWarning(p))
				return nil
			}
			switch {
			case d.Type().IsRegular():
				visit(p)
			case !d.IsDir():
				warn(errorf(p, 0, "not an ordinary file (a named pipe, device or socket), so left out; replace it with an ordinary file"))
			}
			return nil
		})
		if err != nil && !errorIsNotExist(err) {
			errs = append(errs, errorf(root, 0, "cannot read: %v", unwrapPathError(err)))
		}
	}
	walk("content", func(p string) {
		if strings.EqualFold(path.Ext(p), ".md") {
			in.pages = append(in.pages, p)
		} else {
			in.assets = append(in.assets, p)
		}
	})
	walk("static", func(p string) { in.static = append(in.static, p) })
	return in, errs
}

// symlinked reports whether a top folder of the site (content, layouts,
// static) is a symbolic link, which is not followed: it could lead out of
// the site.
func symlinked(fsys fs.FS, dir string) bool {
	info, err := fs.Lstat(fsys, dir)
	return err == nil && info.Mode()&fs.ModeSymlink != 0
}

// symlinkWarning says that a symbolic link in the site was not followed.
func symlinkWarning(p string) *Error {
	e := errorf(p, 0, "symbolic link not followed; copy the file into the site instead")
	e.Rule = "symlink"
	return e
}

func errorIsNotExist(err error) bool {
	return errors.Is(err, fs.ErrNotExist)
}

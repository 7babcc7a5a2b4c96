package site

import (
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
)

// lockedFS refuses to open one file, as a file without read permission
// does for a normal user (root reads everything, so a chmod test cannot
// show it).
type lockedFS struct {
	fstest.MapFS
	locked string
}

func (l lockedFS) Open(name string) (fs.File, error) {
	if name == l.locked {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
	}
	return l.MapFS.Open(name)
}

func (l lockedFS) ReadFile(name string) ([]byte, error) {
	if name == l.locked {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
	}
	return l.MapFS.ReadFile(name)
}

func TestUnreadableFile(t *testing.T) {
	fsys, _ := siteFS(t, "testdata/sites/small.txtar")
	b, err := NewBuilder(Config{}, lockedFS{fsys, "content/privacy.md"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = b.Build(t.Context(), NewMemOutput())
	if err == nil || !strings.Contains(err.Error(), "content/privacy.md: cannot read: permission denied; check its permissions") {
		t.Errorf("got %v", err)
	}
}

package site

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// TestWriteNewFileAsOS holds writeNewFile to os.WriteFile with mode
// 0o644: the same bytes and permissions for a new file and for one
// written over (longer, then shorter), and the same kind of error where
// there is no folder, where the path is a folder and, on Linux, where it
// is a symbolic link (refused: the output never holds one).
func TestWriteNewFileAsOS(t *testing.T) {
	dir := t.TempDir()
	for _, data := range [][]byte{[]byte("<p>first, longer</p>"), []byte("<p>2</p>"), nil, bytes.Repeat([]byte("x"), 1<<20)} {
		a, b := filepath.Join(dir, "a.html"), filepath.Join(dir, "b.html")
		if err := writeNewFile(a, data); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(b, data, 0o644); err != nil {
			t.Fatal(err)
		}
		ga, _ := os.ReadFile(a)
		gb, _ := os.ReadFile(b)
		ia, _ := os.Stat(a)
		ib, _ := os.Stat(b)
		if !bytes.Equal(ga, gb) || ia.Mode() != ib.Mode() {
			t.Fatalf("writeNewFile wrote %d bytes, mode %v; os.WriteFile %d bytes, mode %v", len(ga), ia.Mode(), len(gb), ib.Mode())
		}
	}
	if err := writeNewFile(filepath.Join(dir, "missing", "x.html"), nil); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("into a missing folder: %v, want a not-exist error", err)
	}
	if err := writeNewFile(dir, nil); err == nil {
		t.Error("onto a folder: no error")
	}
	if runtime.GOOS != "linux" {
		return // elsewhere it is os.WriteFile
	}
	link := filepath.Join(dir, "link.html")
	if err := os.Symlink(filepath.Join(dir, "a.html"), link); err != nil {
		t.Fatal(err)
	}
	if err := writeNewFile(link, []byte("y")); err == nil {
		t.Error("wrote through a symbolic link")
	}
}

package watch

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func waitBatch(t *testing.T, w *Watcher) []Change {
	t.Helper()
	select {
	case b := <-w.Batches():
		return b
	case <-time.After(5 * time.Second):
		t.Fatal("no batch within 5s")
	}
	return nil
}

func noBatch(t *testing.T, w *Watcher, d time.Duration) {
	t.Helper()
	select {
	case b := <-w.Batches():
		t.Fatalf("unexpected batch %v", b)
	case <-time.After(d):
	}
}

func setup(t *testing.T, opts Options) (string, *Watcher) {
	t.Helper()
	root := t.TempDir()
	os.MkdirAll(filepath.Join(root, "content", "a"), 0o755)
	os.WriteFile(filepath.Join(root, "content", "a", "page.md"), []byte("x"), 0o644)
	if opts.Ignore == nil {
		opts.Ignore = editorFile
	}
	w, err := New(root, []string{"content", "layouts"}, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	return root, w
}

func TestAtomicSave(t *testing.T) {
	root, w := setup(t, Options{})
	// The way many editors save: write a temporary file, rename it over.
	tmp := filepath.Join(root, "content", "a", ".page.md.tmp123")
	os.WriteFile(tmp, []byte("new"), 0o644)
	os.Rename(tmp, filepath.Join(root, "content", "a", "page.md"))
	got := waitBatch(t, w)
	if !slices.Equal(got, []Change{{Path: "content/a/page.md"}}) {
		t.Errorf("got %v", got)
	}
}

func TestEditorFilesIgnored(t *testing.T) {
	root, w := setup(t, Options{})
	for _, n := range []string{".page.md.swp", "page.md~", "#page.md#", ".#page.md", "4913"} {
		os.WriteFile(filepath.Join(root, "content", "a", n), []byte("x"), 0o644)
	}
	noBatch(t, w, 200*time.Millisecond)
}

func TestBurstIsOneBatch(t *testing.T) {
	// A Quiet of 50ms, not 4ms: on a loaded machine the test's own writes
	// can be 4ms apart, and the first would go alone, as a one-file save.
	root, w := setup(t, Options{Quiet: 50 * time.Millisecond})
	for i := range 200 {
		os.WriteFile(filepath.Join(root, "content", "a", "p"+string(rune('a'+i%26))+".md"), []byte{byte(i)}, 0o644)
	}
	got := waitBatch(t, w)
	if len(got) != 26 {
		t.Errorf("got %d changes, want 26", len(got))
	}
	noBatch(t, w, 100*time.Millisecond)
}

func TestNewAndRemovedFolders(t *testing.T) {
	root, w := setup(t, Options{})
	os.MkdirAll(filepath.Join(root, "content", "new", "deeper"), 0o755)
	os.WriteFile(filepath.Join(root, "content", "new", "deeper", "x.md"), []byte("x"), 0o644)
	found := false
	for !found {
		for _, c := range waitBatch(t, w) {
			found = found || c == Change{Path: "content/new/deeper/x.md"}
		}
	}
	// The new folder is watched: a later edit in it arrives.
	os.WriteFile(filepath.Join(root, "content", "new", "deeper", "y.md"), []byte("y"), 0o644)
	if got := waitBatch(t, w); !slices.Contains(got, Change{Path: "content/new/deeper/y.md"}) {
		t.Errorf("edit in a new folder: %v", got)
	}
	os.RemoveAll(filepath.Join(root, "content", "new"))
	got := waitBatch(t, w)
	if !slices.Contains(got, Change{Path: "content/new", Removed: true}) && !slices.Contains(got, Change{Path: "content/new/deeper", Removed: true}) {
		t.Errorf("removal: %v", got)
	}
}

func TestPoll(t *testing.T) {
	root, w := setup(t, Options{Poll: 20 * time.Millisecond})
	os.WriteFile(filepath.Join(root, "content", "a", "page.md"), []byte("changed size"), 0o644)
	if got := waitBatch(t, w); !slices.Equal(got, []Change{{Path: "content/a/page.md"}}) {
		t.Errorf("got %v", got)
	}
	os.Remove(filepath.Join(root, "content", "a", "page.md"))
	if got := waitBatch(t, w); !slices.Equal(got, []Change{{Path: "content/a/page.md", Removed: true}}) {
		t.Errorf("got %v", got)
	}
}

// A renamed folder is still watched, under its new name, to any depth:
// fsnotify alone keeps reporting its files under the old name, then stops.
func TestRenamedFolderWatched(t *testing.T) {
	root, w := setup(t, Options{})
	os.MkdirAll(filepath.Join(root, "content", "a", "sub"), 0o755)
	os.WriteFile(filepath.Join(root, "content", "a", "sub", "deep.md"), []byte("x"), 0o644)
	waitBatch(t, w)
	if err := os.Rename(filepath.Join(root, "content", "a"), filepath.Join(root, "content", "b")); err != nil {
		t.Fatal(err)
	}
	waitBatch(t, w)
	for i, f := range []string{"content/b/page.md", "content/b/sub/deep.md", "content/b/page.md"} {
		os.WriteFile(filepath.Join(root, filepath.FromSlash(f)), []byte{byte('0' + i)}, 0o644)
		got := waitBatch(t, w)
		if !slices.Equal(got, []Change{{Path: f}}) {
			t.Errorf("a save in the renamed folder: got %v, want %s", got, f)
		}
	}
}

// editorFile stands in for the build's list of names it skips (the
// watcher is given site.IgnoredName; a leaf does not import site).
func editorFile(name string) bool {
	return strings.HasPrefix(name, ".") || strings.HasPrefix(name, "#") || strings.HasSuffix(name, "~") ||
		strings.HasSuffix(name, ".swp") || name == "4913"
}

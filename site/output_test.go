package site

import (
	"context"
	"crypto/sha256"
	"errors"
	"flag"
	"fmt"
	"hash/maphash"
	"io/fs"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

// smallSite is a site of a few pages; variant changes every page.
func smallSite(variant string) fstest.MapFS {
	page := func(title string) *fstest.MapFile {
		return &fstest.MapFile{Data: []byte("---\ntitle: " + title + "\n---\nText of " + variant + ".\n")}
	}
	return fstest.MapFS{
		"content/_index.md":          page("Home"),
		"content/a/_index.md":        page("A"),
		"content/a/b.md":             page("B"),
		"layouts/_default/list.html": {Data: []byte(`{{ .Title }}{{ .Content }}`)},
		"layouts/_default/page.html": {Data: []byte(`{{ .Title }}{{ .Content }}`)},
	}
}

// buildInto builds fsys into dest with the folder output, committed.
func buildInto(t testing.TB, fsys fs.FS, dest string, set func(*DirOutput)) error {
	t.Helper()
	out, err := NewDirOutput(dest, "/nonexistent-site-root")
	if err != nil {
		return err
	}
	if set != nil {
		set(out)
	}
	b, err := NewBuilder(Config{}, fsys)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Build(context.Background(), out); err != nil {
		out.Abort()
		return err
	}
	return out.Commit()
}

// dirHash summarises every file under dir: its path and content hash.
func dirHash(t testing.TB, dir string) string {
	t.Helper()
	var lines []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		lines = append(lines, fmt.Sprintf("%s %x", filepath.ToSlash(rel), sha256.Sum256(b)))
		return err
	})
	if err != nil {
		t.Fatalf("read %s: %v", dir, err)
	}
	slices.Sort(lines)
	return strings.Join(lines, "\n")
}

// beside lists what is in dir other than the names given.
func beside(t testing.TB, dir string, keep ...string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if !slices.Contains(keep, e.Name()) {
			out = append(out, e.Name())
		}
	}
	return out
}

// TestBuildLock: a second output into the same destination, while the
// first is open, is refused with ErrBusy; after the first commits, it
// goes ahead.
func TestBuildLock(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	first, err := NewDirOutput(dest, "/nonexistent-site-root")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := NewDirOutput(dest, "/nonexistent-site-root"); !errors.Is(err, ErrBusy) || !strings.Contains(err.Error(), "another build is writing there") {
		t.Fatalf("second output while the first is open: %v", err)
	}
	if err := first.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := buildInto(t, smallSite("x"), dest, nil); err != nil {
		t.Fatalf("build after the first committed: %v", err)
	}
	if l := beside(t, filepath.Dir(dest), "public"); len(l) > 0 {
		t.Errorf("left beside public: %v", l)
	}
}

// TestSymlinkDestination: a destination that is a symbolic link to an
// earlier output folder is refused, and the folder it points to keeps
// every file.
func TestSymlinkDestination(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "real")
	if err := buildInto(t, smallSite("x"), real, nil); err != nil {
		t.Fatal(err)
	}
	before := dirHash(t, real)
	dest := filepath.Join(dir, "public")
	os.Symlink(real, dest)
	err := buildInto(t, smallSite("y"), dest, nil)
	if err == nil || !strings.Contains(err.Error(), "is a symbolic link") {
		t.Errorf("build through a link: %v", err)
	}
	if dirHash(t, real) != before {
		t.Error("the folder the link points to changed")
	}
	if info, err := os.Lstat(dest); err != nil || info.Mode()&fs.ModeSymlink == 0 {
		t.Error("the link was replaced")
	}
}

// TestStaleFoldersRemoved: the next build removes the temporary and old
// folders that killed builds left, if they carry the marker (or are
// empty), and nothing else.
func TestStaleFoldersRemoved(t *testing.T) {
	dir := t.TempDir()
	dest := filepath.Join(dir, "public")
	mk := func(name string, files ...string) {
		os.MkdirAll(filepath.Join(dir, name, "sub"), 0o755)
		for _, f := range files {
			os.WriteFile(filepath.Join(dir, name, f), []byte("x"), 0o644)
		}
	}
	mk(".public.tmp-killed", MarkerFile, "index.html", "sub/index.html")
	mk(".public.old-halfgone", MarkerFile)
	mk(".public.tmp-notours", "precious.txt")
	os.Mkdir(filepath.Join(dir, ".public.tmp-empty"), 0o755)
	mk("elsewhere", MarkerFile, "index.html")
	os.Symlink(filepath.Join(dir, "elsewhere"), filepath.Join(dir, ".public.old-link"))
	if err := buildInto(t, smallSite("x"), dest, nil); err != nil {
		t.Fatal(err)
	}
	got := beside(t, dir, "public")
	want := []string{".public.old-link", ".public.tmp-notours", "elsewhere"}
	if !slices.Equal(got, want) {
		t.Errorf("left beside public: %v, want %v", got, want)
	}
	if _, err := os.Stat(filepath.Join(dir, "elsewhere", "index.html")); err != nil {
		t.Error("a link's target was emptied")
	}
}

// TestSwapByRenames: where the system cannot exchange two folders, the
// two renames give the same result.
func TestSwapByRenames(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	for _, v := range []string{"x", "y"} {
		if err := buildInto(t, smallSite(v), dest, func(o *DirOutput) { o.noExchange = true }); err != nil {
			t.Fatal(err)
		}
	}
	b, _ := os.ReadFile(filepath.Join(dest, "a/b/index.html"))
	if !strings.Contains(string(b), "Text of y.") {
		t.Errorf("second build not in place: %q", b)
	}
	if l := beside(t, filepath.Dir(dest), "public"); len(l) > 0 {
		t.Errorf("left beside public: %v", l)
	}
}

// TestDirOutputFolderGone: DirOutput remembers the folders it made by a
// hash of their paths. A folder it takes for made, as one whose hash
// another folder shares would be, is made when a write into it fails.
func TestDirOutputFolderGone(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	out, err := NewDirOutput(dest, "/nonexistent-site-root")
	if err != nil {
		t.Fatal(err)
	}
	defer out.Abort()
	if err := out.WriteFile("a/b/index.html", []byte("one")); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(filepath.Join(out.tmp, "a")); err != nil {
		t.Fatal(err)
	}
	if !out.made(filepath.Join(out.tmp, "a", "b")) {
		t.Fatal("the folder made is not remembered")
	}
	if err := out.WriteFile("a/b/other.css", []byte("two")); err != nil {
		t.Fatalf("writing into a folder taken for made: %v", err)
	}
	if got, err := os.ReadFile(filepath.Join(out.tmp, "a", "b", "other.css")); err != nil || string(got) != "two" {
		t.Fatalf("read back %q, %v", got, err)
	}
}

var pageSumSeed = flag.Uint64("pagesum-seed", 0, "replay TestPageSums with this seed")

// TestPageSums holds the packed record of the HTML files a DirOutput
// wrote, which Diff reads, to a map kept beside it: the same names and
// the hash of what was written last under each, on random writes of
// HTML and other files, some names written twice. Seeded; replay with
// -pagesum-seed.
func TestPageSums(t *testing.T) {
	seed := testSeed(t, *pageSumSeed, "pagesum-seed")
	rng := rand.New(rand.NewPCG(seed, 16))
	for round := range 20 {
		out, err := NewDirOutput(filepath.Join(t.TempDir(), "public"), "/nonexistent-site-root")
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]uint64{}
		for range rng.IntN(40) {
			name := fmt.Sprintf("s%d/p%d/index.html", rng.IntN(3), rng.IntN(8))
			switch rng.IntN(4) {
			case 0:
				name = strings.Repeat("long-", 30+rng.IntN(10)) + ".html"
			case 1:
				name = fmt.Sprintf("css/f%d.css", rng.IntN(3))
			}
			data := []byte(fmt.Sprint(rng.Uint64()))
			if err := out.WriteFile(name, data); err != nil {
				t.Fatal(err)
			}
			if strings.HasSuffix(name, ".html") {
				want[name] = maphash.Bytes(pageSeed, data)
			}
		}
		if got := out.pageSums(); !maps.Equal(got, want) {
			t.Fatalf("seed %d round %d: pageSums = %v, want %v", seed, round, got, want)
		}
		out.Abort()
	}
}

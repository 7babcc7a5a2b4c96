package site

import (
	"bytes"
	"flag"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
)

// TestReadFileMaxMatchesReadFile holds the size-limited reads to
// os.ReadFile, the oracle: over random limits and files of random sizes
// around them, a file of at most max bytes reads the same bytes, and a
// larger one fails with a *tooLargeError, through the build's folder
// cache (its own system calls on Linux, and the root for a linked file),
// through os.DirFS and fstest.MapFS, and through a file system whose
// sizes are wrong (a file that grows while it is read, or one whose size
// the system does not know). -readmax-seed replays a seed.
func TestReadFileMaxMatchesReadFile(t *testing.T) {
	seed := testSeed(t, *readMaxSeed, "readmax-seed")
	rng := rand.New(rand.NewPCG(seed, 2))
	dir := t.TempDir()
	c := openDirCache(t, dir)
	for i := range 300 {
		max := int64(rng.IntN(3000))
		size := int(max) + rng.IntN(5) - 2
		switch rng.IntN(4) {
		case 0:
			size = rng.IntN(int(2*max) + 2)
		case 1:
			size = 0
		}
		if size < 0 {
			size = 0
		}
		data := make([]byte, size)
		for j := range data {
			data[j] = byte(rng.IntN(256))
		}
		name := "f" + strconv.Itoa(i)
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
		link := name + ".link"
		if err := os.Symlink(name, filepath.Join(dir, link)); err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		readers := map[string]func() ([]byte, error){
			"DirCacheFS":        func() ([]byte, error) { return c.ReadFileMax(name, max) },
			"DirCacheFS, link":  func() ([]byte, error) { return c.ReadFileMax(link, max) },
			"os.DirFS":          func() ([]byte, error) { return readFileMax(os.DirFS(dir), name, max) },
			"MapFS":             func() ([]byte, error) { return readFileMax(fstest.MapFS{name: {Data: want}}, name, max) },
			"sizes wrong (0)":   func() ([]byte, error) { return readFileMax(wrongSizeFS{os.DirFS(dir), 0}, name, max) },
			"sizes wrong (big)": func() ([]byte, error) { return readFileMax(wrongSizeFS{os.DirFS(dir), -1}, name, max) },
		}
		for how, read := range readers {
			got, err := read()
			switch {
			case int64(len(want)) > max && !isTooLarge(err):
				t.Fatalf("seed %d, file %d (%d bytes, max %d), %s: %d bytes, %v; want a too-large error", seed, i, len(want), max, how, len(got), err)
			case int64(len(want)) <= max && (err != nil || !bytes.Equal(got, want)):
				t.Fatalf("seed %d, file %d (%d bytes, max %d), %s: %d bytes, %v; want the file", seed, i, len(want), max, how, len(got), err)
			}
		}
	}
}

var readMaxSeed = flag.Uint64("readmax-seed", 0, "replay TestReadFileMaxMatchesReadFile with this seed")

// openDirCache opens the folder dir as the commands open a site, until
// the test ends.
func openDirCache(t *testing.T, dir string) *DirCacheFS {
	t.Helper()
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	c := NewDirCacheFS(root)
	t.Cleanup(func() {
		c.Close()
		root.Close()
	})
	return c
}

// wrongSizeFS gives every file the size size, or its own size less one
// when size is -1: as a file that grows while the build reads it.
type wrongSizeFS struct {
	fs.FS
	size int64
}

func (w wrongSizeFS) Open(name string) (fs.File, error) {
	f, err := w.FS.Open(name)
	if err != nil {
		return nil, err
	}
	return wrongSizeFile{f, w.size}, nil
}

type wrongSizeFile struct {
	fs.File
	size int64
}

func (w wrongSizeFile) Stat() (fs.FileInfo, error) {
	info, err := w.File.Stat()
	if err != nil {
		return nil, err
	}
	size := w.size
	if size < 0 {
		size = max(info.Size()-1, 0)
	}
	return sizedInfo{info, size}, nil
}

type sizedInfo struct {
	fs.FileInfo
	size int64
}

func (s sizedInfo) Size() int64 { return s.size }

// TestBuildRefusesLargeFiles: a page or layout past 64 MB, or a static
// file past 100 MB, stops the build with an error that names the file
// and says what to do, before it is read (a 100 MB page took 1.4 GB).
// The files are sparse, so the test writes no data.
func TestBuildRefusesLargeFiles(t *testing.T) {
	for _, tc := range []struct {
		file string
		size int64
		want string
	}{
		{"content/huge.md", maxTextFile + 1, "content/huge.md: the file is more than 64 MB, the most a build reads; split the page into smaller pages"},
		{"content/HUGE.MD", maxTextFile + 1, "content/HUGE.MD: the file is more than 64 MB, the most a build reads; split the page into smaller pages"},
		{"layouts/partials/huge.html", maxTextFile + 1, "layouts/partials/huge.html: the file is more than 64 MB, the most a build reads; make it smaller"},
		{"static/video.mp4", maxCopiedFile + 1, "static/video.mp4: the file is more than 100 MB, the most a build reads; publish a file this large somewhere else and link to it"},
		{"content/faqs/report.pdf", maxCopiedFile + 1, "content/faqs/report.pdf: the file is more than 100 MB"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			_, err := buildOnDisk(t, "testdata/sites/small.txtar", func(dir string) {
				big := filepath.Join(dir, filepath.FromSlash(tc.file))
				os.MkdirAll(filepath.Dir(big), 0o755)
				if err := os.WriteFile(big, nil, 0o644); err != nil {
					t.Fatal(err)
				}
				if err := os.Truncate(big, tc.size); err != nil {
					t.Fatal(err)
				}
			})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v\nwant %s", err, tc.want)
			}
		})
	}
}

// buildOnDisk builds the test site in the txtar file, written to a
// folder and changed there by edit, as the commands read a site: through
// a DirCacheFS.
func buildOnDisk(t *testing.T, txtar string, edit func(dir string)) (*Result, error) {
	t.Helper()
	fsys, _ := siteFS(t, txtar)
	dir := t.TempDir()
	if err := os.CopyFS(dir, fsys); err != nil {
		t.Fatal(err)
	}
	edit(dir)
	b, err := NewBuilder(Config{}, openDirCache(t, dir))
	if err != nil {
		t.Fatal(err)
	}
	return b.Build(t.Context(), NewMemOutput())
}

// TestByteSize: sizes are written as a person reads them.
func TestByteSize(t *testing.T) {
	for n, want := range map[int64]string{64 << 20: "64 MB", 100 << 20: "100 MB", 1000: "1000 bytes"} {
		if got := byteSize(n); got != want {
			t.Errorf("byteSize(%d) = %q, want %q", n, got, want)
		}
	}
}

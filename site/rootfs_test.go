package site

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
)

// TestDirCacheFSReadsAsRoot holds DirCacheFS to os.Root.FS, the oracle:
// on random trees of folders, files and symbolic links (within a folder,
// to another folder of the site, out of the site, to folders, dangling),
// every name reads the same bytes, or fails in both. The seed is printed;
// CHARTER_ROOTFS_SEED replays one.
func TestDirCacheFSReadsAsRoot(t *testing.T) {
	seed := uint64(rand.Int64())
	if s := os.Getenv("CHARTER_ROOTFS_SEED"); s != "" {
		seed, _ = strconv.ParseUint(s, 10, 64)
	}
	t.Logf("seed %d (CHARTER_ROOTFS_SEED replays it)", seed)
	rng := rand.New(rand.NewPCG(seed, 1))
	for round := range 5 {
		base := t.TempDir()
		outside := filepath.Join(base, "outside.md")
		os.WriteFile(outside, []byte("secret"), 0o644)
		siteDir := filepath.Join(base, "site")
		names := randomTree(t, rng, siteDir, outside)
		root, err := os.OpenRoot(siteDir)
		if err != nil {
			t.Fatal(err)
		}
		c := NewDirCacheFS(root)
		c.max = 1 + round // few folders kept: reads evict them
		oracle := root.FS()
		// Twice over, so the second pass reads through the kept folders.
		for range 2 {
			for _, n := range names {
				want, werr := fs.ReadFile(oracle, n)
				got, gerr := fs.ReadFile(c, n)
				if (werr == nil) != (gerr == nil) || !bytes.Equal(got, want) {
					t.Fatalf("round %d, %q: read %q, %v; os.Root read %q, %v", round, n, got, gerr, want, werr)
				}
				if werr != nil && errors.Is(werr, fs.ErrNotExist) != errors.Is(gerr, fs.ErrNotExist) {
					t.Fatalf("round %d, %q: error %v; os.Root's %v", round, n, gerr, werr)
				}
			}
		}
		// Many readers at once, evicting each other's folders: no read
		// may fail for a folder closed under it.
		var wg sync.WaitGroup
		var failed atomic.Int32
		for g := range 8 {
			wg.Go(func() {
				for i := range 200 {
					n := names[(g*31+i*7)%len(names)]
					want, werr := fs.ReadFile(oracle, n)
					got, gerr := fs.ReadFile(c, n)
					if (werr == nil) != (gerr == nil) || !bytes.Equal(got, want) {
						failed.Add(1)
					}
				}
			})
		}
		wg.Wait()
		if n := failed.Load(); n > 0 {
			t.Fatalf("round %d: %d concurrent reads differed from os.Root's", round, n)
		}
		c.Close()
		if len(c.dirs) != 0 || c.used.Len() != 0 {
			t.Fatalf("round %d: %d folders still open after Close", round, len(c.dirs))
		}
		root.Close()
	}
}

// randomTree writes a random site under dir and returns names to read:
// every file, folder and link made, names that are not there, and names
// that are not valid.
func randomTree(t *testing.T, rng *rand.Rand, dir, outside string) []string {
	t.Helper()
	folders := []string{"."}
	names := []string{".", "", "/content/a.md", "content/../content/a.md", "content//a.md", "../outside.md", "content/./a.md"}
	for i := range 12 {
		parent := folders[rng.IntN(len(folders))]
		f := filepath.ToSlash(filepath.Join(parent, fmt.Sprintf("d%d", i)))
		if err := os.MkdirAll(filepath.Join(dir, f), 0o755); err != nil {
			t.Fatal(err)
		}
		folders = append(folders, f)
		names = append(names, f)
	}
	var files []string
	for i := range 30 {
		f := filepath.ToSlash(filepath.Join(folders[rng.IntN(len(folders))], fmt.Sprintf("f%d.md", i)))
		os.WriteFile(filepath.Join(dir, f), []byte(fmt.Sprintf("file %d", i)), 0o644)
		files = append(files, f)
		names = append(names, f, f+"x", f+"/x")
	}
	for i := range 20 {
		at := folders[rng.IntN(len(folders))]
		link := filepath.ToSlash(filepath.Join(at, fmt.Sprintf("l%d.md", i)))
		var target string
		switch rng.IntN(5) {
		case 0: // a file of the same folder, or of another
			rel, _ := filepath.Rel(filepath.Join(dir, at), filepath.Join(dir, files[rng.IntN(len(files))]))
			target = rel
		case 1: // out of the site
			target = outside
		case 2: // up and out, relatively
			rel, _ := filepath.Rel(filepath.Join(dir, at), outside)
			target = rel
		case 3: // a folder
			rel, _ := filepath.Rel(filepath.Join(dir, at), filepath.Join(dir, folders[rng.IntN(len(folders))]))
			target = rel
		default: // nothing
			target = "missing.md"
		}
		if err := os.Symlink(target, filepath.Join(dir, link)); err != nil {
			t.Fatal(err)
		}
		names = append(names, link, link+"/f1.md")
	}
	return names
}

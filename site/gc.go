package site

import (
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
)

// TuneGC trades memory for speed: the collector runs less often, and the
// soft memory limit (in bytes) keeps the heap under the ceiling the
// command needs (see MemoryLimit). GOGC and GOMEMLIMIT in the
// environment, when set, win over these.
func TuneGC(limit int64) {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(limit)
	}
}

// MemoryLimit is the soft memory limit for a build that writes each page
// and lets it go (`charter build`), of a site of the given number of
// content files.
func MemoryLimit(files int) int64 {
	return max(180<<20, int64(files)*6<<10)
}

// ContentFiles counts the files under the content folder of the site
// whose root is the folder root.
func ContentFiles(root string) (int, error) {
	n := 0
	err := filepath.WalkDir(filepath.Join(root, "content"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			n++
		}
		return nil
	})
	return n, err
}

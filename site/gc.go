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
// content files. It is sized from what such builds were measured to hold
// (generated sites of 1,100 words a page; what a page holds does not
// depend on its length): at the end of a build, the heap still in use is
// about 31 MiB at 10,000 pages and 280 MiB at 100,000, and the sitemap
// and search index made then add about half a KiB a page, so about
// 3.25 KiB a file. The limit grows by that much a file, so that the
// collector keeps the same room to allocate between cycles at any size.
// At 10,000 files it is about 177 MiB: the command stays under 200 MiB
// (without a limit it reaches 206 MiB) and collects one or two times
// more than without one, of about 28. At 100,000 it is about 470 MiB, and
// the command stays under 500 MiB (without one, the collector's target
// alone, five times the heap in use, would let the heap pass 1 GiB).
func MemoryLimit(files int) int64 {
	return limitBase + int64(files)*limitPerFile
}

const (
	limitBase    = 145 << 20
	limitPerFile = 3328 // 3.25 KiB
)

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

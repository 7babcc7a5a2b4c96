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
// content files. It is sized from what such builds hold, measured on
// generated sites of 1,100 words a page (what a page holds does not
// depend on its length): the heap still in use at the end of a build is
// about 35 MiB at 10,000 pages and 300 MiB at 100,000, so about 3.2 KiB
// a file. The limit grows by that much a file, so that the collector
// keeps the same room to allocate between cycles at any size: at 10,000
// files the limit (about 177 MiB) is above the heap the collector's
// target lets grow anyway, so it costs nothing, and the command stays
// under 200 MiB; at 100,000 it is about 470 MiB, and the command under
// 500 MiB.
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

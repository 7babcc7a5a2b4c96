package site

import (
	"io/fs"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
)

// editedFS serves one file's second and later reads with new text, as
// if an editor saved it while the build was running.
type editedFS struct {
	fstest.MapFS
	file  string
	after []byte

	mu    sync.Mutex
	reads int
}

func (e *editedFS) ReadFile(name string) ([]byte, error) {
	if name == e.file {
		e.mu.Lock()
		e.reads++
		n := e.reads
		e.mu.Unlock()
		if n > 1 {
			return e.after, nil
		}
	}
	return e.MapFS.ReadFile(name)
}

// TestBodyChangedDuringBuild: a one-off build reads a page's body again
// when it renders; if the file changed since its front matter was read,
// the build stops with an error naming the file instead of mixing the two.
func TestBodyChangedDuringBuild(t *testing.T) {
	fsys, _ := siteFS(t, "testdata/sites/small.txtar")
	const file = "content/privacy.md"
	orig := fsys[file].Data
	ed := &editedFS{MapFS: fsys, file: file, after: append([]byte(strings.Replace(string(orig), "title:", "title: Edited", 1)), "\nNew text.\n"...)}
	_, _, err := build(t, ed, Config{})
	if err == nil || !strings.Contains(err.Error(), file+": the file changed while the site was being built; build again") {
		t.Errorf("got %v", err)
	}
	if ed.reads != 2 {
		t.Errorf("%s read %d times, want 2", file, ed.reads)
	}
	// The same bytes, read again, build as if read once; the preview,
	// which keeps bodies, reads once.
	for _, cfg := range []Config{{}, {Serve: true}, {KeepGoing: true}} {
		same := &editedFS{MapFS: fsys, file: file, after: orig}
		if _, _, err := build(t, same, cfg); err != nil {
			t.Errorf("%+v: %v", cfg, err)
		}
		if want := map[bool]int{true: 1, false: 2}[cfg.Serve]; same.reads != want {
			t.Errorf("%+v: %s read %d times, want %d", cfg, file, same.reads, want)
		}
	}
}

// TestOneOffBuildDropsBodies: after the first read, a one-off build (check's
// too) holds front matter only; the preview keeps each body.
func TestOneOffBuildDropsBodies(t *testing.T) {
	fsys, _ := siteFS(t, "testdata/sites/small.txtar")
	var files []string
	fs.WalkDir(fsys, "content", func(p string, d fs.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".md") {
			files = append(files, p)
		}
		return nil
	})
	for _, cfg := range []Config{{}, {Serve: true}, {KeepGoing: true}} {
		b, err := NewBuilder(cfg, fsys)
		if err != nil {
			t.Fatal(err)
		}
		parsed, errs := b.parseAll(t.Context(), files)
		if len(errs) > 0 || len(parsed) == 0 {
			t.Fatalf("parse: %v", errs)
		}
		keep := cfg.Serve
		for _, l := range parsed {
			if held := l.src.body != nil; held != keep {
				t.Errorf("%+v: %s body held %v, want %v", cfg, l.file, held, keep)
			}
			body, rerr := readBody(fsys, l.file, l.src)
			if rerr != nil || !strings.HasSuffix(string(fsys[l.file].Data), string(body)) || len(body) == 0 {
				t.Errorf("%+v: %s body read again as %q, %v", cfg, l.file, body, rerr)
			}
		}
	}
}

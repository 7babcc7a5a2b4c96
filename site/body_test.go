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
	if !ChangedDuringBuild(err) {
		t.Errorf("ChangedDuringBuild(%v) is false", err)
	}
	if ChangedDuringBuild(Errors{errorf(file, 0, "other")}) || ChangedDuringBuild(nil) {
		t.Error("ChangedDuringBuild is true of another error")
	}
	if ed.reads != 2 {
		t.Errorf("%s read %d times, want 2", file, ed.reads)
	}
	// The same bytes, read again, build as if read once, in every kind
	// of build: none keeps the bodies.
	for _, cfg := range []Config{{}, {Serve: true}, {KeepGoing: true}} {
		same := &editedFS{MapFS: fsys, file: file, after: orig}
		if _, _, err := build(t, same, cfg); err != nil {
			t.Errorf("%+v: %v", cfg, err)
		}
		if want := 2; same.reads != want {
			t.Errorf("%+v: %s read %d times, want %d", cfg, file, same.reads, want)
		}
	}
}

// TestOneOffBuildDropsBodies: after the first read, every build holds
// front matter only, not the body; the preview keeps the front matter's
// text, to tell a body edit from a change of the tree.
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
		for _, l := range parsed {
			if l.src.body != nil {
				t.Errorf("%+v: %s body held", cfg, l.file)
			}
			if kept := l.src.fmText != ""; kept != cfg.Serve {
				t.Errorf("%+v: %s front matter text kept %v, want %v", cfg, l.file, kept, cfg.Serve)
			}
			body, rerr := readBody(fsys, l.file, l.src)
			if rerr != nil || !strings.HasSuffix(string(fsys[l.file].Data), string(body)) || len(body) == 0 {
				t.Errorf("%+v: %s body read again as %q, %v", cfg, l.file, body, rerr)
			}
		}
	}
}

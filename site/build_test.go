package site

import (
	"bytes"
	"context"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"golang.org/x/tools/txtar"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// siteFS reads a txtar archive of a site into a MapFS. Sections other than
// input files (such as "want") are returned apart.
func siteFS(t *testing.T, file string) (fstest.MapFS, map[string]string) {
	t.Helper()
	ar, err := txtar.ParseFile(file)
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{}
	other := map[string]string{}
	for _, f := range ar.Files {
		if strings.Contains(f.Name, "/") {
			fsys[f.Name] = &fstest.MapFile{Data: f.Data, Mode: 0o644}
		} else {
			other[f.Name] = string(f.Data)
		}
	}
	return fsys, other
}

// build builds fsys into memory.
func build(t *testing.T, fsys fs.FS, cfg Config) (*MemOutput, *Result, error) {
	t.Helper()
	b, err := NewBuilder(cfg, fsys)
	if err != nil {
		t.Fatal(err)
	}
	out := NewMemOutput()
	res, err := b.Build(context.Background(), out)
	return out, res, err
}

func mustBuild(t *testing.T, fsys fs.FS, cfg Config) (*MemOutput, *Result) {
	t.Helper()
	out, res, err := build(t, fsys, cfg)
	if err != nil {
		t.Fatalf("build failed:\n%v", err)
	}
	return out, res
}

// archive renders output files as one txtar text, sorted by name.
func archive(files map[string][]byte) []byte {
	ar := &txtar.Archive{}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		data := files[n]
		if len(data) > 0 && data[len(data)-1] != '\n' {
			data = append(slices.Clone(data), '\n')
		}
		ar.Files = append(ar.Files, txtar.File{Name: n, Data: data})
	}
	return txtar.Format(ar)
}

// golden compares got with a golden file, or rewrites it with -update.
func golden(t *testing.T, file string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (run go test ./site -run %s -update to create it)", err, t.Name())
	}
	if !bytes.Equal(got, want) {
		gotAr, wantAr := txtar.Parse(got), txtar.Parse(want)
		wantFiles := map[string]string{}
		for _, f := range wantAr.Files {
			wantFiles[f.Name] = string(f.Data)
		}
		for _, f := range gotAr.Files {
			w, ok := wantFiles[f.Name]
			if !ok {
				t.Errorf("%s: unexpected output file %s", file, f.Name)
			} else if w != string(f.Data) {
				t.Errorf("%s: %s differs\n--- got\n%s\n--- want\n%s", file, f.Name, f.Data, w)
			}
			delete(wantFiles, f.Name)
		}
		for n := range wantFiles {
			t.Errorf("%s: missing output file %s", file, n)
		}
		t.Log("run with -update if the change is intended")
	}
}

// TestGolden builds each site in testdata/sites and compares the output
// with testdata/golden: readable at the root, and minified under a
// sub-path.
func TestGolden(t *testing.T) {
	files, _ := filepath.Glob("testdata/sites/*.txtar")
	if len(files) == 0 {
		t.Fatal("no test sites")
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".txtar")
		t.Run(name, func(t *testing.T) {
			fsys, _ := siteFS(t, file)
			out, _ := mustBuild(t, fsys, Config{})
			golden(t, filepath.Join("testdata/golden", name+".txtar"), archive(out.Files()))
			out, _ = mustBuild(t, fsys, Config{BaseURL: "https://example.org/rights/", Minify: true, Fingerprint: true})
			golden(t, filepath.Join("testdata/golden", name+".rights-min.txtar"), archive(out.Files()))
		})
	}
}

// TestErrors builds each broken site in testdata/errors and compares the
// error report with the archive's "want" section.
func TestErrors(t *testing.T) {
	files, _ := filepath.Glob("testdata/errors/*.txtar")
	if len(files) == 0 {
		t.Fatal("no broken sites")
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			fsys, other := siteFS(t, file)
			want, ok := other["want"]
			if !ok {
				t.Fatalf("%s has no want section", file)
			}
			// A site that runs out of time says how long it may take.
			var timeout time.Duration
			if d, ok := other["timeout"]; ok {
				var err error
				if timeout, err = time.ParseDuration(strings.TrimSpace(d)); err != nil {
					t.Fatal(err)
				}
			}
			// A minified build runs minified layouts, but its errors
			// name the lines as written.
			for _, minify := range []bool{false, true} {
				_, _, err := build(t, fsys, Config{Minify: minify, Timeout: timeout})
				if *update && err != nil && !minify {
					rewriteWant(t, file, err.Error())
					return
				}
				if err == nil {
					t.Fatalf("build (minify %v) succeeded; want errors:\n%s", minify, want)
				}
				if got := err.Error(); strings.TrimSpace(got) != strings.TrimSpace(want) {
					t.Errorf("errors differ (minify %v)\n--- got\n%s\n--- want\n%s", minify, got, want)
				}
			}
		})
	}
}

// rewriteWant replaces the want section of a txtar archive.
func rewriteWant(t *testing.T, file, want string) {
	t.Helper()
	ar, err := txtar.ParseFile(file)
	if err != nil {
		t.Fatal(err)
	}
	for i := range ar.Files {
		if ar.Files[i].Name == "want" {
			ar.Files[i].Data = []byte(want + "\n")
		}
	}
	if err := os.WriteFile(file, txtar.Format(ar), 0o644); err != nil {
		t.Fatal(err)
	}
}

// An IndexOnly build writes the very search index a full build writes,
// and nothing else.
func TestIndexOnlyBuild(t *testing.T) {
	fsys := os.DirFS("..")
	index := func() Indexer { return &textIndexer{files: map[string][]byte{}} }
	files := func(cfg Config) map[string][]byte {
		out, _ := mustBuild(t, fsys, cfg)
		return out.Files()
	}
	full := files(Config{Minify: true, Fingerprint: true, Index: index})
	only := files(Config{Index: index, IndexOnly: true})
	n := 0
	for name, data := range full {
		if !strings.HasPrefix(name, "search/") || !strings.HasSuffix(name, ".txt") {
			continue
		}
		n++
		if string(only[name]) != string(data) {
			t.Errorf("%s differs:\n%s\n---\n%s", name, only[name], data)
		}
	}
	if n < 40 || len(only) != n {
		t.Errorf("full build indexed %d pages; the index-only build wrote %d files", n, len(only))
	}
}

// textIndexer is an Indexer that writes each page's search text to a file
// of its own.
type textIndexer struct {
	mu    sync.Mutex
	files map[string][]byte
}

func (x *textIndexer) Add(d SearchDoc) {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.files["search/"+strings.Trim(d.URL, "/")+".txt"] = []byte(d.Title + "\n" + d.Section + "\n" + strings.Join(d.Headings, "|") + "\n" + d.Text)
}

func (x *textIndexer) Files() (map[string][]byte, error) { return x.files, nil }

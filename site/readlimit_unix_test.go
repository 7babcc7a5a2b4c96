//go:build unix

package site

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestNamedPipesAreErrors: a named pipe where the build reads a layout
// or a language's table is an error naming it. Opening one waited for a
// writer for ever, and not even Ctrl-C stopped the build.
func TestNamedPipesAreErrors(t *testing.T) {
	for _, file := range []string{"layouts/i18n/cy.toml", "layouts/partials/pipe.html"} {
		t.Run(file, func(t *testing.T) {
			done := make(chan error, 1)
			go func() {
				_, err := buildOnDisk(t, "testdata/sites/bilingual.txtar", func(dir string) {
					pipe := filepath.Join(dir, filepath.FromSlash(file))
					os.MkdirAll(filepath.Dir(pipe), 0o755)
					os.Remove(pipe)
					if err := syscall.Mkfifo(pipe, 0o644); err != nil {
						t.Error(err)
					}
				})
				done <- err
			}()
			select {
			case err := <-done:
				want := file + ": cannot read: it is not an ordinary file (a named pipe, device or folder); replace it with one"
				if err == nil || !strings.Contains(err.Error(), want) {
					t.Errorf("got %v\nwant %s", err, want)
				}
			case <-time.After(20 * time.Second):
				t.Fatal("the build still waits on the named pipe after 20 s")
			}
		})
	}
}

// TestSpecialFilesWarned: a named pipe in content/ or static/ is left
// out with a warning that names it; it was left out without one.
func TestSpecialFilesWarned(t *testing.T) {
	res, err := buildOnDisk(t, "testdata/sites/small.txtar", func(dir string) {
		for _, f := range []string{"content/pipe.md", "static/pipe.txt"} {
			if err := syscall.Mkfifo(filepath.Join(dir, filepath.FromSlash(f)), 0o644); err != nil {
				t.Skip(err)
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"content/pipe.md", "static/pipe.txt"} {
		want := f + ": not an ordinary file (a named pipe, device or socket), so left out; replace it with an ordinary file"
		if !strings.Contains(res.Warnings.Error(), want) {
			t.Errorf("warnings %v\nwant %s", res.Warnings, want)
		}
	}
}

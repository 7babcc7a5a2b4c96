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
				done <- buildOnDisk(t, "testdata/sites/bilingual.txtar", func(dir string) {
					pipe := filepath.Join(dir, filepath.FromSlash(file))
					os.MkdirAll(filepath.Dir(pipe), 0o755)
					os.Remove(pipe)
					if err := syscall.Mkfifo(pipe, 0o644); err != nil {
						t.Error(err)
					}
				})
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

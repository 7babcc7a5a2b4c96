package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestServeNeverReadsOutsideTheSite: a page saved as a symbolic link to a
// file outside the site, while the preview runs, is never served.
func TestServeNeverReadsOutsideTheSite(t *testing.T) {
	p := startPreview(t)
	secret := filepath.Join(t.TempDir(), "leak.md")
	os.WriteFile(secret, []byte("---\ntitle: Leak\n---\nSECRET_TOKEN=s3cr3t-value\n"), 0o644)
	if err := os.Symlink(secret, filepath.Join(p.dir, "content", "leak.md")); err != nil {
		t.Fatal(err)
	}
	p.stderr.waitFor(t, regexp.MustCompile(`content/leak\.md: cannot read`))
	if _, body := p.get("/leak/"); strings.Contains(body, "s3cr3t-value") {
		t.Error("a file outside the site was served")
	}
}

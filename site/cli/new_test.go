package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// charter new refuses a name the build would skip: the page would never
// be published and the address it prints would not be found.
func TestNewRefusesIgnoredNames(t *testing.T) {
	dir := writeSite(t, "small")
	for _, c := range []struct{ arg, name string }{
		{".hidden.md", ".hidden.md"},
		{"faqs/.draft.md", ".draft.md"},
		{".drafts/page.md", ".drafts"},
		{"#page.md", "#page.md"},
		{"notes~/", "notes~"},
		{"old.bak/page.md", "old.bak"},
		{"content/.secret/", ".secret"},
	} {
		code, stdout, stderr := runCmd(t, context.Background(), "new", "--source", dir, c.arg)
		if code != 2 || stdout != "" || !strings.Contains(stderr, "the build skips \""+c.name+"\"") || !strings.Contains(stderr, "choose a name") {
			t.Errorf("new %s: exit %d\nstdout: %s\nstderr: %s", c.arg, code, stdout, stderr)
		}
	}
	var made []string
	filepath.WalkDir(filepath.Join(dir, "content"), func(p string, d os.DirEntry, err error) error {
		if err == nil && p != filepath.Join(dir, "content") && (strings.ContainsAny(d.Name()[:1], ".#") || strings.HasSuffix(p, "~") || strings.HasSuffix(p, ".bak")) {
			made = append(made, p)
		}
		return nil
	})
	if len(made) > 0 {
		t.Errorf("created %v", made)
	}
	// A name with a dot inside is fine.
	if code, _, stderr := runCmd(t, context.Background(), "new", "--source", dir, "faqs/v2.0-notes.md"); code != 0 {
		t.Errorf("new faqs/v2.0-notes.md: %s", stderr)
	}
}

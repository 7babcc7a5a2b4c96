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

// charter new takes an absolute path, or one with .., only when it ends
// up inside the site's content folder; any other is refused, naming the
// path and what to write instead, and nothing is created. Before,
// "/tmp/abs.md" made content/tmp/abs.md.
func TestNewPathOutsideContent(t *testing.T) {
	dir := writeSite(t, "small")
	content := filepath.Join(dir, "content")
	for _, arg := range []string{
		filepath.Join(t.TempDir(), "abs.md"), "/tmp/abs.md", "../abs.md", "faqs/../../abs.md",
		filepath.Join(dir, "abs.md"), dir + "/content/../layouts/abs.md", "content/../abs.md",
	} {
		code, stdout, stderr := runCmd(t, context.Background(), "new", "--source", dir, arg)
		if code != 2 || stdout != "" || !strings.Contains(stderr, arg) || !strings.Contains(stderr, "outside content/") || !strings.Contains(stderr, "such as faqs/abs.md") {
			t.Errorf("new %s: exit %d\nstdout: %s\nstderr: %s", arg, code, stdout, stderr)
		}
	}
	for _, p := range []string{filepath.Join(dir, "abs.md"), filepath.Join(content, "tmp", "abs.md"), filepath.Join(dir, "layouts", "abs.md"), filepath.Join(content, "abs.md")} {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("created %s", p)
		}
	}
	link := filepath.Join(t.TempDir(), "site-link")
	if err := os.Symlink(dir, link); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ arg, made string }{
		{filepath.Join(content, "faqs", "in-abs.md"), "content/faqs/in-abs.md"},
		{filepath.Join(link, "content", "faqs", "via-link.md"), "content/faqs/via-link.md"},
		{filepath.Join(link, "content", "new-folder", "deep.md"), "content/new-folder/deep.md"},
		{"faqs/../in-dots.md", "content/in-dots.md"},
		{dir + "/content/faqs/../sec/", "content/sec/_index.md"},
		{"content/faqs/../in-content-dots.md", "content/in-content-dots.md"},
	} {
		code, stdout, stderr := runCmd(t, context.Background(), "new", "--source", dir, c.arg)
		if code != 0 || !strings.Contains(stdout, "Created "+c.made) {
			t.Errorf("new %s: exit %d\nstdout: %s\nstderr: %s", c.arg, code, stdout, stderr)
		}
		if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(c.made))); err != nil {
			t.Errorf("new %s: %v", c.arg, err)
		}
	}
}

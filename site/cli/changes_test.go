package cli

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCheckChangeNote: check warns, at the line of lastmod, about a page
// whose lastmod is newer than its newest change note; the small test site
// has a page whose notes cover its lastmod, and gets no such warning.
func TestCheckChangeNote(t *testing.T) {
	dir := writeSite(t, "small")
	findings := func() []map[string]any {
		t.Helper()
		_, stdout, stderr := runCmd(t, context.Background(), "check", "--source", dir, "--format", "json")
		var fs []map[string]any
		if err := json.Unmarshal([]byte(stdout), &fs); err != nil {
			t.Fatalf("check --format json: %v\n%s%s", err, stdout, stderr)
		}
		var out []map[string]any
		for _, f := range fs {
			if f["rule"] == "change-note-missing" {
				out = append(out, f)
			}
		}
		return out
	}
	if fs := findings(); len(fs) != 0 {
		t.Fatalf("the small site's notes cover its lastmod dates, but check says %v", fs)
	}
	page := filepath.Join(dir, "content", "data-sharing", "_index.md")
	b, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(page, []byte(strings.Replace(string(b), "lastmod: 2003-11-24", "lastmod: 2003-12-02", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	fs := findings()
	if len(fs) != 1 {
		t.Fatalf("findings %v, want one change-note-missing warning", fs)
	}
	f := fs[0]
	if f["file"] != "content/data-sharing/_index.md" || f["line"] != float64(4) || f["severity"] != "warning" ||
		!strings.Contains(f["message"].(string), "2003-12-02") || !strings.Contains(f["message"].(string), "24 November 2003") {
		t.Errorf("finding %v", f)
	}
}

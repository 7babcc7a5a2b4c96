package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// endless is a home layout that would run for hours, writing nothing.
const endless = "<!DOCTYPE html>\n<html lang=\"en\"><body>\n{{ range 1000000000000 }}{{ end }}\n</body></html>\n"

// TestTimeoutFlag: a layout that never ends fails the build at the
// --timeout budget, names the layout and the page, and leaves public/
// as it was; the same flag bounds check and is a usage error when not
// a positive duration.
func TestTimeoutFlag(t *testing.T) {
	dir := writeSite(t, "small")
	if code, _, stderr := runCmd(t, context.Background(), "--source", dir); code != 0 {
		t.Fatal(stderr)
	}
	before := treeHash(t, filepath.Join(dir, "public"))
	put(t, dir, "layouts/_default/home.html", endless)
	start := time.Now()
	code, _, stderr := runCmd(t, context.Background(), "build", "--source", dir, "--timeout", "300ms")
	if code != 1 || !strings.Contains(stderr, "error: layouts/_default/home.html: still running after 300ms") || !strings.Contains(stderr, "(rendering content/_index.md)") {
		t.Errorf("exit %d:\n%s", code, stderr)
	}
	if took := time.Since(start); took > 3*time.Second {
		t.Errorf("the build took %v with --timeout 300ms", took)
	}
	if treeHash(t, filepath.Join(dir, "public")) != before {
		t.Error("public/ changed after a build over its budget")
	}
	if l := leftovers(t, dir); len(l) > 0 {
		t.Errorf("temporary folders left: %v", l)
	}
	code, stdout, stderr := runCmd(t, context.Background(), "check", "--source", dir, "--timeout", "300ms")
	if code != 1 || !strings.Contains(stdout, "still running after 300ms") {
		t.Errorf("check: exit %d:\n%s%s", code, stdout, stderr)
	}
	for _, bad := range []string{"0s", "-1s", "soon"} {
		if code, _, _ := runCmd(t, context.Background(), "build", "--source", dir, "--timeout", bad); code != 2 {
			t.Errorf("--timeout %s: exit %d, want 2", bad, code)
		}
	}
}

// TestInterruptEndlessLayout: Ctrl-C stops a build whose layout never
// ends, at once, however long the budget (issue 13, item 8: it ignored
// SIGINT and SIGTERM and grew past 690 MB).
func TestInterruptEndlessLayout(t *testing.T) {
	for _, layout := range []string{endless, strings.Replace(endless, "{{ end }}", "x{{ end }}", 1)} {
		dir := writeSite(t, "small")
		put(t, dir, "layouts/_default/home.html", layout)
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(300*time.Millisecond, cancel)
		start := time.Now()
		code, _, stderr := runCmd(t, ctx, "build", "--source", dir, "--timeout", "1h")
		if code != 1 || !strings.Contains(stderr, "interrupted") {
			t.Errorf("exit %d:\n%s", code, stderr)
		}
		if took := time.Since(start); took > 3*time.Second {
			t.Errorf("the build stopped %v after it started, cancelled after 300ms", took)
		}
		if _, err := os.Stat(filepath.Join(dir, "public")); err == nil {
			t.Error("an interrupted first build made public/")
		}
		if l := leftovers(t, dir); len(l) > 0 {
			t.Errorf("temporary folders left: %v", l)
		}
	}
}

// TestServeEndlessLayout: under serve, a layout that never ends is
// reported at the --timeout budget, a saved fix is then applied, and a
// layout running with a long budget still lets Ctrl-C stop the preview
// (the cleanup of startPreview cancels it and wants it gone in 10s).
func TestServeEndlessLayout(t *testing.T) {
	p := startPreview(t, "--timeout", "500ms")
	endlessFAQ := "{{ define \"main\" }}{{ range 1000000000000 }}{{ end }}{{ end }}"
	p.write("layouts/_default/faqs.html", endlessFAQ)
	e := p.next()
	msg, _ := e.data["message"].(string)
	if e.name != "build-error" || !strings.Contains(msg, "layouts/_default/faqs.html: still running after 500ms") {
		t.Errorf("endless layout: %v", e)
	}
	p.write("layouts/_default/faqs.html", "{{ define \"main\" }}<h1>{{ .Title }} (fixed)</h1>{{ .Content }}{{ end }}")
	if e := p.next(); e.name != "reload" {
		t.Errorf("fix: %v, want a reload", e)
	}
	if _, body := p.get("/questions/"); !strings.Contains(body, "(fixed)") {
		t.Error("the fixed layout is not served")
	}

	slow := startPreview(t, "--timeout", "1h")
	slow.write("layouts/_default/faqs.html", endlessFAQ)
	time.Sleep(time.Second) // the rebuild is running when the test ends
}

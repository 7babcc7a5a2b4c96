package cli

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"
)

// writeSite writes the test site from site/testdata/sites into a fresh
// temporary folder and returns that folder.
func writeSite(t *testing.T, name string) string {
	t.Helper()
	ar, err := txtar.ParseFile(filepath.Join("../testdata/sites", name+".txtar"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, f := range ar.Files {
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// runCmd runs the command as a user would, returning the exit status and
// what it printed.
func runCmd(t *testing.T, ctx context.Context, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := Run(ctx, args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// treeHash summarises every file under dir: its path and content hash.
func treeHash(t *testing.T, dir string) string {
	t.Helper()
	var lines []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		lines = append(lines, fmt.Sprintf("%s %x", filepath.ToSlash(rel), sha256.Sum256(b)))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

func leftovers(t *testing.T, dir string) []string {
	t.Helper()
	m, _ := filepath.Glob(filepath.Join(dir, ".public.*"))
	return m
}

func TestBuildCommand(t *testing.T) {
	dir := writeSite(t, "small")
	code, stdout, stderr := runCmd(t, context.Background(), "build", "--source", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "Built 7 pages (2 sections), 2 static files and 1 redirect into ") {
		t.Errorf("summary: %q", stdout)
	}
	page, err := os.ReadFile(filepath.Join(dir, "public/data-sharing/legal-guidance/index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(page, []byte(`<a href="/data-sharing/public-sector-toolkit/#what-it-holds">toolkit</a>`)) {
		t.Errorf("link to the toolkit not resolved:\n%s", page)
	}
	if bytes.Contains(page, []byte("\n\n")) {
		t.Error("output is not minified")
	}
	if _, err := os.Stat(filepath.Join(dir, "public/data-sharing/secret")); err == nil {
		t.Error("draft published without --drafts")
	}
	if code, _, _ := runCmd(t, context.Background(), "--source", dir, "--drafts", "--quiet", "--minify=false"); code != 0 {
		t.Fatal("build with --drafts failed")
	}
	if _, err := os.Stat(filepath.Join(dir, "public/data-sharing/secret/index.html")); err != nil {
		t.Error("--drafts left out the draft")
	}
	if l := leftovers(t, dir); len(l) > 0 {
		t.Errorf("temporary folders left: %v", l)
	}
}

// TestFailedBuildKeepsOutput breaks the site after a good build: the
// build fails with file and line, and public/ stays byte for byte.
func TestFailedBuildKeepsOutput(t *testing.T) {
	dir := writeSite(t, "small")
	if code, _, stderr := runCmd(t, context.Background(), "--source", dir); code != 0 {
		t.Fatal(stderr)
	}
	before := treeHash(t, filepath.Join(dir, "public"))
	bad := "---\ntitle: Toolkit\nweight: heavy\n---\nSee [nothing](nothing.md).\n"
	if err := os.WriteFile(filepath.Join(dir, "content/data-sharing/toolkit.md"), []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runCmd(t, context.Background(), "--source", dir)
	if code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	if !strings.Contains(stderr, `content/data-sharing/toolkit.md:3: weight: "heavy" is not a whole number`) {
		t.Errorf("stderr does not name the file and line:\n%s", stderr)
	}
	if strings.Contains(stderr, "goroutine") || strings.Contains(stderr, "panic") {
		t.Errorf("stack trace shown:\n%s", stderr)
	}
	if after := treeHash(t, filepath.Join(dir, "public")); after != before {
		t.Error("public/ changed after a failed build")
	}
	if l := leftovers(t, dir); len(l) > 0 {
		t.Errorf("temporary folders left: %v", l)
	}
}

func TestInterruptedBuildKeepsOutput(t *testing.T) {
	dir := writeSite(t, "small")
	if code, _, stderr := runCmd(t, context.Background(), "--source", dir); code != 0 {
		t.Fatal(stderr)
	}
	before := treeHash(t, filepath.Join(dir, "public"))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	code, _, stderr := runCmd(t, ctx, "--source", dir)
	if code != 1 || !strings.Contains(stderr, "interrupted") {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if treeHash(t, filepath.Join(dir, "public")) != before {
		t.Error("public/ changed after an interrupted build")
	}
	if l := leftovers(t, dir); len(l) > 0 {
		t.Errorf("temporary folders left: %v", l)
	}
}

func TestStaleFilesRemoved(t *testing.T) {
	dir := writeSite(t, "small")
	runCmd(t, context.Background(), "--source", dir)
	if err := os.Remove(filepath.Join(dir, "content/privacy.md")); err != nil {
		t.Fatal(err)
	}
	// The footer links to the privacy page, so drop that link too.
	home := filepath.Join(dir, "content/_index.md")
	b, _ := os.ReadFile(home)
	b = bytes.Replace(b, []byte("  footer_links:\n    - title: Privacy\n      url: /privacy/\n"), nil, 1)
	os.WriteFile(home, b, 0o644)
	if code, _, stderr := runCmd(t, context.Background(), "--source", dir); code != 0 {
		t.Fatal(stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "public/privacy/index.html")); err == nil {
		t.Error("the removed page's output lingers")
	}
}

func TestRefusesDangerousDest(t *testing.T) {
	dir := writeSite(t, "small")
	foreign := filepath.Join(dir, "mine")
	os.MkdirAll(foreign, 0o755)
	os.WriteFile(filepath.Join(foreign, "precious.txt"), []byte("keep"), 0o644)
	for _, dest := range []string{foreign, dir, filepath.Join(dir, "content"), filepath.Join(dir, "static", "out"), filepath.Dir(dir)} {
		code, _, stderr := runCmd(t, context.Background(), "--source", dir, "--dest", dest)
		if code != 1 || !strings.Contains(stderr, "refusing") {
			t.Errorf("--dest %s: exit %d, %s", dest, code, stderr)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(foreign, "precious.txt")); string(b) != "keep" {
		t.Error("a foreign folder was replaced")
	}
}

func TestUsage(t *testing.T) {
	cases := []struct {
		args []string
		code int
		out  string
	}{
		{[]string{"--no-such-flag"}, 2, "flag provided but not defined"},
		{[]string{"frobnicate"}, 2, `unknown command "frobnicate"`},
		{[]string{"build", "-h"}, 0, "base-url URL"},
		{[]string{"help"}, 0, "charter serve"},
		{[]string{"version"}, 0, "charter"},
		{[]string{"build", "--base-url", "ftp://x/"}, 2, "must start with http"},
		{[]string{"build", "--source", "/nonexistent"}, 1, "has no content/ folder"},
		{[]string{"build", "extra"}, 2, "unexpected argument"},
	}
	for _, c := range cases {
		if c.args[len(c.args)-1] == "ftp://x/" {
			c.args = append(c.args, "--source", writeSite(t, "small"))
		}
		code, stdout, stderr := runCmd(t, context.Background(), c.args...)
		if code != c.code || !strings.Contains(stdout+stderr, c.out) {
			t.Errorf("%v: exit %d, output %q; want exit %d with %q", c.args, code, stdout+stderr, c.code, c.out)
		}
	}
}

// TestDeterministic builds twice, on one core and on several: the outputs
// are identical.
func TestDeterministic(t *testing.T) {
	dir := writeSite(t, "small")
	prev := runtime.GOMAXPROCS(1)
	defer runtime.GOMAXPROCS(prev)
	runCmd(t, context.Background(), "--source", dir, "--dest", filepath.Join(dir, "one"))
	runtime.GOMAXPROCS(8)
	runCmd(t, context.Background(), "--source", dir, "--dest", filepath.Join(dir, "many"))
	a, b := treeHash(t, filepath.Join(dir, "one")), treeHash(t, filepath.Join(dir, "many"))
	if a == "" || a != b {
		t.Errorf("outputs differ:\n%s\n---\n%s", a, b)
	}
}

// TestRealSite builds the department's site in this repository.
func TestRealSite(t *testing.T) {
	code, _, stderr := runCmd(t, context.Background(), "--source", "../..", "--dest", t.TempDir()+"/public", "--quiet")
	if code != 0 {
		t.Fatalf("the site does not build:\n%s", stderr)
	}
}

// TestSiteWithoutStatic: a site needs only content/ and layouts/.
func TestSiteWithoutStatic(t *testing.T) {
	dir := writeSite(t, "small")
	if err := os.RemoveAll(filepath.Join(dir, "static")); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := runCmd(t, context.Background(), "--source", dir, "--quiet"); code != 0 {
		t.Errorf("exit %d: %s", code, stderr)
	}
}

// build reports which pages changed in the output; --dry-run reports it
// and leaves the output alone; --quiet reports nothing.
func TestBuildReportsChangedPages(t *testing.T) {
	dir := writeSite(t, "small")
	os.WriteFile(filepath.Join(dir, "content/old-page.md"), []byte("---\ntitle: Old page\n---\nOld.\n"), 0o644)
	dest := filepath.Join(t.TempDir(), "public")
	build := func(args ...string) string {
		t.Helper()
		code, stdout, stderr := runCmd(t, context.Background(), append([]string{"build", "--source", dir, "--dest", dest}, args...)...)
		if code != 0 {
			t.Fatalf("build %v: %d %s", args, code, stderr)
		}
		return stdout
	}
	if out := build(); strings.Contains(out, "Pages changed") || !strings.Contains(out, "Built ") {
		t.Errorf("first build: %s", out)
	}
	if out := build(); !strings.Contains(out, "No page changed in") {
		t.Errorf("same build again: %s", out)
	}
	toolkit := filepath.Join(dir, "content/data-sharing/toolkit.md")
	src, _ := os.ReadFile(toolkit)
	os.WriteFile(toolkit, []byte(strings.Replace(string(src), "Protocols.", "Protocols, changed.", 1)), 0o644)
	os.Remove(filepath.Join(dir, "content/old-page.md"))
	os.WriteFile(filepath.Join(dir, "content/new-page.md"), []byte("---\ntitle: New page\n---\nNew.\n"), 0o644)
	before := treeHash(t, dest)
	out := build("--dry-run")
	for _, want := range []string{"Pages that would change in", "+ /new-page/", "~ /data-sharing/public-sector-toolkit/", "- /old-page/"} {
		if !strings.Contains(out, want) {
			t.Errorf("--dry-run output lacks %q:\n%s", want, out)
		}
	}
	if treeHash(t, dest) != before {
		t.Error("--dry-run changed the output")
	}
	out = build()
	for _, want := range []string{"Pages changed in", "+ /new-page/", "~ /data-sharing/public-sector-toolkit/", "- /old-page/"} {
		if !strings.Contains(out, want) {
			t.Errorf("build output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "~ /faqs/") {
		t.Errorf("an unchanged page is listed as changed:\n%s", out)
	}
	if out := build("--quiet"); out != "" {
		t.Errorf("--quiet printed %q", out)
	}
}

package cli

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"

	"charter/site"
)

// hardCase is one bad input: what to do to a good site, and what the
// build must say.
type hardCase struct {
	name  string
	setup func(t *testing.T, dir string)
	code  int    // exit status
	want  string // in the output
}

func put(t *testing.T, dir, rel, data string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

var hardCases = []hardCase{
	{"invalid YAML", func(t *testing.T, d string) { put(t, d, "content/x.md", "---\ntitle: [a\n---\n") }, 1, "content/x.md:2: front matter is not valid YAML"},
	{"invalid TOML", func(t *testing.T, d string) { put(t, d, "content/x.md", "+++\ntitle = \n+++\n") }, 1, "content/x.md:2: front matter is not valid TOML"},
	{"unterminated front matter", func(t *testing.T, d string) { put(t, d, "content/x.md", "---\ntitle: X\n") }, 1, "content/x.md:1: front matter opened with --- is never closed"},
	{"weight: abc", func(t *testing.T, d string) { put(t, d, "content/x.md", "---\ntitle: X\nweight: abc\n---\n") }, 1, `content/x.md:3: weight: "abc" is not a whole number`},
	{"date: tomorrow", func(t *testing.T, d string) { put(t, d, "content/x.md", "---\ntitle: X\ndate: tomorrow\n---\n") }, 1, `content/x.md:3: date: "tomorrow" is not a date`},
	{"draft: maybe", func(t *testing.T, d string) { put(t, d, "content/x.md", "---\ntitle: X\ndraft: maybe\n---\n") }, 1, `content/x.md:3: draft: "maybe" is not true or false`},
	{"aliases: 5", func(t *testing.T, d string) { put(t, d, "content/x.md", "---\ntitle: X\naliases: 5\n---\n") }, 1, "content/x.md:3: aliases: 5 is not a list of paths"},
	{"empty file", func(t *testing.T, d string) { put(t, d, "content/x.md", "") }, 1, "content/x.md:1: the file is empty"},
	{"byte-order mark", func(t *testing.T, d string) { put(t, d, "content/x.md", "\ufeff---\ntitle: X\n---\n") }, 0, "Built"},
	{"CRLF line endings", func(t *testing.T, d string) { put(t, d, "content/x.md", "---\r\ntitle: X\r\n---\r\nText.\r\n") }, 0, "Built"},
	{"not UTF-8", func(t *testing.T, d string) { put(t, d, "content/x.md", "---\ntitle: Caf\xe9\n---\n") }, 1, "content/x.md:2: text is not UTF-8"},
	{"binary file named .md", func(t *testing.T, d string) { put(t, d, "content/x.md", "\x89PNG\r\n\x1a\n\x00\x00\x00") }, 1, "content/x.md: this is a binary file"},
	{"50 MB Markdown file", func(t *testing.T, d string) {
		put(t, d, "content/x.md", "---\ntitle: Big\n---\n"+strings.Repeat("A paragraph of plain words that goes on for a while.\n\n", 50<<20/54))
	}, 0, "Built"},
	{"section nested 100 folders deep", func(t *testing.T, d string) {
		put(t, d, "content/"+strings.Repeat("deep/", 100)+"x.md", "---\ntitle: Deep\n---\n")
	}, 0, "Built"},
	{"spaces, accents and emoji in names", func(t *testing.T, d string) {
		put(t, d, "content/our work/café 🙂.md", "---\ntitle: Café\n---\n")
	}, 0, "Built"},
	{"URLs that differ only in case", func(t *testing.T, d string) {
		put(t, d, "content/About.md", "---\ntitle: A\n---\n")
		put(t, d, "content/about.md", "---\ntitle: a\n---\n")
	}, 0, "differs from the URL of content/About.md only in case"},
	{"two files with the same URL", func(t *testing.T, d string) {
		put(t, d, "content/x.md", "---\ntitle: X\n---\n")
		put(t, d, "content/x/_index.md", "---\ntitle: X\n---\n")
	}, 1, "its URL /x/ is also the URL of"},
	{"slug with ..", func(t *testing.T, d string) { put(t, d, "content/x.md", "---\ntitle: X\nslug: ../../etc\n---\n") }, 1, `content/x.md:3: slug "../../etc" contains ".."`},
	{"url with a backslash", func(t *testing.T, d string) {
		put(t, d, "content/x.md", "---\ntitle: X\nurl: \"\\\\evil\\\\x\"\n---\n")
	}, 1, "contains a backslash"},
	{"url with a NUL byte", func(t *testing.T, d string) { put(t, d, "content/x.md", "---\ntitle: X\nurl: \"/a\\0b/\"\n---\n") }, 1, "contains a NUL byte"},
	{"alias with a scheme", func(t *testing.T, d string) {
		put(t, d, "content/x.md", "---\ntitle: X\naliases: [\"https://evil.example/\"]\n---\n")
	}, 1, "is a full URL"},
	{"alias that is an absolute path outside", func(t *testing.T, d string) {
		put(t, d, "content/x.md", "---\ntitle: X\naliases: [\"/../../etc/cron.d/x\"]\n---\n")
	}, 1, `contains ".."`},
	{"symbolic link loop", func(t *testing.T, d string) {
		os.Symlink(filepath.Join(d, "content"), filepath.Join(d, "content", "loop"))
	}, 0, "content/loop: symbolic link not followed"},
	{"symbolic link outside the site", func(t *testing.T, d string) {
		os.Symlink("/etc", filepath.Join(d, "content", "etc"))
	}, 0, "content/etc: symbolic link not followed"},
	{"layout partial linked to a secret outside the site", func(t *testing.T, d string) {
		secret := filepath.Join(t.TempDir(), "environ")
		put(t, filepath.Dir(secret), "environ", "SECRET_TOKEN=s3cr3t-value")
		os.MkdirAll(filepath.Join(d, "layouts", "partials"), 0o755)
		os.Symlink(secret, filepath.Join(d, "layouts", "partials", "env.html"))
		put(t, d, "layouts/_default/404.html", `{{ define "main" }}{{ template "partials/env.html" . }}{{ end }}`)
	}, 1, "layouts/partials/env.html: symbolic link not followed"},
	{"layout linked to /etc/passwd", func(t *testing.T, d string) {
		os.Remove(filepath.Join(d, "layouts", "_default", "404.html"))
		os.Symlink("/etc/passwd", filepath.Join(d, "layouts", "_default", "404.html"))
	}, 1, "layouts/_default/404.html: symbolic link not followed"},
	{"layouts folder linked outside the site", func(t *testing.T, d string) {
		other := t.TempDir()
		os.Rename(filepath.Join(d, "layouts"), filepath.Join(other, "layouts"))
		os.Symlink(filepath.Join(other, "layouts"), filepath.Join(d, "layouts"))
	}, 1, "layouts: symbolic link not followed"},
	{"static folder linked outside the site", func(t *testing.T, d string) {
		other := t.TempDir()
		os.Rename(filepath.Join(d, "static"), filepath.Join(other, "static"))
		os.Symlink(filepath.Join(other, "static"), filepath.Join(d, "static"))
	}, 0, "static: symbolic link not followed"},
	{"template syntax error", func(t *testing.T, d string) {
		put(t, d, "layouts/_default/page.html", "{{ define \"main\" }}{{ if }}{{ end }}")
	}, 1, "layouts/_default/page.html:1: missing value for if"},
	{"template fails when run", func(t *testing.T, d string) {
		put(t, d, "layouts/_default/page.html", "{{ define \"main\" }}{{ .Parent.Parent.Parent.Parent.Title }}{{ end }}")
	}, 1, "layouts/_default/page.html:1"},
	{"missing layout", func(t *testing.T, d string) { put(t, d, "content/x.md", "---\ntitle: X\nlayout: nope\n---\n") }, 1, "content/x.md:3: no layout for this page: create layouts/nope.html or layouts/_default/nope.html"},
	{"template that includes itself", func(t *testing.T, d string) {
		put(t, d, "layouts/partials/loop.html", `{{ template "partials/loop.html" . }}`)
		put(t, d, "layouts/_default/page.html", `{{ define "main" }}{{ template "partials/loop.html" . }}{{ end }}`)
	}, 1, `layouts/partials/loop.html:1: template "partials/loop.html" calls itself, directly or through other templates, more than 1000 deep`},
}

// TestHardening feeds each bad input to a good site: the build fails with
// file and line (or warns), never shows a stack trace, and leaves the
// previous public/ byte for byte as it was.
func TestHardening(t *testing.T) {
	for _, c := range hardCases {
		t.Run(c.name, func(t *testing.T) {
			dir := writeSite(t, "small")
			if code, _, stderr := runCmd(t, context.Background(), "--source", dir, "--quiet"); code != 0 {
				t.Fatal(stderr)
			}
			before := treeHash(t, filepath.Join(dir, "public"))
			c.setup(t, dir)
			code, stdout, stderr := runCmd(t, context.Background(), "--source", dir)
			out := stdout + stderr
			if code != c.code || !strings.Contains(out, c.want) {
				t.Errorf("exit %d, want %d with %q; output:\n%s", code, c.code, c.want, out)
			}
			if strings.Contains(out, "goroutine ") || strings.Contains(out, "panic") {
				t.Errorf("stack trace shown:\n%s", out)
			}
			if grepTree(t, filepath.Join(dir, "public"), "s3cr3t-value", "root:x:0:0") {
				t.Error("a file from outside the site was published")
			}
			intact := treeHash(t, filepath.Join(dir, "public")) == before
			if code != 0 && !intact {
				t.Error("a failed build changed public/")
			}
			if l := leftovers(t, dir); len(l) > 0 {
				t.Errorf("temporary folders left: %v", l)
			}
			first, _, _ := strings.Cut(strings.TrimSpace(stderr), "\n")
			if first == "" {
				first, _, _ = strings.Cut(strings.TrimSpace(stdout), "\n")
			}
			t.Logf("REPORT | %s | %s | %d | %v |", c.name, strings.ReplaceAll(first, dir, "SITE"), code, intact)
		})
	}
}

// TestReadOnlyDestination: when the output cannot be written, the build
// fails with a clear message and the previous output stays.
func TestReadOnlyDestination(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root writes to read-only folders; run as a normal user")
	}
	dir := writeSite(t, "small")
	runCmd(t, context.Background(), "--source", dir, "--quiet")
	before := treeHash(t, filepath.Join(dir, "public"))
	os.Chmod(dir, 0o555)
	defer os.Chmod(dir, 0o755)
	code, _, stderr := runCmd(t, context.Background(), "--source", dir)
	if code != 1 || !strings.Contains(stderr, "permission denied") {
		t.Errorf("exit %d: %s", code, stderr)
	}
	if treeHash(t, filepath.Join(dir, "public")) != before {
		t.Error("public/ changed")
	}
}

// fullDisk is an output folder whose disk fills up after a few files.
type fullDisk struct {
	*site.DirOutput
	left atomic.Int32
}

func (f *fullDisk) WriteFile(name string, data []byte) error {
	if f.left.Add(-1) < 0 {
		return fmt.Errorf("write %s: %w", name, syscall.ENOSPC)
	}
	return f.DirOutput.WriteFile(name, data)
}

// TestDiskFull: a build that runs out of space fails, names the cause,
// and leaves the previous output and no temporary folder.
func TestDiskFull(t *testing.T) {
	dir := writeSite(t, "small")
	runCmd(t, context.Background(), "--source", dir, "--quiet")
	before := treeHash(t, filepath.Join(dir, "public"))
	b, err := site.NewBuilder(site.Config{Minify: true}, os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	dout, err := site.NewDirOutput(filepath.Join(dir, "public"), dir)
	if err != nil {
		t.Fatal(err)
	}
	out := &fullDisk{DirOutput: dout}
	out.left.Store(3)
	_, err = b.Build(context.Background(), out)
	if err == nil || !strings.Contains(err.Error(), "no space left on device") {
		t.Fatalf("got %v", err)
	}
	dout.Abort()
	if treeHash(t, filepath.Join(dir, "public")) != before {
		t.Error("public/ changed")
	}
	if l := leftovers(t, dir); len(l) > 0 {
		t.Errorf("temporary folders left: %v", l)
	}
}

// grepTree reports whether any file under dir contains one of the words.
func grepTree(t *testing.T, dir string, words ...string) bool {
	t.Helper()
	found := false
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		b, _ := os.ReadFile(p)
		for _, w := range words {
			found = found || strings.Contains(string(b), w)
		}
		return nil
	})
	return found
}

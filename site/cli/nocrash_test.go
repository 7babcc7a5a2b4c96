package cli

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"charter/site/internal/inject"
)

// faultySite is the small site with a page that fails in a layout of its
// own (which calls the function boom) and a broken link elsewhere, so
// that a test can see that the run went on with the other pages.
func faultySite(t *testing.T, f inject.Faults) string {
	t.Helper()
	dir := writeSite(t, "small")
	if f.Func != "" {
		put(t, dir, "content/boom.md", "---\ntitle: Boom\ndescription: A page whose layout calls boom.\nlayout: boom\n---\nText.\n")
		put(t, dir, "layouts/_default/boom.html", "{{ define \"main\" }}<h1>{{ .Title }}</h1>\n{{ boom }}{{ end }}\n")
	}
	put(t, dir, "content/data-sharing/toolkit.md", "---\ntitle: Toolkit\ndescription: Tools.\n---\nSee [the lost page](lost.md).\n")
	return dir
}

// noStackTrace fails the test when a Go panic or stack trace reached the
// user.
func noStackTrace(t *testing.T, out string) {
	t.Helper()
	for _, bad := range []string{"panic:", "goroutine ", ".go:", "[recovered]"} {
		if strings.Contains(out, bad) {
			t.Errorf("output holds %q:\n%s", bad, out)
		}
	}
}

// The faults a test injects, and the message each must print.
var injected = []struct {
	name   string
	faults inject.Faults
	file   string // the file the message is at
	want   string
}{
	{"rule", inject.Faults{Rule: "injected-rule", File: "content/privacy.md"}, "content/privacy.md",
		"internal error while checking content/privacy.md (rule injected-rule): assignment to entry in nil map; this is a bug, please report it"},
	{"render", inject.Faults{Render: true, File: "content/privacy.md"}, "content/privacy.md",
		"internal error while rendering content/privacy.md: injected fault; this is a bug, please report it"},
	{"template function", inject.Faults{Func: "boom"}, "layouts/_default/boom.html",
		"internal error in the template function boom: runtime error: index out of range [0] with length 0; this is a bug, please report it (rendering content/boom.md)"},
}

// A panic in a check rule, in a page's rendering or in a template
// function is an error that names the file and the rule or stage; the run
// goes on with the other pages and exits 1, never 2 with a stack trace.
func TestNoCrashCheck(t *testing.T) {
	for _, tt := range injected {
		t.Run(tt.name, func(t *testing.T) {
			dir := faultySite(t, tt.faults)
			ctx := inject.With(context.Background(), tt.faults)
			code, stdout, stderr := runCmd(t, ctx, "check", "--source", dir, "--no-color", "--format", "github")
			noStackTrace(t, stdout+stderr)
			if code != 1 {
				t.Errorf("exit %d, want 1", code)
			}
			if !regexp.MustCompile(`::error file=` + regexp.QuoteMeta(tt.file) + `\S*::` + regexp.QuoteMeta(tt.want)).MatchString(stdout) {
				t.Errorf("no finding %s: %s:\n%s", tt.file, tt.want, stdout)
			}
			// the other pages were checked: the broken link is reported,
			// and the footer's link to a page that failed is not
			if !strings.Contains(stdout, "file=content/data-sharing/toolkit.md,line=5,title=broken-link::link to content/data-sharing/lost.md") {
				t.Errorf("the broken link on another page is not reported:\n%s", stdout)
			}
			if strings.Contains(stdout, "/privacy/") {
				t.Errorf("links to the page that failed are reported:\n%s", stdout)
			}
		})
	}
}

func TestNoCrashBuild(t *testing.T) {
	for _, tt := range injected {
		if tt.faults.Rule != "" {
			continue // build runs no check rules
		}
		t.Run(tt.name, func(t *testing.T) {
			dir := faultySite(t, tt.faults)
			put(t, dir, "content/data-sharing/toolkit.md", "---\ntitle: Toolkit\n---\n## What it holds\n")
			ctx := inject.With(context.Background(), tt.faults)
			code, stdout, stderr := runCmd(t, ctx, "build", "--source", dir)
			noStackTrace(t, stdout+stderr)
			if code != 1 {
				t.Errorf("exit %d, want 1", code)
			}
			if !strings.Contains(stderr, tt.file) || !strings.Contains(stderr, tt.want) {
				t.Errorf("no error %s: %s:\n%s", tt.file, tt.want, stderr)
			}
			if leftovers(t, dir) != nil {
				t.Errorf("left behind: %v", leftovers(t, dir))
			}
		})
	}
}

// The preview shows the error of a page whose rendering panics, on the
// first build and on a rebuild after a good one, and goes on serving.
func TestNoCrashServe(t *testing.T) {
	for _, tt := range injected {
		if tt.faults.Rule != "" {
			continue // serve runs no check rules
		}
		t.Run(tt.name, func(t *testing.T) {
			faults, want := tt.faults, tt.want
			if faults.Render {
				faults.File = "content/extra.md" // a page no other page links to
				want = strings.ReplaceAll(want, "content/privacy.md", faults.File)
			}
			dir := faultySite(t, faults)
			put(t, dir, "content/extra.md", "---\ntitle: Extra\n---\nText.\n")
			put(t, dir, "content/data-sharing/toolkit.md", "---\ntitle: Toolkit\n---\n## What it holds\n")
			stdout, stderr := newLockedBuffer(), newLockedBuffer()
			ctx, cancel := context.WithCancel(inject.With(context.Background(), faults))
			done := make(chan int)
			go func() { done <- Run(ctx, []string{"serve", "--port", "0", "--source", dir}, stdout, stderr) }()
			url := stdout.waitFor(t, regexp.MustCompile(`Serving the site at (\S+)`))[1]
			stderr.waitFor(t, regexp.MustCompile(regexp.QuoteMeta(want)))
			if page := get(t, url); !strings.Contains(page, "this is a bug, please report it") {
				t.Errorf("the overlay lacks the error: %s", page)
			}
			// a good build, then a rebuild that panics again
			boom, _ := os.ReadFile(filepath.Join(dir, "layouts/_default/boom.html"))
			put(t, dir, "layouts/_default/boom.html", "{{ define \"main\" }}<h1>{{ .Title }}</h1>{{ end }}\n")
			move(t, dir, "content/extra.md", "content/extra-later.md")
			stdout.waitFor(t, regexp.MustCompile(`Rebuilt \d+ pages?|Fixed: the site builds again`))
			put(t, dir, "layouts/_default/boom.html", string(boom))
			move(t, dir, "content/extra-later.md", "content/extra.md")
			stderr.waitFor(t, regexp.MustCompile(`(?s)`+regexp.QuoteMeta(want)+`.*`+regexp.QuoteMeta(want)+`.*Still serving the last good build`))
			cancel()
			if code := <-done; code != 0 {
				t.Errorf("serve exited %d", code)
			}
			noStackTrace(t, stdout.String()+stderr.String())
		})
	}
}

func move(t *testing.T, dir, from, to string) {
	t.Helper()
	if err := os.Rename(filepath.Join(dir, from), filepath.Join(dir, to)); err != nil {
		t.Fatal(err)
	}
}

func get(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

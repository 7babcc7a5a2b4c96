package cli

// The real-browser tests: the real site is built, served on 127.0.0.1 and
// opened in headless Chromium, where axe-core checks every page against the
// WCAG 2.0, 2.1 and 2.2 A and AA rules and for sideways scrolling at 320 px
// (.ci/a11y/axe.mjs); the W3C Nu HTML Checker validates every page and
// stylesheet.
//
// They need Node.js, Debian's chromium, Java and the npm packages pinned in
// .ci/a11y/package.json. Without them the tests skip, saying how to install
// them, unless CI is set: then they fail, because CI must run them. .ci/run
// installs everything.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// a11yDir holds the Node script and its npm packages.
const a11yDir = "../../.ci/a11y"

const a11yInstall = "install them with: apt-get install chromium nodejs default-jre-headless && npm ci --ignore-scripts --prefix .ci/a11y (or run .ci/run)"

// a11yMissing skips the test because a tool is missing, or fails it when CI
// is set, since CI must always run it.
func a11yMissing(t *testing.T, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...) + "; " + a11yInstall
	if os.Getenv("CI") != "" {
		t.Fatal(msg + " (CI is set, so a missing tool is an error)")
	}
	t.Skip(msg)
}

// a11yTool finds a program, from the environment variable env if it is set.
func a11yTool(t *testing.T, env string, names ...string) string {
	t.Helper()
	if p := os.Getenv(env); env != "" && p != "" {
		if _, err := os.Stat(p); err != nil {
			a11yMissing(t, "%s=%s: %v", env, p, err)
		}
		return p
	}
	for _, n := range names {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	a11yMissing(t, "%s is not installed", names[0])
	return ""
}

// a11yPackages checks that every npm package pinned in .ci/a11y/package.json
// is installed at its pinned version.
func a11yPackages(t *testing.T) {
	t.Helper()
	var pkg struct{ Dependencies map[string]string }
	b, err := os.ReadFile(filepath.Join(a11yDir, "package.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &pkg); err != nil {
		t.Fatalf("%s/package.json: %v", a11yDir, err)
	}
	for name, want := range pkg.Dependencies {
		var got struct{ Version string }
		b, err := os.ReadFile(filepath.Join(a11yDir, "node_modules", name, "package.json"))
		if err == nil {
			err = json.Unmarshal(b, &got)
		}
		switch {
		case err != nil:
			a11yMissing(t, "the npm package %s is not installed in %s", name, a11yDir)
		case got.Version != want:
			a11yMissing(t, "the npm package %s is %s in %s/node_modules, not the pinned %s", name, got.Version, a11yDir, want)
		}
	}
}

// builtSite builds the real site into a temporary folder and returns it.
func builtSite(t *testing.T) string {
	t.Helper()
	dest := filepath.Join(t.TempDir(), "public")
	var stdout, stderr bytes.Buffer
	if code := Run(t.Context(), []string{"build", "--source", "../..", "--dest", dest, "--quiet"}, &stdout, &stderr); code != 0 {
		t.Fatalf("building the site: exit status %d\n%s%s", code, stdout.String(), stderr.String())
	}
	return dest
}

var redirectPage = regexp.MustCompile(`(?i)<meta[^>]+http-equiv=["']?refresh`)

// sitePages lists the URL paths of the built pages, in every language:
// every index.html folder, and each 404.html (/404.html, /cy/404.html).
// Redirect pages for aliases are left out: they leave at once.
func sitePages(t *testing.T, dir string) []string {
	t.Helper()
	var pages []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && d.Name() == "404.html" {
			rel, err := filepath.Rel(dir, p)
			pages = append(pages, "/"+filepath.ToSlash(rel))
			return err
		}
		if err != nil || d.IsDir() || d.Name() != "index.html" {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil || redirectPage.Match(b) {
			return err
		}
		rel, err := filepath.Rel(dir, filepath.Dir(p))
		if err != nil {
			return err
		}
		pages = append(pages, strings.TrimSuffix(path.Join("/", filepath.ToSlash(rel)), "/")+"/")
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(pages)
	return pages
}

// runBrowserScript runs one of the Node scripts in .ci/a11y against the
// site at base, with input on its standard input, and decodes the JSON
// report it prints into rep. It returns the script's own error (a
// non-zero exit when it found faults); a report that does not decode
// fails the test.
func runBrowserScript(t *testing.T, node, chromium, script, base string, input []byte, limit time.Duration, rep any) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), limit)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, filepath.Join(a11yDir, script), base)
	cmd.Env = append(os.Environ(), "CHROMIUM="+chromium)
	cmd.Stdin = bytes.NewReader(input)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if jerr := json.Unmarshal(stdout.Bytes(), rep); jerr != nil {
		t.Fatalf("%s: %v\n%s%s", cmd, err, stdout.String(), stderr.String())
	}
	if err != nil {
		return fmt.Errorf("%s: %w\n%s", cmd, err, stderr.String())
	}
	return nil
}

// serveSite serves dir on 127.0.0.1 as static hosting would, with 404.html
// for addresses that do not exist, and returns the base URL.
func serveSite(t *testing.T, dir string) string {
	t.Helper()
	return serveSiteWith(t, dir, nil)
}

// serveSiteWith is serveSite with the headers that headers gives for each
// path (nil: none). Files named with a leading "_" (_headers, _redirects)
// are the host's configuration and are not served, as on Netlify.
func serveSiteWith(t *testing.T, dir string, headers func(path string) http.Header) string {
	t.Helper()
	files := http.FileServer(http.Dir(dir))
	setHeaders := func(w http.ResponseWriter, p string) {
		if headers != nil {
			for k, v := range headers(p) {
				w.Header()[k] = v
			}
		}
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := filepath.Join(dir, filepath.FromSlash(path.Clean("/"+r.URL.Path)))
		if _, err := os.Stat(name); err != nil || strings.HasPrefix(path.Base(r.URL.Path), "_") {
			setHeaders(w, "/404.html")
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(http.StatusNotFound)
			if b, err := os.ReadFile(filepath.Join(dir, "404.html")); err == nil {
				w.Write(b)
			}
			return
		}
		setHeaders(w, r.URL.Path)
		files.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/"
}

// axeReport is what .ci/a11y/axe.mjs prints.
type axeReport struct {
	Pages      int
	Checks     int
	Seconds    float64
	Browser    string
	Violations []struct {
		Page, Viewport, Rule, Impact, Help, HelpURL string
		Nodes                                       []struct {
			Target  []string
			HTML    string
			Summary string
		}
	}
	Errors []string
}

// TestBrowserAccessibility opens every page in headless Chromium and fails
// with the rule, the page and the element for every fault axe.mjs finds.
func TestBrowserAccessibility(t *testing.T) {
	if testing.Short() {
		t.Skip("opens every page in headless Chromium; skipped with -short")
	}
	node := a11yTool(t, "NODE", "node", "nodejs")
	chromium := a11yTool(t, "CHROMIUM", "chromium", "chromium-browser")
	a11yPackages(t)

	dir := builtSite(t)
	pages := sitePages(t, dir)
	base := serveSite(t, dir)
	paths, _ := json.Marshal(pages)

	start := time.Now()
	var rep axeReport
	err := runBrowserScript(t, node, chromium, "axe.mjs", base, paths, 8*time.Minute, &rep)
	t.Logf("checked %d pages (%d page widths) in %s with axe-core in Chromium %s",
		rep.Pages, rep.Checks, time.Since(start).Round(100*time.Millisecond), rep.Browser)
	if rep.Pages != len(pages) {
		t.Errorf("axe.mjs checked %d pages, want %d", rep.Pages, len(pages))
	}
	for _, e := range rep.Errors {
		t.Errorf("could not check %s", e)
	}
	for _, f := range groupFindings(rep) {
		t.Error(f)
	}
	if err != nil && len(rep.Violations) == 0 && len(rep.Errors) == 0 {
		t.Error(err)
	}
}

// groupFindings turns axe.mjs's violations into one message per fault: the
// rule, the element and what is wrong with it, then every page and page width
// where it happens, so that a fault in a shared layout is reported once.
func groupFindings(rep axeReport) []string {
	type finding struct {
		head  string
		pages []string          // in the order found
		where map[string]string // page -> its widths
	}
	var order []string
	found := map[string]*finding{}
	for _, v := range rep.Violations {
		for _, n := range v.Nodes {
			var b strings.Builder
			fmt.Fprintf(&b, "%s (%s): %s", v.Rule, v.Impact, v.Help)
			if len(n.Target) > 0 {
				fmt.Fprintf(&b, "\n    element %s: %s", strings.Join(n.Target, " "), n.HTML)
			}
			if n.Summary != "" {
				fmt.Fprintf(&b, "\n      %s", strings.ReplaceAll(strings.TrimSpace(n.Summary), "\n", "\n      "))
			}
			if v.HelpURL != "" {
				fmt.Fprintf(&b, "\n    see %s", v.HelpURL)
			}
			key := v.Rule + "\x00" + strings.Join(n.Target, " ") + "\x00" + n.Summary
			f := found[key]
			if f == nil {
				f = &finding{head: b.String(), where: map[string]string{}}
				found[key] = f
				order = append(order, key)
			}
			if _, ok := f.where[v.Page]; !ok {
				f.pages = append(f.pages, v.Page)
			}
			if v.Viewport != "" && !strings.Contains(f.where[v.Page], v.Viewport) {
				f.where[v.Page] = strings.TrimPrefix(f.where[v.Page]+"; "+v.Viewport, "; ")
			}
		}
	}
	var msgs []string
	for _, key := range order {
		f := found[key]
		var b strings.Builder
		fmt.Fprintf(&b, "%s\n    on %d page", f.head, len(f.pages))
		if len(f.pages) != 1 {
			b.WriteString("s")
		}
		for i, p := range f.pages {
			if i == 12 {
				fmt.Fprintf(&b, "\n      and %d more", len(f.pages)-i)
				break
			}
			fmt.Fprintf(&b, "\n      %s", p)
			if w := f.where[p]; w != "" {
				fmt.Fprintf(&b, " (at %s)", w)
			}
		}
		msgs = append(msgs, b.String())
	}
	return msgs
}

// vnuReport is the Nu HTML Checker's --format json output.
type vnuReport struct {
	Messages []struct {
		Type, SubType, URL, Message, Extract string
		LastLine                             int
		FirstColumn, LastColumn              int
	}
}

// TestHTMLValid runs the W3C Nu HTML Checker (vnu.jar, from the vnu-jar npm
// package, run with the local Java) over every page and stylesheet the build
// writes, as published: minified. Pages are one long line, so each error
// shows the text around it.
func TestHTMLValid(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the W3C Nu HTML Checker; skipped with -short")
	}
	java := a11yTool(t, "JAVA", "java")
	a11yPackages(t)
	jar := filepath.Join(a11yDir, "node_modules", "vnu-jar", "build", "dist", "vnu.jar")
	if _, err := os.Stat(jar); err != nil {
		a11yMissing(t, "the Nu HTML Checker is missing: %v", err)
	}

	dir := builtSite(t)
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, java, "-jar", jar, "--errors-only", "--skip-non-html", "--also-check-css", "--format", "json", dir)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var rep vnuReport
	if jerr := json.Unmarshal(stderr.Bytes(), &rep); jerr != nil {
		t.Fatalf("%s: %v: %v\n%s%s", cmd, err, jerr, stdout.String(), stderr.String())
	}
	for _, m := range rep.Messages {
		if m.Type == "info" {
			continue
		}
		file := strings.TrimPrefix(m.URL, "file:")
		if rel, err := filepath.Rel(dir, file); err == nil {
			file = filepath.ToSlash(rel)
		}
		t.Errorf("%s:%d:%d: %s\n    %s", file, m.LastLine, m.FirstColumn, m.Message, strings.TrimSpace(m.Extract))
	}
	if err != nil && !t.Failed() {
		t.Errorf("%s: %v\n%s", cmd, err, stderr.String())
	}
}

package cli

// The Content-Security-Policy in a real browser: the real site is served
// with the headers from the _headers file the build writes, as Netlify or
// Cloudflare Pages would serve them, and every page is opened in headless
// Chromium (.ci/a11y/csp.mjs), which reports anything the policy blocked.
// The tools and the skip/fail rules are those of browser_test.go.

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// headerRule is one path pattern of a _headers file and its headers.
type headerRule struct {
	pattern *regexp.Regexp
	headers [][2]string // name, value
}

// parseHeadersFile reads the Netlify / Cloudflare Pages _headers format: a
// path pattern on a line of its own (where * matches anything), then its
// headers as indented "Name: value" lines; # starts a comment.
func parseHeadersFile(t *testing.T, data []byte) []headerRule {
	t.Helper()
	var rules []headerRule
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		trimmed := strings.TrimSpace(line)
		switch {
		case trimmed == "" || strings.HasPrefix(trimmed, "#"):
		case line[0] != ' ' && line[0] != '\t':
			if !strings.HasPrefix(trimmed, "/") {
				t.Fatalf("_headers:%d: %q is not a path pattern", n, line)
			}
			re := "^" + strings.ReplaceAll(regexp.QuoteMeta(trimmed), `\*`, ".*") + "$"
			rules = append(rules, headerRule{pattern: regexp.MustCompile(re)})
		default:
			name, value, ok := strings.Cut(trimmed, ":")
			if !ok || len(rules) == 0 {
				t.Fatalf("_headers:%d: %q is not a header of a path", n, line)
			}
			r := &rules[len(rules)-1]
			r.headers = append(r.headers, [2]string{strings.TrimSpace(name), strings.TrimSpace(value)})
		}
	}
	return rules
}

// headersFor gives the headers for a path: those of every matching rule,
// a later rule's value replacing an earlier one's, as Netlify does.
func headersFor(rules []headerRule, p string) http.Header {
	h := http.Header{}
	for _, r := range rules {
		if r.pattern.MatchString(p) {
			for _, kv := range r.headers {
				h.Set(kv[0], kv[1])
			}
		}
	}
	return h
}

// serveWithHeaders serves dir at the root of 127.0.0.1 with the headers of
// its _headers file, and 404.html for a miss.
func serveWithHeaders(t *testing.T, dir string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "_headers"))
	if err != nil {
		t.Fatal(err)
	}
	rules := parseHeadersFile(t, data)
	if csp := headersFor(rules, "/").Get("Content-Security-Policy"); csp == "" {
		t.Fatalf("_headers gives the home page no Content-Security-Policy:\n%s", data)
	}
	return serveSiteWith(t, dir, func(p string) http.Header { return headersFor(rules, p) })
}

// cspReport is what .ci/a11y/csp.mjs prints.
type cspReport struct {
	Pages      int
	Seconds    float64
	Browser    string
	Violations []struct {
		Page, Kind, Directive, Blocked, Source, Message string
	}
	Errors []string
}

// cspProbe is a page that breaks the policy on purpose: the test checks that
// csp.mjs reports it, so that a silent browser cannot pass the test.
const cspProbe = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>probe</title>` +
	`<style>body { color: red }</style></head><body><p style="color: blue">probe</p>` +
	`<script>document.title = 'inline script ran'</script></body></html>`

// TestBrowserCSP opens every page, and the search page with a query so that
// its script runs and fetches the index, in headless Chromium with the
// site's own headers, and fails on anything the Content-Security-Policy
// blocked.
func TestBrowserCSP(t *testing.T) {
	if testing.Short() {
		t.Skip("opens every page in headless Chromium; skipped with -short")
	}
	node := a11yTool(t, "NODE", "node", "nodejs")
	chromium := a11yTool(t, "CHROMIUM", "chromium", "chromium-browser")
	a11yPackages(t)

	dir := builtSite(t)
	if _, err := os.Stat(filepath.Join(dir, "search/index.html")); err != nil {
		t.Fatalf("the site has no search page: %v", err)
	}
	pages := sitePages(t, dir)
	const probe = "/csp-probe.html"
	if err := os.WriteFile(filepath.Join(dir, strings.TrimPrefix(probe, "/")), []byte(cspProbe), 0o644); err != nil {
		t.Fatal(err)
	}
	base := serveWithHeaders(t, dir)
	type entry struct {
		Path    string `json:"path"`
		WaitFor string `json:"waitFor,omitempty"`
	}
	var list []entry
	for _, p := range pages {
		list = append(list, entry{Path: p})
	}
	const search = "/search/?q=privacy"
	list = append(list, entry{Path: search, WaitFor: "#search-results li a"}, entry{Path: probe})
	// The Welsh search page finds a Welsh word in Welsh pages, and lists
	// Welsh pages first, then English ones marked as English.
	list = append(list, entry{Path: "/cy/search/?q=cyhoeddus", WaitFor: `#search-results li:first-child:not([lang]) a[href^="/cy/"]`},
		entry{Path: "/cy/search/?q=data", WaitFor: `#search-results li:first-child:not([lang]) ~ li[lang="en-GB"] a[hreflang="en-GB"]`})
	input, _ := json.Marshal(list)

	start := time.Now()
	var rep cspReport
	err := runBrowserScript(t, node, chromium, "csp.mjs", base, input, 5*time.Minute, &rep)
	t.Logf("opened %d pages in %s in Chromium %s", rep.Pages, time.Since(start).Round(100*time.Millisecond), rep.Browser)
	if rep.Pages != len(list) {
		t.Errorf("csp.mjs opened %d pages, want %d", rep.Pages, len(list))
	}
	for _, e := range rep.Errors {
		t.Errorf("could not check %s", e)
	}
	probed := 0
	for _, v := range rep.Violations {
		if v.Page == probe {
			probed++
			if testing.Verbose() {
				t.Logf("probe: %s %s %s", v.Kind, v.Directive, v.Message)
			}
			continue
		}
		msg := fmt.Sprintf("%s: %s", v.Page, v.Kind)
		if v.Directive != "" {
			msg += " " + v.Directive
		}
		if v.Blocked != "" {
			msg += " blocked " + v.Blocked
		}
		if v.Source != "" {
			msg += " at " + v.Source
		}
		if v.Message != "" {
			msg += ": " + v.Message
		}
		t.Error(msg)
	}
	t.Logf("the probe page %s, which breaks the policy on purpose, gave %d reports", probe, probed)
	if probed == 0 {
		t.Errorf("the probe page %s breaks the policy on purpose, but csp.mjs reported nothing for it", probe)
	}
	if err != nil && !t.Failed() && len(rep.Violations) == probed {
		// Exit status 1 is expected: the probe's violations.
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != 1 {
			t.Error(err)
		}
	}
}

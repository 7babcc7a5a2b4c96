package cli

import (
	"bufio"
	"charter/site"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	neturl "net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// lockedBuffer collects what the command prints and lets a test wait for
// a line.
type lockedBuffer struct {
	mu   sync.Mutex
	b    strings.Builder
	more chan struct{}
}

func newLockedBuffer() *lockedBuffer { return &lockedBuffer{more: make(chan struct{}, 1)} }

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	select {
	case l.more <- struct{}{}:
	default:
	}
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// waitFor waits until the output matches re, and returns the match.
func (l *lockedBuffer) waitFor(t testing.TB, re *regexp.Regexp) []string {
	t.Helper()
	deadline := time.After(60 * time.Second)
	for {
		if m := re.FindStringSubmatch(l.String()); m != nil {
			return m
		}
		select {
		case <-l.more:
		case <-deadline:
			t.Fatalf("timed out waiting for %q; output:\n%s", re, l.String())
		}
	}
}

type sse struct {
	name string
	data map[string]any
}

// preview starts `charter serve` on a free port over a copy of the small
// test site, and subscribes to its event stream.
type preview struct {
	t      testing.TB
	dir    string
	url    string
	stdout *lockedBuffer
	stderr *lockedBuffer
	events chan sse
}

func startPreview(t *testing.T, flags ...string) *preview {
	t.Helper()
	return startPreviewDir(t, writeSite(t, "small"), flags...)
}

func startPreviewDir(t testing.TB, dir string, flags ...string) *preview {
	t.Helper()
	p := &preview{t: t, dir: dir, stdout: newLockedBuffer(), stderr: newLockedBuffer(), events: make(chan sse, 100)}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int)
	args := append([]string{"serve", "--port", "0", "--source", p.dir}, flags...)
	go func() { done <- Run(ctx, args, p.stdout, p.stderr) }()
	t.Cleanup(func() {
		cancel()
		select {
		case code := <-done:
			if code != 0 {
				t.Errorf("serve exited %d: %s", code, p.stderr.String())
			}
		case <-time.After(10 * time.Second):
			t.Error("serve did not stop on cancel")
		}
	})
	p.url = p.stdout.waitFor(t, regexp.MustCompile(`Serving the site at (\S+)`))[1]
	u, err := neturl.Parse(p.url)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get(u.Scheme + "://" + u.Host + "/__charter/events")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	go func() {
		sc := bufio.NewScanner(resp.Body)
		var name string
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "event: "):
				name = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				var d map[string]any
				json.Unmarshal([]byte(strings.TrimPrefix(line, "data: ")), &d)
				p.events <- sse{name, d}
			}
		}
	}()
	if e := p.next(); e.name != "ok" {
		t.Fatalf("first event %q, want ok", e.name)
	}
	return p
}

func (p *preview) next() sse {
	p.t.Helper()
	select {
	case e := <-p.events:
		return e
	case <-time.After(60 * time.Second):
		p.t.Fatalf("no event within 60s; output:\n%s\n%s", p.stdout.String(), p.stderr.String())
	}
	return sse{}
}

func (p *preview) write(rel, data string) {
	p.t.Helper()
	full := filepath.Join(p.dir, filepath.FromSlash(rel))
	os.MkdirAll(filepath.Dir(full), 0o755)
	if err := os.WriteFile(full, []byte(data), 0o644); err != nil {
		p.t.Fatal(err)
	}
}

func (p *preview) get(path string) (int, string) {
	p.t.Helper()
	resp, err := http.Get(p.url + strings.TrimPrefix(path, "/"))
	if err != nil {
		p.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func paths(e sse) []string {
	var out []string
	ps, _ := e.data["paths"].([]any)
	for _, x := range ps {
		out = append(out, x.(string))
	}
	return out
}

func hasPath(e sse, p string) bool {
	for _, x := range paths(e) {
		if x == p {
			return true
		}
	}
	return false
}

const toolkit = "---\ntitle: Toolkit\nslug: public-sector-toolkit\nweight: 20\nlastmod: 2003-12-01\n---\n## What it holds\n\nProtocols. Back to [the law](legal-guidance.md#the-law).\n"

func TestServeBodyEditAndAtomicSave(t *testing.T) {
	p := startPreview(t)
	p.write("content/data-sharing/toolkit.md", strings.Replace(toolkit, "Protocols.", "Protocols and guides.", 1))
	e := p.next()
	if e.name != "reload" || !hasPath(e, "/data-sharing/public-sector-toolkit/") || hasPath(e, "/privacy/") {
		t.Errorf("body edit: %v", e)
	}
	if _, body := p.get("/data-sharing/public-sector-toolkit/"); !strings.Contains(body, "Protocols and guides.") || !strings.Contains(body, "/__charter/reload.js") {
		t.Error("edited page not served with the reload script")
	}
	// An atomic save: write a temporary file, rename it over the page.
	tmp := filepath.Join(p.dir, "content/data-sharing/.toolkit.md.tmp")
	os.WriteFile(tmp, []byte(strings.Replace(toolkit, "Protocols.", "Atomic words.", 1)), 0o644)
	os.Rename(tmp, filepath.Join(p.dir, "content/data-sharing/toolkit.md"))
	e = p.next()
	if e.name != "reload" || !hasPath(e, "/data-sharing/public-sector-toolkit/") {
		t.Errorf("atomic save: %v", e)
	}
	if _, body := p.get("/data-sharing/public-sector-toolkit/"); !strings.Contains(body, "Atomic words.") {
		t.Error("atomic save not served")
	}
	if code, _ := p.get("/data-sharing/.toolkit.md.tmp/"); code != 404 {
		t.Error("temporary file became a page")
	}
}

func TestServeTreeChanges(t *testing.T) {
	p := startPreview(t)
	p.write("content/data-sharing/new/page.md", "---\ntitle: Brand new\n---\nHello.\n")
	e := p.next()
	if e.name != "reload" || !hasPath(e, "/data-sharing/new/page/") {
		t.Errorf("new page: %v", e)
	}
	if code, _ := p.get("/data-sharing/new/page/"); code != 200 {
		t.Errorf("new page: %d", code)
	}
	// Rename it.
	os.Rename(filepath.Join(p.dir, "content/data-sharing/new/page.md"), filepath.Join(p.dir, "content/data-sharing/new/renamed.md"))
	e = p.next()
	if e.name != "reload" || !hasPath(e, "/data-sharing/new/page/") || !hasPath(e, "/data-sharing/new/renamed/") {
		t.Errorf("rename: %v", e)
	}
	if code, _ := p.get("/data-sharing/new/page/"); code != 404 {
		t.Errorf("old URL after rename: %d", code)
	}
	// Delete the privacy page; the home page's footer links to it, so
	// drop that link in the same save.
	os.Remove(filepath.Join(p.dir, "content/privacy.md"))
	home, _ := os.ReadFile(filepath.Join(p.dir, "content/_index.md"))
	p.write("content/_index.md", strings.Replace(string(home), "  footer_links:\n    - title: Privacy\n      url: /privacy/\n", "", 1))
	for e = p.next(); e.name != "reload"; e = p.next() {
	}
	code, body := p.get("/privacy/")
	if code != 404 || !strings.Contains(body, "Not found") {
		t.Errorf("deleted page: %d %q", code, body)
	}
	if _, body := p.get("/data-sharing/"); strings.Contains(body, `href="/privacy/"`) {
		t.Error("deleted page still in the navigation")
	}
}

func TestServeLayoutCSSAndErrors(t *testing.T) {
	p := startPreview(t)
	p.write("layouts/_default/faqs.html", "{{ define \"main\" }}<h1>{{ .Title }} (edited)</h1>{{ .Content }}{{ end }}")
	e := p.next()
	if e.name != "reload" || !hasPath(e, "/questions/") || hasPath(e, "/privacy/") {
		t.Errorf("layout edit: %v", e)
	}
	p.write("static/css/site.css", "body { color: #111; }")
	if e := p.next(); e.name != "css" {
		t.Errorf("CSS edit: %v, want a css event", e)
	}
	p.write("content/privacy.md", "+++\ntitle = \"Privacy\nlastmod = 2004-02-01\n+++\n")
	e = p.next()
	msg, _ := e.data["message"].(string)
	if e.name != "build-error" || !strings.Contains(msg, "content/privacy.md:2: front matter is not valid TOML") {
		t.Errorf("broken front matter: %v", e)
	}
	if code, body := p.get("/privacy/"); code != 200 || !strings.Contains(body, "We keep") {
		t.Error("the last good page is not served while the build is broken")
	}
	p.write("content/privacy.md", "+++\ntitle = \"Privacy\"\nlastmod = 2004-02-01\n+++\nFixed.\n")
	if e := p.next(); e.name != "reload" || e.data["all"] != true {
		t.Errorf("fix: %v, want a reload of every page", e)
	}
}

func TestServeBurstIsOneRebuild(t *testing.T) {
	p := startPreview(t)
	// Like a checkout: 200 files written at once.
	for i := range 200 {
		p.write(fmt.Sprintf("content/data-sharing/burst/page-%03d.md", i), fmt.Sprintf("---\ntitle: Page %d\n---\nText.\n", i))
	}
	if e := p.next(); e.name != "reload" {
		t.Fatalf("burst: %v", e)
	}
	select {
	case e := <-p.events:
		t.Errorf("a second event after one burst: %v", e)
	case <-time.After(300 * time.Millisecond):
	}
	if n := strings.Count(p.stdout.String(), "Rebuilt"); n != 1 {
		t.Errorf("%d rebuilds for one burst:\n%s", n, p.stdout.String())
	}
}

func TestServeRefusesTraversal(t *testing.T) {
	p := startPreview(t)
	for _, path := range []string{"..%2f..%2fetc/passwd", "%2e%2e/%2e%2e/etc/passwd", "css/..%2f..%2fcontent/privacy.md", "a%00b", strings.Repeat("a/", 3000)} {
		code, body := p.get(path)
		if code != 404 && code != 400 {
			t.Errorf("%s: status %d", path, code)
		}
		if strings.Contains(body, "root:") || strings.Contains(body, "+++") {
			t.Errorf("%s: served a file outside the site", path)
		}
	}
}

func TestServePortInUse(t *testing.T) {
	p := startPreview(t)
	port := regexp.MustCompile(`:(\d+)/`).FindStringSubmatch(p.url)[1]
	var stdout, stderr strings.Builder
	code := Run(context.Background(), []string{"serve", "--port", port, "--source", p.dir}, &stdout, &stderr)
	if code != 1 || !strings.Contains(stderr.String(), "already in use; choose another with --port") {
		t.Errorf("exit %d: %s", code, stderr.String())
	}
}

func TestNewCommand(t *testing.T) {
	dir := writeSite(t, "small")
	now = func() time.Time { return time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC) }
	defer func() { now = time.Now }()
	code, stdout, stderr := runCmd(t, context.Background(), "new", "--source", dir, "data-sharing/open-data.md")
	if code != 0 || !strings.Contains(stdout, "http://127.0.0.1:1313/data-sharing/open-data/") {
		t.Fatalf("exit %d: %s %s", code, stdout, stderr)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "content/data-sharing/open-data.md"))
	if want := "---\ntitle: \"Open data\"\ndescription: \"\"\ndate: 2026-11-25\nlastmod: 2026-11-25\ndraft: true\n---\n"; !strings.HasPrefix(string(b), want) {
		t.Errorf("new page:\n%s", b)
	}
	if code, _, stderr := runCmd(t, context.Background(), "new", "--source", dir, "data-sharing/open-data.md"); code != 1 || !strings.Contains(stderr, "already exists") {
		t.Errorf("overwrote: %d %s", code, stderr)
	}
	if code, _, _ := runCmd(t, context.Background(), "new", "--source", dir, "elections/"); code != 0 {
		t.Error("new section failed")
	}
	if _, err := os.Stat(filepath.Join(dir, "content/elections/_index.md")); err != nil {
		t.Error("section page not created")
	}
	// The new draft builds with --drafts.
	if code, _, stderr := runCmd(t, context.Background(), "build", "--source", dir, "--drafts", "--quiet"); code != 0 {
		t.Errorf("build with the new pages: %s", stderr)
	}
}

func TestServeDraftsAndNavigate(t *testing.T) {
	p := startPreview(t, "--navigate")
	code, body := p.get("/data-sharing/secret/")
	if code != 200 || !strings.Contains(body, "Draft: not published yet.") {
		t.Errorf("draft page: %d, banner shown: %v", code, strings.Contains(body, "draft-banner"))
	}
	if _, body := p.get("/data-sharing/"); strings.Contains(body, "draft-banner") {
		t.Error("a published page carries the draft banner")
	}
	p.write("content/data-sharing/toolkit.md", strings.Replace(toolkit, "Protocols.", "Navigate here.", 1))
	e := p.next()
	if e.name != "navigate" || e.data["path"] != "/data-sharing/public-sector-toolkit/" {
		t.Errorf("--navigate: %v", e)
	}
}

func TestServeWithoutDrafts(t *testing.T) {
	p := startPreview(t, "--drafts=false")
	if code, _ := p.get("/data-sharing/secret/"); code != 404 {
		t.Errorf("--drafts=false served the draft: %d", code)
	}
}

// TestServeStartsBroken: a site that does not build at start is still
// served, with its errors on the page, and appears once it is fixed.
func TestServeStartsBroken(t *testing.T) {
	dir := writeSite(t, "small")
	put(t, dir, "content/privacy.md", "---\ntitle: [\n---\n")
	stdout, stderr := newLockedBuffer(), newLockedBuffer()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int)
	go func() { done <- Run(ctx, []string{"serve", "--port", "0", "--source", dir}, stdout, stderr) }()
	defer func() { cancel(); <-done }()
	url := stdout.waitFor(t, regexp.MustCompile(`Serving the site at (\S+)`))[1]
	if !strings.Contains(stderr.String(), "content/privacy.md:2: front matter is not valid YAML") {
		t.Errorf("terminal: %s", stderr.String())
	}
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), "The site did not build") || !strings.Contains(string(body), "content/privacy.md:2") {
		t.Errorf("page: %d %s", resp.StatusCode, body)
	}
	put(t, dir, "content/privacy.md", "---\ntitle: Privacy\n---\nFixed.\n")
	stdout.waitFor(t, regexp.MustCompile(`Fixed: the site builds again \(built \d+ pages`))
	resp, err = http.Get(url + "privacy/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("after the fix: %d", resp.StatusCode)
	}
}

// The preview serves the search index, made when the search page first
// asks for it after a change, so that the search page works in preview
// without slowing every save.
func TestServeSearchIndexOnDemand(t *testing.T) {
	p := startPreview(t)
	manifest := func() (hash string, chunk string) {
		t.Helper()
		code, body := p.get("/search/meta.json")
		if code != 200 {
			t.Fatalf("GET search/meta.json: %d %s", code, body)
		}
		var m struct {
			N int    `json:"n"`
			H string `json:"h"`
		}
		if err := json.Unmarshal([]byte(body), &m); err != nil || m.N < 3 || m.H == "" {
			t.Fatalf("search/meta.json = %s (%v)", body, err)
		}
		code, chunk = p.get("/search/" + m.H + "/d/0.json")
		if code != 200 {
			t.Fatalf("GET the first metadata chunk: %d", code)
		}
		return m.H, chunk
	}
	h1, chunk := manifest()
	if !strings.Contains(chunk, "Toolkit") {
		t.Errorf("the index does not list the toolkit page: %s", chunk)
	}
	p.write("content/data-sharing/toolkit.md", strings.Replace(toolkit, "title: Toolkit", "title: Zebrafinch toolkit", 1))
	if e := p.next(); e.name != "reload" {
		t.Fatalf("after a title edit: %v", e)
	}
	h2, chunk := manifest()
	if h2 == h1 || !strings.Contains(chunk, "Zebrafinch toolkit") {
		t.Errorf("the index did not follow the edit: hash %s then %s, chunk %s", h1, h2, chunk)
	}
	if code, _ := p.get("/search/" + h1 + "/d/0.json"); code != 404 {
		t.Errorf("the old index is still served: %d", code)
	}
}

// --write leaves in public/ what `charter build` would: the same pages,
// fingerprinted files and search index, and rewrites it after each save.
func TestServeWrite(t *testing.T) {
	p := startPreview(t, "--write")
	public := filepath.Join(p.dir, "public")
	built := filepath.Join(t.TempDir(), "public")
	if code, _, stderr := runCmd(t, context.Background(), "build", "--quiet", "--source", p.dir, "--dest", built); code != 0 {
		t.Fatal(stderr)
	}
	for _, name := range []string{"index.html", "search/meta.json", "sitemap.xml", site.MarkerFile} {
		want, err := os.ReadFile(filepath.Join(built, name))
		if err != nil {
			t.Fatal(err)
		}
		if got, err := os.ReadFile(filepath.Join(public, name)); err != nil || string(got) != string(want) {
			t.Errorf("public/%s differs from what charter build writes (%v)", name, err)
		}
	}
	p.write("content/data-sharing/toolkit.md", strings.Replace(toolkit, "Protocols.", "Written out.", 1))
	if e := p.next(); e.name != "reload" {
		t.Fatalf("after an edit: %v", e)
	}
	// public/ is written after the preview reloads, so as not to hold the
	// reload up: wait for it.
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		got, _ := os.ReadFile(filepath.Join(public, "data-sharing/public-sector-toolkit/index.html"))
		if strings.Contains(string(got), "Written out.") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("public/ was not rewritten after the edit")
		}
	}
}

package cli

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"charter/site/serve"
)

// Regression tests for the preview problems of issue 13, each named after
// its number there. Those about the incremental path run with the full
// check turned off (quiet of an hour), so that they test the fast path
// itself; the model test checks the two together.

// realSiteModel is a preview over a copy of the department's site, with
// the full check after quiet, watching dirs (all three when none).
func realSiteModel(t *testing.T, quiet time.Duration, dirs ...string) *model {
	t.Helper()
	m := &model{t: t, dir: t.TempDir(), orig: map[string][]byte{}}
	for _, d := range []string{"content", "layouts", "static"} {
		copyTree(t, filepath.Join("../..", d), filepath.Join(m.dir, d))
	}
	if len(dirs) == 0 {
		dirs = []string{"content", "layouts", "static"}
	}
	m.start(quiet, dirs...)
	return m
}

func copyTree(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		put(t, to, filepath.ToSlash(rel), string(data))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// sed replaces old with new in a file of the model's site.
func (m *model) sed(rel, old, new string) {
	m.t.Helper()
	s := m.read(rel)
	if !strings.Contains(s, old) {
		m.t.Fatalf("%s has no %q", rel, old)
	}
	m.write(rel, strings.ReplaceAll(s, old, new))
}

const noCheck = time.Hour

// 1. A later save must not hide an earlier error: the changes of a failed
// build stay pending.
func TestPreviewLaterSaveKeepsEarlierError(t *testing.T) {
	m := realSiteModel(t, noCheck)
	m.sed("content/data-sharing/toolkit.md", "(legal-guidance.md)", "(legal-guidence.md)")
	if s := m.nextBuild(); s.ok || !strings.Contains(m.p.srv.Error(), "content/data-sharing/toolkit.md:") {
		t.Fatalf("the broken link is not shown: %q", m.p.srv.Error())
	}
	m.sed("content/faqs/human-rights.md", "---\n\n", "---\n\nA valid change.\n\n")
	if s := m.nextBuild(); s.ok {
		t.Errorf("a valid save elsewhere cleared the error; output:\n%s", m.out.String())
	}
	if !strings.Contains(m.p.srv.Error(), "content/data-sharing/toolkit.md:") {
		t.Errorf("the toolkit's error is no longer shown: %q", m.p.srv.Error())
	}
	m.sed("content/data-sharing/toolkit.md", "(legal-guidence.md)", "(legal-guidance.md)")
	if s := m.nextBuild(); !s.ok {
		t.Fatalf("the fix did not build: %s", m.p.srv.Error())
	}
	if !strings.Contains(string(m.p.srv.Files()["faqs/human-rights/index.html"]), "A valid change.") {
		t.Error("the valid change made while the site was broken is not served")
	}
	if !strings.Contains(m.out.String(), "Fixed: the site builds again") {
		t.Errorf("the fix is not reported as one:\n%s", m.out.String())
	}
}

// 2. A section rename, then one sed run that fixes every link: the
// preview serves the new addresses, not the old.
func TestPreviewSectionRename(t *testing.T) {
	m := realSiteModel(t, noCheck)
	if err := os.Rename(filepath.Join(m.dir, "content/data-sharing"), filepath.Join(m.dir, "content/information-sharing")); err != nil {
		t.Fatal(err)
	}
	for s := m.nextBuild(); s.ok; s = m.nextBuild() {
	}
	if !strings.Contains(m.p.srv.Error(), "data-sharing") {
		t.Fatalf("the broken links are not listed: %q", m.p.srv.Error())
	}
	for _, f := range m.files("content", isPage) {
		if s := m.read(f); strings.Contains(s, "data-sharing/") {
			m.write(f, strings.ReplaceAll(s, "data-sharing/", "information-sharing/"))
		}
	}
	for s := m.nextBuild(); !s.ok; s = m.nextBuild() {
		if strings.Contains(m.p.srv.Error(), "content/data-sharing/") {
			t.Fatalf("errors name the old folder after the fix: %s", m.p.srv.Error())
		}
	}
	files := m.p.srv.Files()
	if _, ok := files["information-sharing/toolkit/index.html"]; !ok {
		t.Error("/information-sharing/toolkit/ is not served")
	}
	if _, ok := files["data-sharing/toolkit/index.html"]; ok {
		t.Error("/data-sharing/toolkit/ is still served")
	}
}

// 3. Two files broken by separate saves: both errors show, and fixing one
// leaves the other's.
func TestPreviewTwoBrokenFiles(t *testing.T) {
	m := realSiteModel(t, noCheck)
	m.sed("content/data-sharing/toolkit.md", "(legal-guidance.md)", "(legal-guidence.md)")
	m.nextBuild()
	m.sed("content/faqs/human-rights.md", "](", "](no-such-page.md) [x](")
	m.nextBuild()
	errs := m.p.srv.Error()
	if !strings.Contains(errs, "content/data-sharing/toolkit.md:") || !strings.Contains(errs, "content/faqs/human-rights.md:") {
		t.Errorf("both errors should show:\n%s", errs)
	}
	m.sed("content/faqs/human-rights.md", "](no-such-page.md) [x](", "](")
	if s := m.nextBuild(); s.ok {
		t.Errorf("fixing one file cleared the other's error")
	}
	if !strings.Contains(m.p.srv.Error(), "content/data-sharing/toolkit.md:") {
		t.Errorf("the toolkit's error is gone: %q", m.p.srv.Error())
	}
}

// 4. Replacing an image reloads the pages that show it: the reload event
// names the file, which the page's script looks for.
func TestServeImageReplacedReloads(t *testing.T) {
	p := startPreview(t)
	p.write("content/data-sharing/chart.png", "a new picture")
	select {
	case e := <-p.events:
		assets, _ := e.data["assets"].([]any)
		if e.name != "reload" || len(assets) != 1 || assets[0] != "/data-sharing/chart.png" {
			t.Errorf("after replacing an image: %v", e)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no event after replacing an image")
	}
	js, _ := os.ReadFile("../serve/reload.js")
	if !strings.Contains(string(js), "shows(d.assets)") {
		t.Error("reload.js does not reload a page that shows a changed file")
	}
}

// 5. With a base path, the root of the preview leads to the site.
func TestServeBaseURLRedirect(t *testing.T) {
	p := startPreview(t, "--base-url", "/rights/")
	root := strings.TrimSuffix(p.url, "rights/")
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, path := range []string{"", "rights"} {
		resp, err := client.Get(root + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != "/rights/" {
			t.Errorf("GET /%s: %d to %q, want a redirect to /rights/", path, resp.StatusCode, resp.Header.Get("Location"))
		}
	}
	if code, _ := p.get("/"); code != 200 { // p.url ends in /rights/
		t.Errorf("GET /rights/: %d", code)
	}
}

// 6. The error panel can be minimised with a button or Escape, takes at
// most a quarter of the window, and sets no inline style (a strict
// Content-Security-Policy allows it).
func TestServeErrorPanel(t *testing.T) {
	js, err := os.ReadFile("../serve/reload.js")
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{".style", "cssText", `"style"`, "innerHTML", "insertAdjacentHTML", "eval("} {
		if strings.Contains(string(js), bad) {
			t.Errorf("reload.js uses %s: a strict policy blocks inline style and script", bad)
		}
	}
	for _, want := range []string{`createElement("button")`, `"aria-expanded"`, `"aria-controls"`, `"Escape"`, "/__charter/reload.css"} {
		if !strings.Contains(string(js), want) {
			t.Errorf("reload.js has no %s", want)
		}
	}
	p := startPreview(t)
	code, css := p.get("/__charter/reload.css")
	if code != 200 {
		t.Fatalf("GET /__charter/reload.css: %d", code)
	}
	m := regexp.MustCompile(`\.charter-error \{[^}]*max-height: (\d+)vh`).FindStringSubmatch(css)
	if m == nil || len(m[1]) > 2 || m[1] > "25" {
		t.Errorf("the panel may cover more than a quarter of the window: %v", m)
	}
	if !strings.Contains(css, ".charter-error--min .charter-error__body {\n  display: none;") {
		t.Error("a minimised panel still shows the errors")
	}
}

// 7. A batch that fails because files are still arriving is retried once
// the tree is quiet, even when no event tells of the rest. Here the
// watcher sees content/faqs only, and the page the new link needs comes
// where it does not look.
func TestPreviewRetriesWhenQuiet(t *testing.T) {
	m := realSiteModel(t, 50*time.Millisecond, "content/faqs")
	m.write("content/faqs/human-rights.md", m.read("content/faqs/human-rights.md")+"\nSee [the new page](../data-protection/arrived-late.md).\n")
	if s := m.nextBuild(); s.ok {
		t.Fatal("the link to a missing page built")
	}
	m.write("content/data-protection/arrived-late.md", "---\ntitle: Arrived late\n---\nHello.\n")
	for s := m.nextBuild(); !s.settled; s = m.nextBuild() {
	}
	if e := m.p.srv.Error(); e != "" {
		t.Errorf("the build was not retried once the tree was quiet: %s", e)
	}
	if _, ok := m.p.srv.Files()["data-protection/arrived-late/index.html"]; !ok {
		t.Error("the late page is not served")
	}
}

// 9. A partial cached per page that lists the page's headings follows a
// body edit that adds one.
func TestPreviewPartialCachedFollowsEdits(t *testing.T) {
	dir := writeSite(t, "small")
	put(t, dir, "layouts/partials/headings.html", `<ul class="headings">{{ range .TOC }}<li>{{ .Text }}</li>{{ end }}</ul>`)
	page, _ := os.ReadFile(filepath.Join(dir, "layouts/_default/page.html"))
	put(t, dir, "layouts/_default/page.html", strings.Replace(string(page), "<h1>{{ .Title }}</h1>", `<h1>{{ .Title }}</h1>{{ partialCached "headings.html" . }}`, 1))
	m := &model{t: t, dir: dir}
	m.start(noCheck, "content", "layouts", "static")
	m.write("content/data-sharing/toolkit.md", m.read("content/data-sharing/toolkit.md")+"\n## A brand new heading\n\nText.\n")
	if s := m.nextBuild(); !s.ok {
		t.Fatalf("the edit did not build: %s", m.p.srv.Error())
	}
	got := string(m.p.srv.Files()["data-sharing/public-sector-toolkit/index.html"])
	if !regexp.MustCompile(`<ul class="?headings"?><li>What it holds</li><li>A brand new heading</li></ul>`).MatchString(got) {
		t.Errorf("the cached list of headings is stale:\n%s", got)
	}
}

// The full check corrects what the incremental path got wrong, and says
// so: here the served files are tampered with behind the previewer's back.
func TestPreviewCheckCorrectsAndReports(t *testing.T) {
	m := realSiteModel(t, 30*time.Millisecond)
	m.p.srv.Apply(serve.Update{Written: serve.PackAll(map[string][]byte{"accessibility/index.html": []byte("stale"), "stray.html": []byte("stray")}), Removed: []string{"privacy/index.html"}})
	m.sed("content/faqs/human-rights.md", "---\n\n", "---\n\nA valid change.\n\n")
	m.settle()
	if !strings.Contains(m.out.String(), "bug: the preview differed from a full build in 3 files (accessibility/index.html, privacy/index.html, stray.html)") {
		t.Errorf("the correction is not reported:\n%s", m.out.String())
	}
	if n := m.p.bugs.Load(); n != 1 {
		t.Errorf("%d bugs counted, want 1", n)
	}
	m.p.bugs.Store(0)
	m.check("after the correction")
}

// A newer save cancels the build in flight: a fixed layout replaces a
// very slow one long before the slow build would have ended.
func TestPreviewNewerSaveCancelsBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("takes a few seconds of CPU")
	}
	m := realSiteModel(t, noCheck)
	orig := m.read("layouts/_default/page.html")
	m.write("layouts/_default/page.html", strings.Replace(orig, "<h1>", "{{ range 4000000 }}{{ end }}<h1>", 1))
	time.Sleep(300 * time.Millisecond) // the slow build is under way
	start := time.Now()
	m.write("layouts/_default/page.html", strings.Replace(orig, "<h1>", `<h1 data-fixed="yes">`, 1))
	for s := m.nextBuild(); !s.ok || !strings.Contains(string(m.p.srv.Files()["accessibility/index.html"]), "data-fixed"); s = m.nextBuild() {
	}
	if took := time.Since(start); took > 6*time.Second {
		t.Errorf("the fix was served %v after it was saved: the slow build was not cancelled", took)
	}
}

// The full check does not repeat, after every save, the warnings printed
// already.
func TestPreviewCheckDoesNotRepeatWarnings(t *testing.T) {
	dir := t.TempDir()
	for _, d := range []string{"content", "layouts", "static"} {
		copyTree(t, filepath.Join("../..", d), filepath.Join(dir, d))
	}
	put(t, dir, "content/disclaimer.md", "---\ntitle: Disclaimer\n---\nA [script](javascript:alert(1)) link.\n")
	m := &model{t: t, dir: dir}
	m.start(30*time.Millisecond, "content", "layouts", "static")
	for i := range 2 {
		m.sed("content/faqs/human-rights.md", "---\n\n", fmt.Sprintf("---\n\nChange %d.\n\n", i))
		m.settle()
	}
	if n := strings.Count(m.out.String(), "warning: content/disclaimer.md"); n != 1 {
		t.Errorf("the warning was printed %d times, want once:\n%s", n, m.out.String())
	}
}

// The preview lists every current error once the tree is quiet: a broken
// front matter in one file must not hide a broken link in another, which
// a build that stops at its first failing stage would.
func TestPreviewListsEveryError(t *testing.T) {
	m := realSiteModel(t, 50*time.Millisecond)
	m.sed("content/data-sharing/toolkit.md", "(legal-guidance.md)", "(legal-guidence.md)")
	m.sed("content/faqs/human-rights.md", "title:", "draft: maybe\ntitle:")
	m.settle()
	errs := m.p.srv.Error()
	if !strings.Contains(errs, "content/data-sharing/toolkit.md:") || !strings.Contains(errs, "content/faqs/human-rights.md:") {
		t.Errorf("both errors should show:\n%s", errs)
	}
	m.sed("content/faqs/human-rights.md", "draft: maybe\ntitle:", "title:")
	m.settle()
	if errs := m.p.srv.Error(); !strings.Contains(errs, "content/data-sharing/toolkit.md:") || strings.Contains(errs, "human-rights") {
		t.Errorf("only the toolkit's error should show:\n%s", errs)
	}
}

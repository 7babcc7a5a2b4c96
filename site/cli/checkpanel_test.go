package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"net/http"
	neturl "net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"charter/site"
	"charter/site/check"
	"charter/site/serve"
)

// The check panel's findings of each page are those `charter check` gives
// for it (duplicate-title aside, which needs every page): the oracle for
// check.Live is check.Run over the same build, on the fixture that has a
// fault for every rule.
func TestCheckPanelMatchesCheck(t *testing.T) {
	dir := writeArchive(t, "../testdata/check/faults.txtar")
	want, res, out := checkedBuild(t, dir, site.Config{Minify: true, Fingerprint: true, KeepGoing: true})
	cp := newCheckPanel()
	cp.update(res, servedUpdate(out.Files()))
	go func() { // the previewer's part
		for {
			select {
			case req := <-cp.loads:
				req.reply <- cp.pages(req.outputs, func(name string) ([]byte, bool) { d, ok := out.Files()[name]; return d, ok })
			case <-cp.done:
				return
			}
		}
	}()
	defer close(cp.done)
	total := 0
	for _, p := range CheckSite(res, out.Files()).Pages {
		fs, ok := cp.live.Findings(p.Output)
		if !ok {
			t.Fatalf("the panel has no page %s", p.Output)
		}
		var got []string
		for _, f := range fs {
			got = append(got, findingText(f))
		}
		total += len(got)
		if !slices.Equal(got, want[p.Output]) {
			t.Errorf("%s: panel findings differ from check's\n--- panel\n%s\n--- check\n%s", p.Output, strings.Join(got, "\n"), strings.Join(want[p.Output], "\n"))
		}
	}
	if total < 20 {
		t.Errorf("only %d findings compared", total)
	}
}

func findingText(f check.Finding) string {
	return fmt.Sprintf("%s:%d:%d %s %s: %s (fix: %s)", f.File, f.Line, f.Col, f.Severity, f.Rule, f.Message, f.Fix)
}

// panelFindings asks the preview for the check panel's findings of a page.
func (p *preview) panelFindings(page string) (int, []panelFinding) {
	p.t.Helper()
	code, body := p.get("/__charter/findings?page=" + page)
	if code != http.StatusOK {
		return code, nil
	}
	var d struct{ Findings []panelFinding }
	if err := json.Unmarshal([]byte(body), &d); err != nil {
		p.t.Fatalf("findings of %s: %v\n%s", page, err, body)
	}
	return code, d.Findings
}

func longSentence(fs []panelFinding) *panelFinding {
	for i, f := range fs {
		if f.Rule == "long-sentence" {
			return &fs[i]
		}
	}
	return nil
}

// The preview's check panel shows a fault of the page in view with its
// Markdown file and line and its fix, and drops it after a save that
// fixes it.
func TestServeCheckPanel(t *testing.T) {
	p := startPreview(t)
	const page = "/data-sharing/public-sector-toolkit/"
	if code, fs := p.panelFindings(page); code != 200 || longSentence(fs) != nil {
		t.Fatalf("before the edit: %d %+v", code, fs)
	}
	long := "Protocols " + strings.Repeat("and guides ", 20) + "are here."
	p.write("content/data-sharing/toolkit.md", strings.Replace(toolkit, "Protocols.", long, 1))
	if e := p.next(); e.name != "reload" || !hasPath(e, page) {
		t.Fatalf("after the edit: %v", e)
	}
	_, fs := p.panelFindings(page)
	f := longSentence(fs)
	if f == nil || f.File != "content/data-sharing/toolkit.md" || f.Line != 9 || f.Fix == "" || f.Severity != "warning" {
		t.Fatalf("the long sentence is not in the panel at toolkit.md:9 with its fix: %+v", fs)
	}
	p.write("content/data-sharing/toolkit.md", strings.Replace(toolkit, "Protocols.", "Short words.", 1))
	if e := p.next(); e.name != "reload" || !hasPath(e, page) {
		t.Fatalf("after the fix: %v", e)
	}
	if _, fs := p.panelFindings(page); longSentence(fs) != nil {
		t.Errorf("the fixed sentence is still in the panel: %+v", fs)
	}
	if code, _ := p.panelFindings("/no-such-page/"); code != http.StatusNotFound {
		t.Errorf("findings of a page the site lacks: %d, want 404", code)
	}
	if code, _ := p.panelFindings("/../../etc/passwd"); code != http.StatusNotFound {
		t.Errorf("findings outside the site: %d, want 404", code)
	}
	req, _ := http.NewRequest("GET", p.url+"__charter/findings?page=/", nil)
	req.Host = "attacker.example:1313"
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusForbidden {
		t.Errorf("findings for another Host: %v %v, want 403", resp, err)
	} else {
		resp.Body.Close()
	}
	req, _ = http.NewRequest("GET", p.url+"__charter/findings?page=/", nil)
	req.Header.Set("Origin", "http://attacker.example")
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusForbidden {
		t.Errorf("findings for a page of another Origin: %v %v, want 403", resp, err)
	} else {
		resp.Body.Close()
	}
}

// With --no-check-panel the endpoint is gone, and the script shows no panel.
func TestServeNoCheckPanel(t *testing.T) {
	p := startPreview(t, "--no-check-panel")
	if code, _ := p.panelFindings("/"); code != http.StatusNotFound {
		t.Errorf("findings with --no-check-panel: %d, want 404", code)
	}
}

// Nothing of the panel reaches a build, nor public/ with serve --write.
func TestCheckPanelNotBuilt(t *testing.T) {
	p := startPreview(t, "--write")
	built := filepath.Join(t.TempDir(), "public")
	if code, _, stderr := runCmd(t, context.Background(), "build", "--quiet", "--source", p.dir, "--dest", built); code != 0 {
		t.Fatal(stderr)
	}
	for _, dir := range []string{built, filepath.Join(p.dir, "public")} {
		n := 0
		filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			n++
			data, _ := os.ReadFile(path)
			for _, trace := range []string{"charter-check", "__charter", "findings?page"} {
				if strings.Contains(string(data), trace) {
					t.Errorf("%s holds %q", path, trace)
				}
			}
			return nil
		})
		if n < 10 {
			t.Errorf("%s: only %d files", dir, n)
		}
	}
}

// servedUpdate is the server's update for a whole build's files.
func servedUpdate(files map[string][]byte) serve.Update {
	return serve.Update{Written: serve.PackAll(files), Replace: true}
}

// panelReport is what .ci/a11y/panel.mjs prints.
type panelReport struct {
	Browser    string
	Findings   int
	Label      string
	Failures   []string
	Violations []struct {
		Rule, Help string
		Nodes      []string
	}
}

// TestBrowserCheckPanel opens a previewed page with findings in headless
// Chromium and uses its check panel with the keyboard: Tab to its button,
// Enter to open it, the arrow keys, Home and End through the findings,
// Escape to close it; the panel must never cover the end of the page, and
// axe-core must find nothing on the page with the panel open.
func TestBrowserCheckPanel(t *testing.T) {
	if testing.Short() {
		t.Skip("opens a page in headless Chromium; skipped with -short")
	}
	node := a11yTool(t, "NODE", "node", "nodejs")
	chromium := a11yTool(t, "CHROMIUM", "chromium", "chromium-browser")
	a11yPackages(t)
	dir := t.TempDir()
	for _, d := range []string{"content", "layouts", "static"} {
		copyTree(t, filepath.Join("../..", d), filepath.Join(dir, d))
	}
	// Two faults for the panel to list, at the end of the page.
	md, err := os.ReadFile(filepath.Join(dir, "content/data-sharing/toolkit.md"))
	if err != nil {
		t.Fatal(err)
	}
	long := "\n\nThis sentence" + strings.Repeat(" goes on and on", 12) + " to the end.\n"
	put(t, dir, "content/data-sharing/toolkit.md", string(md)+long+long)
	p := startPreviewDir(t, dir)
	const page = "/data-sharing/toolkit/"
	var rep panelReport
	err = runBrowserScript(t, node, chromium, "panel.mjs", p.url, []byte(page), 2*time.Minute, &rep)
	t.Logf("the panel in Chromium %s: %q, %d findings", rep.Browser, rep.Label, rep.Findings)
	for _, f := range rep.Failures {
		t.Error(f)
	}
	for _, v := range rep.Violations {
		t.Errorf("axe: %s: %s\n\t%s", v.Rule, v.Help, strings.Join(v.Nodes, "\n\t"))
	}
	if err != nil && len(rep.Failures) == 0 && len(rep.Violations) == 0 {
		t.Error(err)
	}
}

// The check panel follows edits: after each of a seeded random walk of
// edits (faults added and fixed, fragments of other pages broken and
// mended, pages added and removed), built incrementally as the preview
// builds them, the panel's findings of the pages asked for are those of
// check.Run over a fresh full build. Some pages are asked for after
// every step and others only now and then, so that findings stay cached
// across several builds. A fixed seed runs in go test;
// CHARTER_PANEL_STEPS=N runs N steps from a seed taken from the clock (or
// CHARTER_PANEL_SEED), and a failure prints the seed.
func TestCheckPanelFollowsEdits(t *testing.T) {
	steps, seed := 12, uint64(13)
	if n, err := strconv.Atoi(os.Getenv("CHARTER_PANEL_STEPS")); err == nil && n > 0 {
		steps, seed = n, uint64(time.Now().UnixNano())
	}
	if s := os.Getenv("CHARTER_PANEL_SEED"); s != "" {
		seed, _ = strconv.ParseUint(s, 10, 64)
	}
	t.Logf("seed %d, %d steps; replay with CHARTER_PANEL_SEED=%[1]d CHARTER_PANEL_STEPS=%[2]d", seed, steps)
	rng := rand.New(rand.NewPCG(seed, 0))
	dir := writeArchive(t, "../testdata/check/faults.txtar")
	cfg := site.Config{Minify: true, Serve: true, KeepGoing: true}
	b, err := site.NewBuilder(cfg, os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	out := site.NewMemOutput()
	res, err := b.Build(context.Background(), out)
	if err != nil {
		t.Fatal(err)
	}
	files := out.Files()
	cp := newCheckPanel()
	cp.update(res, servedUpdate(files))
	go func() { // the previewer's part
		for {
			select {
			case req := <-cp.loads:
				req.reply <- cp.pages(req.outputs, func(name string) ([]byte, bool) { d, ok := files[name]; return d, ok })
			case <-cp.done:
				return
			}
		}
	}()
	defer close(cp.done)
	edits := []func() string{
		func() string {
			return appendTo(t, dir, rng, "\n\nThis sentence"+strings.Repeat(" goes on and on", 12)+" to the end.\n")
		},
		func() string { return appendTo(t, dir, rng, "\n\nSee [the part](fragment.md#no-such-part).\n") },
		func() string {
			return appendTo(t, dir, rng, "\n\n## A part {#"+fmt.Sprint("part-", rng.IntN(3))+"}\n\nText.\n")
		},
		func() string {
			return appendTo(t, dir, rng, "\n\nSee [that](other.md#part-"+fmt.Sprint(rng.IntN(3))+").\n")
		},
		func() string { return appendTo(t, dir, rng, "\n\nWe shall utilise it.\n") },
		func() string {
			put(t, dir, "content/other.md", "---\ntitle: Other\ndescription: Other things.\n---\nPlain text.\n")
			return "content/other.md"
		},
		func() string {
			put(t, dir, "content/extra.md", "---\ntitle: Extra\n---\n![](/chart.png)\n\nSee [other](other.md#part-1).\n")
			return "content/extra.md"
		},
		func() string { os.Remove(filepath.Join(dir, "content/extra.md")); return "content/extra.md" },
	}
	for step := range steps {
		changed := edits[rng.IntN(len(edits))]()
		_, statErr := os.Stat(filepath.Join(dir, changed))
		mo := site.NewMemOutput()
		res, err := b.Build(context.Background(), mo, site.Change{Path: changed, Removed: statErr != nil})
		if err != nil {
			t.Fatalf("step %d (%s): %v", step, changed, err)
		}
		for name, data := range mo.Files() {
			files[name] = data
		}
		for _, name := range res.Removed {
			delete(files, name)
		}
		cp.update(res, serve.Update{Written: serve.PackAll(mo.Files()), Removed: res.Removed})
		want := freshFindings(t, dir, cfg)
		for output, fs := range want {
			if output != "index.html" && output != "other/index.html" && rng.IntN(3) > 0 && step < steps-1 {
				continue // not asked for this time
			}
			got, ok := cp.live.Findings(output)
			if !ok {
				t.Fatalf("seed %d, step %d (%s): the panel has no page %s", seed, step, changed, output)
			}
			var gs []string
			for _, f := range got {
				gs = append(gs, findingText(f))
			}
			if !slices.Equal(gs, fs) {
				t.Fatalf("seed %d, step %d (%s): %s: the panel's findings differ from check's\n--- panel\n%s\n--- check\n%s",
					seed, step, changed, output, strings.Join(gs, "\n"), strings.Join(fs, "\n"))
			}
		}
	}
}

// appendTo appends text to a random page of the fault fixture and returns
// its path.
func appendTo(t *testing.T, dir string, rng *rand.Rand, text string) string {
	t.Helper()
	pages := []string{"content/other.md", "content/fragment.md", "content/long-sentence.md", "content/avoid.md", "content/_index.md"}
	rel := pages[rng.IntN(len(pages))]
	data, err := os.ReadFile(filepath.Join(dir, rel))
	if err != nil {
		t.Fatal(err)
	}
	put(t, dir, rel, string(data)+text)
	return rel
}

// freshFindings is what check.Run finds on a full build of dir, by page
// output file, without the build's own findings and duplicate-title.
func freshFindings(t *testing.T, dir string, cfg site.Config) map[string][]string {
	t.Helper()
	want, _, _ := checkedBuild(t, dir, cfg)
	return want
}

// checkedBuild builds dir in memory and checks it as the panel would:
// check.Run's findings by page output file (every page a key), without
// the build's own findings and duplicate-title, which needs every page.
func checkedBuild(t *testing.T, dir string, cfg site.Config) (map[string][]string, *site.Result, *site.MemOutput) {
	t.Helper()
	b, err := site.NewBuilder(cfg, os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	out := site.NewMemOutput()
	res, err := b.Build(context.Background(), out)
	if err != nil {
		t.Fatal(err)
	}
	s := CheckSite(res, out.Files())
	s.Known = nil // the build's own findings are the terminal's, not the panel's
	want := map[string][]string{}
	pageOf := map[string]string{}
	for _, p := range s.Pages {
		want[p.Output] = nil
		pageOf[p.Source] = p.Output
		pageOf[s.OutputPrefix+p.Output] = p.Output
	}
	for _, f := range check.Run(s, check.Options{Now: time.Now()}) {
		if f.Rule != "duplicate-title" {
			want[pageOf[f.File]] = append(want[pageOf[f.File]], findingText(f))
		}
	}
	return want, res, out
}

// Findings asked for while saves come and builds run are answered, and the
// last answer follows the last save (run with -race).
func TestServeCheckPanelDuringEdits(t *testing.T) {
	p := startPreview(t)
	const page = "/data-sharing/public-sector-toolkit/"
	stop := make(chan struct{})
	done := make(chan error)
	go func() {
		for {
			for _, pg := range []string{page, "/", "/privacy/"} {
				resp, err := http.Get(p.url + "__charter/findings?page=" + pg)
				if err != nil {
					done <- err
					return
				}
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					done <- fmt.Errorf("findings of %s: %s", pg, resp.Status)
					return
				}
			}
			select {
			case <-stop:
				done <- nil
				return
			default:
			}
		}
	}()
	long := "Protocols " + strings.Repeat("and guides ", 20) + "are here."
	for i := range 6 {
		text := "Short words."
		if i%2 == 0 {
			text = long
		}
		p.write("content/data-sharing/toolkit.md", strings.Replace(toolkit, "Protocols.", text+fmt.Sprint(" Edit ", i, "."), 1))
		for e := p.next(); e.name != "reload" || !hasPath(e, page); e = p.next() {
		}
	}
	close(stop)
	if err := <-done; err != nil {
		t.Error(err)
	}
	if _, fs := p.panelFindings(page); longSentence(fs) != nil {
		t.Errorf("the last save has no long sentence, the panel shows one: %+v", fs)
	}
}

// A page that no save re-rendered still shows its plain-English findings
// when the panel first asks for it after other pages changed.
func TestServeCheckPanelUnchangedPage(t *testing.T) {
	dir := writeSite(t, "small")
	md, err := os.ReadFile(filepath.Join(dir, "content/privacy.md"))
	if err != nil {
		t.Fatal(err)
	}
	put(t, dir, "content/privacy.md", string(md)+"\n\nThis sentence"+strings.Repeat(" goes on and on", 12)+" to the end.\n")
	p := startPreviewDir(t, dir)
	p.write("content/data-sharing/toolkit.md", strings.Replace(toolkit, "Protocols.", "Other words.", 1))
	if e := p.next(); e.name != "reload" || hasPath(e, "/privacy/") {
		t.Fatalf("after the edit: %v", e)
	}
	// A new page: the site's tree is assembled again.
	p.write("content/data-sharing/new.md", "---\ntitle: New\nweight: 90\n---\nNew words.\n")
	if e := p.next(); e.name != "reload" || hasPath(e, "/privacy/") {
		t.Fatalf("after the new page: %v", e)
	}
	if _, fs := p.panelFindings("/privacy/"); longSentence(fs) == nil {
		t.Errorf("the long sentence of a page the save did not re-render is not in the panel: %+v", fs)
	}
}

// Under a base path, the panel asks for the page's path as the browser
// shows it.
func TestServeCheckPanelBaseURL(t *testing.T) {
	p := startPreview(t, "--base-url", "/rights/")
	u, _ := neturl.Parse(p.url)
	resp, err := http.Get(u.Scheme + "://" + u.Host + "/__charter/findings?page=/rights/data-sharing/public-sector-toolkit/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("findings under /rights/: %s", resp.Status)
	}
}

package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"slices"
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
	b, err := site.NewBuilder(site.Config{Minify: true, Fingerprint: true, KeepGoing: true}, os.DirFS(dir))
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
		pageOf[p.Source] = p.Output
		pageOf[s.OutputPrefix+p.Output] = p.Output
	}
	for _, f := range check.Run(s, check.Options{Now: time.Now()}) {
		if f.Rule != "duplicate-title" {
			want[pageOf[f.File]] = append(want[pageOf[f.File]], findingText(f))
		}
	}
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
	return serve.Update{Written: files, Replace: true}
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

package cli

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// check reports pages with no translation in a translated section, and
// translations older than their English page, as notices at the right
// file and line; keeps the plain-English rules to English pages; passes
// --strict with them; and writes translation status in the review report.
func TestCheckTranslations(t *testing.T) {
	dir := writeArchive(t, "../testdata/check/translations.txtar")
	report := filepath.Join(t.TempDir(), "review.csv")
	code, stdout, stderr := runCmd(t, context.Background(), "check", "--source", dir, "--format", "json", "--strict", "--review-report", report)
	var findings []jsonFinding
	if err := json.Unmarshal([]byte(stdout), &findings); err != nil {
		t.Fatalf("%v: %s %s", err, stdout, stderr)
	}
	var got []string
	for _, f := range findings {
		if strings.HasPrefix(f.Rule, "translation") || f.Rule == "long-sentence" || strings.Contains(f.Rule, "sentence") {
			got = append(got, strings.Join([]string{f.File, strconv.Itoa(f.Line), f.Severity, f.Message}, "|"))
		}
	}
	want := []string{
		"content/data-sharing/legal-guidance.cy.md|4|notice|the Welsh translation may be out of date (English changed 24 November 2003, Welsh 12 June 2003)",
		"content/data-sharing/legal-guidance.md|6|warning|",
		"content/data-sharing/toolkit.md|0|notice|content/data-sharing/toolkit.md has no Welsh translation",
		"content/elections/_index.md|0|notice|content/elections/_index.md has no Welsh translation",
	}
	if len(got) != len(want) {
		t.Fatalf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("finding %d:\n%s\nwant\n%s", i, got[i], want[i])
		}
	}
	// --strict fails on the warning and on nothing else: notices pass.
	failing := 0
	for _, f := range findings {
		if f.Severity != "notice" {
			failing++
		}
	}
	if (failing > 0) != (code == 1) {
		t.Errorf("exit %d with %d errors and warnings under --strict", code, failing)
	}

	f, err := os.Open(report)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	status := map[string]string{}
	for _, r := range rows[1:] {
		status[r[0]] = r[6] + "|" + r[7]
	}
	for file, want := range map[string]string{
		"content/data-sharing/legal-guidance.md":    "en|Welsh: may be out of date",
		"content/data-sharing/toolkit.md":           "en|Welsh: missing",
		"content/elections/postal-voting.md":        "en|Welsh: not translated",
		"content/data-sharing/_index.md":            "en|Welsh: up to date",
		"content/data-sharing/legal-guidance.cy.md": "cy|translation of content/data-sharing/legal-guidance.md",
	} {
		if status[file] != want {
			t.Errorf("review report %s: %q, want %q", file, status[file], want)
		}
	}
	if !slices.Equal(rows[0][6:], []string{"language", "translation"}) {
		t.Errorf("review report columns %q", rows[0])
	}
}

// jsonFinding is a finding as check --format json writes it.
type jsonFinding struct {
	File, Rule, Severity, Message string
	Line                          int
}

// On the real site, every link that names a language (a language link,
// an alternate in the head, a link marked with lang) leads to a page that
// exists in that language; every language link leads to the other
// language; every Welsh page says it is Welsh, and the pages the issue
// names are translated.
func TestRealSiteLanguageLinks(t *testing.T) {
	dest := realSite(t)
	langOf := map[string]string{} // page path -> its html lang
	docs := map[string]*html.Node{}
	filepath.WalkDir(dest, func(p string, d os.DirEntry, err error) error {
		if err != nil || !strings.HasSuffix(p, ".html") {
			return err
		}
		rel, _ := filepath.Rel(dest, p)
		path := "/" + strings.TrimSuffix(filepath.ToSlash(rel), "index.html")
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		doc, err := html.Parse(bytes.NewReader(b))
		if err != nil {
			return err
		}
		docs[path] = doc
		for _, n := range find(doc, func(n *html.Node) bool { return n.Data == "html" }) {
			langOf[path] = attr(n, "lang")
		}
		return nil
	})
	checked := 0
	for path, doc := range docs {
		if strings.HasPrefix(path, "/cy/") != (langOf[path] == "cy") {
			t.Errorf("%s: html lang %q", path, langOf[path])
		}
		for _, n := range find(doc, func(n *html.Node) bool { return n.Data == "a" || n.Data == "link" }) {
			href, lang := attr(n, "href"), attr(n, "hreflang")
			if lang == "" {
				lang = attr(n, "lang")
			}
			if lang == "" || href == "" || attr(n, "type") != "" {
				continue
			}
			checked++
			got, ok := langOf[strings.SplitN(href, "#", 2)[0]]
			switch {
			case !ok:
				t.Errorf("%s: link to %s (%s), which is not a page", path, href, lang)
			case got != lang:
				t.Errorf("%s: link to %s says %s; the page is in %s", path, href, lang, got)
			case inside(n, "nav", "Language") || inside(n, "nav", "Iaith"):
				if got == langOf[path] {
					t.Errorf("%s: language link to %s in its own language", path, href)
				}
			}
		}
	}
	if checked < 150 {
		t.Errorf("only %d language links checked", checked)
	}
	for _, p := range []string{"/cy/", "/cy/human-rights/", "/cy/freedom-of-information/", "/cy/data-protection/", "/cy/data-sharing/", "/cy/faqs/", "/cy/contact-details/", "/cy/accessibility/"} {
		if langOf[p] != "cy" {
			t.Errorf("no Welsh page %s", p)
		}
	}
}

// charter new name.cy.md starts a translation from the English page's
// front matter, as a draft with an empty body; it refuses one whose
// English page does not exist.
func TestNewTranslation(t *testing.T) {
	dir := writeSite(t, "bilingual")
	code, stdout, stderr := runCmd(t, context.Background(), "new", "--source", dir, "data-sharing/toolkit.cy.md")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	got, err := os.ReadFile(filepath.Join(dir, "content", "data-sharing", "toolkit.cy.md"))
	if err != nil {
		t.Fatal(err)
	}
	if want := "---\ntitle: Toolkit\nweight: 2\ndraft: true\n---\n"; string(got) != want {
		t.Errorf("new translation:\n%s\nwant\n%s", got, want)
	}
	if !strings.Contains(stdout, "/cy/data-sharing/toolkit/") || !strings.Contains(stdout, "content/data-sharing/toolkit.md") {
		t.Errorf("stdout: %s", stdout)
	}
	// A section's translation; an English page marked draft: false.
	os.WriteFile(filepath.Join(dir, "content", "elections", "_index.md"), []byte("---\ntitle: Elections\ndraft: false\nparams:\n  draft: x\n---\nBody.\n"), 0o644)
	if code, stdout, stderr := runCmd(t, context.Background(), "new", "--source", dir, "elections/_index.cy.md"); code != 0 || !strings.Contains(stdout, "/cy/elections/") {
		t.Fatalf("exit %d: %s %s", code, stdout, stderr)
	}
	got, _ = os.ReadFile(filepath.Join(dir, "content", "elections", "_index.cy.md"))
	if want := "---\ntitle: Elections\ndraft: true\nparams:\n  draft: x\n---\n"; string(got) != want {
		t.Errorf("new section translation:\n%s\nwant\n%s", got, want)
	}
	// The site still builds: the drafts are left out.
	if code, _, stderr := runCmd(t, context.Background(), "build", "--quiet", "--source", dir, "--dest", filepath.Join(t.TempDir(), "public")); code != 0 {
		t.Errorf("build after new: %s", stderr)
	}
	code, _, stderr = runCmd(t, context.Background(), "new", "--source", dir, "data-sharing/missing.cy.md")
	if code != 1 || !strings.Contains(stderr, "content/data-sharing/missing.md cannot be read") {
		t.Errorf("new for a page with no English page: exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "content", "data-sharing", "missing.cy.md")); err == nil {
		t.Error("created a translation of a missing page")
	}
}

// The preview serves the Welsh pages, rebuilds them on a save, and makes
// the Welsh search index on demand.
func TestServeWelsh(t *testing.T) {
	p := startPreviewDir(t, writeSite(t, "bilingual"))
	code, body := p.get("/cy/data-sharing/legal-guidance/")
	if code != 200 || !strings.Contains(body, `<html lang="cy">`) || !strings.Contains(body, "Canllawiau ar y gyfraith.") {
		t.Fatalf("GET /cy/data-sharing/legal-guidance/: %d %s", code, body)
	}
	p.write("content/data-sharing/legal-guidance.cy.md", "---\ntitle: Canllawiau cyfreithiol\nweight: 1\nlastmod: 2003-11-24\n---\nGeiriau newydd sbon.\n")
	if e := p.next(); e.name != "reload" {
		t.Fatalf("after a Welsh edit: %v", e)
	}
	if _, body := p.get("/cy/data-sharing/legal-guidance/"); !strings.Contains(body, "Geiriau newydd sbon.") {
		t.Errorf("the edit is not served: %s", body)
	}
	code, body = p.get("/cy/search/meta.json")
	if code != 200 || !strings.Contains(body, `"l":"cy"`) {
		t.Errorf("GET /cy/search/meta.json: %d %s", code, body)
	}
}

// The browser tests (axe, reflow, the Nu checker) go over the Welsh pages
// too: the pages they are given include every Welsh page and 404.
func TestBrowserPagesIncludeWelsh(t *testing.T) {
	pages := sitePages(t, builtSite(t))
	welsh := 0
	for _, p := range pages {
		if strings.HasPrefix(p, "/cy/") {
			welsh++
		}
	}
	if welsh < 10 || !slices.Contains(pages, "/cy/404.html") || !slices.Contains(pages, "/404.html") || !slices.Contains(pages, "/cy/") {
		t.Errorf("%d Welsh pages of %d: %v", welsh, len(pages), pages)
	}
}

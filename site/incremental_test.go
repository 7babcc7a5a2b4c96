package site

import (
	"context"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// liveSite is a test site on disk with one serve-mode Builder, whose
// output is kept the way the preview server keeps it.
type liveSite struct {
	t     *testing.T
	dir   string
	b     *Builder
	files map[string][]byte
}

func newLiveSite(t *testing.T) *liveSite {
	t.Helper()
	fsys, _ := siteFS(t, "testdata/sites/small.txtar")
	dir := t.TempDir()
	for name, f := range fsys {
		writeFile(t, filepath.Join(dir, name), string(f.Data))
	}
	b, err := NewBuilder(Config{Serve: true}, os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	ls := &liveSite{t: t, dir: dir, b: b, files: map[string][]byte{}}
	ls.build()
	return ls
}

func writeFile(t *testing.T, p, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// build runs a build with changes and applies its output.
func (ls *liveSite) build(changes ...Change) (*Result, error) {
	ls.t.Helper()
	out := NewMemOutput()
	res, err := ls.b.Build(context.Background(), out, changes...)
	if err != nil {
		return nil, err
	}
	maps.Copy(ls.files, out.Files())
	for _, f := range res.Removed {
		delete(ls.files, f)
	}
	return res, nil
}

func (ls *liveSite) mustBuild(changes ...Change) *Result {
	ls.t.Helper()
	res, err := ls.build(changes...)
	if err != nil {
		ls.t.Fatalf("rebuild failed: %v", err)
	}
	return res
}

func (ls *liveSite) write(rel, data string) Change {
	writeFile(ls.t, filepath.Join(ls.dir, rel), data)
	return Change{Path: rel}
}

func (ls *liveSite) remove(rel string) Change {
	if err := os.RemoveAll(filepath.Join(ls.dir, rel)); err != nil {
		ls.t.Fatal(err)
	}
	return Change{Path: rel, Removed: true}
}

// matchesFullBuild checks that the incrementally kept output equals a
// fresh full build of the same files.
func (ls *liveSite) matchesFullBuild() {
	ls.t.Helper()
	b, _ := NewBuilder(Config{}, os.DirFS(ls.dir))
	out := NewMemOutput()
	if _, err := b.Build(context.Background(), out); err != nil {
		ls.t.Fatalf("full build: %v", err)
	}
	want := out.Files()
	for name, data := range want {
		if got, ok := ls.files[name]; !ok {
			ls.t.Errorf("incremental output lacks %s", name)
		} else if string(got) != string(data) {
			ls.t.Errorf("incremental output of %s differs from a full build:\n%s\n---\n%s", name, got, data)
		}
	}
	for name := range ls.files {
		if _, ok := want[name]; !ok {
			ls.t.Errorf("incremental output has %s, which a full build does not", name)
		}
	}
}

func TestIncrementalBodyEdit(t *testing.T) {
	ls := newLiveSite(t)
	res := ls.mustBuild(ls.write("content/data-sharing/toolkit.md", "---\ntitle: Toolkit\nslug: public-sector-toolkit\nweight: 20\nlastmod: 2003-12-01\n---\n## What it holds\n\nNew words.\n"))
	// The page, its section and its neighbour: not the whole site.
	if res.Rendered != 3 {
		t.Errorf("rendered %d pages, want 3", res.Rendered)
	}
	if !strings.Contains(string(ls.files["data-sharing/public-sector-toolkit/index.html"]), "New words.") {
		t.Error("edit not in the output")
	}
	ls.matchesFullBuild()
}

func TestIncrementalTitleChange(t *testing.T) {
	ls := newLiveSite(t)
	res := ls.mustBuild(ls.write("content/data-sharing/toolkit.md", "---\ntitle: The toolkit\nslug: public-sector-toolkit\nweight: 5\nlastmod: 2003-12-01\n---\n## What it holds\n\nProtocols. Back to [the law](legal-guidance.md#the-law).\n"))
	if res.Rendered < 3 || res.Rendered >= len(res.Site.AllPages) {
		t.Errorf("rendered %d of %d pages", res.Rendered, len(res.Site.AllPages))
	}
	ls.matchesFullBuild()
}

func TestIncrementalTreeChanges(t *testing.T) {
	ls := newLiveSite(t)
	// A new page in a new sub-folder.
	res := ls.mustBuild(ls.write("content/data-sharing/new/deep.md", "---\ntitle: Deep\n---\nSee [the law](../legal-guidance.md).\n"))
	if _, ok := ls.files["data-sharing/new/deep/index.html"]; !ok {
		t.Error("new page not written")
	}
	ls.matchesFullBuild()
	// Rename it.
	ls.remove("content/data-sharing/new/deep.md")
	res = ls.mustBuild(Change{Path: "content/data-sharing/new/deep.md", Removed: true}, ls.write("content/data-sharing/new/deeper.md", "---\ntitle: Deeper\n---\nText.\n"))
	if !slices.Contains(res.Removed, "data-sharing/new/deep/index.html") {
		t.Errorf("renamed page's old output not removed: %v", res.Removed)
	}
	ls.matchesFullBuild()
	// Remove the whole folder.
	res = ls.mustBuild(ls.remove("content/data-sharing/new"))
	if _, ok := ls.files["data-sharing/new/deeper/index.html"]; ok {
		t.Error("page of a removed folder still served")
	}
	ls.matchesFullBuild()
}

func TestIncrementalDeleteLinkedPage(t *testing.T) {
	ls := newLiveSite(t)
	// legal-guidance.md links to toolkit.md: deleting it breaks that link.
	_, err := ls.build(ls.remove("content/data-sharing/toolkit.md"))
	if err == nil || !strings.Contains(err.Error(), "content/data-sharing/legal-guidance.md:14: link to content/data-sharing/toolkit.md, which does not exist") {
		t.Fatalf("got %v", err)
	}
	// Restoring it makes the site whole again.
	ls.mustBuild(ls.write("content/data-sharing/toolkit.md", "---\ntitle: Toolkit\nslug: public-sector-toolkit\nweight: 20\nlastmod: 2003-12-01\n---\n## What it holds\n\nProtocols. Back to [the law](legal-guidance.md#the-law).\n"))
	ls.matchesFullBuild()
}

func TestIncrementalBrokenFrontMatterKeepsState(t *testing.T) {
	ls := newLiveSite(t)
	before := maps.Clone(ls.files)
	_, err := ls.build(ls.write("content/privacy.md", "+++\ntitle = \"Privacy\nlastmod = 2004-02-01\n+++\n"))
	if err == nil || !strings.HasPrefix(err.Error(), "content/privacy.md:2: front matter is not valid TOML") {
		t.Fatalf("got %v", err)
	}
	if !maps.EqualFunc(before, ls.files, func(a, b []byte) bool { return string(a) == string(b) }) {
		t.Error("a failed rebuild changed the output")
	}
	ls.mustBuild(ls.write("content/privacy.md", "+++\ntitle = \"Privacy notice\"\nlastmod = 2004-02-01\n+++\nFixed.\n"))
	ls.matchesFullBuild()
}

func TestIncrementalLayoutAndCSS(t *testing.T) {
	ls := newLiveSite(t)
	res := ls.mustBuild(ls.write("layouts/_default/faqs.html", "{{ define \"main\" }}<h1>{{ .Title }}!</h1>{{ .Content }}{{ end }}"))
	if res.Rendered != 1 {
		t.Errorf("a leaf layout edit rendered %d pages, want the 1 that uses it", res.Rendered)
	}
	ls.matchesFullBuild()
	res = ls.mustBuild(ls.write("layouts/_default/baseof.html", "<!DOCTYPE html><html><body>{{ block \"main\" . }}{{ end }}</body></html>"))
	if res.Rendered != len(res.Site.AllPages) {
		t.Errorf("a baseof edit rendered %d of %d pages", res.Rendered, len(res.Site.AllPages))
	}
	ls.matchesFullBuild()
	res = ls.mustBuild(ls.write("static/css/site.css", "body { color: #111; }"))
	if !res.CSSOnly || res.Rendered != 0 || !slices.Equal(res.Written, []string{"css/site.css"}) {
		t.Errorf("CSS edit: CSSOnly %v, rendered %d, wrote %v", res.CSSOnly, res.Rendered, res.Written)
	}
	ls.matchesFullBuild()
	res = ls.mustBuild(ls.remove("static/css/site.css"))
	if !slices.Contains(res.Removed, "css/site.css") {
		t.Errorf("removed stylesheet still served: %v", res.Removed)
	}
	ls.matchesFullBuild()
}

func TestIncrementalIgnoresEditorFiles(t *testing.T) {
	ls := newLiveSite(t)
	res := ls.mustBuild(ls.write("content/.privacy.md.swp", "junk"), ls.write("content/privacy.md~", "junk"), ls.write("content/#privacy.md#", "junk"))
	if res.Rendered != 0 || len(res.Written) != 0 {
		t.Errorf("editor files caused a rebuild: %d pages, %v", res.Rendered, res.Written)
	}
}

// Changes gathered over several batches (the preview keeps those of a
// failed build) may say a file was removed, then written: what counts is
// the disk now.
func TestIncrementalPendingChanges(t *testing.T) {
	ls := newLiveSite(t)
	toolkit, _ := os.ReadFile(filepath.Join(ls.dir, "content/data-sharing/toolkit.md"))
	gone := ls.remove("content/data-sharing/toolkit.md")
	back := ls.write("content/data-sharing/toolkit.md", strings.Replace(string(toolkit), "Protocols.", "Protocols, back.", 1))
	ls.mustBuild(gone, back)
	if !strings.Contains(string(ls.files["data-sharing/public-sector-toolkit/index.html"]), "Protocols, back.") {
		t.Error("a page removed then written again is not served")
	}
	ls.matchesFullBuild()
	// A folder replaced by another of the same name, with fewer files.
	ls.mustBuild(ls.write("content/data-sharing/new/a.md", "---\ntitle: A\n---\nText.\n"), ls.write("content/data-sharing/new/b.md", "---\ntitle: B\n---\nText.\n"))
	folder := ls.remove("content/data-sharing/new")
	ls.mustBuild(folder, ls.write("content/data-sharing/new/a.md", "---\ntitle: A again\n---\nText.\n"))
	ls.matchesFullBuild()
	// A folder replaced by a file of the same name.
	ls.remove("content/data-sharing/new")
	ls.mustBuild(ls.write("content/data-sharing/new", "a file now"))
	ls.matchesFullBuild()
}

package site

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"charter/site/internal/printable"
)

// TestLayoutMistakeReportedOnce: a mistake in a layout that every page
// (and the 404 page, which has no source) runs into is one error, with the
// number of pages, whether or not html/template gives it a line.
func TestLayoutMistakeReportedOnce(t *testing.T) {
	for _, c := range []struct{ name, file, add, want string }{
		{"unclosed comment", "layouts/_default/baseof.html", "\n<!-- never closed\n", "the comment <!-- opened here is never closed"},
		{"quote in an attribute name", "layouts/_default/baseof.html", "\n<a href=\"x\"\" title=\"{{ .Title }}\">x</a>\n", `in attribute name`},
	} {
		t.Run(c.name, func(t *testing.T) {
			fsys, _ := siteFS(t, "testdata/sites/small.txtar")
			f := fsys[c.file]
			fsys[c.file] = &fstest.MapFile{Data: append(append([]byte(nil), f.Data...), c.add...), Mode: 0o644}
			_, _, err := build(t, fsys, Config{})
			if err == nil {
				t.Fatal("the build succeeded")
			}
			errs, ok := err.(Errors)
			if !ok {
				t.Fatalf("%T: %v", err, err)
			}
			n := 0
			for _, e := range errs {
				if strings.Contains(e.Error(), c.want) {
					n++
				}
			}
			if n != 1 {
				t.Errorf("%q reported %d times, want once:\n%v", c.want, n, err)
			}
		})
	}
}

// TestPathValuePercentEscape: a url, slug or alias holding a percent
// escape (%2e, %C3%A9) is refused: the output folder is named with the
// % itself, the sitemap encodes it as %25, but links in the pages keep
// %2e, which browsers decode, so they would lead elsewhere.
func TestPathValuePercentEscape(t *testing.T) {
	for _, v := range []string{"/%2e%2e/x/", "/caf%C3%A9/", "/a%2Fb/", "/a%20b/"} {
		if checkPathValue("url", v, false) == "" {
			t.Errorf("url %q accepted", v)
		}
	}
	if checkPathValue("slug", "a%2fb", true) == "" {
		t.Error(`slug "a%2fb" accepted`)
	}
	for _, v := range []string{"/100%/", "/a%/", "/%zz/"} {
		if msg := checkPathValue("url", v, false); msg != "" {
			t.Errorf("url %q refused: %s", v, msg)
		}
	}
}

// TestDestThroughLinkIntoSite: an output folder reached through a
// symbolic link that leads into content/ (or to the site root) is refused
// like the folder itself: a build there would write into the content it
// reads, and the next build would publish its own output as content.
func TestDestThroughLinkIntoSite(t *testing.T) {
	root := t.TempDir()
	content := filepath.Join(root, "content")
	if err := os.Mkdir(content, 0o755); err != nil {
		t.Fatal(err)
	}
	// c2/out is content/out; up/<root's name> is the site root itself.
	for link, target := range map[string][2]string{"c2": {content, "out"}, "up": {filepath.Dir(root), filepath.Base(root)}} {
		if err := os.Symlink(target[0], filepath.Join(root, link)); err != nil {
			t.Fatal(err)
		}
		dest := filepath.Join(root, link, target[1])
		out, err := NewDirOutput(dest, root, content)
		if err == nil {
			out.Abort()
			t.Errorf("%s accepted as the output folder", dest)
		}
	}
}

// TestLayoutsLinkedFolder: a symbolic link to a folder inside layouts/
// (layouts/partials/shared -> somewhere else) is an error naming the link,
// as a linked file is, not silently skipped with its partials.
func TestLayoutsLinkedFolder(t *testing.T) {
	root := t.TempDir()
	other := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "layouts", "partials"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(other, "x.html"), []byte("SECRET"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(other, filepath.Join(root, "layouts", "partials", "shared")); err != nil {
		t.Fatal(err)
	}
	_, errs := readLayouts(os.DirFS(root))
	if len(errs) != 1 || errs[0].File != "layouts/partials/shared" || !strings.Contains(errs[0].Msg, "symbolic link not followed") {
		t.Errorf("got %v, want the link refused", errs)
	}
}

// TestStaticFileMinifiedToNothing: a static file that minifies to nothing
// (a stylesheet of comments, an empty script) is still published, under
// its fingerprinted name, not silently left out.
func TestStaticFileMinifiedToNothing(t *testing.T) {
	for _, fp := range []bool{false, true} {
		fsys, _ := siteFS(t, "testdata/sites/small.txtar")
		fsys["static/css/placeholder.css"] = &fstest.MapFile{Data: []byte("/* filled in later */\n"), Mode: 0o644}
		fsys["static/js/empty.js"] = &fstest.MapFile{Data: nil, Mode: 0o644}
		out, _ := mustBuild(t, fsys, Config{Minify: true, Fingerprint: fp})
		var got []string
		for name := range out.Files() {
			if strings.Contains(name, "placeholder") || strings.Contains(name, "empty") {
				got = append(got, name)
			}
		}
		if len(got) != 2 {
			t.Errorf("fingerprint %v: published %v, want placeholder.css and empty.js", fp, got)
		}
	}
}

// TestFileNamePercentEscape: a content or static file whose name holds a
// percent escape (content/a%2e.md) is an error at the file: its links
// would keep %2e, which browsers decode, while the folder is named "a%2e".
func TestFileNamePercentEscape(t *testing.T) {
	for _, name := range []string{"content/a%2e.md", "content/x%2Fy/_index.md", "static/css/a%20b.css", "content/faqs/f%41.pdf"} {
		fsys, _ := siteFS(t, "testdata/sites/small.txtar")
		fsys[name] = &fstest.MapFile{Data: []byte("---\ntitle: Escaped\n---\nText.\n"), Mode: 0o644}
		_, _, err := build(t, fsys, Config{})
		if err == nil || !strings.Contains(err.Error(), name) || !strings.Contains(err.Error(), "escaped character") {
			t.Errorf("%s: got %v, want an error at the file", name, err)
		}
	}
}

// TestPercentEscapeReportedOnce: a url or slug with a percent escape is
// reported once, at its line; a slug under a folder with one is reported
// at the file.
func TestPercentEscapeReportedOnce(t *testing.T) {
	for name, data := range map[string]string{
		"content/u.md":       "---\ntitle: U\nurl: /a%2e/\n---\n",
		"content/s.md":       "---\ntitle: S\nslug: a%2e\n---\n",
		"content/x%2e/s.md":  "---\ntitle: S\nslug: fine\n---\n",
		"content/faqs/al.md": "---\ntitle: A\naliases: [/old%2e/]\n---\n",
	} {
		fsys, _ := siteFS(t, "testdata/sites/small.txtar")
		fsys[name] = &fstest.MapFile{Data: []byte(data), Mode: 0o644}
		_, _, err := build(t, fsys, Config{})
		if err == nil || strings.Count(err.Error(), "escaped character") != 1 {
			t.Errorf("%s: got %v, want one error", name, err)
		}
	}
}

// TestBudgetForLargePages: a large page gets more time, but not so much
// that hostile Markdown runs on for minutes. A list nested 3,000 deep is
// 9 MB and takes goldmark over a minute; with 10 s for each further MB it
// was given 90 s, and built. Plain Markdown converts at several MB a
// second, so a second for each further MB leaves a 50 MB page ample time.
func TestBudgetForLargePages(t *testing.T) {
	if got := budgetFor(DefaultTimeout, 9<<20).time; got > 20*time.Second {
		t.Errorf("a 9 MB page gets %s at the default timeout", got)
	}
	if got := budgetFor(DefaultTimeout, 50<<20).time; got < 50*time.Second {
		t.Errorf("a 50 MB page gets only %s", got)
	}
	if got := budgetFor(100*time.Millisecond, 4<<20).time; got != 400*time.Millisecond {
		t.Errorf("a 4 MB page gets %s with a 100ms timeout, want 400ms", got)
	}
}

// TestYAMLReservedCharacter: a value or key starting with a character
// YAML reserves (@, `, %) is named with that character, not always
// "@ or `".
func TestYAMLReservedCharacter(t *testing.T) {
	for fm, want := range map[string]string{
		"title: B\nx: %percent":  "a value cannot start with %; put the value in quotes",
		"title: B\nx: `tick`":    "a value cannot start with `; put the value in quotes",
		"title: B\n@weird: 1":    "a key cannot start with @; put the key in quotes",
		"title: B\nx: [a, @b]":   "a value cannot start with @; put the value in quotes",
		"title: B\nx:\n  - %y\n": "a value cannot start with %; put the value in quotes",
	} {
		_, errs := parseFM(t, "---", fm)
		if len(errs) != 1 || !strings.Contains(errs[0].Msg, want) {
			t.Errorf("%q: got %v, want %q", fm, errs, want)
		}
	}
}

// TestErrorEscapesControlCharacters: a file name or message with control
// characters (an escape sequence in a file's name could clear the
// terminal, retitle it or hide lines of a CI log) is printed escaped.
func TestErrorEscapesControlCharacters(t *testing.T) {
	e := &Error{File: "content/a\x1b[2K\r.md", Line: 3, Msg: "link to content/b\x1b]0;x\a\u202e.md"}
	got := e.Error()
	if strings.ContainsFunc(got, printable.IsControl) {
		t.Errorf("printed %q", got)
	}
	if want := `content/a\x1b[2K\r.md:3: link to content/b\x1b]0;x\a\u202e.md`; got != want {
		t.Errorf("printed %s, want %s", got, want)
	}
	if plain := (&Error{File: "content/café.md", Msg: "fine – “quotes”"}).Error(); plain != "content/café.md: fine – “quotes”" {
		t.Errorf("printed %q", plain)
	}
}

// TestPageAtFingerprintedName: a page or alias whose path is the
// fingerprinted name of a static file (css/site.3f2a9c1e.css) is an error
// at its line: the page silently replaced the site's stylesheet.
func TestPageAtFingerprintedName(t *testing.T) {
	fsys, _ := siteFS(t, "testdata/sites/small.txtar")
	out, _ := mustBuild(t, fsys, Config{Minify: true, Fingerprint: true})
	var css string
	for name := range out.Files() {
		if strings.HasPrefix(name, "css/site.") {
			css = name
		}
	}
	if css == "" {
		t.Fatal("no fingerprinted stylesheet")
	}
	for _, fm := range []string{"url: /" + css, "aliases: [/" + css + "]"} {
		fsys["content/evil.md"] = &fstest.MapFile{Data: []byte("---\ntitle: Evil\n" + fm + "\n---\nText.\n"), Mode: 0o644}
		for _, minify := range []bool{true, false} {
			_, _, err := build(t, fsys, Config{Minify: minify, Fingerprint: true})
			if err == nil || !strings.Contains(err.Error(), "content/evil.md:3: ") || !strings.Contains(err.Error(), "static/css/site.css") {
				t.Errorf("%s (minify %v): got %v, want an error at content/evil.md:3 naming static/css/site.css", fm, minify, err)
			}
		}
	}
}

// TestContentFileAtFingerprintedName: a file in content/ copied to the
// fingerprinted name of a static file is an error naming both: it
// silently replaced the site's stylesheet.
func TestContentFileAtFingerprintedName(t *testing.T) {
	fsys, _ := siteFS(t, "testdata/sites/small.txtar")
	fsys["content/css/site.0123abcd.css"] = &fstest.MapFile{Data: []byte("body{display:none}"), Mode: 0o644}
	_, _, err := build(t, fsys, Config{Minify: true, Fingerprint: true})
	if err == nil || !strings.Contains(err.Error(), "content/css/site.0123abcd.css: ") || !strings.Contains(err.Error(), "static/css/site.css") {
		t.Errorf("got %v, want an error at the file naming static/css/site.css", err)
	}
}

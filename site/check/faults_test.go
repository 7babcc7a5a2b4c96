package check_test

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"golang.org/x/tools/txtar"

	"charter/site"
	"charter/site/check"
	"charter/site/cli"
)

// now is the day the fixture is checked on.
var now = time.Date(2005, 6, 1, 9, 0, 0, 0, time.UTC)

// buildForCheck builds a site in memory with KeepGoing, as `charter check`
// does, and converts the result for the checker.
func buildForCheck(t testing.TB, fsys fs.FS, cfg site.Config) *check.Site {
	t.Helper()
	cfg.KeepGoing = true
	b, err := site.NewBuilder(cfg, fsys)
	if err != nil {
		t.Fatal(err)
	}
	out := site.NewMemOutput()
	res, err := b.Build(context.Background(), out)
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	s := cli.CheckSite(res, out.Files())
	return s
}

// readFixture returns the files of a txtar archive and its want section.
func readFixture(t *testing.T, file string) (fstest.MapFS, []string) {
	t.Helper()
	a, err := txtar.ParseFile(file)
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{}
	var want []string
	for _, f := range a.Files {
		if f.Name == "want" {
			for l := range strings.Lines(string(f.Data)) {
				if l = strings.TrimSpace(l); l != "" {
					want = append(want, l)
				}
			}
			continue
		}
		fsys[f.Name] = &fstest.MapFile{Data: f.Data, Mode: 0o644}
	}
	return fsys, want
}

// TestFaults checks that every rule fires exactly where the fixture's
// deliberate faults are, and nowhere else.
func TestFaults(t *testing.T) {
	fsys, want := readFixture(t, "../testdata/check/faults.txtar")
	s := buildForCheck(t, fsys, site.Config{})
	fs := check.Run(s, check.Options{Now: now})
	var got []string
	for _, f := range fs {
		got = append(got, fmt.Sprintf("%s:%d %s", f.File, f.Line, f.Rule))
		if f.Message == "" || f.Fix == "" {
			t.Errorf("finding without a message or a fix: %+v", f)
		}
	}
	slices.Sort(got)
	slices.Sort(want)
	for _, w := range want {
		if !slices.Contains(got, w) {
			t.Errorf("missing finding: %s", w)
		}
	}
	for _, g := range got {
		if !slices.Contains(want, g) {
			t.Errorf("unexpected finding: %s", g)
		}
	}
	if t.Failed() {
		var b strings.Builder
		check.WriteText(&b, fs, false)
		t.Logf("all findings:\n%s", b.String())
	}
	// every rule has its own fault
	rules := map[string]bool{}
	for _, w := range want {
		rules[w[strings.LastIndexByte(w, ' ')+1:]] = true
	}
	if len(rules) < 30 {
		t.Errorf("the fixture covers only %d rules", len(rules))
	}
}

// TestRealSite checks the repository's own site: it must have no errors.
// Warnings are logged.
func TestRealSite(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the whole site")
	}
	fsys := os.DirFS("../..")
	for _, base := range []string{"/", "/rights/"} {
		t.Run(strings.Trim(base, "/")+"base", func(t *testing.T) {
			s := buildForCheck(t, fsys, site.Config{Minify: true, BaseURL: base})
			fs := check.Run(s, check.Options{Now: time.Now()})
			var errs, warns []check.Finding
			for _, f := range fs {
				if f.Severity == check.Error {
					errs = append(errs, f)
				} else {
					warns = append(warns, f)
				}
			}
			if len(errs) > 0 {
				var b strings.Builder
				check.WriteText(&b, errs, false)
				t.Errorf("the real site has %d errors; fix the content or layouts:\n%s", len(errs), b.String())
			}
			if testing.Verbose() && len(warns) > 0 {
				var b strings.Builder
				check.WriteText(&b, warns, false)
				t.Logf("warnings:\n%s", b.String())
			}
		})
	}
}

// Parse gives exactly the tree, positions and problems the x/net
// tokenizer gave, on every page of the real site (minified and not), of
// the fault fixture, of the generated benchmark site's layouts, and on the
// raw text of every layout and fixture file (HTML with template actions,
// and text that is not HTML at all).
func TestParseMatchesXnet(t *testing.T) {
	var docs []struct {
		name string
		data []byte
	}
	add := func(name string, data []byte) {
		docs = append(docs, struct {
			name string
			data []byte
		}{name, data})
	}
	fixture, _ := readFixture(t, "../testdata/check/faults.txtar")
	for _, s := range []*check.Site{
		buildForCheck(t, os.DirFS("../.."), site.Config{Minify: true}),
		buildForCheck(t, os.DirFS("../.."), site.Config{}),
		buildForCheck(t, fixture, site.Config{Minify: true}),
		buildForCheck(t, fixture, site.Config{}),
	} {
		for _, p := range s.Pages {
			add(p.Output, p.HTML)
		}
	}
	for _, root := range []string{"../../layouts", "../testdata"} {
		fs.WalkDir(os.DirFS(root), ".", func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				b, _ := fs.ReadFile(os.DirFS(root), p)
				add(root+"/"+p, b)
			}
			return nil
		})
	}
	for _, d := range docs {
		got, want := check.DumpDocument(check.Parse(d.data)), check.DumpDocument(check.ParseWithXnet(d.data))
		if got != want {
			gl, wl := strings.Split(got, "\n"), strings.Split(want, "\n")
			for i := range min(len(gl), len(wl)) {
				if gl[i] != wl[i] {
					t.Errorf("%s: the parse differs from x/net's at line %d of the dump:\n got %s\nwant %s", d.name, i+1, gl[i], wl[i])
					break
				}
			}
		}
	}
	if len(docs) < 200 {
		t.Errorf("only %d documents compared", len(docs))
	}
	t.Logf("%d documents compared", len(docs))
}

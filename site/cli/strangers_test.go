package cli

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"charter/site"
	"charter/site/internal/strangers"
	"charter/site/serve"
)

var strangersSeed = flag.Uint64("strangers.seed", 0, "replay one site of TestStrangers by its seed")

// writeStrangers writes a generated site, with the repository's own
// layouts and static files, into a temporary folder.
func writeStrangers(t *testing.T, seed uint64, opts strangers.Options) string {
	t.Helper()
	dir := t.TempDir()
	for _, root := range []string{"layouts", "static"} {
		if err := os.CopyFS(filepath.Join(dir, root), os.DirFS(filepath.Join("../..", root))); err != nil {
			t.Fatal(err)
		}
	}
	for name, text := range strangers.Generate(seed, opts) {
		put(t, dir, name, text)
	}
	return dir
}

// errorLines are the "error: " lines a command printed, without the
// prefix, sorted.
func errorLines(out string) []string {
	var lines []string
	for l := range strings.Lines(out) {
		if rest, ok := strings.CutPrefix(strings.TrimRight(l, "\n"), "error: "); ok {
			lines = append(lines, rest)
		}
	}
	slices.Sort(lines)
	return lines
}

// previewOnce builds the site as `charter serve` does, without drafts so
// that it publishes what build does, and returns the server and what the
// preview printed.
func previewOnce(t *testing.T, dir string) (*serve.Server, string) {
	var stdout, stderr strings.Builder
	sf := siteFlags{source: dir, baseURL: "/"}
	p := &previewer{sf: sf, stdout: &stdout, stderr: &stderr, srv: serve.New("/")}
	var err error
	p.b, err = site.NewBuilder(site.Config{BaseURL: "/", Minify: true, Serve: true}, os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	p.initial(context.Background())
	return p.srv, stdout.String() + stderr.String()
}

// TestStrangers builds, checks and previews sites written the way
// strangers write (see package strangers), and holds the three commands
// to one another: none crashes; what stops build is a finding of check at
// the same file and line and the error the preview shows; and a site that
// builds is served page for page. A failure names the seed: replay it with
// -strangers.seed N.
func TestStrangers(t *testing.T) {
	seeds := []uint64{1, 2, 3, 4, 5, 6}
	if *strangersSeed != 0 {
		seeds = []uint64{*strangersSeed}
	}
	for _, seed := range seeds {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			opts := strangers.Options{Pages: 24, Broken: seed%3 == 0, Hugo: seed%2 == 0}
			dir := writeStrangers(t, seed, opts)
			dest := filepath.Join(t.TempDir(), "public")
			bcode, bout, berr := runCmd(t, context.Background(), "build", "--source", dir, "--dest", dest)
			ccode, cout, cerr := runCmd(t, context.Background(), "check", "--source", dir, "--format", "json")
			srv, sout := previewOnce(t, dir)
			for _, out := range []string{bout + berr, cout + cerr, sout} {
				noStackTrace(t, out)
				if strings.Contains(out, "internal error") {
					t.Errorf("seed %d: internal error:\n%s", seed, out)
				}
			}
			if bcode != 0 && bcode != 1 || ccode != 0 && ccode != 1 {
				t.Fatalf("seed %d: build exit %d, check exit %d:\n%s%s", seed, bcode, ccode, berr, cerr)
			}
			if want := seed%3 == 0; (bcode == 1) != want {
				t.Errorf("seed %d: build exit %d, want it to fail: %v\n%s", seed, bcode, want, berr)
			}
			buildErrs := errorLines(berr)
			t.Logf("seed %d: build exit %d with %d errors; check exit %d with %d findings", seed, bcode, len(buildErrs), ccode, strings.Count(cout, `"rule"`))
			agreeCheck(t, seed, dir, buildErrs, cout)
			if got := errorLines(sout); !slices.Equal(got, buildErrs) {
				t.Errorf("seed %d: the preview shows other errors than build:\npreview %q\nbuild   %q", seed, got, buildErrs)
			}
			if bcode == 0 {
				agreeServe(t, seed, dest, srv)
			}
		})
	}
}

// agreeCheck holds check's findings to build's errors: every error is a
// finding at its file and line; a site that builds has no build finding.
// Every finding in a content file is on one of its lines.
func agreeCheck(t *testing.T, seed uint64, dir string, buildErrs []string, checkJSON string) {
	t.Helper()
	var fs []struct {
		File, Rule, Message string
		Line                int
	}
	if err := json.Unmarshal([]byte(checkJSON), &fs); err != nil {
		t.Fatalf("seed %d: check's JSON: %v\n%s", seed, err, checkJSON)
	}
	found := map[string]bool{}
	for _, f := range fs {
		if f.Rule == "build" && len(buildErrs) == 0 {
			t.Errorf("seed %d: check finds a build problem the build does not have: %+v", seed, f)
		}
		found[fmt.Sprintf("%s:%d: %s", f.File, f.Line, f.Message)] = true
		if text, err := os.ReadFile(filepath.Join(dir, f.File)); err == nil && strings.HasPrefix(f.File, "content/") {
			if n := len(strings.Split(strings.ReplaceAll(string(text), "\r\n", "\n"), "\n")); f.Line < 0 || f.Line > n {
				t.Errorf("seed %d: finding at line %d of %s, which has %d lines: %+v", seed, f.Line, f.File, n, f)
			}
		}
	}
	for _, e := range buildErrs {
		if !found[e] && !found[strings.Replace(e, ": ", ":0: ", 1)] {
			t.Errorf("seed %d: build error %q is not a finding of check", seed, e)
		}
	}
}

// agreeServe holds the preview to the build: every page build wrote is
// served as a page.
func agreeServe(t *testing.T, seed uint64, dest string, srv *serve.Server) {
	t.Helper()
	var built []string
	filepath.WalkDir(dest, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".html") {
			rel, _ := filepath.Rel(dest, p)
			built = append(built, filepath.ToSlash(rel))
		}
		return nil
	})
	if len(built) < 20 {
		t.Errorf("seed %d: only %d pages built", seed, len(built))
	}
	for _, page := range built {
		u := "/" + strings.TrimSuffix(page, "index.html")
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, httptest.NewRequest("GET", u, nil))
		body, _ := io.ReadAll(rec.Result().Body)
		if rec.Code != 200 && page != "404.html" {
			t.Errorf("seed %d: the preview answers %d for %s, which build wrote", seed, rec.Code, u)
		} else if !strings.Contains(string(body), "<main") && !strings.Contains(string(body), "This page has moved") {
			t.Errorf("seed %d: the preview's %s is not a page: %.200s", seed, u, body)
		}
	}
}

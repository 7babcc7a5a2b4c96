package cli

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"charter/site"
	"charter/site/check"

	"golang.org/x/tools/txtar"
)

// writeArchive writes a txtar site (its files with a folder in their
// name) into a temporary folder.
func writeArchive(t *testing.T, file string) string {
	t.Helper()
	ar, err := txtar.ParseFile(file)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, f := range ar.Files {
		if !strings.Contains(f.Name, "/") {
			continue
		}
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, f.Data, 0o644)
	}
	return dir
}

func TestCheckCommand(t *testing.T) {
	dir := writeArchive(t, "../testdata/check/faults.txtar")
	before, _ := os.ReadDir(dir)
	code, stdout, stderr := runCmd(t, context.Background(), "check", "--source", dir, "--no-color")
	if code != 1 {
		t.Fatalf("exit %d, want 1: %s", code, stderr)
	}
	for _, want := range []string{"[img-alt]", "[heading-order]", "[broken-link]", "fix: "} {
		if !strings.Contains(stdout, want) {
			t.Errorf("text output lacks %s:\n%s", want, stdout)
		}
	}
	if strings.Contains(stdout, "\x1b[") {
		t.Error("colour written to a non-terminal")
	}
	after, _ := os.ReadDir(dir)
	if len(after) != len(before) {
		t.Error("check wrote into the site folder")
	}

	code, stdout, _ = runCmd(t, context.Background(), "check", "--source", dir, "--format", "json")
	var findings []map[string]any
	if err := json.Unmarshal([]byte(stdout), &findings); err != nil || code != 1 || len(findings) == 0 {
		t.Fatalf("json: exit %d, %v, %d findings", code, err, len(findings))
	}
	for _, f := range findings {
		if f["file"] == "" || f["rule"] == "" || f["message"] == "" {
			t.Errorf("incomplete finding %v", f)
		}
	}

	_, stdout, _ = runCmd(t, context.Background(), "check", "--source", dir, "--format", "github")
	if !strings.Contains(stdout, "::error file=content/") || !strings.Contains(stdout, ",line=") {
		t.Errorf("github annotations:\n%s", stdout)
	}

	report := filepath.Join(t.TempDir(), "review.csv")
	runCmd(t, context.Background(), "check", "--source", dir, "--review-report", report)
	if b, err := os.ReadFile(report); err != nil || !strings.HasPrefix(string(b), "source,") {
		t.Errorf("review report: %v %q", err, b)
	}
}

// TestCheckBrokenBuild: a site that does not build is reported as
// findings with file and line, not a crash.
func TestCheckBrokenBuild(t *testing.T) {
	dir := writeSite(t, "small")
	os.WriteFile(filepath.Join(dir, "content/privacy.md"), []byte("---\ntitle: [\n---\n"), 0o644)
	code, stdout, _ := runCmd(t, context.Background(), "check", "--source", dir)
	if code != 1 || !strings.Contains(stdout, "content/privacy.md") || !strings.Contains(stdout, "[build]") {
		t.Errorf("exit %d:\n%s", code, stdout)
	}
}

// TestCheckRealSite is the CI gate on the department's own site: no
// errors and no warnings.
func TestCheckRealSite(t *testing.T) {
	code, stdout, stderr := runCmd(t, context.Background(), "check", "--source", "../..", "--strict")
	if code != 0 {
		t.Errorf("the site fails its own check:\n%s%s", stdout, stderr)
	}
}

// The command checks each page while the build goes on; its findings are
// exactly those of checking the finished build.
func TestCheckCommandMatchesRun(t *testing.T) {
	dir := writeArchive(t, "../testdata/check/faults.txtar")
	_, stdout, stderr := runCmd(t, context.Background(), "check", "--source", dir, "--format", "json")
	b, err := site.NewBuilder(site.Config{Minify: true, Fingerprint: true, KeepGoing: true}, os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	out := site.NewMemOutput()
	res, err := b.Build(context.Background(), out)
	if err != nil {
		t.Fatal(err)
	}
	var want strings.Builder
	check.WriteJSON(&want, check.Run(CheckSite(res, out.Files()), check.Options{Now: time.Now()}))
	if stdout != want.String() {
		t.Errorf("check command findings differ from a check of the finished build:\n--- command\n%s\n--- run\n%s\n%s", stdout, want.String(), stderr)
	}
	if n := strings.Count(stdout, `"rule"`); n < 20 {
		t.Errorf("only %d findings compared", n)
	}
}

// One run reports everything: a page whose front matter is wrong is
// reported and left out, and the other pages are checked all the same;
// links to the page left out are not reported on top of its own problem.
func TestCheckReportsPastBadFrontMatter(t *testing.T) {
	dir := writeSite(t, "small")
	put(t, dir, "content/privacy.md", "---\ntitle: Privacy\nweight: abc\n---\nText.\n")
	put(t, dir, "content/data-sharing/toolkit.md", "---\ntitle: Toolkit\n---\n## What it holds\n\nSee [the lost page](lost.md) and [privacy](../privacy.md).\n")
	code, stdout, stderr := runCmd(t, context.Background(), "check", "--source", dir, "--format", "github")
	if code != 1 {
		t.Errorf("exit %d, want 1: %s", code, stderr)
	}
	for _, want := range []string{
		"::error file=content/privacy.md,line=3,title=build::weight:",
		"::error file=content/data-sharing/toolkit.md,line=6,title=broken-link::link to content/data-sharing/lost.md",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("no finding %s:\n%s", want, stdout)
		}
	}
	if strings.Contains(stdout, "privacy.md,") && strings.Count(stdout, "content/privacy.md") != 1 {
		t.Errorf("the page left out is reported more than once, or links to it are:\n%s", stdout)
	}
	if strings.Contains(stdout, "/privacy/") || strings.Contains(stdout, "public/privacy") {
		t.Errorf("links to the page left out are reported:\n%s", stdout)
	}
}

// TestCheckReportsBuildWarnings: what the build warns about (a misspelt
// key, a removed javascript: link, a case clash) is a check finding at
// its file and line.
func TestCheckReportsBuildWarnings(t *testing.T) {
	dir := writeSite(t, "small")
	put(t, dir, "content/privacy.md", "---\ntitle: Privacy\ndescripton: Our privacy notice.\n---\nText.\n")
	put(t, dir, "content/other.md", "---\ntitle: Other\naliases: [/PRIVACY/]\n---\nSee [this](javascript:alert(1)).\n")
	_, stdout, _ := runCmd(t, context.Background(), "check", "--source", dir, "--format", "github")
	for _, want := range []string{
		"::warning file=content/privacy.md,line=3,title=unknown-key::descripton: unknown key; did you mean description?",
		"::warning file=content/other.md,line=5,title=unsafe-link::link to",
		"::warning file=content/other.md,line=3,title=url-case::",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("no finding %s:\n%s", want, stdout)
		}
	}
}

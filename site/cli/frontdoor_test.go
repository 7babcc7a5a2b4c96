package cli

import (
	"context"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
)

// The command's front door, tried as a Hugo user would.
func TestFrontDoor(t *testing.T) {
	dir := writeSite(t, "small")
	cases := []struct {
		args      []string
		code      int
		want      []string
		forbidden []string
	}{
		{[]string{"--help"}, 0, []string{"charter serve [flags]", "charter check", "charter new PATH"}, []string{"--base-url"}},
		{[]string{"-h"}, 0, []string{"charter serve [flags]"}, nil},
		{[]string{"--version"}, 0, []string{"charter ", "go1."}, nil},
		{[]string{"server"}, 2, []string{`unknown command "server"; did you mean serve?`}, nil},
		{[]string{"chekc"}, 2, []string{"did you mean check?"}, nil},
		{[]string{"frobnicate"}, 2, []string{`unknown command "frobnicate"`}, []string{"did you mean"}},
		{[]string{"build", "--help"}, 0, []string{"  --base-url URL\n", "  --dest folder\n", "  --dry-run\n"}, []string{"\n  -base-url", "\n  -dest"}},
		{[]string{"serve", "--help"}, 0, []string{"  --port port\n", "  --poll interval\n"}, []string{"\n  -port"}},
		{[]string{"new", "--help"}, 0, []string{"  --source folder\n"}, []string{"\n  -source"}},
		{[]string{"check", "--help"}, 0, []string{"  --source folder\n"}, []string{"\n  -source"}},
		{[]string{"build", "--source", dir, "--base-url", "example.org"}, 2, []string{"--base-url /rights/", "--base-url https://example.org/"}, nil},
		{[]string{"serve", "--source", dir, "--base-url", "example.org/rights"}, 2, []string{"neither a path nor a full URL"}, nil},
	}
	for _, c := range cases {
		code, stdout, stderr := runCmd(t, context.Background(), c.args...)
		out := stdout + stderr
		if code != c.code {
			t.Errorf("%v: exit %d, want %d; output:\n%s", c.args, code, c.code, out)
		}
		for _, w := range c.want {
			if !strings.Contains(out, w) {
				t.Errorf("%v: output lacks %q:\n%s", c.args, w, out)
			}
		}
		for _, f := range c.forbidden {
			if strings.Contains(out, f) {
				t.Errorf("%v: output has %q:\n%s", c.args, f, out)
			}
		}
	}
}

// `charter version` says more than "(devel)" when built from a checkout.
func TestVersionFromCheckout(t *testing.T) {
	info := &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "charter", Version: "(devel)"},
		Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "3670b7b0123456789abcdef"}, {Key: "vcs.time", Value: "2026-11-29T12:00:00Z"}, {Key: "vcs.modified", Value: "true"}}}
	if got, want := formatVersion(info), "commit 3670b7b01234 of 2026-11-29T12:00:00Z, with uncommitted changes, go1.26.8"; got != want {
		t.Errorf("from a checkout: %q, want %q", got, want)
	}
	info = &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "charter", Version: "v1.4.0"}}
	if got := formatVersion(info); got != "v1.4.0, go1.26.8" {
		t.Errorf("a released module: %q", got)
	}
}

// build prints its summary first, then the pages it changed.
func TestBuildSummaryFirst(t *testing.T) {
	dir := writeSite(t, "small")
	dest := filepath.Join(t.TempDir(), "public")
	if code, _, stderr := runCmd(t, context.Background(), "build", "--source", dir, "--dest", dest); code != 0 {
		t.Fatal(stderr)
	}
	toolkit := filepath.Join(dir, "content/data-sharing/toolkit.md")
	src, _ := os.ReadFile(toolkit)
	os.WriteFile(toolkit, []byte(strings.Replace(string(src), "Protocols.", "Protocols, changed.", 1)), 0o644)
	_, stdout, _ := runCmd(t, context.Background(), "build", "--source", dir, "--dest", dest)
	built, changed := strings.Index(stdout, "Built "), strings.Index(stdout, "Pages changed in")
	if built < 0 || changed < 0 || built > changed {
		t.Errorf("the summary should come before the list of changed pages:\n%s", stdout)
	}
}

func TestNearestCommand(t *testing.T) {
	for in, want := range map[string]string{"server": "serve", "biuld": "build", "chek": "check", "ver": "version", "vesion": "version", "x": "", "publish": ""} {
		if got := nearest(in, commands); got != want {
			t.Errorf("nearest(%q) = %q, want %q", in, got, want)
		}
	}
}

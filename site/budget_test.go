package site

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// hostileSite is a site whose page content/x.md has the given body.
func hostileSite(body string) fstest.MapFS {
	return fstest.MapFS{
		"content/_index.md":          {Data: []byte("---\ntitle: Home\n---\n")},
		"content/x.md":               {Data: []byte("---\ntitle: X\n---\n" + body)},
		"layouts/_default/home.html": {Data: []byte("<p>{{ .Title }}</p>")},
		"layouts/_default/page.html": {Data: []byte("<p>{{ .Content }}</p>")},
	}
}

// nestedList is a list nested n levels deep.
func nestedList(n int) string {
	var b strings.Builder
	for i := range n {
		b.WriteString(strings.Repeat("  ", i))
		b.WriteString("- x\n")
	}
	return b.String()
}

// TestMarkdownBudget: goldmark is quadratic on some inputs (these take
// half a minute and more on this machine). The conversion stops at its
// budget, names the file, and goldmark itself stops soon after, instead
// of running on in the background. The bounds leave room for a loaded
// machine.
func TestMarkdownBudget(t *testing.T) {
	cases := map[string]string{
		"unclosed links": strings.Repeat("[a](", 60000), // 240 KB: some 35 s unguarded
		"deep list":      nestedList(2000),              // 4 MB: some 13 s unguarded
	}
	for name, body := range cases {
		t.Run(name, func(t *testing.T) {
			before := runtime.NumGoroutine()
			start := time.Now()
			_, _, err := build(t, hostileSite(body), Config{Timeout: 100 * time.Millisecond})
			took := time.Since(start)
			d := budgetFor(100*time.Millisecond, len(body)).time.Round(time.Millisecond)
			want := "content/x.md: still converting after " + d.String() + "; is something nested very deeply? (the limit is --timeout)"
			if err == nil || err.Error() != want {
				t.Fatalf("got %v, want %s", err, want)
			}
			if took > 5*time.Second {
				t.Errorf("the build took %v with a budget of 100ms", took)
			}
			// The abandoned conversion notices its deadline too.
			for deadline := time.Now().Add(5 * time.Second); runtime.NumGoroutine() > before; {
				if time.Now().After(deadline) {
					t.Fatalf("%d goroutines still running, %d before the build", runtime.NumGoroutine(), before)
				}
				time.Sleep(10 * time.Millisecond)
			}
		})
	}
}

// TestBudgetKeepsRealPages: a real site builds within the default
// budget, and a tiny one still fits pages that take no time.
func TestBudgetKeepsRealPages(t *testing.T) {
	mustBuild(t, hostileSite("Some *text* with [a link](/).\n\n"+nestedList(20)), Config{Timeout: 2 * time.Second})
}

// TestRunnerReusesAndRecovers: a runner goes on working after a function
// over its budget and after a panic, and leaves no goroutine behind once
// stopped (a render worker's runner serves thousands of pages).
func TestRunnerReusesAndRecovers(t *testing.T) {
	before := runtime.NumGoroutine()
	var w runner
	ctx := context.Background()
	release := make(chan struct{})
	if err := w.run(ctx, 20*time.Millisecond, func() { <-release }); !errors.Is(err, errOverBudget) {
		t.Fatalf("a function past its budget: %v, want errOverBudget", err)
	}
	n := 0
	for range 100 {
		if err := w.run(ctx, time.Minute, func() { n++ }); err != nil {
			t.Fatal(err)
		}
	}
	if n != 100 {
		t.Fatalf("ran %d of 100 functions", n)
	}
	func() {
		defer func() {
			if v := recover(); v != "boom" {
				t.Errorf("panic raised again as %v, want boom", v)
			}
		}()
		w.run(ctx, time.Minute, func() { panic("boom") })
	}()
	if err := w.run(ctx, time.Minute, func() { n++ }); err != nil || n != 101 {
		t.Fatalf("after a panic: err %v, ran %d", err, n)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if err := w.run(cctx, time.Minute, func() { <-release }); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled: %v", err)
	}
	w.stop()
	close(release)
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if g := runtime.NumGoroutine(); g > before {
		t.Errorf("%d goroutines left running, %d before", g, before)
	}
}

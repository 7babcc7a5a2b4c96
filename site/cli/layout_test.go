package cli

import (
	"encoding/json"
	"testing"
	"time"
)

// TestBrowserLayout opens the site in headless Chromium
// (.ci/a11y/layout.mjs) and checks the menu button of the primary
// navigation on the home page: every link shown without JavaScript; with
// it, at 320 px, a button that shows and hides the links and announces its
// state, with nothing for axe to find in the open menu; no button at
// 1280 px. Then, on one page of every layout, that the main column is one
// measure wide and the footer reaches the foot of the window.
func TestBrowserLayout(t *testing.T) {
	if testing.Short() {
		t.Skip("opens the site in headless Chromium; skipped with -short")
	}
	node := a11yTool(t, "NODE", "node", "nodejs")
	chromium := a11yTool(t, "CHROMIUM", "chromium", "chromium-browser")
	a11yPackages(t)
	base := serveSite(t, builtSite(t))
	paths, _ := json.Marshal([]string{"/data-sharing/legal-guidance/", "/", "/data-sharing/", "/faqs/data-sharing/",
		"/contact-details/", "/search/", "/a-z/", "/whats-new/", "/404.html"})
	var rep struct {
		Checks, Links, Pages int
		Failures             []string
	}
	err := runBrowserScript(t, node, chromium, "layout.mjs", base, paths, 3*time.Minute, &rep)
	t.Logf("%d checks of the menu button and the grid, over %d links and %d pages", rep.Checks, rep.Links, rep.Pages)
	for _, f := range rep.Failures {
		t.Error(f)
	}
	if rep.Checks < 30 {
		t.Errorf("layout.mjs made %d checks, want at least 30", rep.Checks)
	}
	if err != nil && len(rep.Failures) == 0 {
		t.Error(err)
	}
}

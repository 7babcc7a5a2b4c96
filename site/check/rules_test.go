package check

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

// page wraps body HTML in a valid page with one h1.
func page(body string) string {
	return `<!doctype html><html lang="en-GB"><head><title>T</title></head><body><a href="#main">Skip to main content</a><main id="main"><h1>Title</h1>` + body + `</main></body></html>`
}

// findRule returns the built-in per-page rule with the name.
func findRule(t *testing.T, name string) Rule {
	t.Helper()
	for _, r := range pageRules(Options{Now: time.Date(2005, 6, 1, 0, 0, 0, 0, time.UTC)}) {
		if r.Name() == name {
			return r
		}
	}
	t.Fatalf("no rule %s", name)
	return nil
}

func runOne(t *testing.T, r Rule, p *Page) []Finding {
	t.Helper()
	var out []Finding
	r.Check(p, func(f Finding) { out = append(out, f) })
	return out
}

func TestRules(t *testing.T) {
	tests := []struct {
		rule       string
		fires, not string // whole pages when they start with <!doctype, else bodies for page()
	}{
		{"html-lang",
			`<!doctype html><html><head><title>T</title></head><body><h1>x</h1></body></html>`,
			`<!doctype html><html lang=en><head><title>T</title></head><body><h1>x</h1></body></html>`},
		{"page-title",
			`<!doctype html><html lang=en><head><title> </title></head><body><h1>x</h1></body></html>`,
			`<!doctype html><html lang=en><head><title>T</title></head><body><h1>x</h1></body></html>`},
		{"h1", `<h1>Another</h1>`, `<h2>Sub</h2>`},
		{"heading-order", `<h2>a</h2><h4>b</h4>`, `<h2>a</h2><h3>b</h3><h2>c</h2><h3>d</h3><h4>e</h4><h2>f</h2>`},
		{"img-alt", `<img src="a.png">`, `<img src="a.png" alt=""><img src="b.png" role="presentation"><img src=c.png alt="A chart">`},
		{"link-name", `<a href="/x/"><img src="i.png" alt=""></a>`, `<a href="/x/"><img src="i.png" alt="Home"></a><a href="/y/" aria-label="Why"></a><span id=l>Label</span><a href="/z/" aria-labelledby=l></a>`},
		{"button-name", `<button><svg aria-hidden="true"></svg></button>`, `<button>Search</button><button aria-label="Close"></button><input type=submit>`},
		{"link-text", `<a href="/x/">Click here.</a>`, `<a href="/x/">the data protection principles</a>`},
		{"link-text", `<a href="https://example.org/">https://example.org/</a>`, `<a href="https://example.org/">Example</a>`},
		{"ambiguous-link-text", `<a href="/a/">Guidance</a> <a href="/b/">guidance</a>`, `<a href="/a/">Guidance</a> <a href="/a/">Guidance</a><a href="/p/x/">X</a><a href="x/">X</a>`},
		{"table-header", `<table><tr><td>1</table>`, `<table><tr><th>h<tr><td>1</table><table role=presentation><tr><td>1</table>`},
		{"duplicate-id", `<p id="a">1</p><p id="a">2</p>`, `<p id="a">1</p><p id="b">2</p>`},
		{"form-label", `<input type="text" name="q">`, `<label for=q>Search</label><input id=q name=q><label>Name <input name=n></label><input aria-label=x><select title=s></select><input type=hidden name=h><input type=submit>`},
		{"form-label", `<input type="checkbox" disabled>`, `<label><input type="checkbox" disabled> done</label>`},
		{"iframe-title", `<iframe src="/map/"></iframe>`, `<iframe src="/map/" title="Map of the office"></iframe>`},
		{"tabindex", `<div tabindex="2">x</div>`, `<div tabindex="0">x</div><main tabindex="-1"></main>`},
		{"skip-link",
			`<!doctype html><html lang=en><head><title>T</title></head><body><a href="#content">Skip</a><main id="main"><h1>x</h1></main></body></html>`,
			`<!doctype html><html lang=en><head><title>T</title></head><body><a href="#main">Skip</a><main id="main"><h1>x</h1></main></body></html>`},
		{"html", `<div><span></div>`, `<ul><li>a<li>b</ul>`},
	}
	for _, tt := range tests {
		t.Run(tt.rule, func(t *testing.T) {
			r := findRule(t, tt.rule)
			for _, c := range []struct {
				src  string
				want bool
			}{{tt.fires, true}, {tt.not, false}} {
				src := c.src
				if !strings.HasPrefix(src, "<!doctype") {
					src = page(src)
				}
				p := &Page{Output: "p/index.html", URL: "/p/", HTML: []byte(src)}
				got := runOne(t, r, p)
				if (len(got) > 0) != c.want {
					t.Errorf("on %s\ngot %v, want findings: %v", c.src, got, c.want)
				}
				for _, f := range got {
					if f.Message == "" || f.Fix == "" {
						t.Errorf("finding without message or fix: %+v", f)
					}
				}
			}
		})
	}
}

func TestMarkdownTrace(t *testing.T) {
	p := &Page{
		Output: "p/index.html", URL: "/p/", Source: "content/p.md",
		Prose: []Block{
			{Line: 5, Lines: []BlockLine{{5, "Intro."}}},
			{Heading: 1, Line: 7, Title: "A second title", Lines: []BlockLine{{7, "A second title"}}},
			{Line: 9, Lines: []BlockLine{{9, "See here."}}},
		},
		Links: []Link{{Line: 9, Written: "x.md", URL: "/x/"}, {Line: 11, Written: "chart.png", URL: "/p/chart.png", Image: true}},
		HTML:  []byte(page(`<a href="/x/">Home</a><h1>A second title</h1><p>See <a href="/x/">here</a>.<img src="/p/chart.png">`)),
	}
	got := map[string]string{}
	for _, name := range []string{"h1", "link-text", "img-alt"} {
		for _, f := range runOne(t, findRule(t, name), p) {
			got[name] = f.File + ":" + strconv.Itoa(f.Line)
		}
	}
	want := map[string]string{"h1": "content/p.md:7", "link-text": "content/p.md:9", "img-alt": "content/p.md:11"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s at %s, want %s", k, got[k], v)
		}
	}
}

package site

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"testing/fstest"

	"charter/site/internal/inject"
)

var fastTemplateSeed = flag.Uint64("fast-template-seed", 0, "seed of TestFastExecutorRandomTemplates (0: random)")

// TestFastExecutorRandomTemplates compares the fast executor with
// html/template on seeded random layouts, built from every kind of node
// and function the fast executor handles and some it leaves to
// html/template, in text, attributes and URLs, over the pages of a random
// site.
func TestFastExecutorRandomTemplates(t *testing.T) {
	seed := testSeed(t, *fastTemplateSeed, "fast-template-seed")
	r := rand.New(rand.NewPCG(seed, 1))
	fsys := randomLayoutSite(t, r)
	b, err := NewBuilder(Config{Serve: true, Drafts: true}, fsys)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Build(context.Background(), NewMemOutput()); err != nil {
		t.Fatalf("build: %v", err)
	}
	pages := b.last.site.AllPages
	for i, p := range pages {
		p.rendered.Store(&rendered{content: `<p>A &amp; <b>b</b></p>`, toc: []Heading{{2, fmt.Sprint("h", i), "H <1>"}}})
	}
	n := 300
	if testing.Short() {
		n = 100
	}
	var stats fastStats
	for i := range n {
		files := fstest.MapFS{
			"layouts/_default/page.html": &fstest.MapFile{Data: []byte(randomTemplate(r, true))},
			"layouts/partials/p.html":    &fstest.MapFile{Data: []byte(randomTemplate(r, false))},
		}
		l, errs := loadLayouts(files, b.templateFuncs(inject.Faults{}), nil, b.timeout())
		if len(errs) > 0 {
			continue
		}
		for _, p := range pages {
			compareFast(t, l, "_default/page.html", p, &stats)
		}
		if t.Failed() {
			t.Fatalf("layout %d differs (replay with -fast-template-seed %d):\n%s\n-- partials/p.html --\n%s", i, seed, files["layouts/_default/page.html"].Data, files["layouts/partials/p.html"].Data)
		}
	}
	t.Logf("%d executions compared, %d on the fast executor, %d given up (%d where html/template succeeded)", stats.compared, stats.fast, stats.gaveUp, stats.failed)
	if stats.fast < stats.compared/5 {
		t.Errorf("the fast executor ran only %d of %d executions", stats.fast, stats.compared)
	}
}

// templateGen writes a random template.
type templateGen struct {
	r    *rand.Rand
	b    strings.Builder
	vars []string // variables in scope
	loop int      // ranges the current position is in
	nvar int
}

// randomTemplate is a random layout; leaf layouts may call the partial.
func randomTemplate(r *rand.Rand, leaf bool) string {
	g := &templateGen{r: r}
	g.list(3, leaf)
	return g.b.String()
}

// pick is a random element.
func pick[T any](r *rand.Rand, xs ...T) T { return xs[r.IntN(len(xs))] }

// expr is a random pipeline.
func (g *templateGen) expr(depth int) string {
	r := g.r
	if depth > 0 && r.IntN(4) == 0 {
		switch r.IntN(8) {
		case 0:
			return "and " + g.arg(depth-1) + " " + g.arg(depth-1)
		case 1:
			return "or " + g.arg(depth-1) + " " + g.arg(depth-1)
		case 2:
			return "not " + g.arg(depth-1)
		case 3:
			return pick(r, "eq", "ne", "lt", "le", "gt", "ge") + " " + g.arg(depth-1) + " " + g.arg(depth-1)
		case 4:
			return g.arg(depth-1) + " | " + pick(r, "print", "len", "upper", "plainify", `printf "%v"`, "not")
		case 5:
			return "print " + g.arg(depth-1) + " " + g.arg(depth-1)
		case 6:
			return "index " + g.arg(depth-1) + " " + pick(r, "0", "1", `"feed"`, "$i")
		default:
			return "(" + g.expr(depth-1) + ")." + pick(r, "Title", "Kind", "IsZero", "Letter")
		}
	}
	simple := []string{".Title", ".Description", ".RelPermalink", ".Permalink", ".LinkTitle", ".Content", ".Lang", ".Kind",
		".Weight", ".Draft", ".Params.feed", ".Params.missing", ".Params.missing.deeper", "$", ".", ".Parent", ".Parent.Title",
		".Site.Title", ".Prev", ".Children", ".Ancestors", ".Breadcrumbs", ".Translations", ".Changes", ".TOC", ".Owner",
		`i18n . "Contents"`, `i18n $ "Menu"`, "len .Children", "index .Children 0", `relURL "/css/site.css"`, "isodate .Date",
		"ukdate .Lastmod", "upper .Title", "truncate 10 .Title", "plainify .Content", "markCurrent .Content .",
		`hasPrefix .RelPermalink "/"`, "add 1 2", "sub .Weight 1", ".TOCLinks 2", ".Date.IsZero", ".Date.Before .Lastmod",
		`.Site.GetPage "/"`, `date . .Date`, "breadcrumbList .", `"text <&>"`, "1", "1.5", "true", `print "a" 1 nil`,
		`printf "%s-%d" .Title .Weight`, `dict "a" .Title`, `list 1 "b"`, "byTitle .Children", `first 1 .Children`,
		".Section", ".IsHome", ".HasCode", ".Language.Name", `.Param "feed"`, `partialCached "p.html" .`, `javascript`,
		`"javascript:alert(1)"`, `"/a b?c=d&e"`, `replace .Title "a" "<"`, ".NoSuchField", "$.Title"}
	s := pick(r, simple...)
	if s == "javascript" {
		s = `"/x"`
	}
	if len(g.vars) > 0 && r.IntN(4) == 0 {
		s = pick(r, g.vars...) + pick(r, "", ".Title", ".Kind")
	}
	return s
}

// arg is an argument: a simple pipeline in parentheses, or a field.
func (g *templateGen) arg(depth int) string {
	e := g.expr(depth)
	if strings.Contains(e, " ") {
		return "(" + e + ")"
	}
	return e
}

// action is a random action in a random HTML context.
func (g *templateGen) action() {
	e := g.expr(2)
	switch g.r.IntN(6) {
	case 0:
		fmt.Fprintf(&g.b, `<a href="{{ %s }}">x</a>`, e)
	case 1:
		fmt.Fprintf(&g.b, `<span title="{{ %s }}" lang="{{ .Lang }}">`, e)
	case 2:
		if g.r.IntN(3) == 0 {
			e = pick(g.r, "breadcrumbList .", "breadcrumbList .Parent", `dict "a" .Title`)
		}
		fmt.Fprintf(&g.b, `<script type="application/ld+json">{{ %s }}</script>`, e)
	case 3:
		fmt.Fprintf(&g.b, `<a href="/s?q={{ %s }}">q</a>`, e)
	default:
		fmt.Fprintf(&g.b, "<p>{{ %s }}</p>", e)
	}
}

// list writes a few random nodes.
func (g *templateGen) list(depth int, leaf bool) {
	for range 1 + g.r.IntN(4) {
		g.node(depth, leaf)
	}
}

// node writes one random node.
func (g *templateGen) node(depth int, leaf bool) {
	r := g.r
	k := r.IntN(10)
	if depth <= 0 {
		k = r.IntN(3)
	}
	mark := len(g.vars)
	switch k {
	case 0:
		g.b.WriteString(pick(r, "text & more\n", "<br>", "", " ", "é<b>x</b>"))
	case 1, 2:
		g.action()
	case 3:
		fmt.Fprintf(&g.b, "{{ if %s }}", g.expr(2))
		g.list(depth-1, leaf)
		if r.IntN(2) == 0 {
			g.b.WriteString("{{ else }}")
			g.list(depth-1, leaf)
		}
		g.b.WriteString("{{ end }}")
	case 4:
		fmt.Fprintf(&g.b, "{{ with %s }}", g.expr(2))
		g.list(depth-1, leaf)
		if r.IntN(3) == 0 {
			g.b.WriteString("{{ else }}")
			g.list(depth-1, leaf)
		}
		g.b.WriteString("{{ end }}")
	case 5:
		coll := pick(r, ".Children", ".Ancestors", ".Breadcrumbs", ".Changes", ".TOC", ".Translations", ".Params.missing", "(list 1 2)", "byLetter .Site.Pages .", ".Title")
		if r.IntN(2) == 0 {
			g.nvar += 2
			i, e := fmt.Sprint("$i", g.nvar), fmt.Sprint("$e", g.nvar)
			fmt.Fprintf(&g.b, "{{ range %s, %s := %s }}{{ %s }}", i, e, coll, i)
			g.vars = append(g.vars, i, e)
		} else {
			fmt.Fprintf(&g.b, "{{ range %s }}", coll)
		}
		g.loop++
		g.list(depth-1, leaf)
		if r.IntN(3) == 0 {
			g.b.WriteString(pick(r, "{{ break }}", "{{ continue }}", "{{ if .Draft }}{{ break }}{{ end }}"))
		}
		g.loop--
		if r.IntN(3) == 0 {
			g.b.WriteString("{{ else }}")
			g.list(depth-1, leaf)
		}
		g.b.WriteString("{{ end }}")
		g.vars = g.vars[:mark]
		return
	case 6:
		g.nvar++
		v := fmt.Sprint("$v", g.nvar)
		fmt.Fprintf(&g.b, "{{ %s := %s }}", v, g.expr(1))
		g.vars = append(g.vars, v)
		return // in scope for what follows
	case 7:
		if len(g.vars) > 0 {
			fmt.Fprintf(&g.b, "{{ %s = %s }}", pick(r, g.vars...), g.expr(1))
		}
	case 8:
		if leaf {
			fmt.Fprintf(&g.b, `{{ template "partials/p.html" %s }}`, pick(r, ".", "$", ".Parent", ".Site", `"text"`, ".Params"))
		}
	default:
		if leaf {
			fmt.Fprintf(&g.b, `{{ partialCached "p.html" %s }}`, pick(r, ".", ".Parent", ".Site", `.Section`))
		}
	}
}

// Package strangers generates the content of a test site written the way
// people who have never seen this generator write Markdown and front
// matter: Hugo-style dates, YAML nulls, TOML now and then, quoted titles
// with colons, nested quotes and lists, HTML blocks, long tables,
// footnotes, odd Unicode and Windows line endings. A seed replays a site
// exactly.
package strangers

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// Options shape a generated site.
type Options struct {
	Pages int // regular pages, besides the home page and section pages

	// Hugo adds front matter that the build accepts since the front
	// matter work of issue 11: Hugo datetimes with a one-digit hour and a
	// zone ("2013-12-02 7:37:00 -0400") and YAML nulls on typed keys
	// (weight:, last_reviewed: ~). Without it, every date and null is one
	// the build accepted before.
	Hugo bool

	// Broken adds a broken link and a link to a draft, so that the build
	// fails and check has something to report.
	Broken bool
}

// Generate returns the content files of a site, by path ("content/...")
// and text. The same seed and options give the same files.
func Generate(seed uint64, opts Options) map[string]string {
	g := &gen{r: rand.New(rand.NewPCG(seed, 0x5eed)), opts: opts, files: map[string]string{}}
	g.sections = []string{"guides", "news", "über-uns", "faq"}
	for i := 0; i < opts.Pages; i++ {
		sec := g.sections[i%len(g.sections)]
		g.pages = append(g.pages, fmt.Sprintf("%s/post-%03d.md", sec, i))
	}
	g.home()
	for i, sec := range g.sections {
		g.section(sec, i)
	}
	for i, p := range g.pages {
		g.page(p, i)
	}
	if opts.Broken {
		g.files["content/secret-plan.md"] = "---\ntitle: Secret plan\ndraft: true\n---\nNot yet.\n"
	}
	return g.files
}

// gen is the state of one generation.
type gen struct {
	r        *rand.Rand
	opts     Options
	files    map[string]string
	sections []string
	pages    []string // content-relative paths of the regular pages
}

func (g *gen) pick(xs ...string) string { return xs[g.r.IntN(len(xs))] }
func (g *gen) chance(p float64) bool    { return g.r.Float64() < p }

func (g *gen) home() {
	g.files["content/_index.md"] = strings.Join([]string{
		"---",
		"title: \"Home: a site by strangers\"",
		"description: Pages written the way people write them.",
		"site:",
		"  title: Strangers",
		"  language: en-GB",
		"  organisation: The Strangers' Collective",
		"  copyright: \"© Strangers\"",
		"---",
		"Welcome! Start with [the guides](guides/_index.md) or the [FAQ](faq/_index.md).",
		"",
	}, "\n")
}

func (g *gen) section(sec string, i int) {
	fm := fmt.Sprintf("---\ntitle: %s\ndescription: Everything under %s.\nweight: %d\n---\n", sectionTitle(sec), sec, i+1)
	g.files["content/"+sec+"/_index.md"] = fm + "Pages in this section.\n"
}

func sectionTitle(sec string) string {
	switch sec {
	case "faq":
		return "FAQ"
	case "über-uns":
		return "Über uns"
	}
	return strings.ToUpper(sec[:1]) + sec[1:]
}

// page writes one regular page: front matter and a body of several
// blocks, sometimes with Windows line endings.
func (g *gen) page(p string, i int) {
	text := g.frontMatter(i) + g.body(p, i)
	if g.chance(0.2) {
		text = strings.ReplaceAll(text, "\n", "\r\n")
	}
	g.files["content/"+p] = text
}

// frontMatter is YAML most of the time and TOML now and then.
func (g *gen) frontMatter(i int) string {
	title := g.pick("Post %d", "\"Q&A %d: what now?\"", "'It''s post %d'", "Ünïcödé №%d ✓", "\"Title: with a colon, %d\"", "Post %d — with a dash")
	title = fmt.Sprintf(title, i)
	if g.chance(0.15) {
		return g.toml(i)
	}
	lines := []string{"---", "title: " + title}
	lines = append(lines, g.pick("description: A short description.", "description:", "description: ~",
		"description: >\n  Folded text\n  over lines.", "description: \"Quoted: with colon\"", "# no description yet"))
	lines = append(lines, "date: "+g.date(), "lastmod: "+g.date())
	lines = append(lines, g.pick("tags: [one, two]", "tags:\n  - one\n  - \"two words\"", "tags: []", "tags:", "categories: ~"))
	lines = append(lines, g.pick("weight: 10", "weight: \"5\"", "weight: 0", "# weight: 3", g.null("weight")))
	lines = append(lines, g.pick("aliases:", "aliases: ~", "aliases: []", fmt.Sprintf("aliases: [/old/post-%d.html]", i), "author:\n  name: Ann Other\n  email: ~"))
	lines = append(lines, g.pick("draft: false", "toc: true", "image:", "summary: |\n  Line one\n  Line two", g.null("last_reviewed")))
	return strings.Join(lines, "\n") + "\n---\n"
}

// null is a YAML null on a typed key, or a harmless line without
// Options.Pending.
func (g *gen) null(key string) string {
	if !g.opts.Hugo {
		return "custom_" + key + ":"
	}
	return key + g.pick(":", ": ~", ": null")
}

// toml is front matter in TOML.
func (g *gen) toml(i int) string {
	return fmt.Sprintf("+++\ntitle = \"TOML post %d\"\ndescription = \"\"\"\nA multi-line\ndescription.\"\"\"\ndate = %s\nweight = %d\ntags = [\"a\", \"b\"]\n[params]\n  mood = \"odd\"\n+++\n",
		i, g.pick("2019-05-01T09:00:00Z", "2019-05-01", "2019-05-01T09:00:00+02:00"), i)
}

// date is a date as people write it, quoted or not.
func (g *gen) date() string {
	ds := []string{"2019-05-01", "2019-05-01T09:00:00Z", "2019-05-01T09:00:00+02:00", "\"2019-05-01 09:30:00\"",
		"2019-05-01 09:30", "'2020-02-29'", "2019-05-01T09:00:00"}
	if g.opts.Hugo {
		ds = append(ds, "2013-12-02 7:37:00 -0400", "2013-12-02 17:37:00 +0100", "2013-12-02T07:37:00")
	}
	return g.pick(ds...)
}

// body is several blocks of Markdown.
func (g *gen) body(p string, i int) string {
	blocks := []func(string, int) string{g.prose, g.quote, g.list, g.htmlBlock, g.table, g.footnotes, g.code, g.unicode, g.headings}
	var b strings.Builder
	n := 3 + g.r.IntN(6)
	for k := 0; k < n; k++ {
		b.WriteString(blocks[g.r.IntN(len(blocks))](p, i))
		b.WriteString("\n")
	}
	if g.opts.Broken && i == 0 {
		b.WriteString("See [the plan](../secret-plan.md) and [nothing](nothing-here.md).\n")
	}
	return b.String()
}

// link is a link to another page of the site, written in one of the
// ways that resolve.
func (g *gen) link(p string) string {
	other := g.pages[g.r.IntN(len(g.pages))]
	dir := p[:strings.IndexByte(p, '/')]
	rel := "../" + other
	if strings.HasPrefix(other, dir+"/") {
		rel = other[len(dir)+1:]
	}
	return fmt.Sprintf(g.pick("[another post](%s)", "[*emphasised* link](%s \"a title\")", "<a href=\"/\">home</a> and [text](%s)"), rel)
}

func (g *gen) prose(p string, i int) string {
	s := g.pick("A plain paragraph with \"quotes\" -- dashes... and it's fine.",
		"Text with **bold**, _emphasis_, `code`, ~~strike~~ and a hard break  \nafter two spaces.",
		"A very long sentence that goes on and on because the writer did not stop to think about the reader, who has to keep all of it in mind until the very end of it.",
		"An URL www.example.org and <https://example.org/path?q=1&r=2> and an e-mail <me@example.org>.",
		"Escapes \\* \\_ \\[ and entities &amp; &copy; &#8212; and a lone < sign.")
	if g.chance(0.5) {
		s += " See " + g.link(p) + "."
	}
	return s + "\n"
}

func (g *gen) quote(p string, i int) string {
	return g.pick(
		"> The first paragraph of a quotation.\n>\n> The second paragraph.\n",
		"> Outer\n>\n> > Inner quote\n> >\n> > still inner\n>\n> outer again\n",
		"> - a list in a quote\n> - second\n>\n>   continued item\n",
		"> lazy\ncontinuation line\n",
		">\n> starts empty\n>\n",
		"- item with a quote:\n\n  > quoted\n  >\n  > more\n",
	)
}

func (g *gen) list(p string, i int) string {
	return g.pick(
		"- one\n- two\n  - nested\n    - deeper\n      1. ordered\n      2. list\n",
		"1. first\n\n   loose paragraph\n\n2. second\n\n   ```\n   code in a list\n   ```\n",
		"* star\n+ plus\n- minus\n",
		"- [ ] a task\n- [x] done task\n",
		"Term\n: Its definition\n: Another one\n",
		"-\n  empty start\n-\n",
	)
}

func (g *gen) htmlBlock(p string, i int) string {
	return g.pick(
		"<div class=\"note\">\n<p>Raw <em>HTML</em> block.</p>\n</div>\n",
		"<!-- a comment\nover lines -->\n",
		"<details>\n<summary>More</summary>\n\nMarkdown *inside* details.\n\n</details>\n",
		"<table>\n<tr><th>H</th></tr>\n<tr><td>cell</td></tr>\n</table>\n",
		"<br>\n",
	)
}

// table is a GFM table of up to 60 rows.
func (g *gen) table(p string, i int) string {
	var b strings.Builder
	b.WriteString("| Name | Value | Note |\n| :--- | ---: | :-: |\n")
	rows := 1 + g.r.IntN(60)
	for k := 0; k < rows; k++ {
		fmt.Fprintf(&b, "| row %d | %d | %s |\n", k, g.r.IntN(1000), g.pick("ok", "`code \\| pipe`", "**bold**", "", "ünï"))
	}
	return b.String()
}

func (g *gen) footnotes(p string, i int) string {
	return g.pick(
		"A claim.[^1] Another.[^note]\n\n[^1]: The first note.\n[^note]: A named note\n    over two lines.\n",
		"Text with a footnote reference[^x] that is never defined.\n",
	)
}

func (g *gen) code(p string, i int) string {
	return g.pick(
		"```go\nfunc main() { fmt.Println(\"hi\") }\n```\n",
		"    indented code\n    block\n",
		"~~~yaml\nkey: value\n~~~\n",
		"```\nunclosed fence at the end\n",
	)
}

func (g *gen) unicode(p string, i int) string {
	return g.pick(
		"Zero\u200bwidth, non\u00a0breaking, e\u0301 combining, 👩‍👩‍👧 family, العربية, עברית, 中文.\n",
		"Tabs\there\tand trailing spaces   \n",
		"“Smart quotes” and ‘single’ and «guillemets» — em dash – en dash…\n",
		"\u202eright-to-left override\u202c and \ufeff a BOM in the middle.\n",
	)
}

func (g *gen) headings(p string, i int) string {
	return g.pick(
		"## A heading\n\n### A sub-heading ###\n",
		"Setext heading\n--------------\n",
		"## Heading with id {#custom-id}\n",
		"#### Skipped levels\n",
		"##Not a heading without a space\n",
	)
}

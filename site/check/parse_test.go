package check

import (
	"fmt"
	"strings"
	"testing"
)

func problemsOf(d *Document) []string {
	var out []string
	for _, p := range d.Problems {
		out = append(out, fmt.Sprintf("%d:%d %s", p.Line, p.Col, p.Rule))
	}
	return out
}

func TestParseValid(t *testing.T) {
	const head = `<!doctype html><html lang=en><head><meta charset=utf-8><title>x</title>`
	tests := []struct{ name, src string }{
		{"minified", head + `<body><ul><li>a<li>b</ul><p>x<p>y<table><tr><td>1<td>2</table></html>`},
		{"no html head body tags", `<!DOCTYPE html><title>x</title><p>hello<div>block</div>`},
		{"p closed by parent", head + `<div><p>one<p>two</div><section><p>x</section>`},
		{"dl", head + `<dl><dt>term<dd>definition<dt>t2<dd>d2</dl>`},
		{"nested lists", head + `<ul><li>a<ul><li>a1<li>a2</ul><li>b</ul>`},
		{"table parts", head + `<table><caption>c</caption><colgroup><col><col><thead><tr><th>a<th>b<tbody><tr><td>1<td>2<tr><td>3<td>4<tfoot><tr><td>x<td>y</table>`},
		{"select", head + `<select><optgroup label=a><option>1<option>2<optgroup label=b><option>3</select>`},
		{"void and self-closing void", head + `<p>a<br>b<br/><img src=x.png alt=""><hr><input type=text>`},
		{"svg", head + `<svg viewBox="0 0 1 1"><path d="M0 0"/><g><circle r=1 /></g></svg><p>x`},
		{"script with tags", head + `<script>document.write("<div>")</script><p>x`},
		{"body end then space", head + `<body><p>x</p></body>` + "\n" + `</html>` + "\n"},
		{"li with p", head + `<ul><li><p>a<li><p>b</ul>`},
		{"headings after p", head + `<p>x<h2>y</h2><p>z`},
		{"formatting closed in order", head + `<p><b><i>x</i></b>`},
		{"comment", head + `<!-- <div> --><p>x`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if ps := problemsOf(Parse([]byte(tt.src))); len(ps) > 0 {
				t.Errorf("problems in valid HTML: %v", ps)
			}
		})
	}
}

func TestParseInvalid(t *testing.T) {
	const head = "<!doctype html><html lang=en><head><title>x</title></head><body>\n"
	tests := []struct {
		name, src string
		want      []string
	}{
		{"misnested", head + `<div><span></div>`, []string{"2:12 html-misnested"}},
		{"duplicate attribute", head + `<p a=1 a=2>x`, []string{"2:1 html-duplicate-attribute"}},
		{"stray end tag", head + `<p>x</p></section>`, []string{"2:9 html-stray-end-tag"}},
		{"unclosed at EOF", head + `<div>x`, []string{"2:1 html-unclosed"}},
		{"crossed formatting reported once", head + `<p><b><i>x</b></i>`, []string{"2:11 html-misnested"}},
		{"self-closing div", head + `<div/>x`, []string{"2:1 html-self-closing"}},
		{"void end tag", head + `<img src=a alt=""></img>`, []string{"2:19 html-stray-end-tag"}},
		{"no doctype", `<html lang=en><title>x</title><p>x`, []string{"1:1 html-doctype"}},
		{"p stray", head + `</p>`, []string{"2:1 html-stray-end-tag"}},
		{"cell with open span", head + `<table><tr><td><span>x<td>y</table>`, []string{"2:23 html-misnested"}},
		{"line numbers", head + "<p>a\n\n<b>x\n</div>", []string{"5:1 html-stray-end-tag", "4:1 html-unclosed"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := problemsOf(Parse([]byte(tt.src)))
			if strings.Join(got, "; ") != strings.Join(tt.want, "; ") {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestParseTree(t *testing.T) {
	d := Parse([]byte(`<!doctype html><title>T</title><ul><li>a<li>b &amp; c</ul><p id=x>text`))
	if d.Head == nil || d.Body == nil || d.HTML == nil {
		t.Fatal("html, head or body missing")
	}
	if got := d.title().TextContent(); got != "T" {
		t.Errorf("title = %q", got)
	}
	var items []string
	for _, n := range d.Elements {
		if n.Tag == "li" {
			items = append(items, n.TextContent()+"/"+n.Parent.Tag)
		}
	}
	if strings.Join(items, ",") != "a/ul,b & c/ul" {
		t.Errorf("items = %v", items)
	}
	if n := d.ID("x"); n == nil || n.Parent != d.Body {
		t.Errorf("p#x not in body: %+v", n)
	}
}

// flagsOf gives what tagTable holds for every tag in it, and nothing for
// tags outside it.
func TestFlagsOf(t *testing.T) {
	for tag, f := range tagTable {
		if got := flagsOf(tag); got != f {
			t.Errorf("flagsOf(%q) = %b, want %b", tag, got, f)
		}
	}
	for _, tag := range []string{"", "x", "span", "custom-element", "figcaptions", "A", "1", "é"} {
		if got := flagsOf(tag); got != tagTable[tag] {
			t.Errorf("flagsOf(%q) = %b, want %b", tag, got, tagTable[tag])
		}
	}
}

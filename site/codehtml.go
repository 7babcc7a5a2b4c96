package site

import (
	"bytes"
	"strings"

	"github.com/alecthomas/chroma/v2"
)

// codeHTML writes the lines of highlighted code as chroma's HTML
// formatter (codeFormatter: CSS classes, no prefix, no line numbers)
// writes them from chroma's Coalesce of the same tokens, but from each
// token as it comes: it allocates nothing, where chroma's formatter
// collects the tokens, joins runs of one type into new strings, splits
// them into lines, and formats each with fmt. Runs of one type join as in
// Coalesce: empty tokens are left out, and a token joins the run before
// it while that run is shorter than 8 KiB.
//
// Each line is <span class="line"><span class="cl">…</span></span>, its
// newline inside; each run's part of a line is escaped as html.EscapeString
// does, in a <span> of its type's class unless the type has none.
type codeHTML struct {
	b       *bytes.Buffer
	typ     chroma.TokenType // type of the current run
	run     int              // bytes in the current run; 0 before the first
	inLine  bool             // a line's spans are open
	inToken bool             // the current run's span is open on this line
}

// Line and code-line wrappers and their closing tags, as chroma writes
// them with its standard classes.
var (
	codeLineOpen  = "<span" + classAttr(chroma.Line) + "><span" + classAttr(chroma.CodeLine) + ">"
	codeLineClose = "</span></span>"
)

// codeEscaper escapes as html.EscapeString, into a writer.
var codeEscaper = strings.NewReplacer(`&`, "&amp;", `'`, "&#39;", `<`, "&lt;", `>`, "&gt;", `"`, "&#34;")

// token adds a token to the code.
func (c *codeHTML) token(t chroma.Token) {
	if t.Value == "" {
		return
	}
	if c.run == 0 || t.Type != c.typ || c.run >= 8192 {
		c.endRun()
		c.typ, c.run = t.Type, 0
	}
	c.run += len(t.Value)
	cls := tokenClass(t.Type)
	for v := t.Value; v != ""; {
		part := v
		if i := strings.IndexByte(v, '\n'); i >= 0 {
			part = v[:i+1]
		}
		v = v[len(part):]
		if !c.inLine {
			c.b.WriteString(codeLineOpen)
			c.inLine = true
		}
		if cls != "" && !c.inToken {
			c.b.WriteString(`<span class="`)
			c.b.WriteString(cls)
			c.b.WriteString(`">`)
			c.inToken = true
		}
		_, _ = codeEscaper.WriteString(c.b, part)
		if part[len(part)-1] == '\n' {
			c.endRun()
			c.b.WriteString(codeLineClose)
			c.inLine = false
		}
	}
}

// endRun closes the current run's span on this line, if open.
func (c *codeHTML) endRun() {
	if c.inToken {
		c.b.WriteString("</span>")
		c.inToken = false
	}
}

// end closes the last line.
func (c *codeHTML) end() {
	c.endRun()
	if c.inLine {
		c.b.WriteString(codeLineClose)
		c.inLine = false
	}
}

// tokenClass is the CSS class of a token type, as chroma's formatter
// finds it: the type's own standard class, else its nearest ancestor's.
func tokenClass(t chroma.TokenType) string {
	for t != 0 {
		if cls, ok := chroma.StandardTypes[t]; ok {
			return cls
		}
		t = t.Parent()
	}
	return chroma.StandardTypes[t]
}

// classAttr is the class attribute of a token type, or "" when it has
// no class.
func classAttr(t chroma.TokenType) string {
	if cls := tokenClass(t); cls != "" {
		return ` class="` + cls + `"`
	}
	return ""
}

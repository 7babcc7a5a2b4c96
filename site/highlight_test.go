package site

import (
	"bytes"
	"flag"
	"html"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/alecthomas/chroma/v2/styles"
)

var highlightSeed = flag.Uint64("highlight-seed", 0, "replay TestHighlighterMatchesChroma with this seed")

// referenceHighlight is fenced code as chroma renders it looked up afresh
// for every block, with nothing remembered: the highlighter's oracle.
func referenceHighlight(lang, code string) string {
	var lexer chroma.Lexer
	if lang != "" {
		lexer = lexers.Get(lang)
	}
	if lexer != nil {
		it, err := chroma.Coalesce(lexer).Tokenise(nil, code)
		if err == nil {
			var out bytes.Buffer
			if codeFormatter.Format(&out, styles.Get(highlightStyle), it) == nil {
				return string(bytes.Replace(out.Bytes(), []byte(`<pre class="chroma"`), []byte(`<pre class="chroma language-`+html.EscapeString(strings.ToLower(lang))+`"`), 1))
			}
		}
	}
	return "<pre><code>" + html.EscapeString(code) + "</code></pre>\n"
}

// fenceLangs are languages as authors write them: real ones in several
// spellings, names that are not lexers, file names and patterns.
var fenceLangs = []string{"", "go", "Go", "GO", "powershell", "PowerShell", "ps1", "bash", "sh", "console",
	"python", "py", "js", "javascript", "json", "yaml", "html", "xml", "css", "sql", "c++", "c#", "diff",
	"Output", "Syntax", "none", "text", "plaintext", "txt", "output", "Makefile", "Dockerfile", "x.go",
	"*.go", "[", "a<b>", "\"q\"", "??", "ünïcode"}

var fenceCode = []string{"", "x", "func f() error {\n\treturn nil\n}\n", "Get-ChildItem -Path C:\\ | Where-Object { $_.Length -gt 1kb }\n",
	"$ ls -la\ntotal 0\n", "<a href=\"x\">&amp;</a>\n", "SELECT * FROM t WHERE a = 'b';\n", "{\"a\": [1, 2, \"<script>\"]}\n",
	"Name  Value\n----  -----\nA     1\n", "def f(x):\n    return x ** 2  # square\n", "  \t\n\n", "\"unterminated\n"}

// randomCode is a snippet from fenceCode, sometimes cut or joined with
// another, so that some blocks repeat and some do not.
func randomCode(rng *rand.Rand) string {
	c := fenceCode[rng.IntN(len(fenceCode))]
	switch rng.IntN(4) {
	case 0:
		if len(c) > 0 {
			c = c[:rng.IntN(len(c))]
		}
	case 1:
		c += fenceCode[rng.IntN(len(fenceCode))]
	}
	return c
}

// TestHighlighterMatchesChroma holds the highlighter, with its lexer and
// output caches, to chroma looked up afresh for every block: a seeded
// random walk over real and unknown languages and repeating code, from
// several goroutines, with caches small enough to fill.
func TestHighlighterMatchesChroma(t *testing.T) {
	seed := testSeed(t, *highlightSeed, "highlight-seed")
	for _, lim := range []highlightLimits{{maxLexerNames, maxSeenBlocks, maxCodeCache}, {3, 5, 600}} {
		h := newHighlighter()
		h.limit = lim
		var wg sync.WaitGroup
		for g := range 2 {
			wg.Go(func() {
				rng := rand.New(rand.NewPCG(seed, uint64(g)))
				for range 120 {
					lang, code := fenceLangs[rng.IntN(len(fenceLangs))], randomCode(rng)
					var got strings.Builder
					h.write(&got, lang, code)
					if want := referenceHighlight(lang, code); got.String() != want {
						t.Errorf("seed %d: lang %q code %q:\ngot  %q\nwant %q", seed, lang, code, got.String(), want)
						return
					}
				}
			})
		}
		wg.Wait()
		if lim.bytes == maxCodeCache && len(h.html) == 0 {
			t.Errorf("no repeated block was cached")
		}
		if len(h.lexers) > lim.names || len(h.seen) > lim.seen || h.size > lim.bytes {
			t.Errorf("caches past their bounds %+v: %d names, %d seen, %d bytes", lim, len(h.lexers), len(h.seen), h.size)
		}
	}
}

// TestHighlighterLooksUpOnce checks that a language that is no lexer is
// remembered as none, so chroma's pattern search runs once per build.
func TestHighlighterLooksUpOnce(t *testing.T) {
	h := newHighlighter()
	for range 3 {
		var b strings.Builder
		h.write(&b, "Output", "a <b>\n")
		if b.String() != "<pre><code>a &lt;b&gt;\n</code></pre>\n" {
			t.Fatalf("got %q", b.String())
		}
	}
	l, ok := h.lexers["Output"]
	if !ok || l != nil {
		t.Errorf("Output: remembered %v, %v; want a remembered nil", l, ok)
	}
}

// TestHighlighterLeavesStuckLexerPlain checks that a lexer that makes no
// progress leaves its block plain: chroma's JSONata lexer matches the
// empty string at a lone quote, and chroma's tokeniser looped there for
// ever, hanging the build.
func TestHighlighterLeavesStuckLexerPlain(t *testing.T) {
	done := make(chan string, 1)
	go func() {
		var b strings.Builder
		newHighlighter().write(&b, "jsonata", "{\"a\": 'b}\n")
		done <- b.String()
	}()
	select {
	case got := <-done:
		if want := "<pre><code>{&#34;a&#34;: &#39;b}\n</code></pre>\n"; got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("highlighting a JSONata fence with a lone quote did not finish")
	}
}

package site

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"html"
	"math/rand/v2"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/lexers"
)

// TestHighlighterBoundsNestedLexers checks that a stuck lexer reached
// through another one leaves its block plain instead of hanging the
// build: through markdown's and gemtext's fences, Svelte's script
// language (chroma's delegating lexer collects every token before it
// returns one), HTTP's content type, and a fence of a fence.
func TestHighlighterBoundsNestedLexers(t *testing.T) {
	for _, c := range []struct{ lang, code string }{
		{"markdown", "```jsonata\n'\n```\n"},
		{"gemtext", "```jsonata\n'\n```\n"},
		{"svelte", "<script lang=\"jsonata\">'</script>\n"},
		{"http", "POST / HTTP/1.1\nContent-Type: text/x-jungle\n\n|=>+\n"},
		{"http", "POST / HTTP/1.1\nContent-Type: application/x-svelte\n\n<script lang=\"jsonata\">'</script>\n"},
		{"markdown", "```svelte\n<script lang=\"jsonata\">'</script>\n```\n"},
		{"org", "#+BEGIN_SRC markdown\n```svelte\n<script lang=\"squidconf\">::$\t?>\"{%</script>\n```\n#+END_SRC\n"},
	} {
		done := make(chan string, 1)
		go func() {
			var b strings.Builder
			newHighlighter().write(&b, c.lang, c.code)
			done <- b.String()
		}()
		select {
		case got := <-done:
			if want := "<pre><code>" + html.EscapeString(c.code) + "</code></pre>\n"; got != want {
				t.Errorf("%s %q: got %q, want it plain", c.lang, c.code, got)
			}
		case <-time.After(20 * time.Second):
			t.Errorf("highlighting %s %q did not finish", c.lang, c.code)
		}
	}
}

var boundedSeed = flag.Uint64("bounded-seed", 0, "replay TestHighlighterBoundedMatchesChroma with this seed")

// hostilePieces are what short hostile code blocks are made of: quotes,
// brackets and operators, the openers of embedded languages, and
// fences naming the lexers that are known to get stuck.
var hostilePieces = []string{"'", "\"", "`", "{", "}", "[", "]", "(", ")", "<", ">", "/", "\\", "*", "#",
	"$", "@", "!", "%", "&", "|", ";", ":", "=", ",", ".", "-", "+", "?", "~", "^", "_", " ", "\n", "\t",
	"\r", "a", "x", "1", "é", "end", "if", "{{", "}}", "{%", "%}", "<?php", "?>", "<%", "%>", "${", "=>",
	"/*", "*/", "\"\"\"", "<script>", "</script>", "```", "```go\n", "```jsonata\n", "```svelte\n",
	"<script lang=\"jsonata\">", "Content-Type: text/x-jungle\n\n", "GET / HTTP/1.1\n", "#+BEGIN_SRC jsonata\n"}

// chromaEnds tells whether chroma's own tokenising of code ends, without
// error, within a million tokens and a few seconds. It runs in a process
// of its own (this test binary, running TestChromaEndsHelper), which is
// killed when it does not end: a tokenising that does not end may be
// collecting tokens without bound (chroma's delegating lexer does).
func chromaEnds(t *testing.T, lang, code string) bool {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestChromaEndsHelper$")
	cmd.Env = append(os.Environ(), "CHARTER_CHROMA_LANG="+lang, "CHARTER_CHROMA_CODE="+code)
	out, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		return false
	}
	if err != nil {
		t.Fatalf("%s %q: %v\n%s", lang, code, err, out)
	}
	return bytes.Contains(out, []byte("chroma ends"))
}

// TestChromaEndsHelper is chromaEnds's process: it prints "chroma ends"
// when chroma's tokenising of the code in its environment ends.
func TestChromaEndsHelper(t *testing.T) {
	lang, ok := os.LookupEnv("CHARTER_CHROMA_LANG")
	if !ok {
		t.Skip("run by chromaEnds")
	}
	defer func() { _ = recover() }() // chroma panics: the block is plain
	it, err := lexers.Get(lang).Tokenise(nil, os.Getenv("CHARTER_CHROMA_CODE"))
	if err != nil {
		return
	}
	for n := 0; it() != chroma.EOF; n++ {
		if n > 1_000_000 {
			return
		}
	}
	fmt.Println("chroma ends")
}

// TestHighlighterBoundedMatchesChroma holds the bounded highlighter to
// chroma over every registered lexer, on short hostile blocks from a
// seeded random walk: where chroma ends, the HTML is chroma's; where it
// does not, the block is plain, and highlighting it ends within seconds.
func TestHighlighterBoundedMatchesChroma(t *testing.T) {
	seed := testSeed(t, *boundedSeed, "bounded-seed")
	rng := rand.New(rand.NewPCG(seed, 0))
	perLexer := 12
	if testing.Short() {
		perLexer = 6
	}
	h := newHighlighter()
	for _, l := range lexers.GlobalLexerRegistry.Lexers {
		lang := l.Config().Name
		if _, regex := l.(*chroma.RegexLexer); testing.Short() && regex && rng.IntN(5) > 0 {
			continue // a fifth of the RegexLexers, and all the others
		}
		for range perLexer {
			var b strings.Builder
			for range 1 + rng.IntN(8) {
				b.WriteString(hostilePieces[rng.IntN(len(hostilePieces))])
			}
			code := b.String()
			got, ok := highlightWithin(h, lang, code, 10*time.Second)
			if !ok {
				t.Fatalf("seed %d: %s %q: highlighting did not end", seed, lang, code)
			}
			// A plain block is checked first against chroma's tokenising
			// with a bound: chroma's HTML of a block where it does not
			// end would be waited for in vain.
			want := "<pre><code>" + html.EscapeString(code) + "</code></pre>\n"
			if strings.HasPrefix(got, "<pre class=") || chromaEnds(t, lang, code) {
				want = referenceHighlight(lang, code)
			}
			if got != want {
				t.Fatalf("seed %d: %s %q:\ngot  %q\nwant %q", seed, lang, code, got, want)
			}
		}
	}
}

// highlightWithin is h's HTML of code in language lang, and false when
// it took longer than d.
func highlightWithin(h *highlighter, lang, code string, d time.Duration) (string, bool) {
	done := make(chan string, 1)
	go func() {
		var b strings.Builder
		h.write(&b, lang, code)
		done <- b.String()
	}()
	select {
	case got := <-done:
		return got, true
	case <-time.After(d):
		return "", false
	}
}

// TestBoundedLexersMatchChroma checks each kind of lexer that embeds
// others, bounded, against chroma on ordinary code: HTTP bodies by
// content type (and by the type after +), markdown with front matter
// and fences, the delegating lexers, a remapping lexer, and a fence of
// Svelte in Org.
func TestBoundedLexersMatchChroma(t *testing.T) {
	h := newHighlighter()
	for _, c := range []struct{ lang, code string }{
		{"http", "POST /a HTTP/1.1\nHost: x\nContent-Type: application/json; charset=utf-8\n\n{\"a\": [1, true]}\n"},
		{"http", "HTTP/1.1 200 OK\nContent-Type: application/calendar+xml\n\n<a b=\"c\">d</a>\n"},
		{"http", "GET / HTTP/1.1\nContent-Type: text/x-nothing\n\nbody\n"},
		{"markdown", "---\ntitle: x\n---\n# Head\n\n* item *em*\n\n```go\nfunc f() {}\n```\n"},
		{"svelte", "<script lang=\"ts\">let a: number = 1;</script>\n<p>{a}</p>\n{#if a}<b>x</b>{/if}\n"},
		{"erb", "<p><%= @user.name %></p>\n"},
		{"phtml", "<p><?php echo $x; ?></p>\n"},
		{"go-html-template", "<p>{{ .Title }}</p>\n"},
		{"yaml+jinja", "a: {{ b }}\n{% if c %}d: 1{% endif %}\n"},
		{"common-lisp", "(defun f (x) (* x 2))\n"},
		{"org", "#+BEGIN_SRC svelte\n<script>let a = 1;</script>\n#+END_SRC\n"},
		{"html", "<style>a { color: red }</style><script>var a = '<b>';</script>\n"},
	} {
		got, ok := highlightWithin(h, c.lang, c.code, 20*time.Second)
		if want := referenceHighlight(c.lang, c.code); !ok || got != want {
			t.Errorf("%s %q:\ngot  %q\nwant %q", c.lang, c.code, got, want)
		}
		if !strings.HasPrefix(got, "<pre class=\"chroma") {
			t.Errorf("%s %q: not highlighted: %q", c.lang, c.code, got)
		}
	}
}

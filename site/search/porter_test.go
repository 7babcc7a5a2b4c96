package search

import (
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// Examples from Porter's 1980 paper, stemmed by the whole algorithm.
var porterExamples = map[string]string{
	"caresses": "caress", "ponies": "poni", "ties": "ti", "caress": "caress", "cats": "cat",
	"feed": "feed", "agreed": "agre", "plastered": "plaster", "bled": "bled", "motoring": "motor",
	"sing": "sing", "conflated": "conflat", "troubled": "troubl", "sized": "size", "hopping": "hop",
	"tanned": "tan", "falling": "fall", "hissing": "hiss", "fizzed": "fizz", "failing": "fail",
	"filing": "file", "happy": "happi", "sky": "sky", "relational": "relat", "conditional": "condit",
	"rational": "ration", "valenci": "valenc", "hesitanci": "hesit", "digitizer": "digit",
	"conformabli": "conform", "radicalli": "radic", "differentli": "differ", "vileli": "vile",
	"analogousli": "analog", "vietnamization": "vietnam", "predication": "predic",
	"operator": "oper", "feudalism": "feudal", "decisiveness": "decis", "hopefulness": "hope",
	"callousness": "callous", "formaliti": "formal", "sensitiviti": "sensit",
	"sensibiliti": "sensibl", "triplicate": "triplic", "formative": "form", "formalize": "formal",
	"electriciti": "electr", "electrical": "electr", "hopeful": "hope", "goodness": "good",
	"revival": "reviv", "allowance": "allow", "inference": "infer", "airliner": "airlin",
	"gyroscopic": "gyroscop", "adjustable": "adjust", "defensible": "defens", "irritant": "irrit",
	"replacement": "replac", "adjustment": "adjust", "dependent": "depend", "adoption": "adopt",
	"homologou": "homolog", "communism": "commun", "activate": "activ", "angulariti": "angular",
	"homologous": "homolog", "effective": "effect", "bowdlerize": "bowdler", "probate": "probat",
	"rate": "rate", "cease": "ceas", "controll": "control", "roll": "roll",
	"generalizations": "gener", "oscillators": "oscil", "information": "inform",
	"privacy": "privaci", "rights": "right", "requests": "request", "as": "as", "is": "is",
}

func TestStem(t *testing.T) {
	for w, want := range porterExamples {
		if got := Stem(w); got != want {
			t.Errorf("Stem(%q) = %q, want %q", w, got, want)
		}
	}
}

func TestWords(t *testing.T) {
	var got []string
	Words("The People’s RIGHTS: café naïve data-sharing, Article 8 of the 1998 Act; a b x", func(s string) { got = append(got, s) })
	want := []string{"peopl", "right", "cafe", "naiv", "data", "share", "articl", "8", "1998", "act"}
	if !slices.Equal(got, want) {
		t.Errorf("Words = %q, want %q", got, want)
	}
}

// siteText returns the text of every Markdown file in the real site's content.
func siteText(t testing.TB) string {
	if t != nil {
		t.Helper()
	}
	var sb strings.Builder
	root := filepath.Join("..", "..", "content")
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(p) != ".md" {
			return err
		}
		b, err := os.ReadFile(p)
		sb.Write(b)
		sb.WriteByte('\n')
		return err
	})
	if err != nil {
		panic(err)
	}
	return sb.String()
}

// siteVocabulary returns the distinct lower-case words of the site's content.
func siteVocabulary(t testing.TB) []string {
	t.Helper()
	ws := regexp.MustCompile(`[a-z]+`).FindAllString(strings.ToLower(siteText(t)), -1)
	slices.Sort(ws)
	return slices.Compact(ws)
}

// node returns the path of node, skipping the test when it is missing unless
// the CI variable is set.
func node(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("node")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("node is needed to test static/js/search.js")
		}
		t.Skip("node is not installed")
	}
	return p
}

// runJS runs static/js/search.js under node and calls fn(exports, stdin text)
// in it, returning what fn returns, one value per line.
func runJS(t *testing.T, fn, input string) []string {
	t.Helper()
	script, err := filepath.Abs(filepath.Join("..", "..", "static", "js", "search.js"))
	if err != nil {
		t.Fatal(err)
	}
	prog := `const s = require(process.argv[1]); let d = '';
process.stdin.on('data', c => d += c).on('end', () => process.stdout.write((` + fn + `)(s, d).join('\n')));`
	cmd := exec.Command(node(t), "-e", prog, script)
	cmd.Stdin = strings.NewReader(input)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, stderr.String())
	}
	return strings.Split(string(out), "\n")
}

func TestStemMatchesJavaScript(t *testing.T) {
	vocab := siteVocabulary(t)
	for w := range porterExamples {
		vocab = append(vocab, w)
	}
	if len(vocab) < 500 {
		t.Fatalf("only %d words in the site's content", len(vocab))
	}
	js := runJS(t, `(s, d) => d.split('\n').map(s.stem)`, strings.Join(vocab, "\n"))
	if len(js) != len(vocab) {
		t.Fatalf("node returned %d stems for %d words", len(js), len(vocab))
	}
	bad := 0
	for i, w := range vocab {
		if got := Stem(w); got != js[i] && bad < 20 {
			t.Errorf("%q: Go %q, JavaScript %q", w, got, js[i])
			bad++
		}
	}
	t.Logf("%d words agree", len(vocab))
}

func TestWordsMatchJavaScript(t *testing.T) {
	text := siteText(t) + "\nCafé NAÏVE résumé people's don’t Ŵales straße Ærøskøbing İstanbul Ångström e\u0301 x 7 ab"
	var want []string
	Words(text, func(s string) { want = append(want, s) })
	js := runJS(t, `(s, d) => s.terms(d)`, text)
	if !slices.Equal(js, want) {
		for i := range min(len(js), len(want)) {
			if js[i] != want[i] {
				t.Fatalf("term %d: Go %q, JavaScript %q (of %d and %d)", i, want[i], js[i], len(want), len(js))
			}
		}
		t.Fatalf("Go gives %d terms, JavaScript %d", len(want), len(js))
	}
}

package site

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"charter/site/internal/gensite"
)

// siteFences are the fences (language, code) of a generated code-heavy
// site of n pages, in page order.
func siteFences(b *testing.B, n int) [][2]string {
	b.Helper()
	dir := b.TempDir()
	if err := gensite.WriteWith(dir, n, "..", gensite.Options{Words: 1100, Code: true}); err != nil {
		b.Fatal(err)
	}
	var fences [][2]string
	_ = filepath.WalkDir(filepath.Join(dir, "content"), func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		src, _ := os.ReadFile(p)
		parts := strings.Split(string(src), "```")
		for i := 1; i+1 < len(parts); i += 2 {
			lang, code, _ := strings.Cut(parts[i], "\n")
			fences = append(fences, [2]string{lang, code})
		}
		return nil
	})
	return fences
}

// BenchmarkHighlightSite highlights every fence of a 300-page code-heavy
// site with one highlighter, as a build does, its lexers already found.
func BenchmarkHighlightSite(b *testing.B) {
	fences := siteFences(b, 300)
	h := newHighlighter()
	for _, f := range fences {
		h.lexer(f[0])
	}
	b.ReportAllocs()
	var out bytes.Buffer
	for b.Loop() {
		h.seen, h.html, h.size = map[uint64]bool{}, map[codeKey]string{}, 0
		for _, f := range fences {
			out.Reset()
			h.write(&out, f[0], f[1])
		}
	}
}

// BenchmarkHighlightKind highlights each kind of fence of a code-heavy
// site, none cached.
func BenchmarkHighlightKind(b *testing.B) {
	fences := siteFences(b, 20)
	byLang := map[string]string{}
	for _, f := range fences {
		byLang[f[0]] = f[1]
	}
	for lang, code := range byLang {
		b.Run(lang, func(b *testing.B) {
			h := newHighlighter()
			var out bytes.Buffer
			b.ReportAllocs()
			for b.Loop() {
				out.Reset()
				h.highlight(&out, lang, code)
			}
		})
	}
}

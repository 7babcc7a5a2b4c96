package site

import (
	"io"
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
// site with one highlighter, as a build does.
func BenchmarkHighlightSite(b *testing.B) {
	fences := siteFences(b, 300)
	b.ReportAllocs()
	for b.Loop() {
		h := newHighlighter()
		for _, f := range fences {
			h.write(io.Discard.(io.StringWriter), f[0], f[1])
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
			b.ReportAllocs()
			for b.Loop() {
				h.highlight(lang, code)
			}
		})
	}
}

package cli

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// translationStart is the text a new translation starts from: the front
// matter of the page it translates (orig, relative to content/), marked as
// a draft, and an empty body.
func translationStart(source, orig string) (string, error) {
	file := filepath.Join(source, "content", filepath.FromSlash(orig))
	data, err := os.ReadFile(file)
	if err != nil {
		return "", fmt.Errorf("content/%s cannot be read (%v): a translation starts from the page it translates; create that page first", orig, unwrapErr(err))
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	text := strings.ReplaceAll(string(data), "\r\n", "\n")
	for _, fence := range []string{"---", "+++"} {
		if !strings.HasPrefix(text, fence+"\n") {
			continue
		}
		end := strings.Index(text[len(fence)+1:], "\n"+fence)
		if end < 0 {
			break
		}
		fm := text[len(fence)+1 : len(fence)+1+end+1] // with its last newline
		return fence + "\n" + markDraft(fm, fence == "+++") + fence + "\n", nil
	}
	return "", fmt.Errorf("content/%s has no front matter between --- lines to copy; give it one first", orig)
}

// markDraft sets draft to true in front matter text, replacing a draft
// line at the top level or adding one: at the end of YAML, at the start of
// TOML (where the end may be inside a table).
func markDraft(fm string, toml bool) string {
	line := "draft: true"
	if toml {
		line = "draft = true"
	}
	lines := strings.SplitAfter(fm, "\n")
	for i, l := range lines {
		key := strings.TrimSpace(strings.SplitN(strings.SplitN(l, ":", 2)[0], "=", 2)[0])
		if key == "draft" && !strings.HasPrefix(l, " ") && !strings.HasPrefix(l, "\t") {
			lines[i] = line + "\n"
			return strings.Join(lines, "")
		}
	}
	if toml {
		return line + "\n" + fm
	}
	return fm + line + "\n"
}

// unwrapErr drops the path from a file error, which the message names.
func unwrapErr(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

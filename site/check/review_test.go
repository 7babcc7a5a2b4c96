package check

import (
	"bytes"
	"strings"
	"testing"
)

// TestOutputEscapesControlCharacters: a file name or message with an
// escape sequence is printed escaped, in text and in GitHub annotations.
func TestOutputEscapesControlCharacters(t *testing.T) {
	fs := []Finding{{File: "content/a\x1b[31m.md", Line: 2, Rule: "broken-link", Severity: Error, Message: "link to b\x1b]0;x\a.md", Fix: "fix \x9b it"}}
	for name, write := range map[string]func(*bytes.Buffer) error{
		"text":   func(b *bytes.Buffer) error { return WriteText(b, fs, false) },
		"github": func(b *bytes.Buffer) error { return WriteGitHub(b, fs) },
	} {
		var b bytes.Buffer
		if err := write(&b); err != nil {
			t.Fatal(err)
		}
		if strings.ContainsAny(b.String(), "\x1b\a\u009b") {
			t.Errorf("%s: printed %q", name, b.String())
		}
		if !strings.Contains(b.String(), `a\x1b[31m.md`) {
			t.Errorf("%s: the file is not named: %q", name, b.String())
		}
	}
}

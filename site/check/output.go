package check

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"charter/site/internal/printable"
)

// ANSI colours for WriteText.
const (
	red    = "\x1b[31m"
	yellow = "\x1b[33m"
	dim    = "\x1b[2m"
	reset  = "\x1b[0m"
)

// WriteText writes findings for people: grouped by file, one line each
// ("  LINE:COL  error  message  [rule]") with the fix indented beneath,
// then a summary line. With color, errors are red and warnings yellow;
// the caller decides (a terminal, and NO_COLOR unset). fs must be sorted,
// as Run returns them.
func WriteText(w io.Writer, fs []Finding, color bool) error {
	ew := &errWriter{w: w}
	paint := func(code, s string) string {
		if !color {
			return s
		}
		return code + s + reset
	}
	file := "\x00"
	for _, f := range fs {
		if f.File != file {
			if file != "\x00" {
				ew.printf("\n")
			}
			file = f.File
			ew.printf("%s\n", printable.Escape(f.File, ""))
		}
		sev := paint(red, "error  ")
		switch f.Severity {
		case Warning:
			sev = paint(yellow, "warning")
		case Notice:
			sev = paint(dim, "notice ")
		}
		ew.printf("  %-7s  %s  %s  %s\n", position(f), sev, printable.Escape(f.Message, "\n"), paint(dim, "["+f.Rule+"]"))
		if f.Fix != "" {
			ew.printf("  %-7s  %s\n", "", "fix: "+printable.Escape(f.Fix, "\n"))
		}
	}
	if len(fs) > 0 {
		ew.printf("\n")
	}
	ew.printf("%s\n", Summary(fs))
	return ew.err
}

func position(f Finding) string {
	switch {
	case f.Line > 0 && f.Col > 0:
		return fmt.Sprintf("%d:%d", f.Line, f.Col)
	case f.Line > 0:
		return fmt.Sprint(f.Line)
	}
	return "-"
}

// Summary is a line such as "3 errors, 5 warnings", with ", 2 notices"
// when there are any.
func Summary(fs []Finding) string {
	errs, warns := count(fs)
	s := fmt.Sprintf("%s, %s", plural(errs, "error"), plural(warns, "warning"))
	if n := len(fs) - errs - warns; n > 0 {
		s += ", " + plural(n, "notice")
	}
	return s
}

// count counts the errors and the warnings; notices are neither.
func count(fs []Finding) (errs, warns int) {
	for _, f := range fs {
		switch f.Severity {
		case Warning:
			warns++
		case Error:
			errs++
		}
	}
	return errs, warns
}

func plural(n int, s string) string {
	if n == 1 {
		return "1 " + s
	}
	return fmt.Sprintf("%d %ss", n, s)
}

// jsonFinding is the JSON form of a Finding.
type jsonFinding struct {
	File     string `json:"file"`
	Line     int    `json:"line"`
	Col      int    `json:"col"`
	Rule     string `json:"rule"`
	Severity string `json:"severity"`
	Message  string `json:"message"`
	Fix      string `json:"fix"`
}

// WriteJSON writes findings as a JSON array of objects with the keys
// file, line, col, rule, severity ("error", "warning" or "notice"),
// message and fix.
func WriteJSON(w io.Writer, fs []Finding) error {
	out := make([]jsonFinding, len(fs))
	for i, f := range fs {
		out[i] = jsonFinding{f.File, f.Line, f.Col, f.Rule, f.Severity.String(), f.Message, f.Fix}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// WriteGitHub writes findings as GitHub Actions workflow commands, which
// show as annotations on the files:
// "::error file=F,line=L,col=C,title=RULE::message. fix".
func WriteGitHub(w io.Writer, fs []Finding) error {
	ew := &errWriter{w: w}
	for _, f := range fs {
		props := []string{"file=" + escapeProperty(f.File)}
		if f.Line > 0 {
			props = append(props, fmt.Sprintf("line=%d", f.Line))
		}
		if f.Col > 0 {
			props = append(props, fmt.Sprintf("col=%d", f.Col))
		}
		props = append(props, "title="+escapeProperty(f.Rule))
		msg := f.Message
		if f.Fix != "" {
			msg = strings.TrimSuffix(msg, ".") + ". " + f.Fix
		}
		ew.printf("::%s %s::%s\n", f.Severity, strings.Join(props, ","), escapeData(msg))
	}
	return ew.err
}

// escapeData escapes a workflow command's message.
func escapeData(s string) string {
	return printable.Escape(strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s), "")
}

// escapeProperty escapes a workflow command's property value.
func escapeProperty(s string) string {
	return printable.Escape(strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s), "")
}

// ExitCode is the exit status for findings: 1 if there is an error, or a
// warning when strict, else 0.
func ExitCode(fs []Finding, strict bool) int {
	errs, warns := count(fs)
	if errs > 0 || (strict && warns > 0) {
		return 1
	}
	return 0
}

// errWriter keeps the first write error.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, args ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, args...)
	}
}

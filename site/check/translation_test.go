package check

import "testing"

// Notices never fail the check, not even with --strict.
func TestNoticesPassStrict(t *testing.T) {
	fs := []Finding{{File: "content/a.md", Rule: "translation-missing", Severity: Notice, Message: "content/a.md has no Welsh translation"}}
	if ExitCode(fs, true) != 0 || ExitCode(fs, false) != 0 {
		t.Error("a notice fails the check")
	}
	if got := Summary(fs); got != "0 errors, 0 warnings, 1 notice" {
		t.Errorf("Summary = %q", got)
	}
	if ExitCode(append(fs, Finding{Severity: Warning}), true) != 1 {
		t.Error("a warning passes --strict")
	}
}

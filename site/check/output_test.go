package check

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var sample = []Finding{
	{File: "content/a.md", Line: 3, Rule: "broken-link", Message: "link to x.md, which does not exist", Fix: "fix the path."},
	{File: "content/a.md", Line: 7, Rule: "long-sentence", Severity: Warning, Message: "a long one", Fix: "split it"},
	{File: "public/b/index.html", Line: 1, Col: 40, Rule: "img-alt", Message: "100% bad, really:\nyes", Fix: "add alt"},
}

func TestWriteText(t *testing.T) {
	var b strings.Builder
	if err := WriteText(&b, sample, false); err != nil {
		t.Fatal(err)
	}
	want := `content/a.md
  3        error    link to x.md, which does not exist  [broken-link]
           fix: fix the path.
  7        warning  a long one  [long-sentence]
           fix: split it

public/b/index.html
  1:40     error    100% bad, really:
yes  [img-alt]
           fix: add alt

2 errors, 1 warning
`
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
	b.Reset()
	WriteText(&b, sample, true)
	if !strings.Contains(b.String(), "\x1b[31merror") || !strings.Contains(b.String(), "\x1b[33mwarning") {
		t.Errorf("no colours:\n%q", b.String())
	}
	b.Reset()
	WriteText(&b, nil, false)
	if b.String() != "0 errors, 0 warnings\n" {
		t.Errorf("empty: %q", b.String())
	}
}

func TestWriteJSON(t *testing.T) {
	var b strings.Builder
	if err := WriteJSON(&b, sample); err != nil {
		t.Fatal(err)
	}
	var got []map[string]any
	if err := json.Unmarshal([]byte(b.String()), &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[1]["severity"] != "warning" || got[0]["severity"] != "error" || got[2]["col"] != 40.0 || got[0]["fix"] != "fix the path." {
		t.Errorf("got %v", got)
	}
	b.Reset()
	WriteJSON(&b, nil)
	if strings.TrimSpace(b.String()) != "[]" {
		t.Errorf("empty: %q", b.String())
	}
}

func TestWriteGitHub(t *testing.T) {
	var b strings.Builder
	fs := append(sample, Finding{File: "a,b:c.md", Rule: "x", Message: "m", Fix: "f"})
	if err := WriteGitHub(&b, fs); err != nil {
		t.Fatal(err)
	}
	want := `::error file=content/a.md,line=3,title=broken-link::link to x.md, which does not exist. fix the path.
::warning file=content/a.md,line=7,title=long-sentence::a long one. split it
::error file=public/b/index.html,line=1,col=40,title=img-alt::100%25 bad, really:%0Ayes. add alt
::error file=a%2Cb%3Ac.md,title=x::m. f
`
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}

func TestExitCode(t *testing.T) {
	warn := sample[1:2]
	tests := []struct {
		fs     []Finding
		strict bool
		want   int
	}{
		{nil, false, 0}, {nil, true, 0}, {warn, false, 0}, {warn, true, 1}, {sample, false, 1},
	}
	for _, tt := range tests {
		if got := ExitCode(tt.fs, tt.strict); got != tt.want {
			t.Errorf("ExitCode(%d findings, %v) = %d, want %d", len(tt.fs), tt.strict, got, tt.want)
		}
	}
}

func TestWriteReviewReport(t *testing.T) {
	d := func(s string) time.Time { t, _ := time.Parse(time.DateOnly, s); return t }
	now := d("2005-06-01")
	pages := []*Page{
		{Source: "content/c.md", Title: "C", Owner: "Team C", ReviewBy: d("2006-01-01")},
		{Source: "content/b.md", Title: "B, with comma", Owner: "Team B", LastReviewed: d("2003-01-01"), ReviewBy: d("2005-01-01")},
		{Source: "content/a.md", Title: "A", ReviewBy: d("2004-01-01")},
		{Source: "content/d.md", Title: "D"},
		{Output: "404.html"},
	}
	dir := t.TempDir()
	csvFile := filepath.Join(dir, "r.csv")
	if err := WriteReviewReport(csvFile, pages, now); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(csvFile)
	want := `source,title,owner,last_reviewed,review_by,overdue,language,translation
content/a.md,A,,,2004-01-01,true,,
content/b.md,"B, with comma",Team B,2003-01-01,2005-01-01,true,,
content/c.md,C,Team C,,2006-01-01,false,,
content/d.md,D,,,,false,,
`
	if string(got) != want {
		t.Errorf("CSV:\n%s\nwant\n%s", got, want)
	}
	jsonFile := filepath.Join(dir, "r.json")
	if err := WriteReviewReport(jsonFile, pages, now); err != nil {
		t.Fatal(err)
	}
	var rows []ReviewRow
	data, _ := os.ReadFile(jsonFile)
	if err := json.Unmarshal(data, &rows); err != nil || len(rows) != 4 || rows[0].Source != "content/a.md" || !rows[1].Overdue {
		t.Errorf("JSON: %v %s", err, data)
	}
	if err := WriteReviewReport(filepath.Join(dir, "r.txt"), pages, now); err == nil {
		t.Error("no error for a .txt report")
	}
}

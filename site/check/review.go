package check

import (
	"bytes"
	"cmp"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// A ReviewRow is one page in the review report.
type ReviewRow struct {
	Source       string `json:"source"`
	Title        string `json:"title"`
	Owner        string `json:"owner"`
	LastReviewed string `json:"last_reviewed"` // YYYY-MM-DD, or "" when not set
	ReviewBy     string `json:"review_by"`
	Overdue      bool   `json:"overdue"`
	Language     string `json:"language"`    // the page's language tag, "" when unknown
	Translation  string `json:"translation"` // its translations' status, or the page it translates
}

// ReviewRows lists every page with a source file: overdue pages first,
// the longest overdue first, then the rest by source file.
func ReviewRows(pages []*Page, now time.Time) []ReviewRow {
	var rows []ReviewRow
	for _, p := range pages {
		if p.Source == "" {
			continue
		}
		rows = append(rows, ReviewRow{
			Source: p.Source, Title: p.Title, Owner: p.Owner,
			LastReviewed: isoDate(p.LastReviewed), ReviewBy: isoDate(p.ReviewBy),
			Overdue: overdue(p.ReviewBy, now), Language: p.Lang, Translation: translationStatus(p),
		})
	}
	slices.SortFunc(rows, func(a, b ReviewRow) int {
		if a.Overdue != b.Overdue {
			if a.Overdue {
				return -1
			}
			return 1
		}
		if a.Overdue {
			if c := cmp.Compare(a.ReviewBy, b.ReviewBy); c != 0 {
				return c
			}
		}
		return cmp.Compare(a.Source, b.Source)
	})
	return rows
}

// translationStatus is a page's translation column: "Welsh: up to date"
// for a page in the default language, one entry a language;
// "translation of content/x.md" for a translation.
func translationStatus(p *Page) string {
	if p.TranslationOf != "" {
		return "translation of " + p.TranslationOf
	}
	var parts []string
	for _, t := range p.Translations {
		parts = append(parts, t.Language+": "+t.Status())
	}
	return strings.Join(parts, "; ")
}

func isoDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

// WriteReviewReport writes every page's owner and review dates to path,
// as CSV or JSON by its extension (.csv or .json), in the order of
// ReviewRows.
func WriteReviewReport(path string, pages []*Page, now time.Time) error {
	rows := ReviewRows(pages, now)
	var buf bytes.Buffer
	switch strings.ToLower(filepath.Ext(path)) {
	case ".csv":
		w := csv.NewWriter(&buf)
		_ = w.Write([]string{"source", "title", "owner", "last_reviewed", "review_by", "overdue", "language", "translation"})
		for _, r := range rows {
			_ = w.Write([]string{r.Source, r.Title, r.Owner, r.LastReviewed, r.ReviewBy, strconv.FormatBool(r.Overdue), r.Language, r.Translation})
		}
		w.Flush()
		if err := w.Error(); err != nil {
			return fmt.Errorf("write review report: %w", err)
		}
	case ".json":
		if rows == nil {
			rows = []ReviewRow{}
		}
		enc := json.NewEncoder(&buf)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rows); err != nil {
			return fmt.Errorf("write review report: %w", err)
		}
	default:
		return fmt.Errorf("review report %s: name the file .csv or .json to choose the format", path)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("write review report: %w", err)
	}
	return nil
}

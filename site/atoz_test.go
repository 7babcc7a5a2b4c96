package site

import (
	"fmt"
	"strings"
	"testing"
)

func TestByLetterWelsh(t *testing.T) {
	var ps []*Page
	for _, title := range []string{"Ystadegau", "Chwilio", "Cysylltu", "Datganiad", "Ddeddf", "Llys", "Lot", "Ŵyr", "Voting", "Rhannu data", "Rights", "2005"} {
		ps = append(ps, &Page{Title: title, Kind: KindPage, Path: "/" + title + "/"})
	}
	show := func(gs []LetterGroup) string {
		var b strings.Builder
		for _, g := range gs {
			fmt.Fprintf(&b, "%s:", g.Letter)
			for _, p := range g.Pages {
				fmt.Fprintf(&b, " %s", p.Title)
			}
			b.WriteString("|")
		}
		return b.String()
	}
	cy := &Site{Lang: &Language{Code: "cy", Lang: "cy"}}
	if got, want := show(byLetter(ps, cy)), "C: Cysylltu|Ch: Chwilio|D: Datganiad|Dd: Ddeddf|L: Lot|Ll: Llys|R: Rights|Rh: Rhannu data|V: Voting|W: Ŵyr|Y: Ystadegau|Other: 2005|"; got != want {
		t.Errorf("Welsh A to Z:\n%s\nwant\n%s", got, want)
	}
	if got, want := show(byLetter(ps)), "C: Chwilio Cysylltu|D: Datganiad Ddeddf|L: Llys Lot|R: Rhannu data Rights|V: Voting|Y: Ystadegau|Other: 2005 Ŵyr|"; got != want {
		t.Errorf("English A to Z:\n%s\nwant\n%s", got, want)
	}
}

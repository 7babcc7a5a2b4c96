package cli

import (
	"encoding/json"

	"charter/site"
	"charter/site/check"
	"charter/site/serve"
)

// checkPanel keeps the findings of `charter check` for the preview's check
// panel. After each good build the previewer hands it the pages the build
// wrote, which costs a map lookup a page; a page is checked only when the
// panel asks for its findings, once after each change to it, on the
// request's goroutine and not on the reload's path.
type checkPanel struct {
	live *check.Live
}

func newCheckPanel() *checkPanel {
	return &checkPanel{live: check.NewLive(check.Options{})}
}

// update takes the pages a good build changed, as the server is about to
// serve them. It runs on the previewer's goroutine, which owns res.Site.
func (c *checkPanel) update(res *site.Result, u serve.Update) {
	if len(u.Written) == 0 && len(u.Removed) == 0 && !u.Replace {
		return
	}
	lu := check.LiveUpdate{
		Replace:      u.Replace,
		Removed:      u.Removed,
		BasePath:     res.Site.Base.Path,
		OutputPrefix: "public/",
		Drafts:       res.Site.DraftURLs(),
		Unbuilt:      res.Site.UnbuiltURLs(),
	}
	for name := range u.Written {
		lu.Files = append(lu.Files, name)
	}
	for _, p := range res.Site.AllPages {
		if html, ok := u.Written[p.OutputFile()]; ok {
			lu.Pages = append(lu.Pages, checkPageOf(res.Site, p, html))
		}
	}
	lu.Pages = append(lu.Pages, notFoundPages(res.Site, u.Written)...)
	c.live.Update(lu)
}

// panelFinding is one finding as the panel shows it.
type panelFinding struct {
	File     string `json:"file"`
	Line     int    `json:"line,omitempty"`
	Col      int    `json:"col,omitempty"`
	Rule     string `json:"rule"`
	Severity string `json:"severity"`
	Message  string `json:"message"`
	Fix      string `json:"fix,omitempty"`
}

// findings is the JSON the panel shows for the page written to output.
func (c *checkPanel) findings(output string) (data []byte, ok bool) {
	// A bug must not print a stack trace: the panel says it has nothing.
	defer func() {
		if recover() != nil {
			data, ok = nil, false
		}
	}()
	fs, ok := c.live.Findings(output)
	if !ok {
		return nil, false
	}
	out := struct {
		Findings []panelFinding `json:"findings"`
	}{Findings: make([]panelFinding, 0, len(fs))}
	for _, f := range fs {
		out.Findings = append(out.Findings, panelFinding{
			File: f.File, Line: f.Line, Col: f.Col, Rule: f.Rule,
			Severity: f.Severity.String(), Message: f.Message, Fix: f.Fix,
		})
	}
	data, err := json.Marshal(out)
	return data, err == nil
}

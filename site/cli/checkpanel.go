package cli

import (
	"encoding/json"
	"strings"
	"time"

	"charter/site"
	"charter/site/check"
	"charter/site/serve"
)

// checkPanel keeps the findings of `charter check` for the preview's check
// panel. After each good build the previewer tells it which files the
// build wrote, which costs a map write a file; a page is checked only when
// the panel asks for its findings, once after each change to it, on the
// request's goroutine: nothing of it is on the reload's path.
//
// The site's pages belong to the previewer's goroutine: a request asks it
// for the pages it needs through loads, and it answers between builds.
type checkPanel struct {
	live  *check.Live
	loads chan panelLoad
	done  chan struct{} // closed when the previewer stops answering

	site *site.Site // the last good build's; the previewer's goroutine only
}

// panelLoad asks the previewer's goroutine for pages by output file.
type panelLoad struct {
	outputs []string
	reply   chan map[string]*check.Page
}

// loadWait is how long a request waits for a build in flight to end
// before the panel gives up on showing findings for now.
const loadWait = 10 * time.Second

func newCheckPanel() *checkPanel {
	c := &checkPanel{loads: make(chan panelLoad), done: make(chan struct{})}
	c.live = check.NewLive(check.Options{}, c.load)
	return c
}

// update takes what a good build changed, as the server is about to serve
// it. It runs on the previewer's goroutine.
func (c *checkPanel) update(res *site.Result, u serve.Update) {
	c.site = res.Site
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
		if strings.HasSuffix(name, ".html") {
			lu.Pages = append(lu.Pages, name)
		}
	}
	c.live.Update(lu)
}

// load asks the previewer's goroutine for pages; it runs on a request's
// goroutine.
func (c *checkPanel) load(outputs []string) map[string]*check.Page {
	req := panelLoad{outputs: outputs, reply: make(chan map[string]*check.Page, 1)}
	select {
	case c.loads <- req:
		return <-req.reply
	case <-c.done:
	case <-time.After(loadWait):
	}
	return nil
}

// pages answers a load on the previewer's goroutine, while no build runs:
// the pages as the checker sees them, with the HTML file(name) gives.
func (c *checkPanel) pages(outputs []string, file func(name string) ([]byte, bool)) map[string]*check.Page {
	out := map[string]*check.Page{}
	if c.site == nil {
		return out
	}
	want := map[string]bool{}
	for _, o := range outputs {
		want[o] = true
	}
	for _, p := range c.site.AllPages {
		if name := p.OutputFile(); want[name] {
			if html, ok := file(name); ok {
				cp := checkPageOf(c.site, p, html)
				if cp.Prose == nil { // the preview's build keeps no prose
					cp.Prose = checkBlocks(c.site.PageProse(p))
				}
				out[name] = cp
			}
		}
	}
	files := map[string][]byte{}
	for _, l := range c.site.Languages {
		name := strings.TrimPrefix(l.Prefix, "/") + "404.html"
		if html, ok := file(name); ok && want[name] {
			files[name] = html
		}
	}
	for _, p := range notFoundPages(c.site, files) {
		out[p.Output] = p
	}
	return out
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

package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"time"

	"charter/site"
	"charter/site/serve"
	"charter/site/watch"
)

const serveUsage = `Usage: charter serve [flags]

Previews the site at http://127.0.0.1:1313/ and rebuilds it when you save a file.
Drafts are shown, marked as drafts. Press Ctrl-C to stop.

Flags:
`

// quietCheck is how long the files must stay unchanged before a full
// build checks the preview.
const quietCheck = 700 * time.Millisecond

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	var sf siteFlags
	sf.register(fs, true)
	port := fs.Int("port", 1313, "the `port` to listen on; 0 picks a free one")
	bind := fs.String("bind", "127.0.0.1", "the `address` to listen on; 0.0.0.0 shows the preview to your network")
	open := fs.Bool("open", false, "open the site in your browser")
	navigate := fs.Bool("navigate", false, "when you save a page, open tabs go to that page")
	poll := fs.Duration("poll", 0, "look for changes every `interval` (such as 500ms) instead of using file events; for shared folders in virtual machines and WSL")
	write := fs.Bool("write", false, "also write each good build to public/")
	noPanel := fs.Bool("no-check-panel", false, "do not show the check panel (the findings of charter check for the page in view) on previewed pages")
	if code, stop := sf.parse(fs, serveUsage, args, stderr); stop {
		return code
	}
	defer sf.close()
	base, err := site.ParseBaseURL(sf.baseURL)
	if err != nil {
		fmt.Fprintf(stderr, "charter serve: %v\n", err)
		return 2
	}
	site.TuneGC(serveMemoryLimit(sf.source))
	ln, err := listen(*bind, *port)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	p := &previewer{
		sf: sf, stdout: stdout, stderr: stderr, navigate: *navigate, write: *write,
		srv: serve.New(base.Path), quiet: quietCheck,
	}
	cfg := site.Config{BaseURL: sf.baseURL, Drafts: sf.drafts, Minify: true, Serve: true, Timeout: sf.timeout}
	p.b, err = site.NewBuilder(cfg, sf.fsys())
	if err != nil {
		fmt.Fprintf(stderr, "charter serve: %v\n", err)
		return 2
	}
	p.complete = func(ctx context.Context, err error) error { return allErrors(ctx, cfg, sf.fsys(), err) }
	w, err := watch.New(sf.source, []string{"content", "layouts", "static"}, watch.Options{Poll: *poll, Ignore: site.IgnoredName})
	if err != nil {
		fmt.Fprintf(stderr, "cannot watch %s for changes: %v; try --poll 500ms\n", sf.source, err)
		return 1
	}
	defer w.Close()
	if !*noPanel {
		p.panel = newCheckPanel()
		p.srv.OnFindings(p.panel.findings)
	}
	// The search index would cost every save a pass over the whole site:
	// it is made when the search page first asks for it after a change.
	p.srv.OnDemand("search/", func() (map[string][]byte, error) { return p.searchFiles(ctx) })
	p.initial(ctx)

	hs, ln := newHTTPServer(p.srv, ln)
	lport := ln.Addr().(*net.TCPAddr).Port
	p.srv.AllowHosts(previewHosts(*bind, lport))
	urls := previewURLs(*bind, lport, base.Path)
	printServing(stdout, stderr, *bind, urls)
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()
	if *open {
		openBrowser(urls[0])
	}
	code := p.loop(ctx, w, served)
	p.srv.Close()
	sctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	_ = hs.Shutdown(sctx)
	cancel()
	if code == 0 {
		fmt.Fprintln(stdout, "Stopped.")
	}
	return code
}

// serveMemoryLimit is the soft memory limit of the preview. It holds the
// last good build's state (each page's front matter, Markdown links and
// ids, not its text) and the files it serves, compressed; while the full
// check after a save runs, a second state is built beside the first.
// Measured on 10,000 generated pages of 1,100 words, the live heap is
// about 90 MiB between builds and peaks near 240 MiB during the full
// check: 360 MiB leaves the collector room for that. Larger sites get
// 36 KiB a page.
func serveMemoryLimit(source string) int64 {
	return max(360<<20, int64(contentFiles(source))*36<<10)
}

// listen opens the preview's port, with a one-line error that names the
// flag to change.
func listen(bind string, port int) (net.Listener, error) {
	ln, err := net.Listen("tcp", net.JoinHostPort(bind, fmt.Sprint(port)))
	switch {
	case err == nil:
		return ln, nil
	case errors.Is(err, syscall.EADDRINUSE):
		return nil, fmt.Errorf("port %d is already in use; choose another with --port (--port 0 picks a free one)", port)
	default:
		return nil, fmt.Errorf("cannot listen on %s port %d: %v; check --bind and --port", bind, port, err)
	}
}

// writeOut writes the whole site to public/ with a separate full build,
// so that public/ only ever holds complete builds.
func (p *previewer) writeOut() {
	dest := filepath.Join(p.sf.source, "public")
	b, err := site.NewBuilder(publishConfig(p.sf, true), p.sf.fsys())
	if err == nil {
		var out *site.DirOutput
		out, err = site.NewDirOutput(dest, p.sf.source, filepath.Join(p.sf.source, "content"), filepath.Join(p.sf.source, "layouts"), filepath.Join(p.sf.source, "static"))
		if err == nil {
			if _, err = b.Build(context.Background(), out); err != nil {
				out.Abort()
			} else {
				err = out.Commit()
			}
		}
	}
	if err != nil {
		fmt.Fprintf(p.stderr, "warning: --write: %v\n", err)
	}
}

// searchFiles makes the search index of the site as it is on disk, with a
// separate in-memory build that converts the Markdown and lays out nothing.
func (p *previewer) searchFiles(ctx context.Context) (files map[string][]byte, err error) {
	// It runs on a request's goroutine, where a panic would print a stack
	// trace: the request gets an error instead.
	defer func() {
		if r := recover(); r != nil {
			files, err = nil, fmt.Errorf("internal error: %v", r)
		}
	}()
	b, err := site.NewBuilder(site.Config{BaseURL: p.sf.baseURL, Drafts: p.sf.drafts, Index: searchIndex, IndexOnly: true, Timeout: p.sf.timeout}, p.sf.fsys())
	if err != nil {
		return nil, err
	}
	out := site.NewMemOutput()
	if _, err := b.Build(ctx, out); err != nil {
		return nil, fmt.Errorf("the site does not build; fix the errors shown and search again")
	}
	files = map[string][]byte{}
	for name, data := range out.Files() {
		if strings.HasPrefix(name, "search/") || strings.Contains(name, "/search/") { // a language's own index too
			files[name] = data
		}
	}
	return files, nil
}

// savedPage is the site path of the one page a batch edited, if any.
func savedPage(res *site.Result, batch []watch.Change) string {
	var found string
	for _, c := range batch {
		if c.Removed || !strings.HasSuffix(c.Path, ".md") {
			continue
		}
		if p := res.Site.GetPage(strings.TrimPrefix(c.Path, "content/")); p != nil {
			if found != "" {
				return ""
			}
			found = p.Path
		}
	}
	return found
}

func prefixLines(prefix, s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return prefix + strings.Join(lines, "\n"+prefix) + "\n"
}

func openBrowser(url string) {
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "darwin":
		cmd = exec.Command("open", url)
	case "windows":
		cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", url)
	default:
		cmd = exec.Command("xdg-open", url)
	}
	_ = cmd.Start()
}

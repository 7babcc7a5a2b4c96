// Package serve is the preview server: it serves the last good build from
// memory, tells open pages to reload over Server-Sent Events, and shows
// build errors as an overlay on every open page.
package serve

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"html"
	"maps"
	"mime"
	"net/http"
	"path"
	"slices"
	"strings"
	"sync"
	"time"
)

// Prefix is the path of the server's own endpoints; no site file is
// served below it.
const Prefix = "/__charter/"

//go:embed reload.js
var reloadJS []byte

//go:embed reload.css
var reloadCSS []byte

// Server serves one site. All methods are safe for concurrent use.
type Server struct {
	base  string // the site's base path, "/" or "/rights/"
	hosts *Hosts // nil: every Host is accepted

	mu      sync.RWMutex
	files   map[string]File // output files by slash path: "faqs/index.html"
	errText string          // the current build error, "" when the build is good
	clients map[chan event]bool
	done    chan struct{}
	closed  bool

	findings func(output string) ([]byte, bool) // nil: no check panel

	demandPrefix string
	demandMake   func() (map[string][]byte, error)
	demand       *demandFiles // of the current build
}

// demandFiles are files made on demand for one build.
type demandFiles struct {
	once  sync.Once
	files map[string][]byte
	err   error
}

type event struct {
	name string
	data any
}

// New returns a server for a site published under base ("/" or
// "/rights/"), with no files yet.
func New(base string) *Server {
	if !strings.HasPrefix(base, "/") {
		base = "/" + base
	}
	if !strings.HasSuffix(base, "/") {
		base += "/"
	}
	return &Server{base: base, files: map[string]File{}, clients: map[chan event]bool{}, done: make(chan struct{})}
}

// AllowHosts makes the server answer only requests addressed to the given
// hosts, with a 403 that says why for any other. Call it before serving.
func (s *Server) AllowHosts(h Hosts) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hosts = &h
}

// OnDemand serves the files under prefix ("search/"), at the root or in
// any folder ("cy/search/", a language's own), from gen, which runs when
// one of them is first asked for after each good build: for files that
// cost too much to remake on every save, such as the search index of a
// large site.
func (s *Server) OnDemand(prefix string, gen func() (map[string][]byte, error)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.demandPrefix, s.demandMake, s.demand = prefix, gen, &demandFiles{}
}

// OnFindings turns on the check panel the reload script shows: then
// /__charter/findings?page=/faqs/ answers with find("faqs/index.html"),
// the JSON findings of the page (false when the site has no such page).
// find runs on the request's goroutine, and must be safe for concurrent
// use. Call it before serving.
func (s *Server) OnFindings(find func(output string) ([]byte, bool)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.findings = find
}

// servePanelFindings answers the check panel's request for the findings
// of the page at the site path given by the page parameter.
func (s *Server) servePanelFindings(w http.ResponseWriter, r *http.Request) {
	s.mu.RLock()
	find := s.findings
	s.mu.RUnlock()
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	if find == nil {
		http.Error(w, "the check panel is off", http.StatusNotFound)
		return
	}
	name, ok := s.resolve(r.URL.Query().Get("page"), "")
	var data []byte
	if ok {
		data, ok = find(name)
	}
	if !ok {
		http.Error(w, "no such page", http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Write(data)
}

// onDemand returns a file made on demand, and whether there is one.
func (s *Server) onDemand(name string) ([]byte, bool, error) {
	s.mu.RLock()
	prefix, gen, d := s.demandPrefix, s.demandMake, s.demand
	s.mu.RUnlock()
	if gen == nil || !(strings.HasPrefix(name, prefix) || strings.Contains(name, "/"+prefix)) {
		return nil, false, nil
	}
	d.once.Do(func() { d.files, d.err = gen() })
	data, ok := d.files[name]
	return data, ok, d.err
}

// An Update is the result of a good build.
type Update struct {
	Written  map[string]File // files written by the build (see PackAll)
	Removed  []string        // files the site no longer has
	Replace  bool            // Written is the whole site: every other file goes
	CSSOnly  bool            // only stylesheets changed: swap them, do not reload
	Navigate string          // when set, open pages go to this site path
}

// Apply makes a good build current, removes any error overlay, and tells
// open pages what changed: pages whose HTML changed reload, and so do
// pages that show a changed image or other file. The first Apply holds
// the whole site.
func (s *Server) Apply(u Update) {
	s.mu.Lock()
	changed := s.update(u)
	hadError := s.errText != ""
	s.errText = ""
	if s.demandMake != nil {
		s.demand = &demandFiles{}
	}
	s.mu.Unlock()

	var paths, assets []string
	for _, f := range changed {
		if p, ok := s.pagePath(f); ok {
			paths = append(paths, p)
		} else if path.Ext(f) != ".css" {
			assets = append(assets, s.base+f)
		}
	}
	slices.Sort(paths)
	slices.Sort(assets)
	all := hadError
	if len(paths) > 200 || len(assets) > 200 {
		// A layout or navigation change: every page reloads, and the event
		// stays small.
		paths, assets, all = nil, nil, true
	}
	switch {
	case u.Navigate != "":
		s.broadcast(event{"navigate", map[string]any{"path": s.base + strings.TrimPrefix(u.Navigate, "/"), "paths": paths}})
	case u.CSSOnly:
		s.broadcast(event{"css", nil})
	case len(paths) > 0 || len(assets) > 0 || all:
		s.broadcast(event{"reload", map[string]any{"paths": paths, "assets": assets, "all": all}})
	}
}

// update applies u to the files, and returns the files it changed, added
// or removed. The caller holds s.mu.
func (s *Server) update(u Update) []string {
	var changed []string
	if u.Replace {
		for k := range s.files {
			if _, ok := u.Written[k]; !ok {
				delete(s.files, k)
				changed = append(changed, k)
			}
		}
	}
	for k, v := range u.Written {
		if old, ok := s.files[k]; !ok || !old.Equal(v) {
			changed = append(changed, k)
		}
		s.files[k] = v
	}
	for _, k := range u.Removed {
		if _, ok := s.files[k]; ok {
			delete(s.files, k)
			changed = append(changed, k)
		}
	}
	return changed
}

// Packed is a copy of the files the server serves now, by slash path, as
// they are kept.
func (s *Server) Packed() map[string]File {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return maps.Clone(s.files)
}

// Files is the content of every file the server serves now, by slash
// path: for tests, since it unpacks the whole site.
func (s *Server) Files() map[string][]byte {
	out := map[string][]byte{}
	for name, f := range s.Packed() {
		out[name], _ = f.Bytes()
	}
	return out
}

// File is the content of one file the server serves now, by slash path;
// false when there is no such file (or, which is a bug, it does not
// unpack).
func (s *Server) File(name string) ([]byte, bool) {
	s.mu.RLock()
	f, ok := s.files[name]
	s.mu.RUnlock()
	if !ok {
		return nil, false
	}
	data, err := f.Bytes()
	return data, err == nil
}

// Error is the build error shown now, or "" when the build is good.
func (s *Server) Error() string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.errText
}

// SetError shows a build error on every open page; the last good build
// stays served.
func (s *Server) SetError(text string) {
	s.mu.Lock()
	s.errText = text
	s.mu.Unlock()
	s.broadcast(event{"build-error", map[string]any{"message": text}})
}

// Close ends every open event stream.
func (s *Server) Close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.closed {
		s.closed = true
		close(s.done)
	}
}

// Clients is the number of open event streams.
func (s *Server) Clients() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.clients)
}

// pagePath is the URL path of an HTML output file.
func (s *Server) pagePath(file string) (string, bool) {
	switch {
	case file == "index.html":
		return s.base, true
	case strings.HasSuffix(file, "/index.html"):
		return s.base + strings.TrimSuffix(file, "index.html"), true
	case strings.HasSuffix(file, ".html") || strings.HasSuffix(file, ".htm"):
		return s.base + file, true
	}
	return "", false
}

func (s *Server) broadcast(e event) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	for c := range s.clients {
		select {
		case c <- e:
		default: // a slow client misses an event rather than stalling the server
		}
	}
}

// ServeHTTP serves the site's files, the reload script and the event
// stream. Only files of the built site are served, and only to requests
// addressed to the hosts given to AllowHosts.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.RLock()
	hosts := s.hosts
	s.mu.RUnlock()
	if hosts != nil {
		if why := hosts.refuse(r, r.URL.Path == Prefix+"events" || r.URL.Path == Prefix+"findings"); why != "" {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.Header().Set("X-Content-Type-Options", "nosniff")
			w.WriteHeader(http.StatusForbidden)
			fmt.Fprint(w, why)
			return
		}
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	switch r.URL.Path {
	case Prefix + "events":
		s.events(w, r)
		return
	case Prefix + "findings":
		s.servePanelFindings(w, r)
		return
	case Prefix + "reload.js":
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.Write(reloadJS)
		return
	case Prefix + "reload.css":
		w.Header().Set("Content-Type", "text/css; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.Write(reloadCSS)
		return
	}
	if s.base != "/" && (r.URL.Path == "/" || r.URL.Path == strings.TrimSuffix(s.base, "/")) {
		// The site lives under its base path: the root leads there, as
		// the published site's server would.
		http.Redirect(w, r, s.base, http.StatusFound)
		return
	}
	name, ok := s.resolve(r.URL.Path, r.URL.RawPath)
	if !ok {
		if len(r.URL.Path) > 2048 || strings.ContainsRune(r.URL.Path, 0) {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		s.notFound(w)
		return
	}
	s.mu.RLock()
	_, found := s.files[name]
	_, dirIndex := s.files[strings.TrimSuffix(name, "/")+"/index.html"]
	s.mu.RUnlock()
	if !found && !strings.HasSuffix(r.URL.Path, "/") && path.Ext(name) == "" && dirIndex {
		http.Redirect(w, r, r.URL.Path+"/", http.StatusMovedPermanently)
		return
	}
	data, found := s.File(name)
	if !found {
		var err error
		data, found, err = s.onDemand(name)
		if err != nil {
			http.Error(w, "cannot make "+name+": "+err.Error(), http.StatusServiceUnavailable)
			return
		}
	}
	if !found {
		s.notFound(w)
		return
	}
	s.write(w, name, data, http.StatusOK)
}

// resolve maps a request path to an output file, refusing anything that
// could leave the built site.
func (s *Server) resolve(p, raw string) (string, bool) {
	if len(p) > 2048 || strings.ContainsAny(p, "\x00\\") || !strings.HasPrefix(p, s.base) {
		return "", false
	}
	for _, seg := range strings.Split(p, "/") {
		if seg == ".." || seg == "." {
			return "", false
		}
	}
	if strings.Contains(strings.ToLower(raw), "%2f") || strings.Contains(strings.ToLower(raw), "%5c") {
		return "", false
	}
	rel := strings.TrimPrefix(p, s.base)
	if rel == "" || strings.HasSuffix(rel, "/") {
		rel += "index.html"
	}
	if strings.HasPrefix(rel, "/") || path.Clean(rel) != rel {
		return "", false
	}
	return rel, true
}

func (s *Server) notFound(w http.ResponseWriter) {
	data, ok := s.File("404.html")
	s.mu.RLock()
	errText, empty := s.errText, len(s.files) == 0
	s.mu.RUnlock()
	switch {
	case empty && errText != "":
		data = []byte("<!DOCTYPE html><html lang=en><head><meta charset=utf-8><title>The site did not build</title></head><body><h1>The site did not build</h1><p>Fix the file named below and save it; this page reloads by itself.</p><pre>" +
			html.EscapeString(errText) + "</pre></body></html>")
	case !ok:
		data = []byte("<!DOCTYPE html><html lang=en><head><meta charset=utf-8><title>Page not found</title></head><body><h1>Page not found</h1></body></html>")
	}
	s.write(w, "404.html", data, http.StatusNotFound)
}

// write sends a file; HTML pages get the reload script and, while the
// build is broken, the error.
func (s *Server) write(w http.ResponseWriter, name string, data []byte, status int) {
	ct := mime.TypeByExtension(path.Ext(name))
	if ct == "" {
		ct = http.DetectContentType(data)
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	if strings.HasPrefix(ct, "text/html") {
		data = inject(data)
	}
	w.WriteHeader(status)
	w.Write(data)
}

var reloadTag = []byte(`<script src="` + Prefix + `reload.js" defer></script>`)

// inject adds the reload script before </body>, or at the end.
func inject(page []byte) []byte {
	out := make([]byte, 0, len(page)+len(reloadTag))
	if i := bytes.LastIndex(page, []byte("</body>")); i >= 0 {
		out = append(out, page[:i]...)
		out = append(out, reloadTag...)
		return append(out, page[i:]...)
	}
	out = append(out, page...)
	return append(out, reloadTag...)
}

// events is the Server-Sent Events stream of one open page.
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	fl, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	c := make(chan event, 16)
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		http.Error(w, "server closing", http.StatusServiceUnavailable)
		return
	}
	s.clients[c] = true
	errText := s.errText
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.clients, c)
		s.mu.Unlock()
	}()
	// The stream stays open as long as the page: the server's time limits
	// on reading and writing do not apply to it.
	rc := http.NewResponseController(w)
	_ = rc.SetReadDeadline(time.Time{})
	_ = rc.SetWriteDeadline(time.Time{})
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	fmt.Fprint(w, "retry: 500\n\n")
	if errText != "" {
		writeEvent(w, event{"build-error", map[string]any{"message": errText}})
	} else {
		writeEvent(w, event{"ok", nil})
	}
	fl.Flush()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-s.done:
			return
		case e := <-c:
			writeEvent(w, e)
			fl.Flush()
		}
	}
}

func writeEvent(w http.ResponseWriter, e event) {
	data, _ := json.Marshal(e.data)
	fmt.Fprintf(w, "event: %s\ndata: %s\n\n", e.name, data)
}

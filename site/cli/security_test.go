package cli

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"charter/site"
	"charter/site/serve"
	"charter/site/watch"
)

// TestServeNeverReadsOutsideTheSite: a page saved as a symbolic link to a
// file outside the site, while the preview runs, is never served.
func TestServeNeverReadsOutsideTheSite(t *testing.T) {
	p := startPreview(t)
	secret := filepath.Join(t.TempDir(), "leak.md")
	os.WriteFile(secret, []byte("---\ntitle: Leak\n---\nSECRET_TOKEN=s3cr3t-value\n"), 0o644)
	if err := os.Symlink(secret, filepath.Join(p.dir, "content", "leak.md")); err != nil {
		t.Fatal(err)
	}
	p.stderr.waitFor(t, regexp.MustCompile(`content/leak\.md: (cannot read|symbolic link not followed)`))
	if _, body := p.get("/leak/"); strings.Contains(body, "s3cr3t-value") {
		t.Error("a file outside the site was served")
	}
}

// getHost asks the preview for a path with the given Host header.
func getHost(t *testing.T, base, host, path string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", base+strings.TrimPrefix(path, "/"), nil)
	req.Host = host
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// rawGet sends a request as written, for a request with no Host at all.
func rawGet(t *testing.T, hostport, request string) string {
	t.Helper()
	c, err := net.Dial("tcp", hostport)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	io.WriteString(c, request)
	b, _ := io.ReadAll(c)
	return string(b)
}

// TestServeRefusesOtherHosts: DNS rebinding. A request whose Host is not
// this server (evil.example, a name that resolves to 127.0.0.1, none)
// gets a 403 that says why, and no draft or search index.
func TestServeRefusesOtherHosts(t *testing.T) {
	p := startPreview(t)
	u, _ := url.Parse(p.url)
	port := u.Port()
	for _, path := range []string{"/data-sharing/secret/", "/search/meta.json", "/"} {
		for _, h := range []string{"evil.example", "evil.example:" + port, "127.0.0.1.nip.io:" + port} {
			code, body := getHost(t, p.url, h, path)
			if code != 403 || !strings.Contains(body, "this preview server answers requests for localhost:"+port) {
				t.Errorf("Host %q, %s: %d %q", h, path, code, body)
			}
		}
	}
	for _, h := range []string{"localhost:" + port, "127.0.0.1:" + port} {
		if code, _ := getHost(t, p.url, h, "/data-sharing/secret/"); code != 200 {
			t.Errorf("Host %q: %d", h, code)
		}
	}
	if got := rawGet(t, u.Host, "GET / HTTP/1.0\r\n\r\n"); !strings.HasPrefix(got, "HTTP/1.0 403") {
		t.Errorf("no Host: %.60q", got)
	}
	req, _ := http.NewRequest("GET", p.url+"__charter/events", nil)
	req.Header.Set("Origin", "http://evil.example")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 403 {
		t.Errorf("live-reload stream opened from another site: %d", resp.StatusCode)
	}
}

// TestServeOnNetwork: --bind 0.0.0.0 prints every address it can be
// reached at and warns that drafts are visible; it answers its IP
// addresses and host name, and still refuses other names.
func TestServeOnNetwork(t *testing.T) {
	p := startPreview(t, "--bind", "0.0.0.0")
	p.stderr.waitFor(t, regexp.MustCompile(`warning: --bind 0\.0\.0\.0 shows the preview to your network: .*drafts included`))
	u, _ := url.Parse(p.url)
	port := u.Port()
	var ips []string
	addrs, _ := net.InterfaceAddrs()
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && n.IP.To4() != nil && !n.IP.IsLoopback() {
			ips = append(ips, n.IP.String())
			if !strings.Contains(p.stdout.String(), "http://"+n.IP.String()+":"+port+"/") {
				t.Errorf("address %s not printed:\n%s", n.IP, p.stdout.String())
			}
		}
	}
	name, _ := os.Hostname()
	for _, h := range append(ips, "127.0.0.1", name) {
		if code, _ := getHost(t, p.url, net.JoinHostPort(h, port), "/"); code != 200 {
			t.Errorf("Host %s: %d", h, code)
		}
	}
	if code, _ := getHost(t, p.url, "evil.example:"+port, "/"); code != 403 {
		t.Errorf("Host evil.example on the network: %d", code)
	}
}

// openFiles counts this process's open files.
func openFiles(t *testing.T) int {
	t.Helper()
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skip("no /proc/self/fd")
	}
	return len(entries)
}

// TestServeConnectionFlood: many idle keep-alive clients neither hold
// more than maxConnections files open in the server nor keep a new
// client waiting.
func TestServeConnectionFlood(t *testing.T) {
	p := startPreview(t)
	u, _ := url.Parse(p.url)
	before := openFiles(t)
	const clients = 400
	for range clients {
		c, err := net.Dial("tcp", u.Host)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		io.WriteString(c, "GET /faqs/ HTTP/1.1\r\nHost: "+u.Host+"\r\n\r\n")
	}
	time.Sleep(500 * time.Millisecond) // the server accepts what it will
	if n := openFiles(t) - before; n > clients+maxConnections+20 {
		t.Errorf("%d idle clients: %d more files open, over the %d clients and a cap of %d", clients, n, clients, maxConnections)
	}
	start := time.Now()
	client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := client.Get(p.url)
	if err != nil {
		t.Fatalf("a new client after %d idle ones: %v", clients, err)
	}
	resp.Body.Close()
	t.Logf("a new client was answered in %s", time.Since(start).Round(time.Millisecond))
}

// TestServeTimeouts: the preview's HTTP server closes idle and slow
// connections.
func TestServeTimeouts(t *testing.T) {
	hs, _ := newHTTPServer(http.NotFoundHandler(), nil)
	if hs.IdleTimeout <= 0 || hs.ReadHeaderTimeout <= 0 || hs.ReadTimeout <= 0 || hs.WriteTimeout <= 0 || hs.IdleTimeout > time.Minute {
		t.Errorf("timeouts: idle %s, header %s, read %s, write %s", hs.IdleTimeout, hs.ReadHeaderTimeout, hs.ReadTimeout, hs.WriteTimeout)
	}
}

// flakyFS fails reads of one file while fail is set, as when the process
// has run out of open files.
type flakyFS struct {
	fs.FS
	name string
	fail *atomic.Bool
}

func (f flakyFS) Open(name string) (fs.File, error) {
	if name == f.name && f.fail.Load() {
		return nil, &fs.PathError{Op: "open", Path: name, Err: syscall.EMFILE}
	}
	return f.FS.Open(name)
}

// rebuildNow builds a batch as the preview's loop does, and waits for
// the build.
func rebuildNow(p *previewer, batch []watch.Change) {
	ctx, ls := context.Background(), &loopState{}
	p.onBatch(ctx, ls, batch)
	p.onDone(ctx, ls, <-ls.running.done)
}

// TestServeRetriesFailedReads: an edit whose file could not be read is
// read again with the next change, never dropped.
func TestServeRetriesFailedReads(t *testing.T) {
	dir := writeSite(t, "small")
	var fail atomic.Bool
	b, err := site.NewBuilder(site.Config{Drafts: true, Serve: true}, flakyFS{os.DirFS(dir), "content/privacy.md", &fail})
	if err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	p := &previewer{b: b, srv: serve.New("/"), stdout: &stdout, stderr: &stderr}
	p.initial(context.Background())
	put(t, dir, "content/privacy.md", "---\ntitle: Privacy\n---\nEdited while files ran out.\n")
	fail.Store(true)
	rebuildNow(p, []watch.Change{{Path: "content/privacy.md"}})
	if !strings.Contains(stderr.String(), "too many open files") {
		t.Fatalf("the failed read is not reported:\n%s", stderr.String())
	}
	fail.Store(false)
	put(t, dir, "content/faqs/_index.md", "---\ntitle: FAQs\n---\nAnother edit.\n")
	rebuildNow(p, []watch.Change{{Path: "content/faqs/_index.md"}})
	ts := httptest.NewServer(p.srv)
	defer ts.Close()
	resp, err := http.Get(ts.URL + "/privacy/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), "Edited while files ran out.") {
		t.Errorf("the edit that failed to read is still missing after the next change:\n%s\n%s", body, stderr.String())
	}
}

// TestConcurrentBuilds: builds into one destination at the same time
// either succeed or say that another build is writing there; public/ is
// then a complete build and nothing is left beside it.
func TestConcurrentBuilds(t *testing.T) {
	dir := writeSite(t, "small")
	if code, _, stderr := runCmd(t, context.Background(), "--source", dir, "--quiet"); code != 0 {
		t.Fatal(stderr)
	}
	want := treeHash(t, filepath.Join(dir, "public"))
	for round := range 10 {
		errs := make(chan string, 6)
		for range 6 {
			go func() {
				code, _, stderr := runCmd(t, context.Background(), "--source", dir, "--quiet")
				if code != 0 && !strings.Contains(stderr, "another build is writing there; wait for it to finish") {
					errs <- fmt.Sprintf("round %d: exit %d: %s", round, code, stderr)
					return
				}
				errs <- ""
			}()
		}
		for range 6 {
			if e := <-errs; e != "" {
				t.Error(e)
			}
		}
		if got := treeHash(t, filepath.Join(dir, "public")); got != want {
			t.Errorf("round %d: public/ is not the complete build", round)
		}
		if l := leftovers(t, dir); len(l) > 0 {
			t.Errorf("round %d: left beside public: %v", round, l)
		}
	}
}

// TestConnLimitMakesRoom: at the limit, with every connection busy, a new
// client waits only until one of them goes idle, not until the idle
// timeout.
func TestConnLimitMakesRoom(t *testing.T) {
	release := make(chan struct{})
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/hold":
			w.WriteHeader(200)
			w.(http.Flusher).Flush()
			<-release
		case "/slow":
			time.Sleep(300 * time.Millisecond)
		}
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs, _ := newHTTPServer(h, nil)
	lim := newConnLimit(ln, 2)
	hs.ConnState = lim.track
	go hs.Serve(lim)
	defer hs.Close()
	defer close(release)
	addr := ln.Addr().String()
	send := func(path string) net.Conn {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(c, "GET "+path+" HTTP/1.1\r\nHost: "+addr+"\r\n\r\n")
		return c
	}
	hold := send("/hold")
	defer hold.Close()
	slow := send("/slow") // busy for 300 ms, then idle
	defer slow.Close()
	time.Sleep(100 * time.Millisecond)
	start := time.Now()
	c := send("/")
	defer c.Close()
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "HTTP/1.1 200") {
		t.Fatalf("new client at the limit: %q %v after %s", line, err, time.Since(start))
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("new client answered after %s", d)
	}
}

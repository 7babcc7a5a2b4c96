package cli

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestConnLimitSilentClients: at the limit, connections that were opened
// but never sent a request (a page opening sockets to the preview, or a
// browser's preconnects) make room for a new client as idle ones do: the
// new client does not wait for the header timeout.
func TestConnLimitSilentClients(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs, _ := newHTTPServer(http.NotFoundHandler(), nil)
	lim := newConnLimit(ln, 2)
	hs.ConnState = lim.track
	go hs.Serve(lim)
	defer hs.Close()
	addr := ln.Addr().String()
	for range 2 {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
	}
	time.Sleep(100 * time.Millisecond)
	start := time.Now()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	io.WriteString(c, "GET / HTTP/1.1\r\nHost: "+addr+"\r\n\r\n")
	c.SetReadDeadline(time.Now().Add(readHeaderTimeout + 5*time.Second))
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "HTTP/1.1 404") {
		t.Fatalf("new client at the limit: %q %v after %s", line, err, time.Since(start))
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("new client answered after %s, behind clients that sent nothing", d)
	}
}

// TestNewPrintsTheBuildsAddress: the address charter new prints is the
// page's URL as the build makes it, escaped so that a browser asks for
// that page; and a name that would take its folder's URL (index.md) is
// refused, since that is the section page's.
func TestNewPrintsTheBuildsAddress(t *testing.T) {
	dir := writeSite(t, "small")
	for arg, want := range map[string]string{
		"faqs/a?b.md":       "http://127.0.0.1:1313/faqs/a%3Fb/",
		"a#b.md":            "http://127.0.0.1:1313/a%23b/",
		"x  y/tab\tname.md": "http://127.0.0.1:1313/x-y/tab-name/",
		"café notes.md":     "http://127.0.0.1:1313/caf%C3%A9-notes/",
	} {
		code, stdout, stderr := runCmd(t, context.Background(), "new", "--source", dir, arg)
		if code != 0 || !strings.Contains(stdout, want+"\n") {
			t.Errorf("new %q: exit %d, want %s\nstdout: %s\nstderr: %s", arg, code, want, stdout, stderr)
		}
	}
	for _, arg := range []string{"index.md", "faqs/index.md"} {
		code, stdout, stderr := runCmd(t, context.Background(), "new", "--source", dir, arg)
		if code != 2 || !strings.Contains(stderr, "_index.md") {
			t.Errorf("new %s: exit %d\nstdout: %s\nstderr: %s", arg, code, stdout, stderr)
		}
	}
}

// TestServeOnOtherLoopbackAddress: with --bind 127.0.0.2 (a loopback
// address other than 127.0.0.1) the address the preview prints answers,
// and a refused request is told that address, not 127.0.0.1, where
// nothing listens.
func TestServeOnOtherLoopbackAddress(t *testing.T) {
	p := startPreview(t, "--bind", "127.0.0.2")
	u, _ := url.Parse(p.url)
	if code, body := getHost(t, p.url, u.Host, "/"); code != 200 {
		t.Errorf("Host %s: %d %q", u.Host, code, body)
	}
	code, body := getHost(t, p.url, "evil.example", "/")
	if code != 403 || !strings.Contains(body, "http://"+u.Host+"/") {
		t.Errorf("Host evil.example: %d %q", code, body)
	}
}

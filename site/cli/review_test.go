package cli

import (
	"bufio"
	"io"
	"net"
	"net/http"
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

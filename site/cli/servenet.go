package cli

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"charter/site/serve"
)

// isLoopback reports whether --bind keeps the preview to this machine.
func isLoopback(bind string) bool {
	if bind == "localhost" {
		return true
	}
	ip := net.ParseIP(strings.Trim(bind, "[]"))
	return ip != nil && ip.IsLoopback()
}

// previewHosts is what the preview answers to: the loopback names, and
// when it listens beyond loopback, any IP address and the machine's own
// host names.
func previewHosts(bind string, port int) serve.Hosts {
	h := serve.Hosts{Port: strconv.Itoa(port)}
	if isLoopback(bind) {
		// Another loopback address (127.0.0.2) is where the preview
		// listens, and what it prints: it is accepted and suggested.
		if ip := net.ParseIP(strings.Trim(bind, "[]")); ip != nil && !ip.Equal(net.IPv4(127, 0, 0, 1)) && !ip.Equal(net.IPv6loopback) {
			h.Names = append(h.Names, ip.String())
			h.Open = ip.String()
		}
		return h
	}
	h.Network = true
	if name, err := os.Hostname(); err == nil && name != "" {
		h.Names = append(h.Names, name)
		if !strings.Contains(name, ".") {
			h.Names = append(h.Names, name+".local")
		}
	}
	if ip := net.ParseIP(strings.Trim(bind, "[]")); ip == nil && bind != "" {
		h.Names = append(h.Names, bind) // a host name given to --bind
	}
	return h
}

// previewURLs are the addresses the preview can be reached at, the
// loopback one first.
func previewURLs(bind string, port int, base string) []string {
	at := func(host string) string {
		return "http://" + net.JoinHostPort(host, strconv.Itoa(port)) + base
	}
	if isLoopback(bind) {
		return []string{at(strings.Trim(bind, "[]"))}
	}
	ip := net.ParseIP(strings.Trim(bind, "[]"))
	if ip != nil && !ip.IsUnspecified() {
		return []string{at(ip.String())}
	}
	if ip == nil && bind != "" {
		return []string{at(bind)}
	}
	urls := []string{at("127.0.0.1")}
	addrs, _ := net.InterfaceAddrs()
	for _, a := range addrs {
		n, ok := a.(*net.IPNet)
		if !ok || n.IP.IsLoopback() || n.IP.IsLinkLocalUnicast() || (n.IP.To4() == nil && ip.To4() != nil) {
			continue
		}
		urls = append(urls, at(n.IP.String()))
	}
	return urls
}

// printServing says where the preview is, and warns when the network can
// see it.
func printServing(stdout, stderr io.Writer, bind string, urls []string) {
	fmt.Fprintf(stdout, "Serving the site at %s\n", urls[0])
	if isLoopback(bind) {
		fmt.Fprintln(stdout, "Press Ctrl-C to stop.")
		return
	}
	for _, u := range urls[1:] {
		fmt.Fprintf(stdout, "  and at %s\n", u)
	}
	fmt.Fprintln(stdout, "Press Ctrl-C to stop.")
	fmt.Fprintf(stderr, "warning: --bind %s shows the preview to your network: anyone who can reach this computer can read every page, drafts included; use it only on a network you trust\n", bind)
}

// The preview server's limits. An open page holds one connection for its
// live-reload stream. Idle connections are closed after idleTimeout, and
// at once when maxConnections are open and a new one arrives, so that a
// flood of idle clients neither shuts out new ones nor uses up the files
// the builder needs to open.
const (
	maxConnections    = 256
	readHeaderTimeout = 10 * time.Second
	readTimeout       = 30 * time.Second
	writeTimeout      = 60 * time.Second // lifted for the live-reload stream
	idleTimeout       = 30 * time.Second
)

// newHTTPServer is the preview's HTTP server, with its time limits, and
// the listener that caps its connections.
func newHTTPServer(h http.Handler, ln net.Listener) (*http.Server, net.Listener) {
	lim := newConnLimit(ln, maxConnections)
	hs := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    64 << 10,
		ConnState:         lim.track,
	}
	return hs, lim
}

// connLimit is a listener that holds at most max connections open. When
// a new one comes at the limit, an idle one is closed to make room; one
// that has sent no request for silentGrace since it opened counts as
// idle too (a burst of real clients sends its requests well within it,
// and must not push itself out). When none is idle, Accept waits until
// one is.
type connLimit struct {
	net.Listener
	max    int
	mu     sync.Mutex
	cond   *sync.Cond
	open   map[net.Conn]connState
	closed bool
}

// connState is what connLimit knows of a connection.
type connState struct {
	idle   bool      // between requests
	silent bool      // no request yet
	opened time.Time // when accepted
}

// silentGrace is how long a new connection may stay silent before it
// can be closed to make room.
const silentGrace = 250 * time.Millisecond

// Close stops the listener, and any Accept waiting for room.
func (l *connLimit) Close() error {
	l.mu.Lock()
	l.closed = true
	l.cond.Broadcast()
	l.mu.Unlock()
	return l.Listener.Close()
}

func newConnLimit(ln net.Listener, max int) *connLimit {
	l := &connLimit{Listener: ln, max: max, open: map[net.Conn]connState{}}
	l.cond = sync.NewCond(&l.mu)
	return l
}

func (l *connLimit) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	for len(l.open) >= l.max && !l.closed {
		if !l.closeIdle() {
			// A silent connection becomes closable without any event:
			// look again when the youngest could have.
			t := time.AfterFunc(silentGrace, func() {
				l.mu.Lock()
				l.cond.Broadcast()
				l.mu.Unlock()
			})
			l.cond.Wait()
			t.Stop()
		}
	}
	if l.closed {
		c.Close()
		return nil, net.ErrClosed
	}
	l.open[c] = connState{silent: true, opened: time.Now()}
	return c, nil
}

// closeIdle closes one idle connection, or else one silent for longer
// than silentGrace; it reports whether there was one. The server then
// reports it closed, through track.
func (l *connLimit) closeIdle() bool {
	var silent net.Conn
	for c, st := range l.open {
		if st.idle {
			delete(l.open, c)
			c.Close()
			return true
		}
		if st.silent && time.Since(st.opened) >= silentGrace {
			silent = c
		}
	}
	if silent != nil {
		delete(l.open, silent)
		silent.Close()
		return true
	}
	return false
}

// track follows each connection's state (http.Server.ConnState).
func (l *connLimit) track(c net.Conn, st http.ConnState) {
	l.mu.Lock()
	defer l.mu.Unlock()
	switch st {
	case http.StateIdle, http.StateActive:
		if cs, ok := l.open[c]; ok {
			cs.idle, cs.silent = st == http.StateIdle, false
			l.open[c] = cs
		}
		if st == http.StateIdle {
			l.cond.Signal() // an Accept waiting for room can close it
		}
	case http.StateClosed, http.StateHijacked:
		delete(l.open, c)
		l.cond.Signal()
	}
}

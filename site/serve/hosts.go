package serve

import (
	"fmt"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// Hosts says which host names a request may be addressed to, in its Host
// header and, for the live-reload stream, its Origin. A page on another
// site can point its own name at 127.0.0.1 (DNS rebinding); its requests
// then still name that site, and are refused.
type Hosts struct {
	Port    string   // the port the server listens on, "1313"
	Network bool     // the server listens beyond loopback: any IP address is accepted too
	Names   []string // other names accepted, such as the machine's own host names
	Open    string   // the host a refused request is told to use; "" for 127.0.0.1
}

// loopbackNames are always accepted.
var loopbackNames = []string{"localhost", "127.0.0.1", "::1"}

// allowed reports whether a Host header value ("localhost:1313",
// "[::1]:1313") names this server.
func (h Hosts) allowed(hostport string) bool {
	host, port, err := net.SplitHostPort(hostport)
	if err != nil {
		// No port: the default one, which browsers leave out.
		host, port = strings.TrimSuffix(strings.TrimPrefix(hostport, "["), "]"), "80"
	}
	if port != h.Port || host == "" {
		return false
	}
	host = strings.ToLower(host)
	switch {
	case slices.Contains(loopbackNames, host):
		return true
	case h.Network && net.ParseIP(host) != nil:
		return true
	}
	for _, n := range h.Names {
		if strings.EqualFold(n, host) {
			return true
		}
	}
	return false
}

// refuse gives the reason a request is refused, "" when it is accepted.
// The Origin is checked only when checkOrigin is set and the request has
// one.
func (h Hosts) refuse(r *http.Request, checkOrigin bool) string {
	if !h.allowed(r.Host) {
		open := h.Open
		if open == "" {
			open = "127.0.0.1"
		}
		return fmt.Sprintf("Forbidden: this preview server answers requests for %s, not for %q. Open it at http://%s/ instead.\n", h.describe(), r.Host, net.JoinHostPort(open, h.Port))
	}
	o := r.Header.Get("Origin")
	if !checkOrigin || o == "" {
		return ""
	}
	u, err := url.Parse(o)
	if err != nil || u.Scheme != "http" || u.Path != "" || !h.allowed(u.Host) {
		return fmt.Sprintf("Forbidden: pages from %q may not follow this preview's changes; only its own pages may.\n", o)
	}
	return ""
}

// describe lists what the server answers to, for the refusal.
func (h Hosts) describe() string {
	s := fmt.Sprintf("localhost:%[1]s, 127.0.0.1:%[1]s and [::1]:%[1]s", h.Port)
	if h.Network {
		s = "its IP addresses, " + s
	}
	for _, n := range h.Names {
		s += fmt.Sprintf(", %s:%s", n, h.Port)
	}
	return s
}

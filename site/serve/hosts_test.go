package serve

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestHostsAllowed(t *testing.T) {
	local := Hosts{Port: "1313"}
	network := Hosts{Port: "1313", Network: true, Names: []string{"laptop", "laptop.local"}}
	cases := []struct {
		host           string
		local, network bool
	}{
		{"localhost:1313", true, true},
		{"LocalHost:1313", true, true},
		{"127.0.0.1:1313", true, true},
		{"[::1]:1313", true, true},
		{"localhost:1314", false, false},
		{"localhost", false, false},
		{"", false, false},
		{"evil.example", false, false},
		{"evil.example:1313", false, false},
		{"127.0.0.1.nip.io:1313", false, false},
		{"localhost.:1313", false, false},
		{"192.168.1.20:1313", false, true},
		{"[fd00::20]:1313", false, true},
		{"laptop:1313", false, true},
		{"laptop.local:1313", false, true},
		{"laptop.evil.example:1313", false, false},
	}
	for _, c := range cases {
		if got := local.allowed(c.host); got != c.local {
			t.Errorf("on loopback, Host %q allowed = %v", c.host, got)
		}
		if got := network.allowed(c.host); got != c.network {
			t.Errorf("on the network, Host %q allowed = %v", c.host, got)
		}
	}
	if !(Hosts{Port: "80"}).allowed("localhost") {
		t.Error("on port 80, Host localhost (no port) refused")
	}
}

// TestServerRefusesOtherHosts: a request for another host, or a live-reload
// stream opened from another site's page, gets a 403 that says why.
func TestServerRefusesOtherHosts(t *testing.T) {
	s := New("/")
	s.Apply(Update{Written: PackAll(map[string][]byte{"index.html": []byte("<p>draft</p>")})})
	s.AllowHosts(Hosts{Port: "1313"})
	defer s.Close()
	get := func(host, path, origin string) (int, string) {
		r := httptest.NewRequest("GET", "http://x"+path, nil)
		r.Host = host
		if origin != "" {
			r.Header.Set("Origin", origin)
		}
		w := httptest.NewRecorder()
		if path == Prefix+"events" && origin == "http://localhost:1313" {
			return 200, "" // a stream that is accepted stays open: not run here
		}
		s.ServeHTTP(w, r)
		return w.Code, w.Body.String()
	}
	if code, body := get("localhost:1313", "/", ""); code != 200 || !strings.Contains(body, "draft") {
		t.Errorf("localhost: %d %q", code, body)
	}
	for _, h := range []string{"evil.example", "127.0.0.1.nip.io:1313", ""} {
		code, body := get(h, "/", "")
		if code != 403 || !strings.Contains(body, "this preview server answers requests for localhost:1313") || strings.Contains(body, "draft") {
			t.Errorf("Host %q: %d %q", h, code, body)
		}
	}
	for _, o := range []string{"http://evil.example", "null", "http://127.0.0.1.nip.io:1313", "https://localhost:1313"} {
		if code, body := get("localhost:1313", Prefix+"events", o); code != 403 || !strings.Contains(body, "may not follow this preview's changes") {
			t.Errorf("events from Origin %q: %d %q", o, code, body)
		}
	}
}

// TestEventsOutliveTimeouts: the live-reload stream stays open past the
// server's read and write time limits, which are for requests.
func TestEventsOutliveTimeouts(t *testing.T) {
	s := New("/")
	ts := httptest.NewUnstartedServer(s)
	ts.Config.ReadTimeout = 200 * time.Millisecond
	ts.Config.WriteTimeout = 200 * time.Millisecond
	ts.Start()
	defer ts.Close()
	defer s.Close()
	s.AllowHosts(Hosts{Port: strings.TrimPrefix(ts.Listener.Addr().String(), "127.0.0.1:")})
	resp, err := http.Get(ts.URL + Prefix + "events")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	time.Sleep(600 * time.Millisecond)
	s.Apply(Update{Written: PackAll(map[string][]byte{"a/index.html": []byte("x")})})
	got := make(chan string, 1)
	go func() {
		b := make([]byte, 4096)
		var all string
		for !strings.Contains(all, "event: reload") {
			n, err := resp.Body.Read(b)
			all += string(b[:n])
			if err != nil {
				break
			}
		}
		got <- all
	}()
	select {
	case all := <-got:
		if !strings.Contains(all, "event: reload") {
			t.Errorf("stream ended without the event: %q", all)
		}
	case <-time.After(5 * time.Second):
		t.Error("no event")
	}
}

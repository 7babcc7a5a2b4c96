package check

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// linkServer is a test server on 127.0.0.1 with pages that answer in the
// ways external links do.
type linkServer struct {
	*httptest.Server
	mu               sync.Mutex
	hits             map[string]int
	active, maxAlive atomic.Int32
}

func newLinkServer(t *testing.T) *linkServer {
	s := &linkServer{hits: map[string]int{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

func (s *linkServer) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.hits[r.Method+" "+r.URL.Path]++
	n := s.hits[r.Method+" "+r.URL.Path]
	s.mu.Unlock()
	a := s.active.Add(1)
	defer s.active.Add(-1)
	for {
		m := s.maxAlive.Load()
		if a <= m || s.maxAlive.CompareAndSwap(m, a) {
			break
		}
	}
	switch {
	case r.URL.Path == "/ok":
	case r.URL.Path == "/gone":
		w.WriteHeader(http.StatusNotFound)
	case r.URL.Path == "/nohead":
		if r.Method == http.MethodHead {
			w.WriteHeader(http.StatusMethodNotAllowed)
		}
	case r.URL.Path == "/busy":
		if n == 1 {
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(http.StatusTooManyRequests)
		}
	case r.URL.Path == "/down":
		w.WriteHeader(http.StatusServiceUnavailable)
	case r.URL.Path == "/slow":
		time.Sleep(300 * time.Millisecond)
	case strings.HasPrefix(r.URL.Path, "/c/"):
		time.Sleep(30 * time.Millisecond)
	}
}

func (s *linkServer) count(key string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[key]
}

func TestCheckExternal(t *testing.T) {
	srv := newLinkServer(t)
	var refs []ExternalRef
	for i, p := range []string{"/ok", "/ok#part", "/gone", "/nohead", "/busy", "/down", "/slow"} {
		refs = append(refs, ExternalRef{URL: srv.URL + p, File: "content/a.md", Line: i + 1})
	}
	clock := time.Date(2005, 6, 1, 9, 0, 0, 0, time.UTC)
	opts := ExternalOptions{
		Client: srv.Client(), Timeout: 100 * time.Millisecond, Backoff: time.Millisecond, Retries: 2,
		CacheFile: filepath.Join(t.TempDir(), "links.json"), Now: func() time.Time { return clock },
	}
	fs, err := CheckExternal(context.Background(), refs, opts)
	if err != nil {
		t.Fatal(err)
	}
	got := map[int]string{}
	for _, f := range fs {
		got[f.Line] = fmt.Sprintf("%s %s", f.Rule, f.Severity)
	}
	want := map[int]string{
		3: "external-link error",
		6: "external-link-unreachable warning",
		7: "external-link-unreachable warning",
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got %v\nwant %v", got, want)
	}
	if n := srv.count("HEAD /ok"); n != 1 {
		t.Errorf("/ok checked %d times, want once for two links", n)
	}
	if n := srv.count("GET /nohead"); n != 1 {
		t.Errorf("GET after 405: %d", n)
	}
	if n := srv.count("HEAD /down"); n != 3 {
		t.Errorf("/down tried %d times, want 3 (two retries)", n)
	}

	// a rerun within a day uses the cache for good links
	clock = clock.Add(time.Hour)
	if _, err := CheckExternal(context.Background(), refs, opts); err != nil {
		t.Fatal(err)
	}
	if n := srv.count("HEAD /ok"); n != 1 {
		t.Errorf("/ok checked again within the cache's lifetime")
	}
	if n := srv.count("HEAD /gone"); n != 2 {
		t.Errorf("a broken link was not checked again: %d", n)
	}
	clock = clock.Add(24 * time.Hour)
	CheckExternal(context.Background(), refs[:1], opts)
	if n := srv.count("HEAD /ok"); n != 2 {
		t.Errorf("/ok not checked again after the cache expired")
	}
}

func TestCheckExternalPerHost(t *testing.T) {
	srv := newLinkServer(t)
	var refs []ExternalRef
	for i := range 10 {
		refs = append(refs, ExternalRef{URL: fmt.Sprintf("%s/c/%d", srv.URL, i)})
	}
	fs, err := CheckExternal(context.Background(), refs, ExternalOptions{Client: srv.Client(), PerHost: 2, Workers: 8})
	if err != nil || len(fs) != 0 {
		t.Fatalf("%v %v", fs, err)
	}
	if m := srv.maxAlive.Load(); m > 2 || m < 1 {
		t.Errorf("at most %d requests at once to one host, want 2", m)
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2005, 6, 1, 9, 0, 0, 0, time.UTC)
	tests := map[string]time.Duration{
		"":                              0,
		"3":                             3 * time.Second,
		"soon":                          0,
		"Wed, 01 Jun 2005 09:00:10 GMT": 10 * time.Second,
	}
	for in, want := range tests {
		if got := retryAfter(in, now); got != want {
			t.Errorf("retryAfter(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestExternalLinks(t *testing.T) {
	s := &Site{OutputPrefix: "public/", Pages: []*Page{{
		Output: "a/index.html", URL: "/a/", Source: "content/a.md",
		Links: []Link{{Line: 7, URL: "https://example.org/x"}},
		HTML:  []byte(page(`<p><a href="https://example.org/x">X</a> <a href="mailto:a@b">M</a> <a href="/b/">B</a></p>`)),
	}}}
	got := ExternalLinks(s)
	if len(got) != 1 || got[0] != (ExternalRef{URL: "https://example.org/x", File: "content/a.md", Line: 7}) {
		t.Errorf("got %+v", got)
	}
}

package check

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// An ExternalRef is an external link and where it is.
type ExternalRef struct {
	URL  string
	File string
	Line int
	Col  int
}

// ExternalLinks lists the http and https URLs of the site's pages, with
// where each is written. After Run it needs no second parse.
func ExternalLinks(s *Site) []ExternalRef {
	var out []ExternalRef
	for _, p := range s.Pages {
		facts := p.facts
		if facts == nil {
			facts = collectFacts(p, s.urlTable())
			p.doc = nil
		}
		for r := range facts.eachRef {
			l := strings.ToLower(r.url())
			if !strings.HasPrefix(l, "http://") && !strings.HasPrefix(l, "https://") {
				continue
			}
			at := p.refAt(r)
			file := at.File
			if file == "" {
				file = s.OutputPrefix + p.Output
			}
			out = append(out, ExternalRef{URL: r.url(), File: file, Line: at.Line, Col: at.Col})
		}
	}
	return out
}

// ExternalOptions configure CheckExternal. Zero fields take the defaults
// given.
type ExternalOptions struct {
	Client        *http.Client  // default: http.DefaultClient's transport, redirects followed
	Timeout       time.Duration // for each request; default 15s
	PerHost       int           // requests at once to one host; default 2
	Workers       int           // requests at once in all; default 16
	Retries       int           // retries after 429, 503 or a network error; default 2
	Backoff       time.Duration // wait before the first retry, doubled each time; default 1s
	MaxRetryAfter time.Duration // the longest Retry-After honoured; default 30s
	CacheFile     string        // JSON cache of results; "" for none
	CacheTTL      time.Duration // how long a good result is trusted; default 24h
	Now           func() time.Time
	UserAgent     string // default "charter-check"
}

func (o *ExternalOptions) defaults() {
	if o.Client == nil {
		o.Client = &http.Client{}
	}
	o.Timeout = cmpOr(o.Timeout, 15*time.Second)
	o.PerHost = cmpOr(o.PerHost, 2)
	o.Workers = cmpOr(o.Workers, 16)
	if o.Retries == 0 {
		o.Retries = 2
	}
	o.Backoff = cmpOr(o.Backoff, time.Second)
	o.MaxRetryAfter = cmpOr(o.MaxRetryAfter, 30*time.Second)
	o.CacheTTL = cmpOr(o.CacheTTL, 24*time.Hour)
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.UserAgent == "" {
		o.UserAgent = "charter-check"
	}
}

func cmpOr[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

// A linkResult is the outcome of checking one URL, as cached.
type linkResult struct {
	Status  int       `json:"status"`
	Error   string    `json:"error,omitempty"`
	Checked time.Time `json:"checked"`
}

func (r linkResult) ok() bool { return r.Error == "" && r.Status >= 200 && r.Status < 400 }

// CheckExternal checks external links with HTTP: HEAD, or GET where a
// server does not allow HEAD. Requests run concurrently, at most PerHost
// at once to one host, each with a timeout; 429 and 503 answers and
// network errors are retried with backoff, honouring Retry-After. Good
// results are cached in CacheFile for CacheTTL so that reruns are fast.
// A link that is gone (404, 410) is an Error; one that cannot be reached
// or refuses the checker is a Warning. The error is about the cache file.
func CheckExternal(ctx context.Context, refs []ExternalRef, opts ExternalOptions) ([]Finding, error) {
	opts.defaults()
	cache, cacheErr := loadCache(opts.CacheFile)
	now := opts.Now()
	var todo []string
	seen := map[string]bool{}
	for _, r := range refs {
		u := stripFragment(r.URL)
		if seen[u] {
			continue
		}
		seen[u] = true
		if c, ok := cache[u]; ok && c.ok() && now.Sub(c.Checked) < opts.CacheTTL {
			continue
		}
		todo = append(todo, u)
	}
	slices.Sort(todo)
	results := newChecker(opts).checkAll(ctx, todo)
	for u, r := range results {
		cache[u] = r
	}
	var out []Finding
	for _, r := range refs {
		if f, bad := externalFinding(r, cache[stripFragment(r.URL)]); bad {
			out = append(out, f)
		}
	}
	if opts.CacheFile != "" && ctx.Err() == nil {
		cacheErr = errors.Join(cacheErr, saveCache(opts.CacheFile, cache))
	}
	return sortFindings(out), cacheErr
}

func stripFragment(u string) string {
	u, _, _ = strings.Cut(u, "#")
	return u
}

// externalFinding turns a result into a finding, if it is one.
func externalFinding(r ExternalRef, res linkResult) (Finding, bool) {
	if res.ok() || (res.Status == 0 && res.Error == "") {
		return Finding{}, false
	}
	f := Finding{File: r.File, Line: r.Line, Col: r.Col, Rule: "external-link", Severity: Warning}
	switch {
	case res.Error != "":
		f.Rule = "external-link-unreachable"
		f.Message = fmt.Sprintf("link to %s could not be checked: %s", r.URL, res.Error)
		f.Fix = "check the address in a browser; if the site is down for a while, run the check again later"
	case res.Status == http.StatusNotFound || res.Status == http.StatusGone:
		f.Severity = Error
		f.Message = fmt.Sprintf("link to %s answers %d %s", r.URL, res.Status, http.StatusText(res.Status))
		f.Fix = "find where the page has moved and link there, or remove the link"
	case res.Status == http.StatusTooManyRequests || res.Status >= 500:
		f.Rule = "external-link-unreachable"
		f.Message = fmt.Sprintf("link to %s answers %d %s", r.URL, res.Status, http.StatusText(res.Status))
		f.Fix = "check the address in a browser; if the site is busy or down, run the check again later"
	default:
		f.Message = fmt.Sprintf("link to %s answers %d %s", r.URL, res.Status, http.StatusText(res.Status))
		f.Fix = "check the address in a browser; some sites refuse automated checks"
	}
	return f, true
}

// checker runs the requests of one CheckExternal.
type checker struct {
	opts  ExternalOptions
	mu    sync.Mutex
	hosts map[string]chan struct{}
}

func newChecker(opts ExternalOptions) *checker {
	return &checker{opts: opts, hosts: map[string]chan struct{}{}}
}

// hostSlot returns the semaphore that limits requests to one host.
func (c *checker) hostSlot(u string) chan struct{} {
	host := u
	if pu, err := url.Parse(u); err == nil {
		host = strings.ToLower(pu.Host)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	s := c.hosts[host]
	if s == nil {
		s = make(chan struct{}, c.opts.PerHost)
		c.hosts[host] = s
	}
	return s
}

func (c *checker) checkAll(ctx context.Context, urls []string) map[string]linkResult {
	out := make(map[string]linkResult, len(urls))
	var mu sync.Mutex
	next := make(chan string)
	var wg sync.WaitGroup
	for range min(c.opts.Workers, len(urls)) {
		wg.Go(func() {
			for u := range next {
				slot := c.hostSlot(u)
				select {
				case slot <- struct{}{}:
				case <-ctx.Done():
					continue
				}
				r := c.check(ctx, u)
				<-slot
				mu.Lock()
				out[u] = r
				mu.Unlock()
			}
		})
	}
	for _, u := range urls {
		next <- u
	}
	close(next)
	wg.Wait()
	return out
}

// check checks one URL, retrying as the options say.
func (c *checker) check(ctx context.Context, u string) linkResult {
	var res linkResult
	for attempt := 0; ; attempt++ {
		status, wait, err := c.request(ctx, u)
		res = linkResult{Status: status, Checked: c.opts.Now()}
		if err != nil {
			res.Error = err.Error()
		}
		retry := err != nil || status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable
		if !retry || attempt >= c.opts.Retries || ctx.Err() != nil {
			return res
		}
		if wait <= 0 {
			wait = c.opts.Backoff << attempt
		}
		t := time.NewTimer(min(wait, c.opts.MaxRetryAfter))
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return res
		}
	}
}

// request makes one HEAD request, falling back to GET when the server
// does not allow HEAD. It returns the status and the Retry-After wait.
func (c *checker) request(ctx context.Context, u string) (int, time.Duration, error) {
	status, wait, err := c.do(ctx, http.MethodHead, u)
	if err == nil && (status == http.StatusMethodNotAllowed || status == http.StatusNotImplemented) {
		return c.do(ctx, http.MethodGet, u)
	}
	return status, wait, err
}

func (c *checker) do(ctx context.Context, method, u string) (int, time.Duration, error) {
	ctx, cancel := context.WithTimeout(ctx, c.opts.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, u, nil)
	if err != nil {
		return 0, 0, fmt.Errorf("not a valid address: %v", err)
	}
	req.Header.Set("User-Agent", c.opts.UserAgent)
	resp, err := c.opts.Client.Do(req)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return 0, 0, fmt.Errorf("no answer within %s", c.opts.Timeout)
		}
		return 0, 0, unwrapURLError(err)
	}
	_, _ = io.CopyN(io.Discard, resp.Body, 64<<10)
	resp.Body.Close()
	return resp.StatusCode, retryAfter(resp.Header.Get("Retry-After"), c.opts.Now()), nil
}

func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// retryAfter reads a Retry-After header: seconds or an HTTP date.
func retryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(v); err == nil && s >= 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0)
	}
	return 0
}

func loadCache(file string) (map[string]linkResult, error) {
	cache := map[string]linkResult{}
	if file == "" {
		return cache, nil
	}
	data, err := os.ReadFile(file)
	if errors.Is(err, os.ErrNotExist) {
		return cache, nil
	}
	if err != nil {
		return cache, fmt.Errorf("read link cache: %w", err)
	}
	if err := json.Unmarshal(data, &cache); err != nil {
		return map[string]linkResult{}, fmt.Errorf("read link cache %s: %v; delete the file to start afresh", file, err)
	}
	return cache, nil
}

func saveCache(file string, cache map[string]linkResult) error {
	data, err := json.MarshalIndent(cache, "", "  ")
	if err != nil {
		return fmt.Errorf("write link cache: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(file), ".link-cache-*")
	if err != nil {
		return fmt.Errorf("write link cache: %w", err)
	}
	_, err = tmp.Write(data)
	err = errors.Join(err, tmp.Close())
	if err == nil {
		err = os.Rename(tmp.Name(), file)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write link cache: %w", err)
	}
	return nil
}

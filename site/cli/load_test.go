package cli

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestServeUnderLoad: 200 clients hold event streams open and fetch pages
// while files change. Every request succeeds, every client hears each
// reload, and once the server stops no goroutine is left behind and the
// heap is back where it started.
func TestServeUnderLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("load test")
	}
	const clients = 200
	const edits = 5
	runtime.GC()
	baseG := runtime.NumGoroutine()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	baseHeap := ms.HeapAlloc

	dir := writeSite(t, "small")
	stdout, stderr := newLockedBuffer(), newLockedBuffer()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int)
	go func() { done <- Run(ctx, []string{"serve", "--port", "0", "--source", dir}, stdout, stderr) }()
	url := stdout.waitFor(t, regexp.MustCompile(`Serving the site at (\S+)`))[1]

	tr := &http.Transport{MaxIdleConnsPerHost: clients * 2, MaxConnsPerHost: 0}
	client := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	var failures atomic.Int64
	var reloads atomic.Int64
	var ready sync.WaitGroup
	var wg, fetchers sync.WaitGroup
	stop := make(chan struct{})
	ready.Add(clients)
	for i := range clients {
		wg.Go(func() {
			req, _ := http.NewRequestWithContext(ctx, "GET", url+"__charter/events", nil)
			resp, err := client.Do(req)
			if err != nil {
				failures.Add(1)
				ready.Done()
				return
			}
			defer resp.Body.Close()
			sc := bufio.NewScanner(resp.Body)
			first := true
			for sc.Scan() {
				if strings.HasPrefix(sc.Text(), "event: ok") && first {
					first = false
					ready.Done()
				}
				if strings.HasPrefix(sc.Text(), "event: reload") {
					reloads.Add(1)
				}
			}
		})
		fetchers.Go(func() {
			pages := []string{"", "data-sharing/", "privacy/", "questions/", "css/site.css", "nope/", "..%2f..%2fetc/passwd"}
			for n := 0; ; n++ {
				select {
				case <-stop:
					return
				default:
				}
				resp, err := client.Get(url + pages[(i+n)%len(pages)])
				if err != nil {
					if failures.Add(1) < 3 {
						t.Log(err)
					}
					return
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 && resp.StatusCode != 404 {
					if failures.Add(1) < 3 {
						t.Log(resp.Status, pages[(i+n)%len(pages)])
					}
				}
				time.Sleep(time.Millisecond)
			}
		})
	}
	ready.Wait()
	for e := range edits {
		before := reloads.Load()
		put(t, dir, "content/privacy.md", fmt.Sprintf("+++\ntitle = \"Privacy\"\nlastmod = 2004-02-01\n+++\nEdit %d.\n", e))
		deadline := time.Now().Add(20 * time.Second)
		for reloads.Load() < before+clients && time.Now().Before(deadline) {
			time.Sleep(5 * time.Millisecond)
		}
	}
	close(stop)
	fetchers.Wait()
	if got := reloads.Load(); got < clients*edits {
		t.Errorf("%d reload events reached the clients, want %d", got, clients*edits)
	}
	cancel()
	if code := <-done; code != 0 {
		t.Errorf("serve exited %d: %s", code, stderr.String())
	}
	wg.Wait()
	tr.CloseIdleConnections()
	if n := failures.Load(); n > 0 {
		t.Errorf("%d requests failed", n)
	}
	// Goroutines wind down asynchronously: wait for them, with a limit.
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > baseG+2 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > baseG+2 {
		buf := make([]byte, 1<<16)
		t.Errorf("%d goroutines before, %d after:\n%s", baseG, n, buf[:runtime.Stack(buf, true)])
	}
	runtime.GC()
	runtime.ReadMemStats(&ms)
	if grown := int64(ms.HeapAlloc) - int64(baseHeap); grown > 20<<20 {
		t.Errorf("heap grew by %d MiB", grown>>20)
	}
	t.Logf("%d clients, %d edits, %d reload events delivered, heap %+d KiB", clients, edits, reloads.Load(), (int64(ms.HeapAlloc)-int64(baseHeap))>>10)
}

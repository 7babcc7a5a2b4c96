package cli

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"charter/site"
	"charter/site/serve"
	"charter/site/watch"
)

// previewer rebuilds the site on changes and hands the builds to the
// server, so that once the files stop changing the preview is what a full
// build of them gives: the same files when it succeeds, every error of
// every file when it fails.
//
// Each batch of changes is rebuilt incrementally, from the last good
// build, with every change since that build: the changes of a build that
// failed or was cancelled stay pending, so that none is lost. Once the
// tree has been quiet for a while, a full build checks the preview: it
// lists every current error, and when it succeeds its files replace what
// is served if they differ (which is a bug of the incremental path, and
// is logged as one). A newer batch cancels the build in flight.
//
// The previewer's state is owned by the goroutine that runs loop; builds
// run on one other goroutine at a time.
type previewer struct {
	sf             siteFlags
	b              *site.Builder
	srv            *serve.Server
	stdout, stderr io.Writer
	navigate       bool
	write          bool
	quiet          time.Duration // how long the tree stays quiet before the full check
	panel          *checkPanel   // nil with --no-check-panel
	packer         serve.Packer  // packs what builds write, as the server keeps it

	pending []site.Change // changes since the last good build
	good    bool          // the server holds a good build
	errText string        // the errors shown, "" when the last build succeeded
	warned  string        // the warnings a full build printed last

	// complete, when set, turns the errors of a failed full build into
	// every current error of the site (see allErrors).
	complete func(context.Context, error) error
	// finished, when set (tests), is called after each build.
	finished func(settleInfo)
	batches  atomic.Int64 // batches of changes received
	bugs     atomic.Int64 // full checks that corrected the preview
	suspect  []string     // files a full check corrected, until confirmed
}

// settleInfo is the previewer's state after a build.
type settleInfo struct {
	batches int64 // batches received so far
	ok      bool  // the build succeeded
	settled bool  // it was the full check, and no change is waiting
}

// confirmWait is how long no change must come after a full check that
// corrected the preview before that counts as a bug: longer than the
// watcher holds a burst of events back.
const confirmWait = 300 * time.Millisecond

// job is one build running on its own goroutine.
type job struct {
	full   bool
	covers int            // how many of the pending changes it builds
	batch  []watch.Change // the batch that started it, for --navigate
	cancel context.CancelFunc
	done   chan jobResult
}

type jobResult struct {
	res *site.Result
	out buildOutput
	err error
}

// buildOutput is where a job's build writes.
type buildOutput interface {
	site.Output
	// update is what the server must change to serve the build.
	update(res *site.Result) serve.Update
}

// memOutput keeps what an incremental build (or the first) writes,
// packed as the server keeps it: packing runs on the build's workers.
type memOutput struct {
	packer  *serve.Packer
	replace bool // the build is the whole site

	mu    sync.Mutex
	files map[string]serve.File
}

func newMemOutput(packer *serve.Packer, replace bool) *memOutput {
	return &memOutput{packer: packer, replace: replace, files: map[string]serve.File{}}
}

func (o *memOutput) WriteFile(name string, data []byte) error {
	name, err := site.OutputName(name)
	if err != nil {
		return err
	}
	f := o.packer.Pack(name, data)
	o.mu.Lock()
	o.files[name] = f
	o.mu.Unlock()
	return nil
}

func (o *memOutput) update(res *site.Result) serve.Update {
	return serve.Update{Written: o.files, Removed: res.Removed, CSSOnly: res.CSSOnly, Replace: o.replace}
}

// checkOutput compares what a full check writes with what is served, and
// keeps only the files that differ: a second copy of a large site would
// double the preview's memory.
type checkOutput struct {
	packer *serve.Packer
	served map[string]serve.File // what the server serves; not changed while the check runs

	mu      sync.Mutex
	seen    map[string]bool
	changed map[string]serve.File
}

func newCheckOutput(packer *serve.Packer, served map[string]serve.File) *checkOutput {
	return &checkOutput{packer: packer, served: served, seen: map[string]bool{}, changed: map[string]serve.File{}}
}

// WriteFile notes a file of the full build, and keeps it when it is not
// the one served.
func (o *checkOutput) WriteFile(name string, data []byte) error {
	name = path.Clean(strings.TrimPrefix(name, "/"))
	f := o.packer.Pack(name, data)
	old, ok := o.served[name]
	same := ok && old.Equal(f)
	o.mu.Lock()
	defer o.mu.Unlock()
	o.seen[name] = true
	if same {
		delete(o.changed, name)
	} else {
		o.changed[name] = f
	}
	return nil
}

func (o *checkOutput) update(*site.Result) serve.Update {
	u := serve.Update{Written: o.changed}
	for name := range o.served {
		if !o.seen[name] {
			u.Removed = append(u.Removed, name)
		}
	}
	slices.Sort(u.Removed)
	return u
}

// differing lists the files that differ between the check and what is
// served, sorted.
func (o *checkOutput) differing() []string {
	u := o.update(nil)
	return slices.Sorted(func(yield func(string) bool) {
		for k := range u.Written {
			if !yield(k) {
				return
			}
		}
		for _, k := range u.Removed {
			if !yield(k) {
				return
			}
		}
	})
}

// start runs a build of every pending change, or a full build, on a new
// goroutine.
func (p *previewer) start(ctx context.Context, full bool, batch []watch.Change) *job {
	jctx, cancel := context.WithCancel(ctx)
	j := &job{full: full, covers: len(p.pending), batch: batch, cancel: cancel, done: make(chan jobResult, 1)}
	changes := slices.Clone(p.pending)
	var out buildOutput = newMemOutput(&p.packer, full)
	if full {
		changes = nil
		if p.good {
			out = newCheckOutput(&p.packer, p.srv.Packed())
		}
	}
	go func() {
		defer cancel()
		var r jobResult
		defer func() {
			// A panic in a build is a bug, reported like any error rather
			// than with a stack trace that stops the preview.
			if v := recover(); v != nil {
				r = jobResult{err: fmt.Errorf("internal error: %v; this is a bug in the tool, not in your site", v)}
			}
			j.done <- r
		}()
		r.out = out
		r.res, r.err = p.b.Build(jctx, out, changes...)
		if full && r.err != nil && p.complete != nil && !site.ChangedDuringBuild(r.err) {
			r.err = p.complete(jctx, r.err)
		}
	}()
	return j
}

// initial builds the whole site once, before the server starts.
func (p *previewer) initial(ctx context.Context) {
	j := p.start(ctx, true, nil)
	p.finish(ctx, j, <-j.done)
}

// loopState is what loop keeps between events.
type loopState struct {
	running   *job
	check     <-chan time.Time // the full check, once the tree is quiet
	confirm   <-chan time.Time // a bug the full check found, unless changes come
	lastBatch []watch.Change
	newer     bool // a batch came while a build ran
}

// loop rebuilds on each batch of changes until ctx ends or the server
// stops; it returns the exit status.
func (p *previewer) loop(ctx context.Context, w *watch.Watcher, served <-chan error) int {
	ls := &loopState{}
	if p.panel != nil {
		defer close(p.panel.done)
	}
	for {
		var done <-chan jobResult
		var loads chan panelLoad // the check panel's, between builds
		if ls.running != nil {
			done = ls.running.done
		} else if p.panel != nil {
			loads = p.panel.loads
		}
		select {
		case req := <-loads:
			req.reply <- p.panel.pages(req.outputs, p.srv.File)
		case <-ctx.Done():
			if ls.running != nil {
				ls.running.cancel()
				<-ls.running.done
			}
			return 0
		case err := <-served:
			fmt.Fprintf(p.stderr, "the preview server stopped: %v\n", err)
			return 1
		case err := <-w.Errors():
			fmt.Fprintf(p.stderr, "warning: watching for changes: %v\n", err)
		case batch := <-w.Batches():
			p.onBatch(ctx, ls, batch)
		case r := <-done:
			p.onDone(ctx, ls, r)
		case <-ls.check:
			ls.check = nil
			ls.running = p.start(ctx, true, nil)
		case <-ls.confirm:
			ls.confirm = nil
			p.confirmBug()
		}
	}
}

// onBatch adds a batch to the pending changes and builds them, or
// cancels the build in flight, which is out of date (and may never end,
// in a layout that loops): its changes stay pending for the next.
func (p *previewer) onBatch(ctx context.Context, ls *loopState, batch []watch.Change) {
	p.batches.Add(1)
	for _, c := range batch {
		p.pending = append(p.pending, site.Change{Path: c.Path, Removed: c.Removed})
	}
	ls.lastBatch, ls.check, ls.confirm, p.suspect = batch, nil, nil, nil
	if ls.running != nil {
		ls.running.cancel()
		ls.newer = true
		return
	}
	ls.running = p.start(ctx, !p.good, batch)
}

// onDone takes a build's result, then builds what came meanwhile, or
// waits for quiet to run the full check.
func (p *previewer) onDone(ctx context.Context, ls *loopState, r jobResult) {
	j := ls.running
	ls.running = nil
	p.finish(ctx, j, r)
	switch {
	case ctx.Err() != nil:
	case ls.newer:
		ls.newer = false
		ls.running = p.start(ctx, !p.good, ls.lastBatch)
	case j.full:
		if len(p.suspect) > 0 {
			ls.confirm = time.After(confirmWait)
		}
	default:
		ls.check = time.After(p.quiet)
	}
	if p.finished != nil {
		p.finished(settleInfo{batches: p.batches.Load(), ok: r.err == nil, settled: j.full && ls.running == nil})
	}
}

// confirmBug reports the files a full check corrected. It waits until no
// change came after the check: the check may have read files saved after
// the last batch, whose events were still on their way.
func (p *previewer) confirmBug() {
	if len(p.suspect) == 0 {
		return
	}
	p.bugs.Add(1)
	fmt.Fprintf(p.stderr, "bug: the preview differed from a full build in %s (%s); now serving the full build. Please report this.\n",
		plural(len(p.suspect), "file"), strings.Join(p.suspect[:min(len(p.suspect), 5)], ", "))
	p.suspect = nil
}

// finish reports a build's result and, when it succeeded, serves it.
func (p *previewer) finish(ctx context.Context, j *job, r jobResult) {
	if r.err != nil {
		// A build that met files changed since it read them is overtaken,
		// as a cancelled one is: the watcher reports those files.
		if ctx.Err() == nil && !errors.Is(r.err, context.Canceled) && !site.ChangedDuringBuild(r.err) {
			p.failed(r.err)
		}
		return
	}
	p.pending = p.pending[j.covers:]
	p.warn(r.res.Warnings, j.full && p.good)
	fixed, first := p.errText != "", !p.good
	u := r.out.update(r.res)
	switch check, ok := r.out.(*checkOutput); {
	case ok:
		if diff := check.differing(); !fixed && len(diff) > 0 {
			p.suspect = diff
		}
	case p.navigate && !j.full:
		u.Navigate = savedPage(r.res, j.batch)
	}
	if p.panel != nil {
		p.panel.update(r.res, u)
	}
	p.srv.Apply(u)
	p.good, p.errText = true, ""
	p.report(j, r.res, fixed, first)
	if p.write && j.full {
		p.writeOut()
	}
}

// report says what a good build did. A full check that agrees with the
// preview says nothing.
func (p *previewer) report(j *job, res *site.Result, fixed, first bool) {
	what := ""
	switch {
	case first:
		what = fmt.Sprintf("built %s in %s", plural(res.Pages, "page"), res.Duration.Round(time.Millisecond))
	case !j.full && (res.Rendered > 0 || !fixed):
		what = fmt.Sprintf("rebuilt %s in %s", plural(res.Rendered, "page"), res.Duration.Round(time.Millisecond/10))
	}
	switch {
	case fixed && what != "":
		fmt.Fprintf(p.stdout, "Fixed: the site builds again (%s)\n", what)
	case fixed:
		fmt.Fprintln(p.stdout, "Fixed: the site builds again")
	case what != "":
		fmt.Fprintln(p.stdout, strings.ToUpper(what[:1])+what[1:])
	}
}

// failed shows a build's errors in the terminal and on every open page,
// unless they are those already shown.
func (p *previewer) failed(err error) {
	text := errorText(err)
	if text == p.errText {
		return
	}
	p.errText = text
	fmt.Fprintf(p.stderr, "%s", prefixLines("error: ", p.errText))
	if p.good {
		fmt.Fprintln(p.stderr, "Still serving the last good build; fix the file and save it again.")
	} else {
		fmt.Fprintln(p.stderr, "The site did not build yet; fix the file and save it again.")
	}
	p.srv.SetError(p.errText)
}

// warn prints a build's warnings. A full check repeats the warnings of
// every page: it prints them only when they are not those it printed last.
func (p *previewer) warn(ws site.Errors, check bool) {
	var b strings.Builder
	printWarnings(&b, ws)
	if check && b.String() == p.warned {
		return
	}
	if check || p.warned == "" {
		p.warned = b.String()
	}
	fmt.Fprint(p.stderr, b.String())
}

// errorText is a failed build's errors, one a line.
func errorText(err error) string {
	var b strings.Builder
	if es, ok := site.AsErrors(err); ok {
		for _, e := range es {
			fmt.Fprintf(&b, "%v\n", e)
		}
	} else {
		fmt.Fprintf(&b, "%v\n", err)
	}
	return b.String()
}

// allErrors is every current error of a site whose build failed with
// first: a build stops at the first stage that fails (a page's front
// matter, say), which hides the errors of the later ones (a broken link
// in another page). A KeepGoing build, as check makes, leaves out what
// fails and goes on; its problems and first together are the list, one
// line each, sorted.
func allErrors(ctx context.Context, cfg site.Config, fsys fs.FS, first error) error {
	es, ok := site.AsErrors(first)
	if !ok {
		return first
	}
	cfg.KeepGoing = true
	b, err := site.NewBuilder(cfg, fsys)
	if err != nil {
		return first
	}
	res, err := b.Build(ctx, site.NewMemOutput())
	switch more, ok := site.AsErrors(err); {
	case err == nil:
		es = append(slices.Clone(es), res.Problems...)
	case ok:
		es = append(slices.Clone(es), more...)
	default:
		return first
	}
	seen := map[string]bool{}
	all := site.Errors{}
	for _, e := range es {
		if k := e.Error(); !seen[k] {
			seen[k] = true
			all = append(all, e)
		}
	}
	slices.SortFunc(all, func(a, b *site.Error) int {
		return cmp.Or(strings.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), strings.Compare(a.Msg, b.Msg))
	})
	return all
}

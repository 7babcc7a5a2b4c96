// Package watch reports changes to a site's files in batches: an
// editor's save, or a checkout that touches hundreds of files, arrives as
// one batch. It uses fsnotify, or polling where events do not arrive
// (shared folders in virtual machines, WSL).
package watch

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/fsnotify/fsnotify"
)

// A Change is a file or folder that was written, created or removed. Path
// is slash-separated and relative to the watched root.
type Change struct {
	Path    string
	Removed bool
}

// Options say how to watch.
type Options struct {
	// Quiet is how long no event must arrive before a batch of one file
	// is sent (default 4ms). Burst is the same for a batch of several
	// files, or of one file written again and again (default 100ms).
	// MaxWait caps how long a batch may be held back (default 2s).
	Quiet, Burst, MaxWait time.Duration
	// Poll, when positive, scans the folders at this interval instead of
	// using file system events.
	Poll time.Duration
	// Ignore, when set, names the files and folders that never count as
	// changes: the ones the build skips (site.IgnoredName), such as an
	// editor's swap and backup files.
	Ignore func(name string) bool
}

// Watcher watches folders under a root recursively. Folders created later
// are watched too.
type Watcher struct {
	root    string
	dirs    []string
	opts    Options
	batches chan []Change
	errs    chan error
	done    chan struct{}
	once    sync.Once
	fsw     *fsnotify.Watcher
	wg      sync.WaitGroup

	mu      sync.Mutex
	watched map[string]bool // folders given to fsw
}

// New starts watching dirs (relative to root, such as "content") and
// everything below them. Missing folders are skipped.
func New(root string, dirs []string, opts Options) (*Watcher, error) {
	if opts.Quiet <= 0 {
		opts.Quiet = 4 * time.Millisecond
	}
	if opts.Burst <= 0 {
		opts.Burst = 100 * time.Millisecond
	}
	if opts.MaxWait <= 0 {
		opts.MaxWait = 2 * time.Second
	}
	w := &Watcher{root: root, dirs: dirs, opts: opts, batches: make(chan []Change, 1), errs: make(chan error, 1), done: make(chan struct{}),
		watched: map[string]bool{}}
	raw := make(chan string, 1024)
	if opts.Poll > 0 {
		first := w.scan()
		w.wg.Go(func() { w.poll(raw, first) })
	} else {
		fsw, err := fsnotify.NewWatcher()
		if err != nil {
			return nil, err
		}
		w.fsw = fsw
		for _, d := range dirs {
			if err := w.addTree(filepath.Join(root, d), nil); err != nil {
				fsw.Close()
				return nil, err
			}
		}
		w.wg.Go(func() { w.events(raw) })
	}
	w.wg.Go(func() { w.batch(raw) })
	return w, nil
}

// Batches delivers batches of changes, each path once.
func (w *Watcher) Batches() <-chan []Change { return w.batches }

// Errors delivers errors of the underlying watcher, such as a full event
// queue; the watcher keeps going.
func (w *Watcher) Errors() <-chan error { return w.errs }

// Close stops watching and waits for the watcher's goroutines to end.
func (w *Watcher) Close() error {
	w.once.Do(func() { close(w.done) })
	var err error
	if w.fsw != nil {
		err = w.fsw.Close()
	}
	w.wg.Wait()
	return err
}

// ignored reports the names the watcher's Options.Ignore gives no
// changes for; none without it.
func (w *Watcher) ignored(name string) bool {
	return w.opts.Ignore != nil && w.opts.Ignore(name)
}

// addTree watches dir and the folders below it; found collects the files
// in it, for a folder that appeared after the watch began.
func (w *Watcher) addTree(dir string, found func(string)) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if p != dir && w.ignored(d.Name()) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			w.mu.Lock()
			w.watched[p] = true
			w.mu.Unlock()
			return w.fsw.Add(p)
		}
		if found != nil && d.Type().IsRegular() {
			found(p)
		}
		return nil
	})
}

// events turns fsnotify events into paths to look at.
func (w *Watcher) events(raw chan<- string) {
	for {
		select {
		case <-w.done:
			return
		case err, ok := <-w.fsw.Errors:
			if !ok {
				return
			}
			select {
			case w.errs <- err:
			default:
			}
		case ev, ok := <-w.fsw.Events:
			if !ok {
				return
			}
			if w.ignored(filepath.Base(ev.Name)) {
				continue
			}
			if ev.Has(fsnotify.Create) {
				if st, err := os.Stat(ev.Name); err == nil && st.IsDir() {
					_ = w.addTree(ev.Name, func(p string) { w.send(raw, p) })
				}
			}
			w.send(raw, ev.Name)
		}
	}
}

func (w *Watcher) send(raw chan<- string, p string) {
	select {
	case raw <- p:
	case <-w.done:
	}
}

// batch collects paths until no event came for the quiet time, then sends
// them with their state as found on disk: a file that exists was written,
// one that does not was removed. That settles every order in which editors
// write, rename and delete.
func (w *Watcher) batch(raw <-chan string) {
	pending := map[string]bool{}
	events := 0
	var quiet, maxWait <-chan time.Time
	for {
		select {
		case <-w.done:
			return
		case p := <-raw:
			pending[p] = true
			events++
			// One file written once or twice: an editor's save, sent
			// quickly. Several files, or one written again and again: a
			// checkout, a copy or a script in progress, worth waiting out.
			wait := w.opts.Quiet
			if len(pending) > 1 || events > 4 {
				wait = max(wait, w.opts.Burst)
			}
			quiet = time.After(wait)
			if maxWait == nil {
				maxWait = time.After(w.opts.MaxWait)
			}
			continue
		case <-quiet:
		case <-maxWait:
		}
		quiet, maxWait = nil, nil
		if b := w.settle(pending); len(b) > 0 {
			select {
			case w.batches <- b:
			case <-w.done:
				return
			}
		}
		pending = map[string]bool{}
		events = 0
	}
}

func (w *Watcher) settle(pending map[string]bool) []Change {
	if w.fsw != nil {
		w.rewatch(pending)
	}
	var out []Change
	for p := range pending {
		rel, err := filepath.Rel(w.root, p)
		if err != nil || strings.HasPrefix(rel, "..") {
			continue
		}
		_, err = os.Lstat(p)
		out = append(out, Change{Path: filepath.ToSlash(rel), Removed: errors.Is(err, fs.ErrNotExist)})
	}
	slices.SortFunc(out, func(a, b Change) int { return strings.Compare(a.Path, b.Path) })
	return out
}

type stamp struct {
	mod  time.Time
	size int64
}

// poll scans the folders at the poll interval and sends what differs.
func (w *Watcher) poll(raw chan<- string, last map[string]stamp) {
	t := time.NewTicker(w.opts.Poll)
	defer t.Stop()
	for {
		select {
		case <-w.done:
			return
		case <-t.C:
		}
		now := w.scan()
		for p, s := range now {
			if o, ok := last[p]; !ok || o != s {
				w.send(raw, p)
			}
		}
		for p := range last {
			if _, ok := now[p]; !ok {
				w.send(raw, p)
			}
		}
		last = now
	}
}

func (w *Watcher) scan() map[string]stamp {
	m := map[string]stamp{}
	for _, d := range w.dirs {
		_ = filepath.WalkDir(filepath.Join(w.root, d), func(p string, e fs.DirEntry, err error) error {
			if err != nil {
				return nil
			}
			if w.ignored(e.Name()) && p != filepath.Join(w.root, d) {
				if e.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if e.Type().IsRegular() {
				if info, err := e.Info(); err == nil {
					m[p] = stamp{info.ModTime(), info.Size()}
				}
			}
			return nil
		})
	}
	return m
}

// rewatch watches again the folders of a batch that were moved or
// replaced. fsnotify keeps a moved folder's watch under its old name (and
// drops it when the move is reported), so that what is saved in a renamed
// section would go unseen. Folders gone from where they were watched are
// given up; folders in the batch are watched afresh, and their files join
// the batch, in case a save came before the new watch.
func (w *Watcher) rewatch(pending map[string]bool) {
	w.mu.Lock()
	var gone []string
	for d := range w.watched {
		if !underAny(d, pending) {
			continue
		}
		if st, err := os.Lstat(d); err != nil || !st.IsDir() {
			gone = append(gone, d)
			delete(w.watched, d)
		}
	}
	w.mu.Unlock()
	for _, d := range gone {
		_ = w.fsw.Remove(d)
	}
	var dirs []string
	for p := range pending {
		if st, err := os.Lstat(p); err == nil && st.IsDir() {
			dirs = append(dirs, p)
		}
	}
	if len(gone) == 0 {
		return // nothing moved: the watches of new folders are right
	}
	for _, d := range dirs {
		_ = filepath.WalkDir(d, func(p string, e fs.DirEntry, err error) error {
			if err == nil && e.IsDir() {
				_ = w.fsw.Remove(p)
			}
			return nil
		})
		_ = w.addTree(d, func(p string) { pending[p] = true })
	}
}

// underAny reports whether p or a folder above it is in set.
func underAny(p string, set map[string]bool) bool {
	for {
		if set[p] {
			return true
		}
		parent := filepath.Dir(p)
		if parent == p {
			return false
		}
		p = parent
	}
}

package site

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/maphash"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
)

// Output receives the files of a build. Implementations are safe for
// concurrent use.
type Output interface {
	// WriteFile stores a file at a slash-separated path inside the output.
	WriteFile(name string, data []byte) error
}

var (
	_ Output = (*DirOutput)(nil)
	_ Output = (*MemOutput)(nil)
)

// MarkerFile is left in every folder the tool creates as output, so that
// it only ever replaces folders it made.
const MarkerFile = ".charter-output"

// OutputName is the name under which an Output stores a file the build
// names name (without a leading slash), or the error an Output gives when
// the name is not a file inside the output.
func OutputName(name string) (string, error) { return cleanName(name) }

// cleanName checks that a file name stays inside the output.
func cleanName(name string) (string, error) {
	n := strings.TrimPrefix(name, "/")
	if !fs.ValidPath(n) || n == "." || strings.ContainsAny(n, "\x00\\") {
		return "", fmt.Errorf("refusing to write %q: it is not a file inside the output", name)
	}
	return n, nil
}

// MemOutput keeps the files of a build in memory.
type MemOutput struct {
	mu    sync.Mutex
	files map[string][]byte
}

// NewMemOutput returns an empty in-memory output.
func NewMemOutput() *MemOutput { return &MemOutput{files: map[string][]byte{}} }

func (m *MemOutput) WriteFile(name string, data []byte) error {
	name, err := cleanName(name)
	if err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.files[name] = slices.Clone(data)
	return nil
}

// Files returns a copy of the written files by name.
func (m *MemOutput) Files() map[string][]byte {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make(map[string][]byte, len(m.files))
	for k, v := range m.files {
		out[k] = v
	}
	return out
}

// File returns one written file.
func (m *MemOutput) File(name string) ([]byte, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	b, ok := m.files[name]
	return b, ok
}

// DirOutput writes a build into a fresh folder beside the destination and
// swaps it in with Commit. Until then the destination is untouched. From
// NewDirOutput to Commit or Abort it holds a lock on the destination's
// parent folder, so that two builds into one destination never race.
type DirOutput struct {
	dest   string
	tmp    string
	unlock func()

	// A build holds these for each page, so they are kept small: a
	// folder by a hash of its path (a hash shared with another folder
	// costs a failed write and a retry, see WriteFile).
	mu    sync.Mutex
	dirs  map[uint64]struct{} // maphash of each folder made
	pages []byte              // each HTML file written, for Diff: see pageSums

	// Test seams: hook is called at each step of Commit ("commit",
	// "swapped", "old-emptied"), so that a test can stop the process
	// there; noExchange makes Commit rename twice, as where the system
	// cannot exchange two folders.
	hook       func(step string)
	noExchange bool
}

var (
	// ErrBusy is returned (wrapped) by NewDirOutput when another build
	// is writing into the same destination.
	ErrBusy       = errors.New("another build is writing there")
	errNoExchange = errors.New("the file system cannot exchange two folders")
)

// pageSeed keys the hashes that Diff compares within one process.
var pageSeed = maphash.MakeSeed()

// NewDirOutput prepares to replace dest. It refuses a destination that is
// not the tool's own output folder, that is a symbolic link, that is or
// holds the site root, or that overlaps one of the protected folders
// (content/, layouts/, static/). It takes the destination's lock, and
// removes what killed builds left beside it: folders that carry the
// tool's marker file.
func NewDirOutput(dest, root string, protect ...string) (*DirOutput, error) {
	abs, err := filepath.Abs(dest)
	if err != nil {
		return nil, err
	}
	if ra, err := filepath.Abs(root); err == nil && (holds(abs, ra) || holds(resolvePath(abs), resolvePath(ra))) {
		return nil, fmt.Errorf("refusing to use %s as the output folder: it holds the site itself; choose a folder such as public", abs)
	}
	if err := checkDest(abs, protect); err != nil {
		return nil, err
	}
	parent := filepath.Dir(abs)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("cannot create %s: %w", parent, unwrapPathError(err))
	}
	unlock, err := lockDir(parent)
	if errors.Is(err, ErrBusy) {
		return nil, fmt.Errorf("cannot build into %s: %w; wait for it to finish, then build again", abs, ErrBusy)
	}
	if err != nil {
		return nil, fmt.Errorf("cannot build into %s: %w", abs, unwrapPathError(err))
	}
	removeStale(abs)
	tmp := filepath.Join(parent, "."+filepath.Base(abs)+".tmp-"+randomSuffix())
	if err := makeMarked(tmp); err != nil {
		unlock()
		return nil, fmt.Errorf("cannot write beside %s: %w", dest, unwrapPathError(err))
	}
	return &DirOutput{dest: abs, tmp: tmp, unlock: sync.OnceFunc(unlock)}, nil
}

// makeMarked makes a folder with the marker file in it, so that whatever
// happens to the process, the folder is known to be the tool's own.
func makeMarked(dir string) error {
	if err := os.Mkdir(dir, 0o755); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, MarkerFile), []byte("This folder is written by the site generator and replaced on every build.\n"), 0o644)
}

// removeStale removes the temporary and old folders that builds killed
// before they finished left beside dest: those that carry the marker, or
// are empty. The caller holds the lock, so no build is using them.
func removeStale(dest string) {
	entries, _ := os.ReadDir(filepath.Dir(dest))
	tmp, old := "."+filepath.Base(dest)+".tmp-", "."+filepath.Base(dest)+".old-"
	for _, e := range entries {
		if !e.IsDir() || !(strings.HasPrefix(e.Name(), tmp) || strings.HasPrefix(e.Name(), old)) {
			continue // a symbolic link is not a folder here: it is left alone
		}
		dir := filepath.Join(filepath.Dir(dest), e.Name())
		if m, err := os.Lstat(filepath.Join(dir, MarkerFile)); err == nil && m.Mode().IsRegular() {
			removeTree(dir)
		} else {
			_ = os.Remove(dir) // only when empty
		}
	}
}

func randomSuffix() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// checkDest refuses destinations a build must never replace.
func checkDest(abs string, protect []string) error {
	home, _ := os.UserHomeDir()
	if abs == filepath.Dir(abs) || (home != "" && abs == filepath.Clean(home)) {
		return fmt.Errorf("refusing to use %s as the output folder; choose a folder such as public", abs)
	}
	for _, p := range protect {
		pa, err := filepath.Abs(p)
		if err != nil {
			continue
		}
		if overlaps(abs, pa) || overlaps(resolvePath(abs), resolvePath(pa)) {
			return fmt.Errorf("refusing to use %s as the output folder: it overlaps %s; choose a folder such as public", abs, pa)
		}
	}
	if info, err := os.Lstat(abs); err == nil && info.Mode()&fs.ModeSymlink != 0 {
		return fmt.Errorf("refusing to use %s as the output folder: it is a symbolic link; give the folder it points to with --dest, or remove the link", abs)
	}
	entries, err := os.ReadDir(abs)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("cannot read the output folder %s: %w", abs, unwrapPathError(err))
	}
	if len(entries) == 0 {
		return nil
	}
	if _, err := os.Stat(filepath.Join(abs, MarkerFile)); err != nil {
		return fmt.Errorf("refusing to replace %s: it is not empty and was not made by this tool; empty it, or choose another --dest", abs)
	}
	return nil
}

// within reports whether p lies inside dir.
// holds reports whether dir is p or a folder above it.
func holds(dir, p string) bool { return dir == p || within(p, dir) }

// overlaps reports whether one of a and b is or holds the other.
func overlaps(a, b string) bool { return holds(a, b) || holds(b, a) }

// resolvePath is the absolute path p with the symbolic links of its
// longest existing part resolved, so that a folder reached through a
// link compares equal to the folder itself.
func resolvePath(p string) string {
	rest := ""
	for dir := p; ; dir = filepath.Dir(dir) {
		if r, err := filepath.EvalSymlinks(dir); err == nil {
			return filepath.Join(r, rest)
		}
		if dir == filepath.Dir(dir) {
			return p
		}
		rest = filepath.Join(filepath.Base(dir), rest)
	}
}

func within(p, dir string) bool {
	rel, err := filepath.Rel(dir, p)
	return err == nil && rel != "." && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

func (o *DirOutput) WriteFile(name string, data []byte) error {
	name, err := cleanName(name)
	if err != nil {
		return err
	}
	full := filepath.Join(o.tmp, filepath.FromSlash(name))
	dir := filepath.Dir(full)
	made := o.made(dir)
	if !made {
		if err := o.mkdir(dir); err != nil {
			return fmt.Errorf("write %s: %w", name, unwrapPathError(err))
		}
	}
	err = writeNewFile(full, data)
	if made && errors.Is(err, fs.ErrNotExist) {
		// Another folder's hash: make this one.
		if err = os.MkdirAll(dir, 0o755); err == nil {
			err = writeNewFile(full, data)
		}
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", name, unwrapPathError(err))
	}
	if strings.HasSuffix(name, ".html") {
		sum := maphash.Bytes(pageSeed, data)
		o.mu.Lock()
		o.pages = binary.LittleEndian.AppendUint64(appendID(o.pages, filepath.ToSlash(name)), sum)
		o.mu.Unlock()
	}
	return nil
}

// made reports whether the folder dir was made by this output, or
// shares its hash with one that was.
func (o *DirOutput) made(dir string) bool {
	h := maphash.String(pageSeed, dir)
	o.mu.Lock()
	defer o.mu.Unlock()
	_, ok := o.dirs[h]
	return ok
}

// madeDir records that the folder dir was made.
func (o *DirOutput) madeDir(dir string) {
	h := maphash.String(pageSeed, dir)
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.dirs == nil {
		o.dirs = map[uint64]struct{}{}
	}
	o.dirs[h] = struct{}{}
}

// mkdir makes a folder of the new build and its parents. A page's folder
// usually sits in its section's, made already: one mkdir, not the stat
// of every parent that os.MkdirAll makes.
func (o *DirOutput) mkdir(dir string) error {
	parent := filepath.Dir(dir)
	if dir == o.tmp || parent == dir {
		return nil // made with the output, or a root
	}
	if !o.made(parent) && parent != o.tmp {
		if err := o.mkdir(parent); err != nil {
			return err
		}
	}
	if err := os.Mkdir(dir, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	}
	o.madeDir(dir)
	return nil
}

// Commit swaps the new build in place of the destination, in one step
// where the system can exchange two folders (Linux): at every moment the
// destination holds a complete build. Elsewhere, the old build is moved
// aside and the new one moved in. The old build is then removed, and the
// lock released.
func (o *DirOutput) Commit() error {
	defer o.unlock()
	o.step("commit")
	if info, err := os.Lstat(o.dest); err == nil && info.Mode()&fs.ModeSymlink != 0 {
		removeTree(o.tmp)
		return fmt.Errorf("cannot replace %s: it is a symbolic link now; remove the link and build again", o.dest)
	}
	old, err := o.swap()
	if err != nil {
		removeTree(o.tmp)
		return fmt.Errorf("cannot replace %s: %w", o.dest, unwrapPathError(err))
	}
	o.step("swapped")
	if old != "" {
		o.removeOld(old)
	}
	return nil
}

// swap puts the new build at the destination. It returns where the old
// build now is, "" when there was none.
func (o *DirOutput) swap() (string, error) {
	if _, err := os.Lstat(o.dest); errors.Is(err, fs.ErrNotExist) {
		return "", os.Rename(o.tmp, o.dest)
	}
	err := errNoExchange
	if !o.noExchange {
		err = exchange(o.tmp, o.dest)
	}
	if err == nil {
		return o.tmp, nil // the old build is where the new one was
	}
	if !errors.Is(err, errNoExchange) {
		return "", err
	}
	old := filepath.Join(filepath.Dir(o.dest), "."+filepath.Base(o.dest)+".old-"+randomSuffix())
	if err := os.Rename(o.dest, old); err != nil {
		return "", err
	}
	o.step("moved-aside")
	if err := os.Rename(o.tmp, o.dest); err != nil {
		_ = os.Rename(old, o.dest)
		return "", err
	}
	return old, nil
}

// removeOld removes the replaced build, its marker last.
func (o *DirOutput) removeOld(dir string) {
	removeEntries(dir)
	o.step("old-emptied")
	removeTree(dir)
}

// step calls the test hook, if any.
func (o *DirOutput) step(name string) {
	if o.hook != nil {
		o.hook(name)
	}
}

// removeTree removes a folder tree, its marker file last, so that a
// folder half removed when the process was killed is still known to be
// the tool's own. A symbolic link is removed, never followed.
func removeTree(dir string) {
	removeEntries(dir)
	_ = os.Remove(filepath.Join(dir, MarkerFile))
	_ = os.RemoveAll(dir)
}

// removeEntries removes what a folder holds but its marker file, its
// top-level entries on every core: removing a large earlier build is
// otherwise a serial tail of the build.
func removeEntries(dir string) {
	if info, err := os.Lstat(dir); err != nil || !info.IsDir() {
		return
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	entries = slices.DeleteFunc(entries, func(e fs.DirEntry) bool { return e.Name() == MarkerFile })
	parallel(context.Background(), len(entries), func(i int) {
		_ = os.RemoveAll(filepath.Join(dir, entries[i].Name()))
	})
}

// Abort removes the unfinished build and releases the lock; the
// destination stays as it was.
func (o *DirOutput) Abort() {
	removeTree(o.tmp)
	o.unlock()
}

// Dest is the folder Commit replaces.
func (o *DirOutput) Dest() string { return o.dest }

// unwrapPathError drops the operation and path from an os error when the
// message around it already names the file.
func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// A Diff is what a build changes in the published pages, as site paths
// ("/data-sharing/").
type Diff struct {
	Added, Changed, Removed []string
}

// Diff compares the HTML pages of the new build with those in the
// destination. Call it before Commit.
func (o *DirOutput) Diff() (Diff, error) {
	old, err := htmlFiles(o.dest)
	if err != nil {
		return Diff{}, err
	}
	// The new pages are known from their writes, with a hash of each: only
	// the old ones are read back.
	var d Diff
	var mu sync.Mutex
	pages := o.pageSums()
	names := slices.Collect(maps.Keys(pages))
	parallel(context.Background(), len(names), func(i int) {
		name := names[i]
		if !old[name] {
			mu.Lock()
			d.Added = append(d.Added, pagePath(name))
			mu.Unlock()
			return
		}
		a, err := os.ReadFile(filepath.Join(o.dest, filepath.FromSlash(name)))
		mu.Lock()
		if err != nil || maphash.Bytes(pageSeed, a) != pages[name] {
			d.Changed = append(d.Changed, pagePath(name))
		}
		mu.Unlock()
	})
	for name := range old {
		if _, ok := pages[name]; !ok {
			d.Removed = append(d.Removed, pagePath(name))
		}
	}
	slices.Sort(d.Added)
	slices.Sort(d.Changed)
	slices.Sort(d.Removed)
	return d, nil
}

// pageSums is the HTML files written, by name, with the maphash of what
// was written last under each name. They are kept packed, one string a
// build rather than a map entry and a string a page: each name as
// appendID packs it, then its hash in 8 bytes.
func (o *DirOutput) pageSums() map[string]uint64 {
	o.mu.Lock()
	rest := string(o.pages)
	o.mu.Unlock()
	sums := map[string]uint64{}
	for len(rest) > 0 {
		n, k := binary.Uvarint([]byte(rest[:min(len(rest), binary.MaxVarintLen64)]))
		end := k + int(n)
		if k <= 0 || uint64(len(rest)-k) < n || len(rest)-end < 8 {
			break // not packed by WriteFile: cannot happen
		}
		sums[rest[k:end]] = binary.LittleEndian.Uint64([]byte(rest[end : end+8]))
		rest = rest[end+8:]
	}
	return sums
}

// htmlFiles lists the .html files under dir by slash path; none when dir
// does not exist.
func htmlFiles(dir string) (map[string]bool, error) {
	out := map[string]bool{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && p == dir {
				return fs.SkipAll
			}
			return err
		}
		if !d.IsDir() && strings.HasSuffix(p, ".html") {
			rel, _ := filepath.Rel(dir, p)
			out[filepath.ToSlash(rel)] = true
		}
		return nil
	})
	return out, err
}

// pagePath is the site path of an HTML output file.
func pagePath(name string) string {
	if name == "index.html" {
		return "/"
	}
	if strings.HasSuffix(name, "/index.html") {
		return "/" + strings.TrimSuffix(name, "index.html")
	}
	return "/" + name
}

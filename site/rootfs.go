package site

import (
	"container/list"
	"io/fs"
	"math"
	"os"
	"path"
	"sync"
)

// maxRootDirs bounds the folders a DirCacheFS keeps open: each is a file
// descriptor. Past it, the folder least recently read from is closed.
const maxRootDirs = 512

// A DirCacheFS reads a site through an os.Root, as os.Root.FS does, but
// keeps the folders it reads files from open, so that reading
// content/a/b/page.md opens one file instead of walking content, a and b
// again: os.Root opens every folder of a path, with two system calls each,
// on every read (about a fifth of a build's system time). The result of a
// read is the same: a folder opened through the root stays inside it, and
// a read that fails through a folder (a link that leads out of the folder
// but not out of the site, say) is made again through the root.
//
// A folder is kept as it was when first opened: if it is renamed or
// replaced later, reads go on in the renamed folder. So a DirCacheFS
// serves one build, not a preview that runs for hours; Close closes the
// folders.
type DirCacheFS struct {
	root fs.FS // root.FS(): every operation but reading a file

	r    *os.Root
	mu   sync.Mutex
	dirs map[string]*openDir // folder, as in a name given to ReadFile -> its root
	used list.List           // of *openDir, most recently read from first
	max  int                 // folders kept open: maxRootDirs
}

// An openDir is a folder a DirCacheFS keeps open. It is closed when it is
// let go (evicted or the file system closed) and no read is using it.
type openDir struct {
	name string
	h    *folderHandle // nil when the folder could not be opened
	refs int           // reads using h
	gone bool          // let go: close h when refs falls to 0
	elem *list.Element
}

// NewDirCacheFS returns the files under root, for one build.
func NewDirCacheFS(root *os.Root) *DirCacheFS {
	return &DirCacheFS{root: root.FS(), r: root, dirs: map[string]*openDir{}, max: maxRootDirs}
}

// Close closes the folders the file system opened, once the reads using
// them end.
func (c *DirCacheFS) Close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, d := range c.dirs {
		c.letGo(d)
	}
}

func (c *DirCacheFS) Open(name string) (fs.File, error) { return c.root.Open(name) }

func (c *DirCacheFS) Stat(name string) (fs.FileInfo, error) { return fs.Stat(c.root, name) }

func (c *DirCacheFS) ReadDir(name string) ([]fs.DirEntry, error) { return fs.ReadDir(c.root, name) }

func (c *DirCacheFS) Lstat(name string) (fs.FileInfo, error) { return fs.Lstat(c.root, name) }

func (c *DirCacheFS) ReadLink(name string) (string, error) { return fs.ReadLink(c.root, name) }

// ReadFile reads a file through its folder, opened once through the root.
func (c *DirCacheFS) ReadFile(name string) ([]byte, error) {
	return c.ReadFileMax(name, math.MaxInt64-1)
}

// ReadFileMax reads a file as ReadFile does, but fails with a
// *tooLargeError past max bytes.
func (c *DirCacheFS) ReadFileMax(name string, max int64) ([]byte, error) {
	if fs.ValidPath(name) && name != "." {
		if d := c.acquire(path.Dir(name)); d != nil {
			data, err := d.h.readFile(path.Base(name), max)
			c.release(d)
			if err == nil || isTooLarge(err) {
				return data, err
			}
		}
	}
	return readFileMax(c.root, name, max)
}

// acquire returns a folder of the site, opened, for one read; nil when it
// cannot be opened. The caller releases it.
func (c *DirCacheFS) acquire(name string) *openDir {
	c.mu.Lock()
	defer c.mu.Unlock()
	d, ok := c.dirs[name]
	if !ok {
		d = &openDir{name: name}
		if h, err := openFolder(c.r, name); err == nil {
			d.h = h
		}
		c.dirs[name] = d
		d.elem = c.used.PushFront(d)
		for c.used.Len() > c.max {
			c.letGo(c.used.Back().Value.(*openDir))
		}
	} else {
		c.used.MoveToFront(d.elem)
	}
	if d.h == nil {
		return nil
	}
	d.refs++
	return d
}

// release ends a read through d.
func (c *DirCacheFS) release(d *openDir) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if d.refs--; d.refs == 0 && d.gone {
		d.h.close()
	}
}

// letGo forgets a folder, and closes it unless a read is using it. c.mu
// is held.
func (c *DirCacheFS) letGo(d *openDir) {
	delete(c.dirs, d.name)
	c.used.Remove(d.elem)
	d.gone = true
	if d.refs == 0 && d.h != nil {
		d.h.close()
	}
}

var (
	_ fs.ReadFileFS = (*DirCacheFS)(nil)
	_ fs.ReadDirFS  = (*DirCacheFS)(nil)
	_ fs.StatFS     = (*DirCacheFS)(nil)
	_ fs.ReadLinkFS = (*DirCacheFS)(nil)
)

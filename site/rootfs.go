package site

import (
	"io/fs"
	"os"
	"path"
	"sync"
)

// maxRootDirs bounds the folders a DirCacheFS keeps open: each is a file
// descriptor. Past it, reads walk from the root as os.Root does.
const maxRootDirs = 1024

// A DirCacheFS reads a site through an os.Root, as os.Root.FS does, but
// keeps each folder it reads files from open, so that reading
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
	dirs map[string]*os.Root // folder, as in a name given to ReadFile -> its root; nil when it could not be opened
}

// NewDirCacheFS returns the files under root, for one build.
func NewDirCacheFS(root *os.Root) *DirCacheFS {
	return &DirCacheFS{root: root.FS(), r: root, dirs: map[string]*os.Root{}}
}

// Close closes the folders the file system opened.
func (c *DirCacheFS) Close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, d := range c.dirs {
		if d != nil {
			d.Close()
		}
	}
	clear(c.dirs)
}

func (c *DirCacheFS) Open(name string) (fs.File, error) { return c.root.Open(name) }

func (c *DirCacheFS) Stat(name string) (fs.FileInfo, error) { return fs.Stat(c.root, name) }

func (c *DirCacheFS) ReadDir(name string) ([]fs.DirEntry, error) { return fs.ReadDir(c.root, name) }

func (c *DirCacheFS) Lstat(name string) (fs.FileInfo, error) { return fs.Lstat(c.root, name) }

func (c *DirCacheFS) ReadLink(name string) (string, error) { return fs.ReadLink(c.root, name) }

// ReadFile reads a file through its folder's root, opened once.
func (c *DirCacheFS) ReadFile(name string) ([]byte, error) {
	if fs.ValidPath(name) && name != "." {
		if d := c.dir(path.Dir(name)); d != nil {
			if data, err := d.ReadFile(path.Base(name)); err == nil {
				return data, nil
			}
		}
	}
	return fs.ReadFile(c.root, name)
}

// dir is the root of a folder of the site, or nil when it cannot be
// opened or too many are open.
func (c *DirCacheFS) dir(name string) *os.Root {
	if name == "." {
		return c.r
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if d, ok := c.dirs[name]; ok {
		return d
	}
	if len(c.dirs) >= maxRootDirs {
		return nil
	}
	d, err := c.r.OpenRoot(name)
	if err != nil {
		d = nil
	}
	c.dirs[name] = d
	return d
}

var (
	_ fs.ReadFileFS = (*DirCacheFS)(nil)
	_ fs.ReadDirFS  = (*DirCacheFS)(nil)
	_ fs.StatFS     = (*DirCacheFS)(nil)
	_ fs.ReadLinkFS = (*DirCacheFS)(nil)
)

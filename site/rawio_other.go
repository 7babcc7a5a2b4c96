//go:build !linux

package site

import "os"

// A folderHandle is a folder of the site that a DirCacheFS keeps open:
// here, a root of its own.
type folderHandle struct{ r *os.Root }

// openFolder opens the folder name of root. A folder opened through the
// root is inside it.
func openFolder(root *os.Root, name string) (*folderHandle, error) {
	r, err := root.OpenRoot(name)
	if err != nil {
		return nil, err
	}
	return &folderHandle{r: r}, nil
}

// readFile reads the file called base (a name, no slash) in the folder,
// failing with a *tooLargeError past max bytes.
func (h *folderHandle) readFile(base string, max int64) ([]byte, error) {
	return readFileMax(h.r.FS(), base, max)
}

func (h *folderHandle) close() { h.r.Close() }

// writeNewFile writes data to the file at path, made or emptied.
func writeNewFile(path string, data []byte) error { return os.WriteFile(path, data, 0o644) }

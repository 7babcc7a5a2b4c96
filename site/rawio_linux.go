package site

import (
	"io"
	"io/fs"
	"os"

	"golang.org/x/sys/unix"
)

// A folderHandle is a folder of the site that a DirCacheFS keeps open.
// Here (Linux) it reads a file with plain system calls on the folder's
// descriptor: openat, fstat, read and close. Reading through an os.File
// also sets the file non-blocking and offers it to the poller, three
// system calls more for every page read, twice a build.
type folderHandle struct {
	f  *os.File // the folder, opened through the site's root
	fd int
}

// openFolder opens the folder name of root. A folder opened through the
// root is inside it.
func openFolder(root *os.Root, name string) (*folderHandle, error) {
	f, err := root.Open(name)
	if err != nil {
		return nil, err
	}
	sc, err := f.SyscallConn()
	if err != nil {
		f.Close()
		return nil, err
	}
	h := &folderHandle{f: f, fd: -1}
	if err := sc.Control(func(fd uintptr) { h.fd = int(fd) }); err != nil || h.fd < 0 {
		f.Close()
		return nil, fs.ErrInvalid
	}
	return h, nil
}

// readFile reads the regular file called base (a name, no slash) in the
// folder. It does not follow a symbolic link, nor read anything but a
// regular file: for those it fails, and the caller reads through the
// root, which follows links as far as the site's edge. Past max bytes it
// fails with a *tooLargeError.
func (h *folderHandle) readFile(base string, max int64) ([]byte, error) {
	fd, err := unix.Openat(h.fd, base, unix.O_RDONLY|unix.O_CLOEXEC|unix.O_NOFOLLOW|unix.O_NONBLOCK|unix.O_NOCTTY, 0)
	if err != nil {
		return nil, err
	}
	defer unix.Close(fd)
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		return nil, err
	}
	if st.Mode&unix.S_IFMT != unix.S_IFREG {
		return nil, fs.ErrInvalid
	}
	if st.Size > max {
		return nil, &fs.PathError{Op: "read", Path: base, Err: &tooLargeError{max}}
	}
	return readUpTo(func(b []byte) (int, error) {
		for {
			n, err := unix.Read(fd, b)
			switch {
			case err == unix.EINTR:
				continue
			case err != nil:
				return 0, err
			case n == 0 && len(b) > 0:
				return 0, io.EOF
			}
			return n, nil
		}
	}, base, int(st.Size)+1, max)
}

func (h *folderHandle) close() { h.f.Close() }

// writeNewFile writes data to the file at path, made or emptied, as
// os.WriteFile does with mode 0o644, in plain system calls: no os.File,
// so none of the three calls that make it ready for the poller. Errors
// are the ones os.WriteFile returns. It does not follow a symbolic link
// at path: the output folder holds none.
func writeNewFile(path string, data []byte) error {
	fd, err := unix.Open(path, unix.O_WRONLY|unix.O_CREAT|unix.O_TRUNC|unix.O_CLOEXEC|unix.O_NOFOLLOW, 0o644)
	for err == unix.EINTR {
		fd, err = unix.Open(path, unix.O_WRONLY|unix.O_CREAT|unix.O_TRUNC|unix.O_CLOEXEC|unix.O_NOFOLLOW, 0o644)
	}
	if err != nil {
		return &fs.PathError{Op: "open", Path: path, Err: err}
	}
	for len(data) > 0 {
		n, err := unix.Write(fd, data)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			unix.Close(fd)
			return &fs.PathError{Op: "write", Path: path, Err: err}
		}
		data = data[n:]
	}
	if err := unix.Close(fd); err != nil {
		return &fs.PathError{Op: "close", Path: path, Err: err}
	}
	return nil
}

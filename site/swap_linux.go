package site

import (
	"errors"

	"golang.org/x/sys/unix"
)

// exchange swaps two paths in one step (renameat2 with RENAME_EXCHANGE):
// at every moment each name holds one complete folder. It returns
// errNoExchange when the file system cannot do it.
func exchange(a, b string) error {
	err := unix.Renameat2(unix.AT_FDCWD, a, unix.AT_FDCWD, b, unix.RENAME_EXCHANGE)
	if errors.Is(err, unix.ENOSYS) || errors.Is(err, unix.EINVAL) || errors.Is(err, unix.EOPNOTSUPP) {
		return errNoExchange
	}
	return err
}

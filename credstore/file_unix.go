//go:build unix

package credstore

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"syscall"

	"golang.org/x/sys/unix"
)

func tryLock(f *os.File) (bool, error) {
	for {
		err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB)
		switch {
		case err == nil:
			return true, nil
		case errors.Is(err, unix.EINTR):
			continue
		case errors.Is(err, unix.EWOULDBLOCK):
			return false, nil
		default:
			return false, err
		}
	}
}

func unlockFile(f *os.File) error { return unix.Flock(int(f.Fd()), unix.LOCK_UN) }

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, unix.EINVAL) && !errors.Is(err, unix.ENOTSUP) {
		return err
	}
	return nil
}

func isTransientFSError(error) bool { return false }

// openLockFile opens (or creates) the lock file without following a
// symbolic link: a link planted at its path must not make us create or
// truncate whatever it points at.
func openLockFile(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0o600)
	if errors.Is(err, unix.ELOOP) {
		return nil, fmt.Errorf("%s is a symbolic link, which a lock file never is; remove it: %w", path, err)
	}
	return f, err
}

// owner returns the uid that owns fi.
func owner(fi fs.FileInfo) (int, bool) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, false
	}
	return int(st.Uid), true
}

// secureDir refuses a settings folder owned by another user, and narrows
// our own to 0700. A missing folder is fine (nothing to read).
func secureDir(dir string) error {
	fi, err := os.Stat(dir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		return err
	}
	uid, ok := owner(fi)
	if ok && uid != os.Geteuid() {
		return &insecureError{why: fmt.Sprintf("the folder %s belongs to another user (uid %d)", dir, uid),
			fix: fmt.Sprintf("mv %q %q.untrusted (then set up the profiles again)", dir, dir)}
	}
	if fi.Mode().Perm()&0o077 != 0 {
		if err := os.Chmod(dir, 0o700); err != nil {
			return &insecureError{why: fmt.Sprintf("the folder %s is open to other users (mode %o) and could not be made private: %v", dir, fi.Mode().Perm(), err),
				fix: fmt.Sprintf("chmod 700 %q", dir)}
		}
	}
	return nil
}

// secureFile refuses a settings file owned by another user or writable by
// group or others, and narrows our own readable one to 0600.
func secureFile(f *os.File, fi fs.FileInfo, path string) error {
	uid, ok := owner(fi)
	switch {
	case !fi.Mode().IsRegular():
		return &insecureError{why: path + " is not a regular file", fix: fmt.Sprintf("rm %q", path)}
	case ok && uid != os.Geteuid():
		return &insecureError{why: fmt.Sprintf("%s belongs to another user (uid %d)", path, uid),
			fix: fmt.Sprintf("mv %q %q.untrusted (then set up the profiles again)", path, path)}
	case fi.Mode().Perm()&0o022 != 0:
		return &insecureError{why: fmt.Sprintf("%s may be changed by other users (mode %o)", path, fi.Mode().Perm()),
			fix: fmt.Sprintf("chmod 600 %q", path)}
	case fi.Mode().Perm()&0o044 != 0:
		_ = f.Chmod(0o600) // ours and unchanged by others: just narrow it
	}
	return nil
}

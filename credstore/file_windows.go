//go:build windows

package credstore

import (
	"errors"
	"io/fs"
	"os"

	"golang.org/x/sys/windows"
)

func tryLock(f *os.File) (bool, error) {
	ol := new(windows.Overlapped)
	err := windows.LockFileEx(windows.Handle(f.Fd()),
		windows.LOCKFILE_EXCLUSIVE_LOCK|windows.LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, ol)
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, windows.ERROR_LOCK_VIOLATION), errors.Is(err, windows.ERROR_IO_PENDING):
		return false, nil
	default:
		return false, err
	}
}

func unlockFile(f *os.File) error {
	return windows.UnlockFileEx(windows.Handle(f.Fd()), 0, 1, 0, new(windows.Overlapped))
}

// syncDir: Windows cannot sync a directory; MoveFileEx's replace is durable
// once the file itself was flushed.
func syncDir(string) error { return nil }

// isTransientFSError: another process has the file open without
// FILE_SHARE_DELETE for a moment (antivirus, a concurrent reader).
func isTransientFSError(err error) bool {
	return errors.Is(err, windows.ERROR_SHARING_VIOLATION) ||
		errors.Is(err, windows.ERROR_ACCESS_DENIED) ||
		errors.Is(err, windows.ERROR_LOCK_VIOLATION)
}

// openLockFile opens (or creates) the lock file.
func openLockFile(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
}

// secureDir: on Windows the user profile's ACLs keep the folder private.
func secureDir(string) error { return nil }

// secureFile: only a regular file is read; ACLs do the rest.
func secureFile(_ *os.File, fi fs.FileInfo, path string) error {
	if !fi.Mode().IsRegular() {
		return &insecureError{why: path + " is not a regular file", fix: "del " + path}
	}
	return nil
}

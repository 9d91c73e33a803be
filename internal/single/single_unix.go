//go:build !windows

package single

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"syscall"
	"time"
)

// Address is the socket where the instance for the settings folder key
// listens: in the user's runtime dir on Linux, else the cache dir, named
// after a hash of key so that separate settings folders (tests, portable
// set-ups) get separate instances.
func Address(key string) (string, error) {
	sum := sha256.Sum256([]byte(key))
	name := "advologix-connect-" + hex.EncodeToString(sum[:6]) + ".sock"
	dir := os.Getenv("XDG_RUNTIME_DIR")
	if dir == "" || runtime.GOOS != "linux" {
		base, err := os.UserCacheDir()
		if err != nil {
			return "", fmt.Errorf("no folder for the instance socket: %w", err)
		}
		dir = filepath.Join(base, "advologix-connect")
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return "", fmt.Errorf("instance socket folder: %w", err)
		}
	}
	return filepath.Join(dir, name), nil
}

// checkDir refuses a folder that another user owns or that others may
// write to: they could put their own socket at our path.
func checkDir(dir string) error {
	fi, err := os.Lstat(dir)
	if err != nil {
		return fmt.Errorf("instance socket folder: %w", err)
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok || !fi.IsDir() {
		return fmt.Errorf("%w: %s is not a folder", ErrUntrusted, dir)
	}
	if int(st.Uid) != os.Getuid() {
		return fmt.Errorf("%w: folder %s belongs to uid %d", ErrUntrusted, dir, st.Uid)
	}
	if fi.Mode().Perm()&0o022 != 0 {
		return fmt.Errorf("%w: folder %s can be written by others (chmod 700 %s)", ErrUntrusted, dir, dir)
	}
	return nil
}

// checkSocket refuses a socket (or anything else) at path that is not
// ours; absent is fine.
func checkSocket(path string) error {
	fi, err := os.Lstat(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("instance socket: %w", err)
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok || int(st.Uid) != os.Getuid() {
		return fmt.Errorf("%w: %s belongs to another user", ErrUntrusted, path)
	}
	if fi.Mode().Type() != os.ModeSocket {
		return fmt.Errorf("%w: %s is not a socket", ErrUntrusted, path)
	}
	return nil
}

type unixConn struct{ *net.UnixConn }

func dial(path string) (conn, error) {
	if err := checkDir(filepath.Dir(path)); err != nil {
		return nil, err
	}
	if err := checkSocket(path); err != nil {
		return nil, err
	}
	c, err := net.DialTimeout("unix", path, time.Second)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errNoInstance, err)
	}
	uc := c.(*net.UnixConn)
	if err := samePeer(uc); err != nil {
		uc.Close()
		return nil, fmt.Errorf("%w: %v", ErrUntrusted, err)
	}
	return unixConn{uc}, nil
}

type unixListener struct {
	ln   *net.UnixListener
	path string
}

// listen binds in a fresh private folder beside path, makes the socket
// 0600 (whatever the umask) and only then links it to path, which fails
// when path exists: no moment in which the socket is open to others, and
// no replacing another instance's socket.
func listen(path string) (listener, error) {
	dir := filepath.Dir(path)
	if err := checkDir(dir); err != nil {
		return nil, err
	}
	tmpDir, err := os.MkdirTemp(dir, ".bind-")
	if err != nil {
		return nil, fmt.Errorf("instance socket: %w", err)
	}
	defer os.RemoveAll(tmpDir)
	tmp := filepath.Join(tmpDir, "s")
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: tmp, Net: "unix"})
	if err != nil {
		return nil, fmt.Errorf("instance socket: %w", err)
	}
	ln.SetUnlinkOnClose(false)
	if err := os.Chmod(tmp, 0o600); err != nil {
		ln.Close()
		return nil, fmt.Errorf("instance socket: %w", err)
	}
	if err := os.Link(tmp, path); err != nil {
		ln.Close()
		if errors.Is(err, os.ErrExist) {
			return nil, errStale
		}
		return nil, fmt.Errorf("instance socket: %w", err)
	}
	return &unixListener{ln: ln, path: path}, nil
}

func (l *unixListener) Accept() (conn, error) {
	c, err := l.ln.AcceptUnix()
	if err != nil {
		if errors.Is(err, net.ErrClosed) {
			return nil, errClosed
		}
		return nil, err
	}
	if err := samePeer(c); err != nil {
		c.Close()
		return nil, fmt.Errorf("%w: %v", errPeer, err)
	}
	return unixConn{c}, nil
}

func (l *unixListener) Close() error {
	err := l.ln.Close()
	_ = os.Remove(l.path)
	return err
}

// removeStale removes a dead instance's socket, only if it is ours.
func removeStale(path string) error {
	if err := checkSocket(path); err != nil {
		return err
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("remove stale instance socket: %w", err)
	}
	return nil
}

// samePeer checks that the process at the other end runs as this user.
func samePeer(c *net.UnixConn) error {
	raw, err := c.SyscallConn()
	if err != nil {
		return err
	}
	var uid int
	var credErr error
	if err := raw.Control(func(fd uintptr) { uid, credErr = peerUID(int(fd)) }); err != nil {
		return err
	}
	if errors.Is(credErr, errNoPeerCred) {
		return nil // the platform cannot tell; the socket's mode and folder guard it
	}
	if credErr != nil {
		return fmt.Errorf("peer credentials: %w", credErr)
	}
	if uid != os.Getuid() {
		return fmt.Errorf("peer runs as uid %d", uid)
	}
	return nil
}

var errNoPeerCred = errors.New("no peer credentials on this platform")

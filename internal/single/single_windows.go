package single

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"
)

// On Windows the channel is a named pipe: AF_UNIX sockets are missing
// before Windows 10 1803 and under Wine. The pipe's name is a hash of the
// user's SID and the settings folder (pipe names are machine-wide, shared
// by every session); its access list grants only this user, remote clients
// are rejected, and a client refuses a pipe whose owner is someone else.
// The I/O is overlapped with an event per operation, so every read, write
// and wait for a client has a deadline and Close ends a pending Accept.

const pipeBuffer = 512

// Address is the named pipe of the instance for the settings folder key.
func Address(key string) (string, error) {
	sid, err := userSID()
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256([]byte(sid.String() + "\x00" + key))
	return `\\.\pipe\advologix-connect-` + hex.EncodeToString(sum[:8]), nil
}

func userSID() (*windows.SID, error) {
	u, err := windows.GetCurrentProcessToken().GetTokenUser()
	if err != nil {
		return nil, fmt.Errorf("single instance: who is this user: %w", err)
	}
	return u.User.Sid, nil
}

func dial(name string) (conn, error) {
	path, err := windows.UTF16PtrFromString(name)
	if err != nil {
		return nil, err
	}
	me, err := userSID()
	if err != nil {
		return nil, err
	}
	deadline := time.Now().Add(time.Second)
	var h windows.Handle
	for {
		// SECURITY_IDENTIFICATION: the server may learn who we are, never
		// act as us.
		h, err = windows.CreateFile(path, windows.GENERIC_READ|windows.GENERIC_WRITE, 0, nil,
			windows.OPEN_EXISTING, windows.FILE_FLAG_OVERLAPPED|windows.SECURITY_SQOS_PRESENT|windows.SECURITY_IDENTIFICATION, 0)
		switch {
		case err == nil:
		case errors.Is(err, windows.ERROR_FILE_NOT_FOUND):
			return nil, fmt.Errorf("%w: %v", errNoInstance, err)
		case errors.Is(err, windows.ERROR_ACCESS_DENIED):
			return nil, fmt.Errorf("%w: pipe %s does not let this user in", ErrUntrusted, name)
		case errors.Is(err, windows.ERROR_PIPE_BUSY) && time.Now().Before(deadline):
			time.Sleep(20 * time.Millisecond)
			continue
		default:
			return nil, fmt.Errorf("%w: %v", errNoInstance, err)
		}
		break
	}
	if err := checkOwner(h, me); err != nil {
		windows.CloseHandle(h)
		return nil, err
	}
	return &pipeConn{h: h}, nil
}

// checkOwner refuses a pipe that another user created.
func checkOwner(h windows.Handle, me *windows.SID) error {
	sd, err := windows.GetSecurityInfo(h, windows.SE_KERNEL_OBJECT, windows.OWNER_SECURITY_INFORMATION)
	if err != nil {
		return fmt.Errorf("%w: cannot read the pipe's owner: %v", ErrUntrusted, err)
	}
	owner, _, err := sd.Owner()
	if err != nil || owner == nil {
		return fmt.Errorf("%w: the pipe has no owner", ErrUntrusted)
	}
	if !owner.Equals(me) {
		return fmt.Errorf("%w: the pipe belongs to %s", ErrUntrusted, owner)
	}
	return nil
}

type pipeListener struct {
	mutex windows.Handle // the instance lock
	name  *uint16
	sa    *windows.SecurityAttributes
	stop  windows.Handle // set by Close: ends a pending Accept

	mu        sync.Mutex
	next      windows.Handle // the instance waiting for the next client
	accepting bool           // an Accept owns next until it returns
	closed    bool
}

func listen(name string) (listener, error) {
	me, err := userSID()
	if err != nil {
		return nil, err
	}
	path, err := windows.UTF16PtrFromString(name)
	if err != nil {
		return nil, err
	}
	// Owned by this user (an elevated process would otherwise give it to
	// Administrators), protected DACL: full access for this user only.
	sd, err := windows.SecurityDescriptorFromString("O:" + me.String() + "D:P(A;;GA;;;" + me.String() + ")")
	if err != nil {
		return nil, fmt.Errorf("single instance: security descriptor: %w", err)
	}
	sa := &windows.SecurityAttributes{SecurityDescriptor: sd}
	sa.Length = uint32(unsafe.Sizeof(*sa))
	// The instance lock: a named mutex in this session's namespace. The
	// pipe's FILE_FLAG_FIRST_PIPE_INSTANCE says the same on Windows, but
	// Wine ignores it, and two launches at once must not both listen.
	mutexName, err := windows.UTF16PtrFromString(`Local\` + name[len(`\\.\pipe\`):])
	if err != nil {
		return nil, err
	}
	mutex, err := windows.CreateMutex(sa, false, mutexName)
	if err != nil {
		if mutex != 0 {
			windows.CloseHandle(mutex)
		}
		if errors.Is(err, windows.ERROR_ALREADY_EXISTS) || errors.Is(err, windows.ERROR_ACCESS_DENIED) {
			return nil, errStale // another instance holds it, or is starting
		}
		return nil, fmt.Errorf("single instance: lock: %w", err)
	}
	l := &pipeListener{mutex: mutex, name: path, sa: sa}
	// The first instance must be new: if the name exists (another
	// instance, or someone squatting it), this fails.
	l.next, err = l.instance(true)
	if err != nil {
		windows.CloseHandle(mutex)
		return nil, fmt.Errorf("create pipe %s: %w", name, err)
	}
	l.stop, err = windows.CreateEvent(nil, 1, 0, nil)
	if err != nil {
		windows.CloseHandle(l.next)
		windows.CloseHandle(mutex)
		return nil, fmt.Errorf("single instance: event: %w", err)
	}
	return l, nil
}

func (l *pipeListener) instance(first bool) (windows.Handle, error) {
	flags := uint32(windows.PIPE_ACCESS_DUPLEX | windows.FILE_FLAG_OVERLAPPED)
	if first {
		flags |= windows.FILE_FLAG_FIRST_PIPE_INSTANCE
	}
	return windows.CreateNamedPipe(l.name, flags,
		windows.PIPE_TYPE_BYTE|windows.PIPE_READMODE_BYTE|windows.PIPE_WAIT|windows.PIPE_REJECT_REMOTE_CLIENTS,
		windows.PIPE_UNLIMITED_INSTANCES, pipeBuffer, pipeBuffer, 0, l.sa)
}

func (l *pipeListener) Accept() (conn, error) {
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return nil, errClosed
	}
	if l.next == windows.InvalidHandle {
		next, err := l.instance(false)
		if err != nil {
			l.mu.Unlock()
			return nil, fmt.Errorf("single instance: new pipe instance: %w", err)
		}
		l.next = next
	}
	h := l.next
	l.accepting = true
	l.mu.Unlock()
	c, err := l.accept(h)
	l.mu.Lock()
	l.accepting = false
	l.mu.Unlock()
	return c, err
}

func (l *pipeListener) accept(h windows.Handle) (conn, error) {
	ov, err := newOverlapped()
	if err != nil {
		return nil, err
	}
	defer windows.CloseHandle(ov.HEvent)
	err = windows.ConnectNamedPipe(h, ov)
	switch {
	case err == nil, errors.Is(err, windows.ERROR_PIPE_CONNECTED):
	case errors.Is(err, windows.ERROR_IO_PENDING):
		ev, werr := windows.WaitForMultipleObjects([]windows.Handle{ov.HEvent, l.stop}, false, windows.INFINITE)
		if werr != nil || ev != windows.WAIT_OBJECT_0 {
			_ = windows.CancelIoEx(h, ov)
			var n uint32
			_ = windows.GetOverlappedResult(h, ov, &n, true)
			windows.CloseHandle(h)
			return nil, errClosed
		}
		var n uint32
		if err := windows.GetOverlappedResult(h, ov, &n, false); err != nil {
			l.renew(h)
			return nil, err
		}
	default:
		l.renew(h)
		return nil, err
	}
	// A fresh instance for the next client before this one is handed out,
	// so that a second launch never finds the name missing.
	if !l.renew(h) {
		windows.CloseHandle(h)
		return nil, errClosed
	}
	return &pipeConn{h: h, server: true}, nil
}

// renew replaces the waiting instance h with a new one; false when closed.
func (l *pipeListener) renew(old windows.Handle) bool {
	next, err := l.instance(false)
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		if err == nil {
			windows.CloseHandle(next)
		}
		return false
	}
	if err != nil {
		next = windows.InvalidHandle
	}
	if l.next == old {
		l.next = next
	}
	return true
}

func (l *pipeListener) Close() error {
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return nil
	}
	l.closed = true
	h, accepting := l.next, l.accepting
	l.mu.Unlock()
	// A pending Accept ends on stop and closes its own instance.
	_ = windows.SetEvent(l.stop)
	if !accepting && h != windows.InvalidHandle {
		windows.CloseHandle(h)
	}
	windows.CloseHandle(l.mutex)
	return nil
}

// removeStale: a pipe and its lock vanish with the process, so nothing is
// stale; the lock is held by an instance that is still starting. Give it
// a moment to listen before the second try.
func removeStale(string) error {
	time.Sleep(300 * time.Millisecond)
	return nil
}

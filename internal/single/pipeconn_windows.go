package single

// This file holds one end of a connected pipe instance (pipeConn): its
// overlapped reads and writes, each bounded by the deadline, and its Close.

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"sync"
	"time"

	"golang.org/x/sys/windows"
)

// pipeConn is one end of a connected pipe instance.
type pipeConn struct {
	h        windows.Handle
	server   bool
	mu       sync.Mutex
	deadline time.Time
	answered bool // the server wrote its acknowledgement
	once     sync.Once
}

func (c *pipeConn) SetDeadline(t time.Time) error {
	c.mu.Lock()
	c.deadline = t
	c.mu.Unlock()
	return nil
}

func (c *pipeConn) Read(p []byte) (int, error) { return c.do(p, false) }
func (c *pipeConn) Write(p []byte) (int, error) {
	n, err := c.do(p, true)
	if n > 0 {
		c.mu.Lock()
		c.answered = true
		c.mu.Unlock()
	}
	return n, err
}

// do runs one overlapped read or write, bounded by the deadline.
func (c *pipeConn) do(p []byte, write bool) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	if len(p) > pipeBuffer {
		p = p[:pipeBuffer]
	}
	c.mu.Lock()
	deadline := c.deadline
	c.mu.Unlock()
	// The kernel writes into ov and buf until the operation ends: both
	// live on the heap, which does not move, unlike a goroutine's stack.
	buf := make([]byte, len(p))
	if write {
		copy(buf, p)
	}
	ov, err := newOverlapped()
	if err != nil {
		return 0, err
	}
	defer windows.CloseHandle(ov.HEvent)
	if write {
		err = windows.WriteFile(c.h, buf, nil, ov)
	} else {
		err = windows.ReadFile(c.h, buf, nil, ov)
	}
	n, err := c.wait(ov, err, deadline)
	runtime.KeepAlive(buf)
	if !write {
		copy(p, buf[:n])
	}
	if err != nil {
		return int(n), err
	}
	if !write && n == 0 {
		return 0, io.EOF
	}
	return int(n), nil
}

func newOverlapped() (*windows.Overlapped, error) {
	ev, err := windows.CreateEvent(nil, 1, 0, nil)
	if err != nil {
		return nil, fmt.Errorf("single instance: event: %w", err)
	}
	return &windows.Overlapped{HEvent: ev}, nil
}

// wait finishes an overlapped operation that started with err.
func (c *pipeConn) wait(ov *windows.Overlapped, err error, deadline time.Time) (uint32, error) {
	if err != nil && !errors.Is(err, windows.ERROR_IO_PENDING) {
		return 0, pipeErr(err)
	}
	if errors.Is(err, windows.ERROR_IO_PENDING) {
		ms := uint32(windows.INFINITE)
		if !deadline.IsZero() {
			left := time.Until(deadline)
			if left < 0 {
				left = 0
			}
			ms = uint32(left / time.Millisecond)
		}
		ev, werr := windows.WaitForSingleObject(ov.HEvent, ms)
		if werr != nil || ev != windows.WAIT_OBJECT_0 {
			_ = windows.CancelIoEx(c.h, ov)
			var n uint32
			_ = windows.GetOverlappedResult(c.h, ov, &n, true)
			return n, os.ErrDeadlineExceeded
		}
	}
	var n uint32
	if err := windows.GetOverlappedResult(c.h, ov, &n, false); err != nil {
		return n, pipeErr(err)
	}
	return n, nil
}

// pipeErr turns the pipe's "other end went away" into io.EOF.
func pipeErr(err error) error {
	switch {
	case errors.Is(err, windows.ERROR_BROKEN_PIPE), errors.Is(err, windows.ERROR_PIPE_NOT_CONNECTED),
		errors.Is(err, windows.ERROR_NO_DATA):
		return io.EOF
	}
	return err
}

// Close ends the connection. A server that answered first waits (briefly)
// for the client to hang up, so that the client reads the acknowledgement
// before the instance is torn down, which would discard it.
func (c *pipeConn) Close() error {
	var err error
	c.once.Do(func() {
		c.mu.Lock()
		linger := c.server && c.answered
		c.mu.Unlock()
		if linger {
			_ = c.SetDeadline(time.Now().Add(time.Second))
			var b [16]byte
			for {
				if _, rerr := c.Read(b[:]); rerr != nil {
					break
				}
			}
			_ = windows.DisconnectNamedPipe(c.h)
		}
		err = windows.CloseHandle(c.h)
	})
	return err
}

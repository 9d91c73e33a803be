// Package single keeps one running instance of the app per user and
// settings folder: the first launch listens, and a second launch hands it a
// message ("show", "tray") and exits.
//
// The channel is a Unix socket on Linux and macOS and a named pipe on
// Windows (AF_UNIX is missing before Windows 10 1803 and under Wine). Either
// way it only talks to the same user: a message is at most MaxMessage
// bytes, the socket is private (0600, in a private folder) or the pipe's
// access list names only the user, and an endpoint that another user owns
// is refused rather than trusted.
package single

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
)

// MaxMessage bounds one message, newline included; a longer one is dropped
// unanswered.
const MaxMessage = 256

// ErrRunning means another instance took the message.
var ErrRunning = errors.New("another instance is running")

// ErrUntrusted means the instance socket or pipe belongs to another user
// (or the folder it lives in can be written by others): it is neither used
// nor removed.
var ErrUntrusted = errors.New("the single-instance channel is owned by another user")

// errNoInstance is what dial returns when nobody listens.
var errNoInstance = errors.New("no instance is listening")

// errStale is what listen returns when a dead instance left its endpoint.
var errStale = errors.New("a stale instance endpoint is in the way")

// ioTimeout bounds one exchange on either side.
const ioTimeout = 2 * time.Second

// conn is one accepted or dialled connection.
type conn interface {
	io.ReadWriteCloser
	SetDeadline(t time.Time) error
}

// listener accepts connections from the same user only.
type listener interface {
	Accept() (conn, error)
	Close() error
}

// Instance is the first, listening instance.
type Instance struct {
	ln   listener
	addr string
	once sync.Once
}

// Acquire becomes the instance for key (the settings folder), or, if one
// is already running, sends it msg and returns ErrRunning. onMessage
// receives the messages of later launches, on a goroutine of its own.
func Acquire(key, msg string, onMessage func(string)) (*Instance, error) {
	if !validMessage(msg + "\n") {
		return nil, fmt.Errorf("single instance: message %q is not a short word", msg)
	}
	addr, err := Address(key)
	if err != nil {
		return nil, err
	}
	for attempt := 0; attempt < 2; attempt++ {
		sendErr := send(addr, msg)
		switch {
		case sendErr == nil:
			return nil, ErrRunning
		case errors.Is(sendErr, ErrUntrusted):
			return nil, sendErr
		}
		ln, err := listen(addr)
		if err == nil {
			inst := &Instance{ln: ln, addr: addr}
			go inst.serve(onMessage)
			return inst, nil
		}
		if errors.Is(err, errStale) && attempt == 0 {
			// Nobody answers but the endpoint exists: a crashed instance
			// left it. Remove it (only if it is ours) and try once more.
			if rmErr := removeStale(addr); rmErr != nil {
				return nil, rmErr
			}
			continue
		}
		return nil, fmt.Errorf("single instance at %s: %w", addr, err)
	}
	return nil, fmt.Errorf("cannot become the single instance at %s", addr)
}

func send(addr, msg string) error {
	c, err := dial(addr)
	if err != nil {
		return err
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(ioTimeout))
	if _, err := io.WriteString(c, msg+"\n"); err != nil {
		return err
	}
	// Wait for the acknowledgement, so the caller may exit at once.
	ack, err := readLine(c)
	if err != nil {
		return err
	}
	if ack != "ok" {
		return fmt.Errorf("single instance: unexpected answer %q", ack)
	}
	return nil
}

// readLine reads one newline-terminated line of at most MaxMessage bytes.
func readLine(r io.Reader) (string, error) {
	line, err := bufio.NewReaderSize(io.LimitReader(r, MaxMessage), MaxMessage).ReadString('\n')
	if err != nil {
		if errors.Is(err, io.EOF) && len(line) == MaxMessage {
			return "", fmt.Errorf("single instance: message longer than %d bytes", MaxMessage)
		}
		return "", err
	}
	if !validMessage(line) {
		return "", errors.New("single instance: malformed message")
	}
	return strings.TrimSuffix(line, "\n"), nil
}

// validMessage accepts a short word of printable ASCII ended by a newline.
func validMessage(line string) bool {
	if len(line) < 2 || len(line) > MaxMessage || line[len(line)-1] != '\n' {
		return false
	}
	for _, c := range []byte(line[:len(line)-1]) {
		if c <= ' ' || c >= 0x7f {
			return false
		}
	}
	return true
}

func (i *Instance) serve(onMessage func(string)) {
	for {
		c, err := i.ln.Accept()
		if err != nil {
			if errors.Is(err, errClosed) {
				return
			}
			// A refused peer (another user) or a broken connection: next,
			// without spinning on an error that repeats.
			if !errors.Is(err, errPeer) {
				time.Sleep(50 * time.Millisecond)
			}
			continue
		}
		go func() {
			defer c.Close()
			_ = c.SetDeadline(time.Now().Add(ioTimeout))
			line, err := readLine(c)
			if err != nil {
				return
			}
			_, _ = io.WriteString(c, "ok\n")
			if onMessage != nil {
				onMessage(line)
			}
		}()
	}
}

// errPeer is what Accept returns for a peer of another user (dropped).
var errPeer = errors.New("single instance: peer is another user")

// errClosed is what Accept returns once the listener is closed.
var errClosed = errors.New("single instance: listener closed")

// Close stops listening and removes the endpoint.
func (i *Instance) Close() error {
	var err error
	i.once.Do(func() { err = i.ln.Close() })
	return err
}

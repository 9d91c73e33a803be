// Package single keeps one running instance of the app per user and
// settings folder: the first launch listens on a local socket, and a second
// launch hands it a message ("show", "tray") and exits.
package single

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"
)

// ErrRunning means another instance took the message.
var ErrRunning = errors.New("another instance is running")

// Instance is the first, listening instance.
type Instance struct {
	ln   net.Listener
	path string
	once sync.Once
}

// SocketPath is where the instance for the settings folder key listens: in
// the user's runtime dir on Linux, else the cache dir, named after a hash
// of key so that separate settings folders (tests, portable set-ups) get
// separate instances.
func SocketPath(key string) (string, error) {
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

// Acquire becomes the instance for key, or, if one is already running,
// sends it msg and returns ErrRunning. onMessage receives the messages of
// later launches, on a goroutine of its own.
func Acquire(key, msg string, onMessage func(string)) (*Instance, error) {
	path, err := SocketPath(key)
	if err != nil {
		return nil, err
	}
	for attempt := 0; attempt < 2; attempt++ {
		if sendErr := send(path, msg); sendErr == nil {
			return nil, ErrRunning
		}
		ln, err := net.Listen("unix", path)
		if err == nil {
			inst := &Instance{ln: ln, path: path}
			go inst.serve(onMessage)
			return inst, nil
		}
		// Nobody answers but the socket file exists: a crashed instance
		// left it. Remove it and try once more.
		if _, statErr := os.Lstat(path); statErr == nil {
			_ = os.Remove(path)
			continue
		}
		return nil, fmt.Errorf("listen on %s: %w", path, err)
	}
	return nil, fmt.Errorf("cannot become the single instance at %s", path)
}

func send(path, msg string) error {
	conn, err := net.DialTimeout("unix", path, time.Second)
	if err != nil {
		return err
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(2 * time.Second))
	if _, err := fmt.Fprintln(conn, msg); err != nil {
		return err
	}
	// Wait for the acknowledgement, so the caller may exit at once.
	_, err = bufio.NewReader(conn).ReadString('\n')
	return err
}

func (i *Instance) serve(onMessage func(string)) {
	for {
		conn, err := i.ln.Accept()
		if err != nil {
			return
		}
		go func() {
			defer conn.Close()
			_ = conn.SetDeadline(time.Now().Add(2 * time.Second))
			line, err := bufio.NewReader(conn).ReadString('\n')
			if err != nil {
				return
			}
			_, _ = fmt.Fprintln(conn, "ok")
			if onMessage != nil {
				onMessage(strings.TrimSpace(line))
			}
		}()
	}
}

// Close stops listening and removes the socket.
func (i *Instance) Close() error {
	var err error
	i.once.Do(func() {
		err = i.ln.Close()
		_ = os.Remove(i.path)
	})
	return err
}

//go:build !windows

package single

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/advologix/advologix-connect/internal/testing/testfix"
)

func TestLongMessageIsDroppedUnread(t *testing.T) {
	t.Setenv("XDG_RUNTIME_DIR", t.TempDir())
	got := make(chan string, 4)
	inst, err := Acquire("/settings/long", "show", func(m string) { got <- m })
	if err != nil {
		t.Fatal(err)
	}
	defer inst.Close()
	path, _ := Address("/settings/long")

	for _, tc := range []struct{ name, send string }{
		{"64 KiB line", strings.Repeat("a", 64<<10) + "\n"},
		{"one byte over", strings.Repeat("b", MaxMessage) + "\n"},
		{"control character", "sh\x1bow\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := net.Dial("unix", path)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			_ = c.SetDeadline(time.Now().Add(5 * time.Second))
			go io.WriteString(c, tc.send) // may fail once the instance hangs up
			answer, _ := io.ReadAll(c)
			if len(answer) != 0 {
				t.Errorf("the instance answered %q to a bad message", answer)
			}
			select {
			case m := <-got:
				t.Errorf("the instance took a bad message of %d bytes", len(m))
			case <-time.After(200 * time.Millisecond):
			}
		})
	}
	// The longest allowed message still goes through.
	ok := strings.Repeat("c", MaxMessage-1)
	if err := send(path, ok); err != nil {
		t.Fatalf("a %d-byte message: %v", MaxMessage, err)
	}
	if m := <-got; m != ok {
		t.Errorf("got %d bytes, want %d", len(m), len(ok))
	}
}

func TestSocketIsPrivateWhateverTheUmask(t *testing.T) {
	t.Setenv("XDG_RUNTIME_DIR", t.TempDir())
	old := syscall.Umask(0)
	defer syscall.Umask(old)
	inst, err := Acquire("/settings/umask", "show", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer inst.Close()
	path, _ := Address("/settings/umask")
	fi, err := os.Lstat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Type() != os.ModeSocket || fi.Mode().Perm() != 0o600 {
		t.Errorf("socket mode = %v, want a socket with 0600", fi.Mode())
	}
	// No leftovers of the private bind folder.
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("runtime dir holds %d entries, want only the socket: %v", len(entries), entries)
	}
}

// isolate gives the test a runtime dir of its own.
func isolate(t *testing.T) { t.Setenv("XDG_RUNTIME_DIR", shortDir(t)) }

// The tests below need a second local user: they run as root (as make
// test does in CI) and start a helper as a throw-away uid with setpriv.
const otherUID = 47111

// TestMain lets the test binary serve as the other user's helper.
func TestMain(m *testing.M) {
	switch os.Getenv("SINGLE_TEST_HELPER") {
	case "listen":
		helperListen(os.Getenv("SINGLE_TEST_PATH"))
		return
	case "send":
		err := send(os.Getenv("SINGLE_TEST_PATH"), "show")
		fmt.Println("send:", err)
		return
	}
	os.Exit(m.Run())
}

// helperListen is a squatter: it answers "ok" to everything and reports.
func helperListen(path string) {
	ln, err := net.Listen("unix", path)
	if err != nil {
		fmt.Println("listen:", err)
		os.Exit(1)
	}
	_ = os.Chmod(path, 0o777)
	fmt.Println("listening")
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		line, _ := bufio.NewReader(c).ReadString('\n')
		fmt.Fprintln(c, "ok")
		fmt.Printf("got %q\n", strings.TrimSpace(line))
		c.Close()
	}
}

// shortDir is a private temp folder with a short path: a socket path
// must fit in 108 bytes, and t.TempDir's names grow with the test's.
func shortDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "sgl")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

// asOtherUser starts this test binary as otherUID in helper mode.
func asOtherUser(t *testing.T, mode, path string) (*exec.Cmd, *testfix.Buffer) {
	t.Helper()
	if os.Getuid() != 0 {
		// A missing part fails rather than skips: make test and CI run as root.
		t.Fatal("needs root to start a helper as another uid: run as root, as make test does")
	}
	setpriv, err := exec.LookPath("setpriv")
	if err != nil {
		t.Fatal("setpriv (util-linux) is missing")
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	// The other user must be able to run a copy of this binary.
	bin := filepath.Join(testfix.SharedTempDir(t, "single-helper-", 0o755), "helper")
	data, err := os.ReadFile(self)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bin, data, 0o755); err != nil {
		t.Fatal(err)
	}
	uid := fmt.Sprint(otherUID)
	cmd := exec.Command(setpriv, "--reuid="+uid, "--regid="+uid, "--clear-groups", "--", bin)
	cmd.Env = append(os.Environ(), "SINGLE_TEST_HELPER="+mode, "SINGLE_TEST_PATH="+path, "HOME=/")
	out := &testfix.Buffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	return cmd, out
}

func waitFor(t *testing.T, out *testfix.Buffer, want string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(out.String(), want) {
		if time.Now().After(deadline) {
			t.Fatalf("helper never said %q; it said:\n%s", want, out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// squat starts the other user's listener in a scratch folder it can write
// and returns the socket's path there.
func squat(t *testing.T) (string, *testfix.Buffer) {
	t.Helper()
	sock := filepath.Join(testfix.SharedTempDir(t, "single-squat-", 0o777), "s")
	_, out := asOtherUser(t, "listen", sock)
	waitFor(t, out, "listening")
	return sock, out
}

func TestAnotherUsersSocketIsNotTrusted(t *testing.T) {
	for _, tc := range []struct {
		name  string
		place func(t *testing.T, sock, path string)
	}{
		{"socket owned by the other user", func(t *testing.T, sock, path string) {
			if err := os.Link(sock, path); err != nil {
				t.Fatal(err)
			}
		}},
		{"our socket file, the other user's process", func(t *testing.T, sock, path string) {
			if err := os.Link(sock, path); err != nil {
				t.Fatal(err)
			}
			if err := os.Lchown(path, os.Getuid(), os.Getgid()); err != nil {
				t.Fatal(err)
			}
		}},
		{"folder others can write", func(t *testing.T, sock, path string) {
			if err := os.Chmod(filepath.Dir(path), 0o777); err != nil {
				t.Fatal(err)
			}
			if err := os.Link(sock, path); err != nil {
				t.Fatal(err)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sock, out := squat(t)
			t.Setenv("XDG_RUNTIME_DIR", shortDir(t))
			path, _ := Address("/settings/squat")
			tc.place(t, sock, path)

			inst, err := Acquire("/settings/squat", "show", nil)
			if inst != nil {
				inst.Close()
			}
			if !errors.Is(err, ErrUntrusted) {
				t.Errorf("Acquire = %v, want ErrUntrusted (never ErrRunning: that exits with no window)", err)
			}
			time.Sleep(100 * time.Millisecond)
			if strings.Contains(out.String(), `got "show"`) {
				t.Errorf("the other user's process received our message:\n%s", out.String())
			}
			if _, err := os.Lstat(path); err != nil {
				t.Errorf("the other user's socket was removed or moved: %v", err)
			}
		})
	}
}

func TestAnotherUsersMessageIsRefused(t *testing.T) {
	runtime := shortDir(t)
	if err := os.Chmod(runtime, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("XDG_RUNTIME_DIR", runtime)
	got := make(chan string, 4)
	inst, err := Acquire("/settings/peer", "show", func(m string) { got <- m })
	if err != nil {
		t.Fatal(err)
	}
	defer inst.Close()
	path, _ := Address("/settings/peer")
	// Open the socket's mode, as a careless umask or chmod would: the
	// peer check must still keep the other user out.
	if err := os.Chmod(path, 0o777); err != nil {
		t.Fatal(err)
	}
	for dir := runtime; dir != "/"; dir = filepath.Dir(dir) {
		if fi, err := os.Stat(dir); err == nil && fi.Mode().Perm()&0o001 == 0 {
			t.Fatalf("%s is not searchable by others; the test needs it to be", dir)
		}
	}
	cmd, out := asOtherUser(t, "send", path)
	_ = cmd.Wait()
	select {
	case m := <-got:
		t.Errorf("the instance took %q from another user (helper: %s)", m, out.String())
	case <-time.After(200 * time.Millisecond):
	}
	if !strings.Contains(out.String(), "send:") || strings.Contains(out.String(), "send: <nil>") {
		t.Errorf("the other user's send should have failed; helper said:\n%s", out.String())
	}
}

func TestStaleSocketIsReplaced(t *testing.T) {
	t.Setenv("XDG_RUNTIME_DIR", t.TempDir())
	path, err := Address("/settings/c")
	if err != nil {
		t.Fatal(err)
	}
	// A crashed instance leaves its socket file behind.
	ln, err := net.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	ln.(*net.UnixListener).SetUnlinkOnClose(false)
	ln.Close()
	if _, err := os.Lstat(path); err != nil {
		t.Fatalf("stale socket not left behind: %v", err)
	}
	inst, err := Acquire("/settings/c", "show", nil)
	if err != nil {
		t.Fatalf("acquire over a stale socket: %v", err)
	}
	inst.Close()
	if _, err := os.Lstat(path); !os.IsNotExist(err) {
		t.Errorf("socket left after Close: %v", err)
	}
}

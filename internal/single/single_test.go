package single

import (
	"errors"
	"net"
	"os"
	"testing"
	"time"
)

func TestSecondLaunchHandsOver(t *testing.T) {
	t.Setenv("XDG_RUNTIME_DIR", t.TempDir())
	got := make(chan string, 4)
	first, err := Acquire("/settings/a", "show", func(m string) { got <- m })
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close()

	if _, err := Acquire("/settings/a", "tray", nil); !errors.Is(err, ErrRunning) {
		t.Fatalf("second launch: %v, want ErrRunning", err)
	}
	select {
	case m := <-got:
		if m != "tray" {
			t.Errorf("message = %q", m)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the first instance got no message")
	}

	// Another settings folder is another instance.
	other, err := Acquire("/settings/b", "show", nil)
	if err != nil {
		t.Fatalf("separate folder: %v", err)
	}
	other.Close()
}

func TestStaleSocketIsReplaced(t *testing.T) {
	t.Setenv("XDG_RUNTIME_DIR", t.TempDir())
	path, err := SocketPath("/settings/c")
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

package single

import (
	"errors"
	"io"
	"strings"
	"testing"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"
)

// isolate: pipe names hash the key, which key() makes unique per process.
func isolate(*testing.T) {}

func TestPipeMessageIsBounded(t *testing.T) {
	got := make(chan string, 4)
	inst, err := Acquire(key("long"), "show", func(m string) { got <- m })
	if err != nil {
		t.Fatal(err)
	}
	defer inst.Close()
	addr, _ := Address(key("long"))
	for _, send := range []string{strings.Repeat("a", 64<<10) + "\n", strings.Repeat("b", MaxMessage) + "\n", "sh\x1bow\n"} {
		c, err := dial(addr)
		if err != nil {
			t.Fatal(err)
		}
		_ = c.SetDeadline(time.Now().Add(time.Second))
		go io.WriteString(c, send)
		answer, _ := io.ReadAll(c)
		c.Close()
		if len(answer) != 0 {
			t.Errorf("the instance answered %q to a bad message of %d bytes", answer, len(send))
		}
		select {
		case m := <-got:
			t.Errorf("the instance took a bad message of %d bytes", len(m))
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// Two launches at once: only one may listen (Wine ignores
// FILE_FLAG_FIRST_PIPE_INSTANCE; the instance lock holds anyway).
func TestPipeIsFirstInstanceOnly(t *testing.T) {
	addr, err := Address(key("first"))
	if err != nil {
		t.Fatal(err)
	}
	ln, err := listen(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	if second, err := listen(addr); err == nil {
		second.Close()
		t.Fatal("a second listener on the same pipe name was allowed")
	}
}

// A pipe of the same name that another owner created first is refused,
// never sent to: that would make every launch exit with no window.
func TestSquattedPipeIsNotTrusted(t *testing.T) {
	addr, err := Address(key("squat"))
	if err != nil {
		t.Fatal(err)
	}
	// Owned by Administrators, open to everyone: a squatter's pipe.
	sd, err := windows.SecurityDescriptorFromString("O:BAD:(A;;GA;;;WD)")
	if err != nil {
		t.Fatal(err)
	}
	sa := &windows.SecurityAttributes{SecurityDescriptor: sd}
	sa.Length = uint32(unsafe.Sizeof(*sa))
	name, _ := windows.UTF16PtrFromString(addr)
	h, err := windows.CreateNamedPipe(name, windows.PIPE_ACCESS_DUPLEX|windows.FILE_FLAG_FIRST_PIPE_INSTANCE,
		windows.PIPE_TYPE_BYTE, windows.PIPE_UNLIMITED_INSTANCES, 512, 512, 0, sa)
	if err != nil {
		t.Fatalf("create the squatter's pipe (this test runs under Wine, where any owner may be set): %v", err)
	}
	defer windows.CloseHandle(h)
	go windows.ConnectNamedPipe(h, nil)

	inst, err := Acquire(key("squat"), "show", nil)
	if inst != nil {
		inst.Close()
	}
	if !errors.Is(err, ErrUntrusted) {
		t.Fatalf("Acquire = %v, want ErrUntrusted", err)
	}
}

package single

import (
	"errors"
	"fmt"
	"os"
	"testing"
	"time"
)

func TestSecondLaunchHandsOver(t *testing.T) {
	isolate(t)
	got := make(chan string, 4)
	first, err := Acquire(key("a"), "show", func(m string) { got <- m })
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close()

	if _, err := Acquire(key("a"), "tray", nil); !errors.Is(err, ErrRunning) {
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
	other, err := Acquire(key("b"), "show", nil)
	if err != nil {
		t.Fatalf("separate folder: %v", err)
	}
	other.Close()
}

// key is a settings-folder key of this test process only.
func key(name string) string { return fmt.Sprintf("/settings/%d/%s", os.Getpid(), name) }

//go:build integration

// Integration tests against the real Secret Service (gnome-keyring) of the
// throw-away session that scripts/test-session.sh starts:
//
//	scripts/test-session.sh go test -race -tags integration ./credstore/
//
// A missing component is a failure, never a skip.

package credstore

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	dbus "github.com/godbus/dbus/v5"
)

// startPrivateBus starts a dbus-daemon with no activatable services and
// returns its address.
func startPrivateBus(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	cfg := filepath.Join(dir, "bus.conf")
	conf := `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=` + filepath.Join(dir, "bus") + `</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`
	if err := os.WriteFile(cfg, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("dbus-daemon", "--config-file="+cfg, "--nofork", "--print-address=1")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatalf("dbus-daemon: %v", err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	addr := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(stdout).ReadString('\n')
		addr <- strings.TrimSpace(line)
	}()
	select {
	case a := <-addr:
		if a == "" {
			t.Fatalf("dbus-daemon printed no address: %s", stderr.String())
		}
		return a
	case <-time.After(10 * time.Second):
		t.Fatalf("dbus-daemon did not start: %s", stderr.String())
		return ""
	}
}

// runHelper re-executes this test binary as TestIntegrationHelper with a
// different session bus (godbus caches the bus connection per process).
func runHelper(t *testing.T, mode, busAddr, dir, profile string) string {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestIntegrationHelper$", "-test.v", "-test.count=1")
	cmd.Env = append(os.Environ(),
		"CREDSTORE_IT_HELPER="+mode,
		"CREDSTORE_IT_DIR="+dir,
		"CREDSTORE_IT_PROFILE="+profile,
		"DBUS_SESSION_BUS_ADDRESS="+busAddr,
	)
	out, err := cmd.CombinedOutput()
	t.Logf("helper %s:\n%s", mode, out)
	if err != nil {
		t.Fatalf("helper %s failed: %v", mode, err)
	}
	if !strings.Contains(string(out), "HELPER-OK "+mode) {
		t.Fatalf("helper %s did not run to the end", mode)
	}
	return string(out)
}

const (
	helperReadTimeout = 700 * time.Millisecond
	helperSaveTimeout = 1500 * time.Millisecond
)

// TestIntegrationHelper is the subprocess side of runHelper; without
// CREDSTORE_IT_HELPER it does nothing.
func TestIntegrationHelper(t *testing.T) {
	mode := os.Getenv("CREDSTORE_IT_HELPER")
	if mode == "" {
		return
	}
	dir := os.Getenv("CREDSTORE_IT_DIR")
	s, err := Open(Options{Dir: dir, ReadTimeout: helperReadTimeout, SaveTimeout: helperSaveTimeout})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	ops := []struct {
		name    string
		timeout time.Duration
		do      func() error
	}{
		{"Probe", helperReadTimeout, func() error { return s.Probe(ctx) }},
		{"Save", helperSaveTimeout, func() error {
			return s.Save(ctx, prof("helper-new"), Secrets{Password: "helper-secret-value"})
		}},
	}
	if p := os.Getenv("CREDSTORE_IT_PROFILE"); p != "" {
		ops = append(ops,
			struct {
				name    string
				timeout time.Duration
				do      func() error
			}{"Secrets", helperReadTimeout, func() error { _, err := s.Secrets(ctx, p); return err }},
			struct {
				name    string
				timeout time.Duration
				do      func() error
			}{"Delete", helperSaveTimeout, func() error { return s.Delete(ctx, p) }},
		)
	}
	for i, op := range ops {
		start := time.Now()
		err := op.do()
		took := time.Since(start)
		var ke *KeychainError
		if !errors.As(err, &ke) {
			t.Fatalf("%s: %v (%T), want a *KeychainError", op.name, err, err)
		}
		if strings.Contains(err.Error(), "helper-secret-value") {
			t.Fatalf("%s: error contains the secret", op.name)
		}
		t.Logf("%s after %v: [%s] %v", op.name, took.Round(time.Millisecond), ke.Code(), err)
		switch mode {
		case "unavailable":
			if ke.Kind != KeychainUnavailable {
				t.Fatalf("%s: kind %v, want unavailable", op.name, ke.Kind)
			}
			if !strings.Contains(err.Error(), "no Secret Service is running: install and unlock GNOME Keyring (gnome-keyring) or enable KeePassXC's Secret Service integration") {
				t.Fatalf("%s: message lacks the remedy: %v", op.name, err)
			}
			// Unavailable, not a timeout: the answer came, it did not wait
			// its deadline out (no clock is read, so load cannot fail it).
			if ke.Timeout != 0 || errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("%s: waited out its deadline (%v) instead of finding no Secret Service", op.name, ke.Timeout)
			}
		case "timeout":
			if ke.Kind != KeychainLocked || ke.Timeout == 0 {
				t.Fatalf("%s: %+v, want KeychainLocked by timeout", op.name, ke)
			}
			if !strings.Contains(err.Error(), "did not answer within") || !strings.Contains(err.Error(), "probably locked: unlock it") {
				t.Fatalf("%s: message %q", op.name, err)
			}
			if i == 0 {
				// The first call waits out its deadline...
				if took < op.timeout || ke.Timeout != op.timeout || errors.Is(err, errStuck) {
					t.Fatalf("%s after %v (%v): want its %v deadline waited out", op.name, took, err, op.timeout)
				}
			} else if !errors.Is(err, errStuck) {
				// ...the next ones fail at once while it is stuck: errStuck
				// comes only from the branch that neither waits nor calls.
				t.Fatalf("%s after %v (%v): it should fail fast while a call is stuck", op.name, took, err)
			}
		default:
			t.Fatalf("unknown mode %q", mode)
		}
	}
	// Nothing was saved: a new profile's settings come after its secrets.
	st, err := s.Load()
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := st.Profile("helper-new"); ok {
		t.Fatal("the failed save left a profile in settings.json")
	}
	if p := os.Getenv("CREDSTORE_IT_PROFILE"); p != "" {
		if _, ok := st.Profile(p); !ok {
			t.Fatal("a logout that could not reach the keychain removed the profile")
		}
	}
	fmt.Println("HELPER-OK " + mode)
}

func TestIntegrationKeychainMissing(t *testing.T) {
	requireSession(t)
	t.Run("bus without a Secret Service", func(t *testing.T) {
		runHelper(t, "unavailable", startPrivateBus(t), t.TempDir(), "")
	})
	t.Run("no session bus at all", func(t *testing.T) {
		runHelper(t, "unavailable", "unix:path="+filepath.Join(t.TempDir(), "no-bus-here"), t.TempDir(), "")
	})
}

// neverAnswer owns org.freedesktop.secrets and answers no method call: a
// Secret Service stuck behind an unlock prompt nobody sees.
type neverAnswer struct{ stop chan struct{} }

func (n neverAnswer) LookupObject(dbus.ObjectPath) (dbus.ServerObject, bool) { return n, true }
func (n neverAnswer) LookupInterface(string) (dbus.Interface, bool)          { return n, true }
func (n neverAnswer) LookupMethod(string) (dbus.Method, bool)                { return blockedMethod(n), true }

type blockedMethod neverAnswer

func (m blockedMethod) DecodeArguments(*dbus.Conn, string, *dbus.Message, []any) ([]any, error) {
	return nil, nil
}
func (m blockedMethod) Call(...any) ([]any, error) {
	<-m.stop
	return nil, errors.New("stand-in stopped")
}
func (blockedMethod) NumArguments() int     { return 0 }
func (blockedMethod) NumReturns() int       { return 0 }
func (blockedMethod) ArgumentValue(int) any { return nil }
func (blockedMethod) ReturnValue(int) any   { return nil }

func TestIntegrationKeychainNotAnswering(t *testing.T) {
	requireSession(t)
	addr := startPrivateBus(t)
	stop := make(chan struct{})
	conn, err := dbus.Connect(addr, dbus.WithHandler(neverAnswer{stop}))
	if err != nil {
		t.Fatalf("stand-in cannot connect to the private bus: %v", err)
	}
	t.Cleanup(func() {
		close(stop)
		_ = conn.Close()
	})
	reply, err := conn.RequestName("org.freedesktop.secrets", dbus.NameFlagDoNotQueue)
	if err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("stand-in cannot own org.freedesktop.secrets: %v %v", reply, err)
	}
	runHelper(t, "timeout", addr, t.TempDir(), "")
}

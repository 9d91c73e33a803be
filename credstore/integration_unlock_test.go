//go:build integration

// Integration tests against the real Secret Service (gnome-keyring) of the
// throw-away session that scripts/test-session.sh starts:
//
//	scripts/test-session.sh go test -race -tags integration ./credstore/
//
// A missing component is a failure, never a skip.

package credstore

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	dbus "github.com/godbus/dbus/v5"
)

// The real gnome-keyring with its login collection locked. Runs last: it
// locks the session's keyring and unlocks it again.
func TestIntegrationKeychainLocked(t *testing.T) {
	requireSession(t)
	ctx := context.Background()
	dir := t.TempDir()
	s := openReal(t, dir)
	name := uniqueName(t, "locked")
	sec := Secrets{Password: randomSecret(t, "pw"), SecurityToken: randomSecret(t, "tok")}
	mustSave(t, s, prof(name), sec)

	conn, err := dbus.SessionBusPrivate()
	if err == nil {
		err = conn.Auth(nil)
	}
	if err == nil {
		err = conn.Hello()
	}
	if err != nil {
		t.Fatalf("session bus: %v", err)
	}
	t.Cleanup(func() { _ = conn.Close() }) // after the cleanup below, which uses conn
	svc := conn.Object("org.freedesktop.secrets", "/org/freedesktop/secrets")
	login := dbus.ObjectPath("/org/freedesktop/secrets/collection/login")
	setPromptDisplay := func(display string) {
		t.Helper()
		err := conn.BusObject().Call("org.freedesktop.DBus.UpdateActivationEnvironment", 0,
			map[string]string{"DISPLAY": display}).Err
		if err != nil {
			t.Fatalf("UpdateActivationEnvironment: %v", err)
		}
	}
	lock := func() {
		t.Helper()
		var locked []dbus.ObjectPath
		var prompt dbus.ObjectPath
		if err := svc.Call("org.freedesktop.Secret.Service.Lock", 0, []dbus.ObjectPath{login}).Store(&locked, &prompt); err != nil {
			t.Fatalf("locking the login collection: %v", err)
		}
		if len(locked) != 1 {
			t.Fatalf("login collection not locked: %v (prompt %s)", locked, prompt)
		}
	}
	unlock := func() {
		var params dbus.Variant
		var session dbus.ObjectPath
		if err := svc.Call("org.freedesktop.Secret.Service.OpenSession", 0, "plain", dbus.MakeVariant("")).Store(&params, &session); err != nil {
			t.Errorf("OpenSession: %v", err)
			return
		}
		type secret struct {
			Session     dbus.ObjectPath
			Parameters  []byte
			Value       []byte
			ContentType string
		}
		// gnome-keyring's own interface for unlocking without a prompt;
		// the password is the throw-away one of test-session.sh.
		err := svc.Call("org.gnome.keyring.InternalUnsupportedGuiltRiddenInterface.UnlockWithMasterPassword", 0,
			login, secret{session, []byte{}, []byte("test-keyring-pw"), "text/plain"}).Err
		if err != nil {
			t.Errorf("unlocking the login collection again: %v", err)
		}
	}
	t.Cleanup(func() {
		unlock()
		setPromptDisplay("")
		// The session's keychain works again.
		if got, err := openReal(t, dir).Secrets(ctx, name); err != nil || got != sec {
			t.Errorf("after unlocking, Secrets = %v", err)
		}
		_ = openReal(t, dir).Delete(ctx, name)
	})

	t.Run("prompt cannot be shown", func(t *testing.T) {
		// No display for the prompter: gnome-keyring reports the unlock
		// prompt as dismissed. A prompter left running by an earlier run
		// in the same session (-count=2) keeps the display it had, and
		// then the call times out instead: Locked either way.
		var prompterRunning bool
		if err := conn.BusObject().Call("org.freedesktop.DBus.NameHasOwner", 0,
			"org.gnome.keyring.SystemPrompter").Store(&prompterRunning); err != nil {
			t.Fatal(err)
		}
		setPromptDisplay("")
		lock()
		const timeout = 5 * time.Second
		s, err := Open(Options{Dir: dir, ReadTimeout: timeout})
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		_, err = s.Secrets(ctx, name)
		took := time.Since(start)
		t.Logf("after %v (prompter already running: %v): %v", took.Round(time.Millisecond), prompterRunning, err)
		ke := asKeychainError(t, err)
		if ke.Kind != KeychainLocked || took > timeout+2*time.Second {
			t.Fatalf("Secrets on a locked keyring = %+v after %v", ke, took)
		}
		if !prompterRunning && (ke.Timeout != 0 || !strings.Contains(err.Error(), "locked and was not unlocked: unlock it")) {
			t.Fatalf("want the dismissed-prompt error, got %v", err)
		}
		unlock()
	})

	t.Run("prompt nobody answers", func(t *testing.T) {
		// The prompter shows an unlock window on the session's X server
		// and waits for ever: the calls time out.
		display := os.Getenv("DISPLAY")
		if display == "" {
			t.Fatal("DISPLAY is not set: test-session.sh should have started Xvfb")
		}
		setPromptDisplay(display)
		lock()
		runHelper(t, "timeout", os.Getenv("DBUS_SESSION_BUS_ADDRESS"), dir, name)
	})
}

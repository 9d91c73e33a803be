package credstore

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// busyWait is how long a test waits for a lock it knows is held: the
// outcome does not depend on it, only how soon the test ends.
const busyWait = 200 * time.Millisecond

// lockFor tries profile name's lock on s for busyWait.
func lockFor(s *Store, name string) (func(), error) {
	ctx, cancel := context.WithTimeout(context.Background(), busyWait)
	defer cancel()
	return s.LockProfile(ctx, name)
}

// wantBusy fails unless err is PROFILE_BUSY for profile, with a message
// and a hint a user can act on.
func wantBusy(t *testing.T, err error, profile string) {
	t.Helper()
	var be *ProfileBusyError
	if !errors.As(err, &be) {
		t.Fatalf("err = %v, want a *ProfileBusyError", err)
	}
	if be.Code() != "PROFILE_BUSY" || be.Hint() == "" || be.Waited < busyWait {
		t.Errorf("code %q, hint %q, waited %v", be.Code(), be.Hint(), be.Waited)
	}
	msg := err.Error()
	for _, want := range []string{fmt.Sprintf("%q", profile), "another AdvoLogix Connect program", be.Path} {
		if !strings.Contains(msg, want) {
			t.Errorf("message %q does not say %q", msg, want)
		}
	}
}

// TestLockProfile: one holder of a profile's lock at a time across
// Stores (as across programs); names that differ in case share it; other
// profiles are not held up; unlock lets the next one in.
func TestLockProfile(t *testing.T) {
	dir, kr := t.TempDir(), newMem()
	a, b := openTest(t, dir, kr), openTest(t, dir, kr)
	unlock, err := a.LockProfile(context.Background(), "jane")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, profile string
		busy          bool
	}{
		{"the same profile", "jane", true},
		{"the same profile in other case", "JANE", true},
		{"another profile", "ann", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			u, err := lockFor(b, tc.profile)
			if tc.busy {
				wantBusy(t, err, tc.profile)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			u()
		})
	}
	unlock()
	u, err := lockFor(b, "jane")
	if err != nil {
		t.Fatalf("after unlock: %v", err)
	}
	u()
	if _, err := b.LockProfile(context.Background(), "bad:name"); !errors.Is(err, ErrInvalid) {
		t.Errorf("an invalid name: %v", err)
	}
}

// TestLockProfileAcrossProcesses: a profile another process holds is
// PROFILE_BUSY; when that process dies (kill -9, TerminateProcess) the
// OS releases the lock and the next program takes it.
func TestLockProfileAcrossProcesses(t *testing.T) {
	if os.Getenv("CREDSTORE_HELPER_LOCK") != "" {
		return
	}
	dir := t.TempDir()
	cmd := helperCmd("TestHelperLockProcess", "CREDSTORE_HELPER_LOCK="+dir)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	defer stdin.Close()
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil || line != "locked\n" {
		t.Fatalf("helper: %q %v", line, err)
	}
	s := openTest(t, dir, newMem())
	_, err = lockFor(s, "jane")
	wantBusy(t, err, "jane")

	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	unlock, err := s.LockProfile(context.Background(), "jane")
	if err != nil {
		t.Fatalf("after the holder died: %v", err)
	}
	unlock()
}

// helperCmd runs this test binary as another process running only test
// (a helper that returns at once unless env is set).
func helperCmd(test, env string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "-test.run=^"+test+"$")
	cmd.Env = append(os.Environ(), env)
	return cmd
}

// TestHelperLockProcess holds profile jane's lock until its standard
// input ends (or it is killed).
func TestHelperLockProcess(t *testing.T) {
	dir := os.Getenv("CREDSTORE_HELPER_LOCK")
	if dir == "" {
		return // only runs as the helper of TestLockProfileAcrossProcesses
	}
	unlock, err := openTest(t, dir, newMem()).LockProfile(context.Background(), "jane")
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	fmt.Println("locked")
	_, _ = io.Copy(io.Discard, os.Stdin)
}

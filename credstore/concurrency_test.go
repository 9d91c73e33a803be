package credstore

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

// Many goroutines on several Stores (the window, the tray, a CLI) sharing
// one folder and one keychain: nothing is lost.
func TestConcurrentSaveFromManyGoroutines(t *testing.T) {
	dir, kr := t.TempDir(), newMem()
	stores := []*Store{openTest(t, dir, kr), openTest(t, dir, kr), openTest(t, dir, kr)}
	const n = 24
	var wg sync.WaitGroup
	errs := make(chan error, 3*n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := stores[i%len(stores)]
			name := fmt.Sprintf("p%02d", i)
			ctx := context.Background()
			if err := s.Save(ctx, prof(name), Secrets{Password: "pw-" + name, SecurityToken: "tok-" + name}); err != nil {
				errs <- err
				return
			}
			if err := s.UpdateSecret(ctx, name, KindRefreshToken, "rt-"+name); err != nil {
				errs <- err
			}
			if i%5 == 0 {
				if err := s.SetDefault(name); err != nil {
					errs <- err
				}
			}
			if _, err := s.Status(ctx); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	s := openTest(t, dir, kr)
	st := mustLoad(t, s)
	if len(st.Profiles) != n {
		t.Fatalf("%d profiles, want %d: a concurrent write was lost", len(st.Profiles), n)
	}
	if _, ok := st.Profile(st.Default); !ok {
		t.Fatalf("default %q is not a profile", st.Default)
	}
	for i := range n {
		name := fmt.Sprintf("p%02d", i)
		want := Secrets{Password: "pw-" + name, SecurityToken: "tok-" + name, RefreshToken: "rt-" + name}
		if got := mustSecrets(t, s, name); got != want {
			t.Errorf("%s: secrets mixed up", name)
		}
	}
}

// Concurrent saves of one profile never mix the secrets of two saves.
func TestConcurrentSavesOfOneProfileStayConsistent(t *testing.T) {
	dir, kr := t.TempDir(), newMem()
	var wg sync.WaitGroup
	for i := range 12 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := openTest(t, dir, kr)
			p := prof("shared")
			p.Username = fmt.Sprintf("user%d", i)
			if err := s.Save(context.Background(), p, Secrets{Password: fmt.Sprint("pw", i), SecurityToken: fmt.Sprint("tok", i)}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	s := openTest(t, dir, kr)
	p := mustProfile(t, s, "shared")
	sec := mustSecrets(t, s, "shared")
	i := strings.TrimPrefix(p.Username, "user")
	if sec.Password != "pw"+i || sec.SecurityToken != "tok"+i || p.Interrupted() {
		t.Fatalf("profile of save %s holds secrets of another save, or is marked", i)
	}
}

// Two processes add profiles to the same settings.json at once.
func TestConcurrentSaveAcrossProcesses(t *testing.T) {
	if os.Getenv("CREDSTORE_HELPER_SAVER") != "" {
		return
	}
	dir := t.TempDir()
	cmd := helperCmd("TestHelperSaverProcess", "CREDSTORE_HELPER_SAVER="+dir)
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := openTest(t, dir, newMem())
	for i := range 15 {
		mustSave(t, s, prof(fmt.Sprintf("parent%d", i)), Secrets{Password: "x"})
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("helper process: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "saver done") {
		t.Fatalf("helper did not run:\n%s", out.String())
	}
	if st := mustLoad(t, s); len(st.Profiles) != 30 {
		t.Fatalf("%d profiles, want 30: a write of one process overwrote the other's", len(st.Profiles))
	}
}

func TestHelperSaverProcess(t *testing.T) {
	dir := os.Getenv("CREDSTORE_HELPER_SAVER")
	if dir == "" {
		return // only runs as the helper of TestConcurrentSaveAcrossProcesses
	}
	s := openTest(t, dir, newMem())
	for i := range 15 {
		mustSave(t, s, prof(fmt.Sprintf("child%d", i)), Secrets{Password: "x"})
	}
	fmt.Println("saver done")
}

// A keychain that never answers: calls give up at the deadline with
// KeychainLocked, and later calls fail at once while the stuck one lasts.
func TestKeychainThatNeverAnswers(t *testing.T) {
	kr := newMem()
	dir := t.TempDir()
	s, err := Open(Options{Dir: dir, Keyring: kr, ReadTimeout: 150 * time.Millisecond, SaveTimeout: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	mustSave(t, s, prof("p"), Secrets{Password: "pw"})
	release := kr.Lock()
	ctx := context.Background()

	start := time.Now()
	_, err = s.Secrets(ctx, "p")
	took := time.Since(start)
	ke := asKeychainError(t, err)
	if ke.Kind != KeychainLocked || ke.Code() != "KEYCHAIN_LOCKED" || ke.Timeout != 150*time.Millisecond {
		t.Fatalf("error = %+v", ke)
	}
	if took < 150*time.Millisecond {
		t.Fatalf("gave up after %v, before its 150ms", took)
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatal("a timeout should match context.DeadlineExceeded")
	}
	if msg := ke.text("linux"); !strings.Contains(msg, "did not answer within 150ms; it is probably locked: unlock it (e.g. log out and in, or open Passwords and Keys) and try again") {
		t.Fatalf("message = %q", msg)
	}

	// The first call is still stuck: the next ones fail fast, without a
	// keychain call of their own (errStuck comes only from the branch that
	// neither waits nor calls; no clock is read, so load cannot fail it).
	for name, op := range map[string]func() error{
		"Probe":   func() error { return s.Probe(ctx) },
		"Secrets": func() error { _, err := s.Secrets(ctx, "p"); return err },
		"Save":    func() error { return s.Save(ctx, prof("p"), Secrets{Password: "x"}) },
	} {
		calls := kr.Calls()
		err := op()
		if ke := asKeychainError(t, err); ke.Kind != KeychainLocked || !errors.Is(err, errStuck) {
			t.Fatalf("%s = %v", name, err)
		}
		if n := kr.Calls() - calls; n != 0 {
			t.Fatalf("%s made %d keychain calls although one was known to be stuck", name, n)
		}
	}

	// Once the keychain answers, everything works again.
	release()
	deadline := time.Now().Add(2 * time.Second)
	for s.Probe(ctx) != nil {
		if time.Now().After(deadline) {
			t.Fatal("the store did not recover")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if got := mustSecrets(t, s, "p"); got.Password == "" {
		t.Fatal("no password after recovery")
	}
}

func TestCallerDeadlineAndCancel(t *testing.T) {
	kr := newMem()
	s := openTest(t, t.TempDir(), kr)
	mustSave(t, s, prof("p"), Secrets{Password: "pw"})
	defer kr.Lock()()

	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	// The caller's shorter deadline is the one the call waited for: the
	// error names it, and it is the caller's context that ran out.
	_, err := s.Secrets(ctx, "p")
	if ke := asKeychainError(t, err); ke.Kind != KeychainLocked || ke.Timeout > 60*time.Millisecond {
		t.Fatalf("err = %+v", ke)
	}
	if !errors.Is(err, context.DeadlineExceeded) || ctx.Err() == nil {
		t.Fatalf("the caller's deadline was not the one honoured: %v (caller's context: %v)", err, ctx.Err())
	}

	s2 := openTest(t, t.TempDir(), kr)
	ctx, cancel = context.WithCancel(context.Background())
	cancel()
	if err := s2.Probe(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled Probe = %v", err)
	}
}

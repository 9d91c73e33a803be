package testfix_test

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	gokeyring "github.com/zalando/go-keyring"

	"github.com/advologix/advologix-connect/internal/testing/sftest"
	"github.com/advologix/advologix-connect/internal/testing/testfix"
)

// The emulator is trusted through its CA file and knows Jane; a PlainHTTP
// one has no CA file; mod changes the org.
func TestStartEmulator(t *testing.T) {
	e := testfix.StartEmulator(t, nil)
	pem, err := os.ReadFile(e.CAFile)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		t.Fatalf("%s holds no certificate", e.CAFile)
	}
	c := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}, Timeout: 10 * time.Second}
	resp, err := c.Get(e.URL() + "/services/data/")
	if err != nil {
		t.Fatalf("the emulator through its CA file: %v", err)
	}
	resp.Body.Close()
	if u, ok := e.User(testfix.JaneUsername); !ok || u.FullName != testfix.JaneFullName || u.SecurityToken != testfix.JaneToken {
		t.Errorf("Jane = %+v, %v", u, ok)
	}

	plain := testfix.StartEmulator(t, func(c *sftest.Config) {
		c.PlainHTTP = true
		c.Users = append(c.Users, sftest.User{Username: "ann@firm.example.com", Password: "pw"})
	})
	if plain.CAFile != "" || !strings.HasPrefix(plain.URL(), "http://") {
		t.Errorf("plain: CA file %q, URL %s", plain.CAFile, plain.URL())
	}
	if _, ok := plain.User("ann@firm.example.com"); !ok {
		t.Error("mod's user is missing")
	}
}

// Each fault of the keyring, and that it ends.
func TestKeyring(t *testing.T) {
	const svc = "svc"
	boom := errors.New("boom")
	kr := testfix.NewKeyring()
	if _, err := kr.Get(svc, "a"); !errors.Is(err, gokeyring.ErrNotFound) {
		t.Fatalf("missing entry: %v", err)
	}
	if err := kr.Delete(svc, "a"); !errors.Is(err, gokeyring.ErrNotFound) {
		t.Fatalf("delete missing: %v", err)
	}
	for _, u := range []string{"b", "a"} {
		if err := kr.Set(svc, u, "secret-"+u); err != nil {
			t.Fatal(err)
		}
	}
	_ = kr.Set("other", "c", "x")
	if got := kr.Accounts(svc); !slices.Equal(got, []string{"a", "b"}) || kr.Len() != 3 {
		t.Errorf("Accounts = %v, Len %d", got, kr.Len())
	}

	kr.FailWith(boom)
	if _, err := kr.Get(svc, "a"); err != boom {
		t.Errorf("FailWith: Get = %v", err)
	}
	if v, ok := kr.Lookup(svc, "a"); !ok || v != "secret-a" {
		t.Errorf("Lookup while failing = %q %v", v, ok)
	}
	kr.FailWith(nil)

	kr.FailSet(func(user string, n int) error {
		if n == 2 {
			return boom
		}
		return nil
	})
	if err := kr.Set(svc, "a", "1"); err != nil {
		t.Errorf("first Set: %v", err)
	}
	if err := kr.Set(svc, "b", "2"); err != boom {
		t.Errorf("second Set = %v, want the refusal", err)
	}
	if v, _ := kr.Lookup(svc, "b"); v != "secret-b" {
		t.Errorf("a refused Set changed the entry to %q", v)
	}
	kr.FailSet(nil)

	unlock := kr.Lock()
	got := make(chan error, 1)
	go func() { _, err := kr.Get(svc, "a"); got <- err }()
	select {
	case err := <-got:
		t.Fatalf("Get answered while locked: %v", err)
	case <-time.After(50 * time.Millisecond):
	}
	unlock()
	unlock()
	if err := <-got; err != nil {
		t.Errorf("Get after unlock: %v", err)
	}
	before := kr.Calls()
	_, _ = kr.Get(svc, "a")
	if kr.Calls() != before+1 {
		t.Errorf("Calls %d after %d and one Get", kr.Calls(), before)
	}
}

// AppEnv drops the harness's variables and gives the app folders of its own.
func TestAppEnv(t *testing.T) {
	t.Setenv("ADVOLOGIX_CLIENT_SECRET", "not-for-the-app")
	t.Setenv("XDG_CONFIG_HOME", "/somewhere/else")
	dir := t.TempDir()
	env := testfix.AppEnv(t, dir)
	vals := map[string][]string{}
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		vals[k] = append(vals[k], v)
	}
	if _, ok := vals["ADVOLOGIX_CLIENT_SECRET"]; ok {
		t.Error("ADVOLOGIX_CLIENT_SECRET reaches the app")
	}
	for k, sub := range map[string]string{"XDG_CONFIG_HOME": "config", "XDG_CACHE_HOME": "cache", "XDG_DATA_HOME": "data", "XDG_STATE_HOME": "state"} {
		want := filepath.Join(dir, sub)
		if !slices.Equal(vals[k], []string{want}) {
			t.Errorf("%s = %v, want only %s", k, vals[k], want)
		}
		if fi, err := os.Stat(want); err != nil || !fi.IsDir() || fi.Mode().Perm() != 0o700 {
			t.Errorf("%s: %v %v", want, fi, err)
		}
	}
	if !slices.Equal(vals["LANG"], []string{"en_US.UTF-8"}) {
		t.Errorf("LANG = %v", vals["LANG"])
	}
}

// recordingTB notes the failures it is given instead of failing.
type recordingTB struct {
	testing.TB
	errs []string
}

func (r *recordingTB) Helper() {}
func (r *recordingTB) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

func TestAssertNoSecretsInDir(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "sub"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "sub", "settings.json"), []byte(`{"password":"Hunter2-secret"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "clean.txt"), []byte("nothing here"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		secrets []string
		want    int
	}{
		{"a secret in a nested file", []string{"Hunter2-secret"}, 1},
		{"absent secrets and the empty one", []string{"other", ""}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &recordingTB{TB: t}
			testfix.AssertNoSecretsInDir(r, dir, tt.secrets...)
			if len(r.errs) != tt.want || tt.want == 1 && !strings.Contains(r.errs[0], "settings.json") {
				t.Errorf("failures %q, want %d naming settings.json", r.errs, tt.want)
			}
		})
	}
}

// TestListening: a port this process listens on is seen, then no longer
// once the listener closes, on both loopback addresses.
func TestListening(t *testing.T) {
	for _, addr := range []string{"127.0.0.1:0", "[::1]:0"} {
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			t.Fatalf("listen %s: %v", addr, err)
		}
		port := ln.Addr().(*net.TCPAddr).Port
		if !testfix.Listening(t, port) {
			t.Errorf("%s: port %d not seen while listening", addr, port)
		}
		ln.Close()
		if testfix.Listening(t, port) {
			t.Errorf("%s: port %d still seen after Close", addr, port)
		}
	}
}

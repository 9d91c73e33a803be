//go:build integration

// The integration tests run against the real Secret Service of the
// throw-away session that scripts/test-session.sh starts:
//
//	scripts/test-session.sh go test -race -tags integration ./internal/connection/
//
// A missing session is a failure, never a skip.

package connection_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/advologix/advologix-connect/credstore"
)

// realKeychainFixture is newFixture with the system keychain of the test
// session instead of the in-memory one.
func realKeychainFixture(t *testing.T) *fixture {
	t.Helper()
	if os.Getenv("ADVOLOGIX_IN_TEST_SESSION") != "1" || os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		t.Fatal("needs the test session with its Secret Service: scripts/test-session.sh go test -tags integration ./internal/connection/")
	}
	f := newFixture(t)
	var err error
	f.store, err = credstore.Open(credstore.Options{Dir: t.TempDir()}) // the system keychain
	if err != nil {
		t.Fatal(err)
	}
	f.kr = nil
	return f
}

// keychainName is a profile name of its own for this run (the system
// keychain outlives the test), deleted with its secrets when t ends.
func (f *fixture) keychainName(t *testing.T, prefix string) string {
	name := prefix + "-" + time.Now().Format("150405.000000")
	t.Cleanup(func() { _ = f.store.Delete(context.Background(), name) })
	return name
}

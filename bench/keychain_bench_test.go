//go:build integration

// Keychain round trip against the real gnome-keyring of the test session:
//
//	scripts/test-session.sh go test -tags integration -run '^$' -bench SaveRead ./bench/

package bench

import (
	"context"
	"testing"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/internal/testing/testfix"
)

// BenchmarkSaveRead saves a SOAP profile (password and security token)
// into the real Secret Service and reads it back: what the app does when a
// person clicks Save and the add-in then picks the credentials up. Target:
// at most 50 ms per op.
func BenchmarkSaveRead(b *testing.B) {
	testfix.RequireSession(b, "go test -tags integration -run '^$' -bench SaveRead ./bench/")
	s, err := credstore.Open(credstore.Options{Dir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	if err := s.Probe(ctx); err != nil {
		b.Fatal(err)
	}
	p := credstore.Profile{
		Name:     "bench",
		LoginURL: "https://login.salesforce.com",
		Username: "bench@example.com",
		Method:   credstore.MethodSOAP,
	}
	sec := credstore.Secrets{Password: "bench-password-0123456789", SecurityToken: "bench-token-ABCDEFGHIJKLMNOPQRSTUVWX"}
	b.Cleanup(func() { _ = s.Delete(context.Background(), p.Name) })
	for b.Loop() {
		if err := s.Save(ctx, p, sec); err != nil {
			b.Fatal(err)
		}
		got, err := s.Secrets(ctx, p.Name)
		if err != nil {
			b.Fatal(err)
		}
		if got != sec {
			b.Fatal("read back differs from what was saved")
		}
	}
}

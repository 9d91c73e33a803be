package connection_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/internal/connection"
	"github.com/advologix/advologix-connect/internal/testing/testfix"
)

func TestStatus(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name     string
		setup    func(t *testing.T, f *fixture)
		code     connection.Code
		profiles int
		complete bool
	}{
		{"none saved", func(*testing.T, *fixture) {}, connection.CodeProfileNotFound, 0, true},
		{"complete", func(t *testing.T, f *fixture) {
			f.save(t, f.profile("jane", credstore.MethodSOAP, jane), janeSecrets)
		}, "", 1, true},
		{"a secret missing", func(t *testing.T, f *fixture) {
			f.save(t, f.profile("jane", credstore.MethodSOAP, jane), janeSecrets)
			if err := f.kr.Delete(credstore.Service, credstore.Account("jane", credstore.KindPassword)); err != nil {
				t.Fatal(err)
			}
		}, "", 1, false},
		{"no keychain", func(t *testing.T, f *fixture) {
			f.save(t, f.profile("jane", credstore.MethodSOAP, jane), janeSecrets)
			f.kr.FailWith(testfix.ErrNoService)
		}, connection.CodeKeychainUnavailable, -1, false},
		{"settings damaged", func(t *testing.T, f *fixture) {
			if err := os.MkdirAll(filepath.Dir(f.store.Path()), 0o700); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(f.store.Path(), []byte("{not json"), 0o600); err != nil {
				t.Fatal(err)
			}
		}, connection.CodeSettingsCorrupt, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			tt.setup(t, f)
			rep := connection.Status(ctx, f.store)
			if rep.Code != tt.code || rep.SettingsPath != f.store.Path() || rep.Complete() != tt.complete {
				t.Errorf("code %q complete %v, want %q %v: %+v", rep.Code, rep.Complete(), tt.code, tt.complete, rep)
			}
			if tt.profiles >= 0 && len(rep.Profiles) != tt.profiles {
				t.Errorf("%d profiles, want %d", len(rep.Profiles), tt.profiles)
			}
			if !rep.OK() && (rep.Hint == "" || rep.Headline == "") {
				t.Errorf("no headline or hint: %+v", rep.Outcome)
			}
		})
	}
}

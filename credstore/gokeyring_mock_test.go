//go:build !integration

// go-keyring's mock replaces its provider for the whole process and cannot
// be undone, so this file stays out of integration builds, where the real
// Secret Service is tested instead.

package credstore

import (
	"context"
	"errors"
	"testing"

	gokeyring "github.com/zalando/go-keyring"
)

// The default Keyring is go-keyring; its mock stands in for the OS here
// (the real Secret Service is covered by the integration tests).
func TestSystemKeyringThroughGoKeyringMock(t *testing.T) {
	gokeyring.MockInit()
	t.Cleanup(gokeyring.MockInit)
	s, err := Open(Options{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	mustSave(t, s, prof("m"), Secrets{Password: "pw", ClientSecret: "cs"})
	if v, err := gokeyring.Get(Service, "m:password"); err != nil || v != "pw" {
		t.Fatalf("go-keyring sees %q, %v", v, err)
	}
	if got := mustSecrets(t, s, "m"); got != (Secrets{Password: "pw", ClientSecret: "cs"}) {
		t.Fatal("round trip through go-keyring failed")
	}
	if err := s.Probe(ctx); err != nil {
		t.Fatalf("Probe = %v", err)
	}
	mustDelete(t, s, "m")
	if _, err := gokeyring.Get(Service, "m:password"); !errors.Is(err, gokeyring.ErrNotFound) {
		t.Fatalf("entry left behind: %v", err)
	}

	for _, tc := range []struct {
		err  error
		kind KeychainErrKind
	}{
		{gokeyring.ErrSetDataTooBig, KeychainTooBig},
		{gokeyring.ErrUnsupportedPlatform, KeychainUnavailable},
		{errors.New("something else"), KeychainOther},
	} {
		gokeyring.MockInitWithError(tc.err)
		err := s.Save(ctx, prof("m"), Secrets{Password: "pw"})
		ke := asKeychainError(t, err)
		if ke.Kind != tc.kind || !errors.Is(err, tc.err) || ke.Op != "save" || ke.Account != "m:password" {
			t.Errorf("go-keyring error %v became %+v", tc.err, ke)
		}
		if tc.kind == KeychainTooBig && ke.Size != 2 {
			t.Errorf("Size = %d", ke.Size)
		}
	}
}

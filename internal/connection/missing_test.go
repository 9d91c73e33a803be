package connection

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/internal/testing/testfix"
)

// TestSecretsMissingSaysItOnce: when the keychain lost a saved profile's
// secrets, the outcome's message names the profile once, not
// `profile "pw": profile "pw": …`.
func TestSecretsMissingSaysItOnce(t *testing.T) {
	kr := testfix.NewKeyring()
	st, err := credstore.Open(credstore.Options{Dir: t.TempDir(), Keyring: kr, ReadTimeout: 2 * time.Second, SaveTimeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	p := credstore.Profile{Name: "pw", LoginURL: "https://login.salesforce.com", Username: "jane@firm.com", Method: credstore.MethodSOAP}
	if err := st.Save(context.Background(), p, credstore.Secrets{Password: "pw-1", SecurityToken: "tok"}); err != nil {
		t.Fatal(err)
	}
	if err := kr.Delete(credstore.Service, credstore.Account("pw", credstore.KindPassword)); err != nil {
		t.Fatal(err)
	}
	_, _, o := login(context.Background(), st, p, time.Second)
	if o == nil || o.Code != CodeSecretsMissing {
		t.Fatalf("outcome = %+v, want %s", o, CodeSecretsMissing)
	}
	if n := strings.Count(o.Message, `profile "pw"`); n != 1 {
		t.Errorf("message names the profile %d times: %q", n, o.Message)
	}
}

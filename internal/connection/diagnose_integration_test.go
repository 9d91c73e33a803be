//go:build integration

package connection_test

import (
	"context"
	"os/exec"
	"strings"
	"testing"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/internal/connection"
)

func TestDiagnoseAndSessionWithRealKeychain(t *testing.T) {
	f := realKeychainFixture(t)
	ctx := context.Background()
	pw := f.profile(f.keychainName(t, "diag-pw"), credstore.MethodSOAP, jane)
	bp := f.profile(f.keychainName(t, "diag-browser"), credstore.MethodOAuthBrowser, jane)
	f.save(t, pw, credstore.Secrets{Password: janePass, SecurityToken: janeToken})
	refresh, err := f.srv.BrowserSignIn(jane, clientID, redirect)
	if err != nil {
		t.Fatal(err)
	}
	f.save(t, bp, credstore.Secrets{RefreshToken: refresh})
	// A stale token, for Login History to show.
	if out := f.service().Test(ctx, pw, credstore.Secrets{Password: janePass, SecurityToken: staleTok}); out.OK() {
		t.Fatal("stale token accepted")
	}

	rep := connection.Diagnose(ctx, connection.DiagnoseOptions{Store: f.store, Profile: pw.Name, Login: true, Version: "it"})
	wantCheck(t, rep, "keychain", connection.CheckOK, "wrote, read back and deleted a throw-away entry in the Secret Service keyring")
	wantCheck(t, rep, "login:"+pw.Name, connection.CheckOK, "Jane Doe")
	wantCheck(t, rep, "login_history", connection.CheckOK, "Failed: API security token required")
	wantCheck(t, rep, "settings", connection.CheckOK, "file 0600")
	if rep.Failed != 0 {
		t.Errorf("%s", rep.Text())
	}
	// The throw-away entry is gone from the real keyring.
	out, err := exec.Command("secret-tool", "search", "--all", "service", credstore.Service).CombinedOutput()
	if err != nil || !strings.Contains(string(out), pw.Name+":password") {
		t.Fatalf("secret-tool search does not list the saved entries: %v\n%s", err, out)
	}
	if strings.Contains(string(out), ":diagnose-") {
		t.Errorf("a throw-away diagnose entry was left in the keyring:\n%s", out)
	}
	sec, _ := f.store.Secrets(ctx, bp.Name)
	assertNoSecrets(t, rep, janePass, janeToken, staleTok, refresh, sec.RefreshToken)

	// A session from each profile; the browser profile's rotated refresh
	// token lands in the real keyring.
	for _, p := range []credstore.Profile{pw, bp} {
		before, _ := f.store.Secrets(ctx, p.Name)
		out := f.service().Session(ctx, p.Name)
		if !out.OK() || rotationWarning(out.Outcome) || restWorks(t, f.srv, out.Session) != 200 {
			t.Fatalf("%s: %+v", p.Name, out)
		}
		after, err := f.store.Secrets(ctx, p.Name)
		if p.Method == credstore.MethodOAuthBrowser && (err != nil || after.RefreshToken == before.RefreshToken || after.RefreshToken == "") {
			t.Errorf("the rotated refresh token was not kept in the keyring: %v", err)
		}
	}
}

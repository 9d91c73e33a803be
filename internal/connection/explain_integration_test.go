//go:build integration

package connection_test

import (
	"context"
	"strings"
	"testing"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/sfclient"
)

func TestExplainWithRealKeychain(t *testing.T) {
	f := realKeychainFixture(t)
	ctx := context.Background()
	pw := f.profile(f.keychainName(t, "explain-pw"), credstore.MethodSOAP, jane)
	f.save(t, pw, credstore.Secrets{Password: janePass, SecurityToken: staleTok})

	// No browser profile yet: the check's result as before, no query.
	_, ex := checkSavedAndExplain(f, pw.Name)
	if ex.Queried || ex.Result.Code != sfclient.CodeInvalidLogin || len(f.srv.HistoryQueries()) != 0 {
		t.Fatalf("without a session: %+v", ex)
	}

	refresh, err := f.srv.BrowserSignIn(jane, clientID, redirect)
	if err != nil {
		t.Fatal(err)
	}
	bp := f.profile(f.keychainName(t, "explain-browser"), credstore.MethodOAuthBrowser, jane)
	f.save(t, bp, credstore.Secrets{RefreshToken: refresh})
	_, ex = checkSavedAndExplain(f, pw.Name)
	if ex.Status != "Failed: API security token required" || ex.Result.Suspect != sfclient.FieldToken || !strings.Contains(ex.Result.Hint, "Reset My Security Token") {
		t.Fatalf("with a session: %+v", ex)
	}
	sec, err := f.store.Secrets(ctx, bp.Name)
	if err != nil || sec.RefreshToken == refresh || sec.RefreshToken == "" {
		t.Errorf("the rotated refresh token did not reach the keychain: %v", err)
	}
}

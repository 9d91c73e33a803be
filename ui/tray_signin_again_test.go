package ui

import (
	"strings"
	"testing"
	"time"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/internal/connection"
	"github.com/advologix/advologix-connect/sfclient"
)

// TestDeriveTraySignInAgain: a browser profile whose refresh token
// Salesforce refused shows red, and its line, tooltip and notification say
// to sign in again; the same refusal of a password profile (a wrong
// password through a connected app) and a browser profile saved again
// since do not.
func TestDeriveTraySignInAgain(t *testing.T) {
	at := time.Date(2027, 3, 1, 9, 30, 0, 0, time.Local)
	browser := credstore.Profile{Name: "default", Username: jane, Method: credstore.MethodOAuthBrowser, Generation: 3}
	password := credstore.Profile{Name: "default", Username: jane, Method: credstore.MethodOAuthPassword, Generation: 3}
	refused := sfclient.Result{Code: sfclient.CodeOAuthInvalidGrant, Headline: "Browser sign-in has expired or was revoked"}
	for _, tc := range []struct {
		name    string
		p       credstore.Profile
		tested  connection.Tested
		again   bool
		status  trayStatus
		linePre string
	}{
		{"browser sign-in refused", browser, connection.Failing, true, statusFailing, "Sign in again"},
		{"password refused", password, connection.Failing, false, statusFailing, "Not connected: "},
		{"signed in again since", browser, connection.ChangedSinceTest, false, statusUnknown, lineChanged},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ps := connection.ProfileState{Profile: tc.p, Default: true, Tested: tc.tested, At: at, Result: refused}
			if ps.SignInAgain() != tc.again {
				t.Fatalf("SignInAgain() = %v", !tc.again)
			}
			v := deriveTray(connection.State{Default: "default", Profiles: []connection.ProfileState{ps}}, trayLocal{})
			if v.status != tc.status || !strings.HasPrefix(v.line, tc.linePre) || v.tooltip != appName+"\n"+v.line {
				t.Errorf("status %v line %q tooltip %q", v.status, v.line, v.tooltip)
			}
			if tc.again && (!strings.Contains(v.notice.Title, "sign in again") || !v.notice.Failing || !strings.Contains(v.tooltip, "Sign in again")) {
				t.Errorf("notice %+v", v.notice)
			}
		})
	}
}

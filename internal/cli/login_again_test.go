package cli_test

import (
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/internal/cli"
)

// login --browser --profile NAME on a saved browser profile signs in to
// it again where and as it was saved (its refresh token expired or was
// revoked): no --login-url needed, its settings kept; a flag given
// replaces its setting. Without a saved profile it asks for --login-url.
func TestLoginBrowserSignsInAgainToASavedProfile(t *testing.T) {
	emu, pe := switchEnv(t, "")
	var opened atomic.Int32
	if r := switchRun(t, emu, pe, &opened, "--client-id", browserApp); r.code != cli.ExitOK {
		t.Fatalf("switch to browser sign-in: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	first := refreshToken(t, pe)

	r := switchRun(t, emu, pe, &opened)
	if r.code != cli.ExitOK || !strings.Contains(r.stdout, `Saved profile "firm"`) {
		t.Fatalf("sign in again: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if n := opened.Load(); n != 2 {
		t.Errorf("browser opened %d times for a switch and one sign-in again; want 2", n)
	}
	p, err := pe.openStore(t).Profile("firm")
	if err != nil {
		t.Fatal(err)
	}
	if p.LoginMethod() != credstore.MethodOAuthBrowser || p.LoginURL != emu.URL() || p.CAFile != emu.CAFile || p.APIVersion != "62.0" ||
		p.ClientID != browserApp || !slices.Equal(p.Secrets, []string{credstore.KindRefreshToken}) {
		t.Errorf("profile after signing in again: %+v", p)
	}
	if again := refreshToken(t, pe); again == "" || again == first {
		t.Errorf("the refresh token was not replaced by the new sign-in's")
	}

	if r := switchRun(t, emu, pe, &opened, "--api-version", "61.0"); r.code != cli.ExitOK {
		t.Fatalf("sign in again with --api-version: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if p, err := pe.openStore(t).Profile("firm"); err != nil || p.APIVersion != "61.0" || p.LoginURL != emu.URL() {
		t.Errorf("--api-version 61.0 on signing in again: %+v, %v", p, err)
	}

	none := pe.run(t, "", "login", "--browser", "--profile", "nobody", "--client-id", browserApp)
	if none.code != cli.ExitUsage || !strings.Contains(none.stderr, "--login-url") || opened.Load() != 3 {
		t.Errorf("login --browser on no saved profile: exit %d, browser opened %d times in all\n%s", none.code, opened.Load(), none.stderr)
	}
}

// refreshToken is profile firm's refresh token in the keychain.
func refreshToken(t *testing.T, pe *profileEnv) string {
	t.Helper()
	v, ok := pe.kr.Lookup(credstore.Service, "firm:"+credstore.KindRefreshToken)
	if !ok {
		t.Fatal("no refresh token saved for profile firm")
	}
	return v
}

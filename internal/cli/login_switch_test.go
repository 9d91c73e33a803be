package cli_test

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/internal/cli"
	"github.com/advologix/advologix-connect/internal/testing/sftest"
	"github.com/advologix/advologix-connect/internal/testing/testfix"
)

// switchEnv is Jane's saved password profile "firm" (SOAP, with the
// emulator's CA file and API version 62.0) and an emulator whose browser
// sign-in approves as authorizeAs.
func switchEnv(t *testing.T, authorizeAs string) (*testfix.Emulator, *profileEnv) {
	t.Helper()
	emu := testfix.StartEmulator(t, func(c *sftest.Config) {
		c.OrgName = "Firm LLP"
		c.Users = []sftest.User{{Username: user, Password: pass, SecurityToken: token, FullName: "Jane Doe"},
			{Username: "ann@firm.example.com", Password: "ann-pass", SecurityToken: "AnnTokenAnnTokenAnnToken", FullName: "Ann Other"}}
		c.Apps = []sftest.App{{ClientID: browserApp, RedirectURIs: []string{browserRedirect}, AnyLoopbackPort: true, RequirePKCE: true}}
		c.AuthorizeAs = authorizeAs
	})
	pe := newProfileEnv(t)
	r := pe.run(t, pass+"\n"+token+"\n", "login", "--profile", "firm", "--login-url", emu.URL(), "--username", user,
		"--password-stdin", "--ca-file", emu.CAFile, "--api-version", "62.0")
	if r.code != cli.ExitOK {
		t.Fatalf("saving the password profile: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	return emu, pe
}

// switchRun runs login --browser on the profile env with the emulator's
// browser; opened counts the browsers opened.
func switchRun(t *testing.T, emu *testfix.Emulator, pe *profileEnv, opened *atomic.Int32, args ...string) run {
	t.Helper()
	var out, errb bytes.Buffer
	e := cli.Env{
		Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb,
		StdinIsTerminal: func() bool { return false },
		Getenv:          func(string) string { return "" },
		OpenStore:       pe.storeHook(2*time.Second, 2*time.Second),
		OpenBrowser: func(u string) error {
			opened.Add(1)
			return emu.Browser(nil, nil)(u)
		},
	}
	code := cli.Run(context.Background(), e, append([]string{"login", "--browser", "--profile", "firm", "--callback-port", "0"}, args...))
	return run{code, out.String(), errb.String()}
}

// Issue #19: login --browser --profile NAME on a saved password profile
// switches it to browser sign-in, keeps its settings and deletes the
// password and security token; status then no longer asks to switch.
func TestLoginBrowserSwitchesAPasswordProfile(t *testing.T) {
	emu, pe := switchEnv(t, "")
	before := pe.run(t, "", "status")
	if !strings.Contains(before.stdout, "Summer '27") || !strings.Contains(before.stdout, "login --browser --profile firm") {
		t.Errorf("status of a password profile does not say when it stops and how to switch:\n%s", before.stdout)
	}
	if js := pe.run(t, "", "status", "--json"); !strings.Contains(js.stdout, `"password_login_ends":"Summer '27"`) {
		t.Errorf("status --json of a password profile:\n%s", js.stdout)
	}
	var opened atomic.Int32
	r := switchRun(t, emu, pe, &opened, "--client-id", browserApp)
	if r.code != cli.ExitOK || !strings.Contains(r.stdout, "password and security token are deleted") || !strings.Contains(r.stderr, "Switching profile \"firm\"") {
		t.Fatalf("switch: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	p, err := pe.openStore(t).Profile("firm")
	if err != nil {
		t.Fatal(err)
	}
	if p.LoginMethod() != credstore.MethodOAuthBrowser || p.LoginURL != emu.URL() || p.CAFile != emu.CAFile || p.APIVersion != "62.0" ||
		p.Username != user || p.ClientID != browserApp || !slices.Equal(p.Secrets, []string{credstore.KindRefreshToken}) {
		t.Errorf("switched profile: %+v", p)
	}
	if slices.Contains(pe.kr.Values(), pass) || slices.Contains(pe.kr.Values(), token) {
		t.Error("the password or security token is still in the keychain")
	}
	after := pe.run(t, "", "status")
	if after.code != cli.ExitOK || strings.Contains(after.stdout, "switch it to browser sign-in") ||
		strings.Contains(pe.run(t, "", "status", "--json").stdout, "password_login_ends") {
		t.Errorf("status after the switch: exit %d\n%s", after.code, after.stdout)
	}
	if c := pe.run(t, "", "check", "--profile", "firm"); c.code != cli.ExitOK {
		t.Errorf("check after the switch: exit %d\n%s%s", c.code, c.stdout, c.stderr)
	}
}

// A browser sign-in as someone else changes nothing; a flag the switch
// would ignore is refused before any browser opens.
func TestLoginBrowserSwitchRefusals(t *testing.T) {
	tests := []struct {
		name        string
		authorizeAs string
		args        []string
		code        int
		says        string
		browsers    int32
	}{
		{"another user", "ann@firm.example.com", []string{"--client-id", browserApp}, cli.ExitFail, "signed in as someone else: nothing changed", 1},
		{"a setting the switch keeps", "", []string{"--client-id", browserApp, "--login-url", "https://login.salesforce.com"}, cli.ExitUsage, "--login-url is not taken", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			emu, pe := switchEnv(t, tc.authorizeAs)
			before, _ := pe.openStore(t).Profile("firm")
			keys := slices.Sorted(slices.Values(pe.kr.Values()))
			var opened atomic.Int32
			r := switchRun(t, emu, pe, &opened, tc.args...)
			if r.code != tc.code || !strings.Contains(r.stderr, tc.says) || opened.Load() != tc.browsers {
				t.Fatalf("exit %d, %d browsers, want %d, %d, %q:\n%s%s", r.code, opened.Load(), tc.code, tc.browsers, tc.says, r.stdout, r.stderr)
			}
			after, _ := pe.openStore(t).Profile("firm")
			if after.Generation != before.Generation || after.LoginMethod() != credstore.MethodSOAP ||
				!slices.Equal(slices.Sorted(slices.Values(pe.kr.Values())), keys) {
				t.Errorf("something changed: %+v", after)
			}
		})
	}
}

// With no client id anywhere the switch says what is missing, before any
// browser opens, and changes nothing.
func TestLoginBrowserSwitchWithoutClientID(t *testing.T) {
	emu, pe := switchEnv(t, "")
	before, _ := pe.openStore(t).Profile("firm")
	var opened atomic.Int32
	r := switchRun(t, emu, pe, &opened)
	if r.code != cli.ExitUsage || !strings.Contains(r.stderr, "consumer key") || opened.Load() != 0 {
		t.Fatalf("exit %d, %d browsers:\n%s%s", r.code, opened.Load(), r.stdout, r.stderr)
	}
	if after, _ := pe.openStore(t).Profile("firm"); after.Generation != before.Generation || after.LoginMethod() != credstore.MethodSOAP {
		t.Errorf("the profile changed: %+v", after)
	}
}

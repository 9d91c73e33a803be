//go:build disttest

package packaging

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/advologix/advologix-connect/internal/testing/testfix"
	"github.com/advologix/advologix-connect/internal/testing/wintest"
)

const policyKey = `HKLM\SOFTWARE\Policies\AdvoLogix\Connect`

// The MSI under Wine: silent per-machine install over a package of the
// single-exe versions (Program Files, one Start-menu shortcut, now to the
// desktop program, Apps & features), the installed command line's version
// and check against the emulator, the registry policy (HKLM above HKCU,
// the .reg example), a newer MSI replacing it, and a silent uninstall
// that leaves nothing.
func TestMSIUnderWine(t *testing.T) {
	msi := one(t, "AdvoLogix-Connect-*-x64.msi")
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	w, err := wintest.New(ctx, filepath.Join(t.TempDir(), "prefix"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Shutdown)
	wine := func(args ...string) (string, string, int) {
		t.Helper()
		o, e, code, err := w.Output(ctx, args[0], args[1:]...)
		if err != nil {
			t.Fatalf("wine %v: %v\n%s%s", args, err, o, e)
		}
		return o, e, code
	}
	mustWine := func(args ...string) string {
		t.Helper()
		o, e, code := wine(args...)
		if code != 0 {
			t.Fatalf("wine %v: exit %d\n%s%s", args, code, o, e)
		}
		return o
	}
	productCode := func(msi string) string {
		m := regexp.MustCompile(`ProductCode\t(\{[0-9A-F-]+\})`).FindStringSubmatch(run(t, "msiinfo", "export", msi, "Property"))
		if m == nil {
			t.Fatalf("no ProductCode in %s", msi)
		}
		return m[1]
	}
	uninstallKey := func(code string) string {
		return `HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall\` + code
	}

	drive := filepath.Join(w.Prefix, "drive_c")
	exe := filepath.Join(drive, "Program Files", "AdvoLogix Connect", "advologix-connect.exe")
	desktopExe := filepath.Join(drive, "Program Files", "AdvoLogix Connect", "AdvoLogix Connect.exe")

	// A user of the single-exe versions: its shortcut leads to
	// advologix-connect.exe, the one exe there was.
	single := filepath.Join(t.TempDir(), "single.msi")
	buildMSI(t, ctx, single, "0.0.1", "testdata/single-exe.wxs")
	mustWine("msiexec", "/i", wintest.WinPath(single), "/qn")
	if lnks := shortcuts(t, w); len(lnks) != 1 || !lnkTargets(t, lnks[0], "advologix-connect.exe") {
		t.Fatalf("the single-exe package's shortcut: %v", lnks)
	}

	mustWine("msiexec", "/i", wintest.WinPath(msi), "/qn")
	for _, f := range []string{exe, desktopExe} {
		if _, err := os.Stat(f); err != nil {
			t.Fatalf("after the silent install: %v", err)
		}
	}
	// One shortcut, the same name as before, now to the desktop program.
	lnks := shortcuts(t, w)
	if len(lnks) != 1 {
		t.Fatalf("Start-menu shortcuts after the upgrade: %v, want one", lnks)
	}
	lnk := lnks[0]
	t.Logf("Start-menu shortcut: %s", lnk)
	if !lnkTargets(t, lnk, "AdvoLogix Connect.exe") || lnkTargets(t, lnk, "advologix-connect.exe") {
		t.Error(`the shortcut does not lead to "AdvoLogix Connect.exe" (the desktop program) alone`)
	}
	if _, ok, _ := w.RegQuery(ctx, uninstallKey(productCode(single)), "DisplayName"); ok {
		t.Error("the single-exe version is still listed after the upgrade")
	}
	code1 := productCode(msi)
	if name, ok, err := w.RegQuery(ctx, uninstallKey(code1), "DisplayName"); err != nil || !ok || name != "AdvoLogix Connect" {
		t.Errorf("Apps & features entry: %q %v %v", name, ok, err)
	}
	o, e, code := wine(desktopExe, "version")
	if code != 0 || !strings.HasPrefix(o, "advologix-connect-desktop ") {
		t.Errorf("installed desktop program version: exit %d %q %q", code, o, e)
	}

	o, e, code = wine(exe, "version")
	if code != 0 || !strings.HasPrefix(o, "advologix-connect ") {
		t.Errorf("installed exe version: exit %d %q %q", code, o, e)
	}

	srv := testfix.StartEmulator(t, nil)
	ca := wintest.WinPath(srv.CAFile)
	check := func(stdin string, args ...string) (map[string]any, int, string) {
		t.Helper()
		cmd := w.Command(ctx, exe, append([]string{"check", "--json"}, args...)...)
		cmd.Stdin = strings.NewReader(stdin)
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		err := cmd.Run()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(out.Bytes(), &m); err != nil {
			t.Fatalf("check: not JSON (exit %d): %q %q", code, out.String(), errb.String())
		}
		return m, code, errb.String()
	}
	m, code, _ := check(pass+"\n"+token+"\n", "--login-url", srv.URL(), "--username", user, "--password-stdin", "--ca-file", ca)
	if code != 0 || m["ok"] != true || m["user_full_name"] != "Jane Doe" {
		t.Errorf("installed exe check: exit %d %v", code, m)
	}
	m, code, _ = check(pass+"\nWrongToken\n", "--login-url", srv.URL(), "--username", user, "--password-stdin", "--ca-file", ca)
	if code != 1 || m["code"] != "INVALID_LOGIN" {
		t.Errorf("check with a wrong token: exit %d %v", code, m)
	}

	// Policy: HKLM locks the login URL and the CA file; HKCU's own login
	// URL loses to it, its proxy (not set in HKLM) applies.
	for _, v := range [][3]string{{"login_url", "REG_SZ", srv.URL()}, {"ca_file", "REG_SZ", ca}, {"locked", "REG_MULTI_SZ", `login_url\0ca_file`},
		{"methods", "REG_MULTI_SZ", `soap\0oauth-browser`}, {"start_in_tray", "REG_DWORD", "1"}} {
		if err := w.RegAdd(ctx, policyKey, v[0], v[1], v[2]); err != nil {
			t.Fatal(err)
		}
	}
	userKey := strings.Replace(policyKey, "HKLM", "HKCU", 1)
	for _, v := range [][3]string{{"login_url", "REG_SZ", "https://test.salesforce.com"}, {"check_interval", "REG_SZ", "2h"}} {
		if err := w.RegAdd(ctx, userKey, v[0], v[1], v[2]); err != nil {
			t.Fatal(err)
		}
	}
	st := status(t, w, ctx, exe)
	if !st.Policy.Applied || strings.Join(st.Policy.Sources, ";") != policyKey+";"+userKey ||
		st.Policy.Values.LoginURL != srv.URL() || st.Policy.Values.CheckInterval != "2h" || st.Policy.Values.CAFile != ca ||
		strings.Join(st.Policy.Values.Methods, ",") != "soap,oauth-browser" || st.Policy.Values.StartInTray == nil || !*st.Policy.Values.StartInTray ||
		strings.Join(st.Policy.Locked, ",") != "login_url,ca_file" {
		t.Errorf("status --json policy: %+v values %+v", st.Policy, st.Policy.Values)
	}
	// A contradicting flag: exit 2, naming the policy; nothing sent.
	srv.ResetRequests()
	m, code, _ = check(pass+"\n"+token+"\n", "--login-url", "https://login.salesforce.com", "--username", user, "--password-stdin")
	if code != 2 || m["code"] != "POLICY_LOCKED" || !strings.Contains(m["message"].(string), policyKey) {
		t.Errorf("a flag against the locked login URL: exit %d %v", code, m)
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("the refused check sent %d requests", n)
	}
	// No flags: the policy's login URL and CA file.
	m, code, _ = check(pass+"\n"+token+"\n", "--username", user, "--password-stdin")
	if code != 0 || m["ok"] != true || m["login_url"] != srv.URL() {
		t.Errorf("check with the policy's login URL and CA file: exit %d %v", code, m)
	}

	// The README's .reg example imports and reads as documented.
	mustWine("reg", "delete", policyKey, "/f")
	mustWine("reg", "delete", userKey, "/f")
	mustWine("regedit", "/S", wintest.WinPath("policy/advologix-connect-policy.reg"))
	st = status(t, w, ctx, exe)
	if st.Policy.Values.LoginURL != "https://yourfirm.my.salesforce.com" || strings.Join(st.Policy.Values.Methods, ",") != "oauth-browser,soap" ||
		strings.Join(st.Policy.Locked, ",") != "login_url,client_id,start_in_tray" || st.Policy.Values.StartInTray == nil || !*st.Policy.Values.StartInTray {
		t.Errorf("the .reg example: %+v values %+v", st.Policy, st.Policy.Values)
	}
	mustWine("reg", "delete", policyKey, "/f")

	// A newer MSI replaces this one: one Apps & features entry.
	newer := filepath.Join(t.TempDir(), "newer.msi")
	buildMSI(t, ctx, newer, "99.0.0", "")
	mustWine("msiexec", "/i", wintest.WinPath(newer), "/qn")
	code2 := productCode(newer)
	if _, ok, _ := w.RegQuery(ctx, uninstallKey(code1), "DisplayName"); ok {
		t.Error("the older version is still listed after the upgrade")
	}
	if v, ok, _ := w.RegQuery(ctx, uninstallKey(code2), "DisplayVersion"); !ok || v != "99.0.0" {
		t.Errorf("the newer version is not listed: %q %v", v, ok)
	}
	for _, f := range []string{exe, desktopExe} {
		if _, err := os.Stat(f); err != nil {
			t.Errorf("after the upgrade: %v", err)
		}
	}
	if n := len(shortcuts(t, w)); n != 1 {
		t.Errorf("%d Start-menu shortcuts after the upgrade, want 1", n)
	}

	mustWine("msiexec", "/x", code2, "/qn")
	for _, f := range []string{exe, desktopExe, lnk, filepath.Dir(exe)} {
		if _, err := os.Stat(f); err == nil {
			t.Errorf("%s is left after the uninstall", f)
		}
	}
	if _, ok, _ := w.RegQuery(ctx, uninstallKey(code2), "DisplayName"); ok {
		t.Error("still in Apps & features after the uninstall")
	}
}

type statusOut struct {
	Policy struct {
		Applied bool     `json:"applied"`
		Sources []string `json:"sources"`
		Locked  []string `json:"locked"`
		Error   string   `json:"error"`
		Values  struct {
			LoginURL      string   `json:"login_url"`
			CAFile        string   `json:"ca_file"`
			CheckInterval string   `json:"check_interval"`
			Methods       []string `json:"methods"`
			StartInTray   *bool    `json:"start_in_tray"`
		} `json:"values"`
	} `json:"policy"`
}

func status(t *testing.T, w *wintest.Wine, ctx context.Context, exe string) statusOut {
	t.Helper()
	o, e, _, err := w.Output(ctx, exe, "status", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var st statusOut
	if err := json.Unmarshal([]byte(o), &st); err != nil {
		t.Fatalf("status --json: %v: %q %q", err, o, e)
	}
	return st
}

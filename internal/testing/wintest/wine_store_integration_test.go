//go:build integration

package wintest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/advologix/advologix-connect/internal/testing/testfix"
)

// credential is what winhelper reads back with CredReadW.
func credential(t *testing.T, target string) (found bool, userName, digest string) {
	t.Helper()
	out, errOut, code, err := suite.wine.Output(context.Background(), suite.helper, "get", target)
	if err != nil {
		t.Fatal(err)
	}
	switch code {
	case 3:
		return false, "", ""
	case 0:
	default:
		t.Fatalf("winhelper get %s: exit %d %s%s", target, code, out, errOut)
	}
	f := strings.Fields(out)
	if len(f) != 4 || f[0] != "found" {
		t.Fatalf("winhelper get %s: %q", target, out)
	}
	return true, f[1], f[2]
}

func targets(t *testing.T) []string {
	t.Helper()
	out, errOut, code, err := suite.wine.Output(context.Background(), suite.helper, "list", credPrefix+"*")
	if err != nil || code != 0 {
		t.Fatalf("winhelper list: %v exit %d %s", err, code, errOut)
	}
	list := strings.Fields(out)
	sort.Strings(list)
	return list
}

func sha(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// settingsFile is %AppData%\advologix-connect\settings.json in the prefix.
func settingsFile() string {
	return filepath.Join(suite.wine.AppData(), "advologix-connect", "settings.json")
}

type settings struct {
	Default  string `json:"default"`
	Profiles []struct {
		Name    string   `json:"name"`
		Secrets []string `json:"secrets"`
	} `json:"profiles"`
}

func readSettings(t *testing.T) settings {
	t.Helper()
	data, err := os.ReadFile(settingsFile())
	if err != nil {
		t.Fatalf("settings.json is not under %%AppData%%\\advologix-connect: %v", err)
	}
	var s settings
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatalf("settings.json: %v\n%s", err, data)
	}
	return s
}

func profileNames(s settings) []string {
	var names []string
	for _, p := range s.Profiles {
		names = append(names, p.Name)
	}
	sort.Strings(names)
	return names
}

// noPlaintext fails if any file of the prefix holds secret, as UTF-8 or
// UTF-16LE.
func noPlaintext(t *testing.T, secrets ...string) {
	t.Helper()
	var needles [][]byte
	for _, s := range secrets {
		needles = append(needles, []byte(s))
		var u16 []byte
		for _, r := range utf16.Encode([]rune(s)) {
			u16 = append(u16, byte(r), byte(r>>8))
		}
		needles = append(needles, u16)
	}
	files := 0
	err := filepath.WalkDir(suite.wine.Prefix, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !d.Type().IsRegular() {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return nil
		}
		files++
		for _, n := range needles {
			if bytes.Contains(data, n) {
				t.Errorf("a secret is in plain text in %s", strings.TrimPrefix(path, suite.wine.Prefix))
			}
		}
		return nil
	})
	if err != nil || files < 100 {
		t.Fatalf("walked %d files of the prefix: %v", files, err)
	}
}

func TestLoginStoresInCredentialManager(t *testing.T) {
	login := func(profile string, extra ...string) {
		t.Helper()
		args := append([]string{"login", "--json", "--profile", profile, "--login-url", suite.srv.URL(),
			"--username", user, "--password-stdin", "--ca-file", suite.caWin}, extra...)
		r := app(t, pass+"\n"+token+"\n", args...)
		if o := parse(t, r); r.code != 0 || !o.OK {
			t.Fatalf("login %s: exit %d %s%s", profile, r.code, r.stdout, r.stderr)
		}
	}
	login("default")

	for kind, secret := range map[string]string{"password": pass, "security_token": token} {
		target := credPrefix + "default:" + kind
		found, userName, digest := credential(t, target)
		if !found {
			t.Fatalf("CredReadW(%s): no such credential; targets: %v", target, targets(t))
		}
		if userName != "default:"+kind || digest != sha(secret) {
			t.Errorf("%s: user name %q, blob sha256 %s; want %q and the UTF-8 secret's digest", target, userName, digest, "default:"+kind)
		}
	}
	if got, want := targets(t), []string{credPrefix + "default:password", credPrefix + "default:security_token"}; strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("Credential Manager targets = %v, want %v", got, want)
	}
	if s := readSettings(t); s.Default != "default" || strings.Join(profileNames(s), ",") != "default" {
		t.Errorf("settings.json: %+v", s)
	}

	// status and check --profile read it back.
	st := app(t, "", "status", "--json")
	if st.code != 0 || !strings.Contains(st.stdout, `"default"`) || strings.Contains(st.stdout, pass) {
		t.Errorf("status: exit %d %s%s", st.code, st.stdout, st.stderr)
	}
	if r := app(t, "", "check", "--profile", "default", "--json"); r.code != 0 || !parse(t, r).OK {
		t.Errorf("check --profile default: exit %d %s%s", r.code, r.stdout, r.stderr)
	}

	// A second profile, then logout removes it and only it.
	login("second")
	if found, _, _ := credential(t, credPrefix+"second:password"); !found {
		t.Fatal("the second profile's password is not in Credential Manager")
	}
	if r := app(t, "", "check", "--profile", "second", "--json"); r.code != 0 {
		t.Errorf("check --profile second: exit %d %s", r.code, r.stdout)
	}
	noPlaintext(t, pass, token)

	if r := app(t, "", "logout", "--profile", "second"); r.code != 0 {
		t.Fatalf("logout: exit %d %s%s", r.code, r.stdout, r.stderr)
	}
	for _, kind := range []string{"password", "security_token"} {
		if found, _, _ := credential(t, credPrefix+"second:"+kind); found {
			t.Errorf("logout left second:%s in Credential Manager", kind)
		}
	}
	if found, _, _ := credential(t, credPrefix+"default:password"); !found {
		t.Error("logout of second removed default's password")
	}
	if names := profileNames(readSettings(t)); strings.Join(names, ",") != "default" {
		t.Errorf("profiles after logout = %v", names)
	}
	if r := app(t, "", "check", "--profile", "second", "--json"); r.code == 0 || parse(t, r).Code != "PROFILE_NOT_FOUND" {
		t.Errorf("check of the removed profile: exit %d %s", r.code, r.stdout)
	}
}

func TestConcurrentLoginsBothLand(t *testing.T) {
	names := []string{"para-a", "para-b", "para-c"}
	var wg sync.WaitGroup
	results := make([]result, len(names))
	for i, name := range names {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = app(t, pass+"\n"+token+"\n", "login", "--profile", name, "--login-url", suite.srv.URL(),
				"--username", user, "--password-stdin", "--ca-file", suite.caWin)
		}()
	}
	wg.Wait()
	for i, r := range results {
		if r.code != 0 {
			t.Errorf("login %s: exit %d %s%s", names[i], r.code, r.stdout, r.stderr)
		}
	}
	got := strings.Join(profileNames(readSettings(t)), ",")
	for _, name := range names {
		if !strings.Contains(got, name) {
			t.Errorf("profile %s was lost; settings.json has %s", name, got)
		}
	}

	// The lock is LockFileEx on settings.lock: while another process holds
	// it, a login waits for it and then lands.
	lockPath := WinPath(filepath.Join(suite.wine.AppData(), "advologix-connect", "settings.lock"))
	holder := suite.wine.Command(context.Background(), suite.helper, "lock", lockPath, "3000")
	hold := &testfix.Buffer{}
	holder.Stdout = hold
	if err := holder.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(hold.String(), "locked") {
		if time.Now().After(deadline) {
			t.Fatal("winhelper never took the lock")
		}
		time.Sleep(20 * time.Millisecond)
	}
	start := time.Now()
	r := app(t, pass+"\n"+token+"\n", "login", "--profile", "para-locked", "--login-url", "https://login.salesforce.com",
		"--username", user, "--no-check", "--password-stdin")
	waited := time.Since(start)
	_ = holder.Wait()
	if r.code != 0 {
		t.Fatalf("login while locked: exit %d %s%s", r.code, r.stdout, r.stderr)
	}
	if !strings.Contains(hold.String(), "unlocked") {
		t.Fatalf("the lock holder did not finish: %q", hold.String())
	}
	if waited < 2*time.Second {
		t.Errorf("login finished %v after the lock was taken (held 3 s): it did not wait for LockFileEx", waited)
	}
	if got := strings.Join(profileNames(readSettings(t)), ","); !strings.Contains(got, "para-locked") {
		t.Errorf("the login that waited for the lock was lost: %s", got)
	}
	for _, name := range append(names, "para-locked") {
		app(t, "", "logout", "--profile", name)
	}
}

// TestStartAtLoginRunKey: the desktop program's Run value, and the move
// of an older version's value (it started the command line,
// advologix-connect.exe tray) onto the desktop program.
func TestStartAtLoginRunKey(t *testing.T) {
	ctx := context.Background()
	cliWin, exeWin := WinPath(suite.exe), WinPath(suite.desktop)
	helper := func(exe, verb string) string {
		t.Helper()
		cmd := suite.wine.Command(ctx, suite.helper, "autostart", verb)
		cmd.Env = append(cmd.Env, "ADVOLOGIX_EXE="+exe)
		out, errOut, code, err := suite.wine.Run(cmd)
		if err != nil || code != 0 {
			t.Fatalf("autostart %s: exit %d %v\n%s%s", verb, code, err, out, errOut)
		}
		return strings.TrimSpace(out)
	}
	runValueIs := func(when, exe string) {
		t.Helper()
		data, found, err := suite.wine.RegQuery(ctx, runKey, runValue)
		if err != nil || !found {
			t.Fatalf("Run value %s: found=%v %v", when, found, err)
		}
		if want := `"` + exe + `" tray`; data != want {
			t.Errorf("Run value %s = %q, want %q", when, data, want)
		}
	}
	helper(exeWin, "enable")
	runValueIs("after enable", exeWin)
	if got := helper(exeWin, "enabled"); got != "true" {
		t.Errorf("Enabled after enable = %q", got)
	}
	if got := helper(exeWin, "migrate"); got != "false" {
		t.Errorf("Migrate of a current value = %q, want false (untouched)", got)
	}
	helper(exeWin, "disable")
	if _, found, err := suite.wine.RegQuery(ctx, runKey, runValue); err != nil || found {
		t.Errorf("Run value after disable: found=%v %v", found, err)
	}
	if got := helper(exeWin, "enabled"); got != "false" {
		t.Errorf("Enabled after disable = %q", got)
	}
	if got := helper(exeWin, "migrate"); got != "false" {
		t.Errorf("Migrate without a value = %q, want false", got)
	}
	if _, found, _ := suite.wine.RegQuery(ctx, runKey, runValue); found {
		t.Error("Migrate switched start at login on")
	}

	// The value as a single-exe version wrote it, moved by Migrate.
	helper(cliWin, "enable")
	runValueIs("of a single-exe version", cliWin)
	if got := helper(exeWin, "migrate"); got != "true" {
		t.Errorf("Migrate of the command line's value = %q, want true", got)
	}
	runValueIs("after Migrate", exeWin)
	helper(exeWin, "disable")
}

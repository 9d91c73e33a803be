//go:build integration

package wintest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/advologix/advologix-connect/internal/cli"
	"github.com/advologix/advologix-connect/internal/testing/sftest"
	"github.com/advologix/advologix-connect/internal/testing/testbin"
	"github.com/advologix/advologix-connect/internal/testing/testfix"
)

// Fake accounts of the loopback emulator: testfix's Jane, and a user
// whose password has expired.
const (
	user       = testfix.JaneUsername
	pass       = testfix.JanePassword
	token      = testfix.JaneToken
	expUser    = "expired@firm.example.com"
	expPass    = "Expired-Passw0rd-7"
	expToken   = "ExpTok3n0123456789abcdefg"
	runKey     = `HKCU\Software\Microsoft\Windows\CurrentVersion\Run`
	runValue   = "AdvoLogix Connect"
	credPrefix = "advologix-connect:"
)

// suite is shared by the tests: one prefix, one emulator, the binaries.
var suite struct {
	wine      *Wine
	exe       string // the real advologix-connect.exe (Unix path)
	helper    string // winhelper.exe
	srv       *testfix.Emulator
	caUnix    string
	caWin     string
	scratch   string
	artifacts string
}

func TestMain(m *testing.M) {
	code, err := setup(m)
	if err != nil {
		fmt.Fprintln(os.Stderr, "wintest:", err)
		os.Exit(1)
	}
	os.Exit(code)
}

func setup(m *testing.M) (int, error) {
	root, err := RepoRoot()
	if err != nil {
		return 0, err
	}
	suite.exe = os.Getenv("ADVOLOGIX_WIN_EXE")
	if suite.exe == "" {
		suite.exe = filepath.Join(root, "bin", "advologix-connect.exe")
	}
	if _, err := os.Stat(suite.exe); err != nil {
		return 0, fmt.Errorf("the Windows build is missing (%v): run `make windows`, which builds it", err)
	}
	scratch, err := os.MkdirTemp("", "advologix-wine-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(scratch)
	suite.scratch = scratch

	// The helper is small and pure Go: build it here for Windows.
	suite.helper, err = testbin.BuildForErr("windows", "amd64", testbin.Module+"/internal/testing/wintest/winhelper")
	if err != nil {
		return 0, fmt.Errorf("build winhelper.exe: %w", err)
	}
	defer testbin.Cleanup()

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	w, err := New(ctx, filepath.Join(scratch, "prefix"))
	if err != nil {
		return 0, err
	}
	defer w.Shutdown()
	suite.wine = w

	cfg := testfix.JaneOrg()
	cfg.LockoutAfter = -1
	cfg.Users = append(cfg.Users, sftest.User{Username: expUser, Password: expPass, SecurityToken: expToken, FullName: "Exp Ired", PasswordExpired: true})
	srv, err := testfix.NewEmulator(cfg, scratch)
	if err != nil {
		return 0, err
	}
	defer srv.Close()
	suite.srv = srv
	suite.caUnix = srv.CAFile
	suite.caWin = WinPath(suite.caUnix)

	suite.artifacts = os.Getenv("ADVOLOGIX_ARTIFACTS")
	if suite.artifacts == "" {
		suite.artifacts = filepath.Join(root, ".artifacts")
	}
	suite.artifacts = filepath.Join(suite.artifacts, "windows")
	if err := os.MkdirAll(suite.artifacts, 0o755); err != nil {
		return 0, err
	}
	return m.Run(), nil
}

type result struct {
	code           int
	stdout, stderr string
}

// app runs the real advologix-connect.exe under Wine.
func app(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := suite.wine.Command(ctx, suite.exe, args...)
	cmd.Stdin = strings.NewReader(stdin)
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	code := 0
	if exit, ok := err.(*exec.ExitError); ok && exit.Exited() {
		code = exit.ExitCode()
	} else if err != nil {
		t.Fatalf("advologix-connect.exe %v: %v\n%s", args, err, e.String())
	}
	return result{code, o.String(), e.String()}
}

// linux runs the same command line through the Linux build's code (the
// cli package the binary is made of), for comparison.
func linux(stdin string, args ...string) result {
	var o, e bytes.Buffer
	env := cli.Env{
		Stdin: strings.NewReader(stdin), Stdout: &o, Stderr: &e,
		StdinIsTerminal: func() bool { return false },
		Getenv:          func(string) string { return "" },
		Version:         "test",
	}
	code := cli.Run(context.Background(), env, args)
	return result{code, o.String(), e.String()}
}

// outcome is the part of --json output that must agree across platforms.
type outcome struct {
	OK       bool   `json:"ok"`
	Code     string `json:"code"`
	Hint     string `json:"hint"`
	Username string `json:"username"`
	Org      string `json:"organization_name"`
	Expired  bool   `json:"password_expired"`
}

func parse(t *testing.T, r result) outcome {
	t.Helper()
	var o outcome
	if err := json.Unmarshal([]byte(strings.TrimSpace(r.stdout)), &o); err != nil {
		t.Fatalf("not one JSON object (exit %d): %v\nstdout: %s\nstderr: %s", r.code, err, r.stdout, r.stderr)
	}
	return o
}

// closedPort is a loopback port nobody listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

func TestCheckContractMatchesLinux(t *testing.T) {
	refused := "https://" + closedPort(t)
	for _, tc := range []struct {
		name     string
		stdin    string
		args     []string // without --ca-file
		ca       bool
		wantCode string
		wantExit int
	}{
		{"ok", pass + "\n" + token + "\n", []string{"--login-url", suite.srv.URL(), "--username", user}, true, "", 0},
		{"no token", pass + "\n", []string{"--login-url", suite.srv.URL(), "--username", user}, true, "LOGIN_MUST_USE_SECURITY_TOKEN", 1},
		{"stale token", pass + "\nOldTok3n0123456789abcdefX\n", []string{"--login-url", suite.srv.URL(), "--username", user}, true, "INVALID_LOGIN", 1},
		{"expired password", expPass + "\n" + expToken + "\n", []string{"--login-url", suite.srv.URL(), "--username", expUser}, true, "PASSWORD_EXPIRED", 1},
		{"TLS untrusted", pass + "\n" + token + "\n", []string{"--login-url", suite.srv.URL(), "--username", user}, false, "TLS_ERROR", 1},
		{"refused port", pass + "\n" + token + "\n", []string{"--login-url", refused, "--username", user}, true, "NETWORK_ERROR", 1},
		{"http refused", pass + "\n" + token + "\n", []string{"--login-url", "http://login.salesforce.com", "--username", user}, true, "USAGE_ERROR", 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"check", "--json", "--password-stdin", "--timeout", "20s"}, tc.args...)
			winArgs, linArgs := args, args
			if tc.ca {
				winArgs = append(append([]string(nil), args...), "--ca-file", suite.caWin)
				linArgs = append(append([]string(nil), args...), "--ca-file", suite.caUnix)
			}
			win := app(t, tc.stdin, winArgs...)
			lin := linux(tc.stdin, linArgs...)
			wo, lo := parse(t, win), parse(t, lin)
			if win.code != tc.wantExit || wo.Code != tc.wantCode {
				t.Errorf("Windows: exit %d code %q, want exit %d code %q\n%s%s", win.code, wo.Code, tc.wantExit, tc.wantCode, win.stdout, win.stderr)
			}
			if win.code != lin.code || wo != lo {
				t.Errorf("Windows and Linux differ:\nWindows exit %d %+v\nLinux   exit %d %+v", win.code, wo, lin.code, lo)
			}
			if strings.Contains(win.stdout+win.stderr, pass) || strings.Contains(win.stdout+win.stderr, token) {
				t.Error("a secret is in the output")
			}
		})
	}
}

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

func TestStartAtLoginRunKey(t *testing.T) {
	ctx := context.Background()
	exeWin := WinPath(suite.exe)
	helper := func(verb string) string {
		t.Helper()
		cmd := suite.wine.Command(ctx, suite.helper, "autostart", verb)
		cmd.Env = append(cmd.Env, "ADVOLOGIX_EXE="+exeWin)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("autostart %s: %v\n%s", verb, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	helper("enable")
	data, found, err := suite.wine.RegQuery(ctx, runKey, runValue)
	if err != nil || !found {
		t.Fatalf("Run value after enable: found=%v %v", found, err)
	}
	if want := `"` + exeWin + `" tray`; data != want {
		t.Errorf("Run value = %q, want %q", data, want)
	}
	if got := helper("enabled"); got != "true" {
		t.Errorf("Enabled after enable = %q", got)
	}
	helper("disable")
	if _, found, err := suite.wine.RegQuery(ctx, runKey, runValue); err != nil || found {
		t.Errorf("Run value after disable: found=%v %v", found, err)
	}
	if got := helper("enabled"); got != "false" {
		t.Errorf("Enabled after disable = %q", got)
	}
}

// x11 runs an X client tool in a UTF-8 locale, so titles survive.
func x11(name string, args ...string) *exec.Cmd {
	cmd := exec.Command(name, args...)
	cmd.Env = append(os.Environ(), "LC_ALL=C.UTF-8")
	return cmd
}

// window is a top-level X window that Wine mapped for the app.
type window struct{ id, title string }

// waitWindow waits until a viewable window with exactly this title exists.
func waitWindow(t *testing.T, title string, within time.Duration) window {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		// Search by the ASCII start (xdotool's regex and the C locale do
		// not mix with the em dash), then compare the whole title.
		out, _ := x11("xdotool", "search", "--onlyvisible", "--name", "^AdvoLogix Connect").Output()
		for _, id := range strings.Fields(string(out)) {
			name, err := x11("xdotool", "getwindowname", id).Output()
			info, err2 := x11("xwininfo", "-id", id).Output()
			if err == nil && err2 == nil && strings.TrimSpace(string(name)) == title && strings.Contains(string(info), "IsViewable") {
				return window{id: id, title: title}
			}
		}
		if time.Now().After(deadline) {
			tree, _ := x11("xwininfo", "-root", "-tree").Output()
			t.Fatalf("no viewable window titled %q within %v; windows:\n%s", title, within, tree)
		}
		time.Sleep(250 * time.Millisecond)
	}
}

// countWindows counts viewable windows whose title starts with prefix.
func countWindows(prefix string) int {
	out, _ := x11("xdotool", "search", "--onlyvisible", "--name", "^"+prefix).Output()
	return len(strings.Fields(string(out)))
}

// photograph takes the window's own picture (by its id, not the screen's)
// and fails unless it is not blank and OCR finds want in it.
func photograph(t *testing.T, w window, name, want string) {
	t.Helper()
	png := filepath.Join(suite.artifacts, name+".png")
	big := filepath.Join(suite.scratch, name+"-x2.png")
	deadline := time.Now().Add(60 * time.Second)
	var text, stats string
	for {
		// The title first: the id must still be this window.
		if got, err := x11("xdotool", "getwindowname", w.id).Output(); err != nil || strings.TrimSpace(string(got)) != w.title {
			t.Fatalf("window %s is now %q (%v), not %q", w.id, got, err, w.title)
		}
		if out, err := exec.Command("/usr/bin/import", "-window", w.id, png).CombinedOutput(); err != nil {
			t.Fatalf("import -window %s: %v\n%s", w.id, err, out)
		}
		out, err := exec.Command("/usr/bin/convert", png, "-format", "%[fx:standard_deviation] %k", "info:").Output()
		if err != nil {
			t.Fatalf("convert: %v", err)
		}
		stats = strings.TrimSpace(string(out))
		var sd float64
		var colors int
		fmt.Sscanf(stats, "%g %d", &sd, &colors)
		if sd > 0.02 && colors > 16 {
			if err := exec.Command("/usr/bin/convert", png, "-resize", "200%", big).Run(); err != nil {
				t.Fatalf("scale: %v", err)
			}
			ocr, err := exec.Command("tesseract", big, "-").Output()
			if err != nil {
				t.Fatalf("tesseract: %v", err)
			}
			text = string(ocr)
			if strings.Contains(strings.Join(strings.Fields(text), " "), want) {
				t.Logf("%s: %s (standard deviation, colours: %s)", w.title, png, stats)
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("window %q (%s) never showed %q: picture stats %s, OCR text:\n%s\n(picture: %s)", w.title, w.id, want, stats, text, png)
		}
		time.Sleep(time.Second)
	}
}

func TestGUIWizardAndSettingsUnderWine(t *testing.T) {
	if os.Getenv("DISPLAY") == "" {
		t.Fatal("DISPLAY is not set: run under scripts/test-session.sh, as make windows does")
	}
	for _, tool := range []string{"xdotool", "xwininfo", "tesseract", "/usr/bin/import", "/usr/bin/convert"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is missing (scripts/ensure-deps.sh runtime-test wine)", tool)
		}
	}
	// A prefix of its own: no profile yet, so the first run is the wizard.
	ctx := context.Background()
	w, err := New(ctx, filepath.Join(suite.scratch, "gui-prefix"))
	if err != nil {
		t.Fatal(err)
	}
	defer w.Shutdown()
	start := func(args ...string) *exec.Cmd {
		cmd := w.Command(ctx, suite.exe, args...)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		return cmd
	}

	wizard := start()
	photograph(t, waitWindow(t, "AdvoLogix Connect — Set up", 90*time.Second), "wizard", "Where do you sign in to Salesforce?")
	w.Shutdown()
	_ = wizard.Wait()

	// With a profile, the app opens Settings.
	login := w.Command(ctx, suite.exe, "login", "--profile", "default", "--login-url", suite.srv.URL(),
		"--username", user, "--password-stdin", "--ca-file", suite.caWin)
	login.Stdin = strings.NewReader(pass + "\n" + token + "\n")
	if out, err := login.CombinedOutput(); err != nil {
		t.Fatalf("login: %v\n%s", err, out)
	}
	settings := start("settings")
	defer func() { w.Shutdown(); _ = settings.Wait() }()
	win := waitWindow(t, "AdvoLogix Connect", 90*time.Second)
	photograph(t, win, "settings", "Environment")

	// Single instance through the named pipe: a second launch hands over
	// and exits 0 at once, and no second window appears.
	began := time.Now()
	// Bounded: a launch that does not hand over opens its own window and
	// never exits (what the AF_UNIX socket did under Wine).
	secondCtx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	second := w.Command(secondCtx, suite.exe, "settings")
	out, err := second.CombinedOutput()
	if err != nil {
		t.Fatalf("second launch did not hand over and exit 0 within 60 s: %v\n%s", err, out)
	}
	if took := time.Since(began); took > 20*time.Second {
		t.Errorf("second launch took %v to hand over", took)
	}
	time.Sleep(2 * time.Second)
	if n := countWindows("AdvoLogix Connect"); n != 1 {
		t.Errorf("%d app windows after a second launch, want 1 (it should have handed over)", n)
	}
	if strings.Contains(string(out), "warning") {
		t.Errorf("second launch warned: %s", out)
	}
}

const internetSettings = `HKCU\Software\Microsoft\Windows\CurrentVersion\Internet Settings`

// setSystemProxy sets (addr != "") or clears the static WinINET proxy of
// the prefix with `reg add`, as an admin's policy or the Settings app does.
func setSystemProxy(t *testing.T, addr string) {
	t.Helper()
	ctx := context.Background()
	enable := "0"
	if addr != "" {
		enable = "1"
		if err := suite.wine.RegAdd(ctx, internetSettings, "ProxyServer", "REG_SZ", addr); err != nil {
			t.Fatal(err)
		}
		// The emulator is on loopback, which Windows never proxies unless
		// the bypass list says <-loopback>.
		if err := suite.wine.RegAdd(ctx, internetSettings, "ProxyOverride", "REG_SZ", "<-loopback>"); err != nil {
			t.Fatal(err)
		}
	}
	if err := suite.wine.RegAdd(ctx, internetSettings, "ProxyEnable", "REG_DWORD", enable); err != nil {
		t.Fatal(err)
	}
}

func TestSystemProxyFromRegistry(t *testing.T) {
	proxy, err := sftest.NewConnectProxy("", false)
	if err != nil {
		t.Fatal(err)
	}
	defer proxy.Close()
	setSystemProxy(t, proxy.Addr())
	defer setSystemProxy(t, "")
	args := []string{"check", "--json", "--password-stdin", "--login-url", suite.srv.URL(), "--username", user, "--ca-file", suite.caWin}
	r := app(t, pass+"\n"+token+"\n", args...)
	if o := parse(t, r); r.code != 0 || !o.OK {
		t.Fatalf("check through the system proxy: exit %d %s%s", r.code, r.stdout, r.stderr)
	}
	host := strings.TrimPrefix(suite.srv.URL(), "https://")
	got := proxy.Connects()
	if len(got) == 0 || got[0] != host {
		t.Fatalf("the system proxy saw CONNECTs %v, want them to %s", got, host)
	}
	t.Logf("%d CONNECT(s) through the proxy set in the registry", len(got))

	// The profile's explicit proxy comes first.
	explicit, err := sftest.NewConnectProxy("", false)
	if err != nil {
		t.Fatal(err)
	}
	defer explicit.Close()
	n := len(proxy.Connects())
	r = app(t, pass+"\n"+token+"\n", append(args, "--proxy", "http://"+explicit.Addr())...)
	if r.code != 0 || len(explicit.Connects()) == 0 || len(proxy.Connects()) != n {
		t.Errorf("--proxy: exit %d, explicit proxy %d CONNECTs, system proxy %d more; want the explicit one only",
			r.code, len(explicit.Connects()), len(proxy.Connects())-n)
	}

	// A proxy that wants a sign-in.
	auth, err := sftest.NewConnectProxy("", true)
	if err != nil {
		t.Fatal(err)
	}
	defer auth.Close()
	setSystemProxy(t, auth.Addr())
	r = app(t, pass+"\n"+token+"\n", args...)
	o := parse(t, r)
	if r.code != 1 || o.Code != "PROXY_ERROR" || !strings.Contains(o.Hint, "sign-in") {
		t.Errorf("407: exit %d code %s hint %q; want exit 1, PROXY_ERROR and a hint naming the proxy sign-in", r.code, o.Code, o.Hint)
	}
	if strings.Contains(r.stdout+r.stderr, pass) {
		t.Error("a secret is in the output")
	}
}

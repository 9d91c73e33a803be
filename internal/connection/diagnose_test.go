package connection_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/internal/connection"
	"github.com/advologix/advologix-connect/internal/testing/testfix"
)

// checks indexes a report by check name.
func checks(r connection.Report) map[string]connection.DiagnosticCheck {
	m := map[string]connection.DiagnosticCheck{}
	for _, c := range r.Checks {
		m[c.Name] = c
	}
	return m
}

// wantCheck asserts one check's verdict and that its detail holds each of
// the given texts.
func wantCheck(t *testing.T, r connection.Report, name string, status connection.CheckStatus, has ...string) {
	t.Helper()
	c, ok := checks(r)[name]
	if !ok {
		t.Errorf("no %q check in\n%s", name, r.Text())
		return
	}
	if c.Status != status {
		t.Errorf("%s: %s, want %s: %s", name, c.Status, status, c.Detail)
	}
	for _, h := range has {
		if !strings.Contains(c.Detail, h) {
			t.Errorf("%s: detail %q lacks %q", name, c.Detail, h)
		}
	}
}

// assertNoSecrets fails if the report, as text or JSON, holds any secret.
func assertNoSecrets(t *testing.T, r connection.Report, secrets ...string) {
	t.Helper()
	js, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range secrets {
		if s == "" {
			continue
		}
		if strings.Contains(r.Text(), s) || strings.Contains(string(js), s) {
			t.Errorf("the report holds a secret (%d chars):\n%s", len(s), r.Text())
		}
	}
}

func TestDiagnoseAgainstEmulator(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	oldRefresh := f.saveBrowser(t, jane)
	p := f.profile("jane", credstore.MethodSOAP, jane)
	f.save(t, p, credstore.Secrets{Password: janePass, SecurityToken: janeToken})
	if err := f.store.SetDefault("jane"); err != nil {
		t.Fatal(err)
	}
	// A stale token earlier today, as Login History records it.
	if out := f.service().Test(ctx, p, credstore.Secrets{Password: janePass, SecurityToken: staleTok}); out.OK() {
		t.Fatal("stale token accepted")
	}
	entries := f.kr.Len()
	f.srv.ResetRequests()

	rep := connection.Diagnose(ctx, connection.DiagnoseOptions{Store: f.store, Login: true, Version: "1.2.3",
		Getenv: func(k string) string { return map[string]string{"LANG": "en_US.UTF-8"}[k] }})

	wantCheck(t, rep, "app", connection.CheckOK, "advologix-connect 1.2.3 on ", "no built-in client id (development build)")
	wantCheck(t, rep, "locale", connection.CheckOK, "LANG=en_US.UTF-8")
	wantCheck(t, rep, "profile", connection.CheckOK, `"jane"`, f.srv.URL(), jane, "the default profile")
	wantCheck(t, rep, "proxy", connection.CheckOK, "direct to 127.0.0.1", "system proxy settings: not read")
	wantCheck(t, rep, "dns", connection.CheckOK, "127.0.0.1 is an address")
	wantCheck(t, rep, "tcp", connection.CheckOK, "connected to 127.0.0.1:")
	wantCheck(t, rep, "tls", connection.CheckOK, "TLS 1.3", `"sftest emulator CA"`, "verified with the profile's extra CA file")
	wantCheck(t, rep, "clock", connection.CheckOK, "agrees")
	wantCheck(t, rep, "salesforce", connection.CheckOK, "up to 66.0")
	wantCheck(t, rep, "keychain", connection.CheckOK, "wrote, read back and deleted")
	wantCheck(t, rep, "settings", connection.CheckOK, "2 profile(s)", `default "jane"`, "file 0600", "folder 0700")
	// The password profile is told when it stops and how to switch (the
	// browser one is not: 16 checks below).
	wantCheck(t, rep, "password:jane", connection.CheckOK, "Summer '27", "advologix-connect login --browser --profile jane")
	wantCheck(t, rep, "login:jane", connection.CheckOK, "Jane Doe", "SOAP login()")
	wantCheck(t, rep, "login:browser", connection.CheckOK, "Browser sign-in")
	wantCheck(t, rep, "login_history", connection.CheckOK, "Failed: API security token required", `profile "browser"`)

	if rep.Passed != len(rep.Checks) || rep.Failed != 0 || rep.Skipped != 0 || rep.ExitStatus() != 0 {
		t.Errorf("%s", rep.Text())
	}
	if !strings.HasSuffix(rep.Text(), "\n"+rep.Summary()+"\n") || rep.Summary() != "16 passed, 0 failed, 0 skipped" {
		t.Errorf("summary %q, text:\n%s", rep.Summary(), rep.Text())
	}
	// One login per password profile, exactly; the throw-away keychain
	// entry is gone.
	if n := logins(f.srv); n != 1 {
		t.Errorf("%d password logins, want 1", n)
	}
	if f.kr.Len() != entries {
		t.Errorf("keychain entries %d, want %d: the throw-away entry was left", f.kr.Len(), entries)
	}
	sec, _ := f.store.Secrets(ctx, "browser")
	assertNoSecrets(t, rep, append(f.kr.Values(), janePass, janeToken, staleTok, oldRefresh, sec.RefreshToken)...)
}

func TestDiagnoseWithoutLoginSendsNoLogin(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	p := f.profile("jane", credstore.MethodSOAP, jane)
	f.save(t, p, credstore.Secrets{Password: janePass, SecurityToken: janeToken})
	f.srv.ResetRequests()
	rep := connection.Diagnose(ctx, connection.DiagnoseOptions{Store: f.store, Profile: "jane"})
	if n := logins(f.srv); n != 0 {
		t.Errorf("%d logins without --login", n)
	}
	wantCheck(t, rep, "login", connection.CheckSkip, "diagnose --login")
	wantCheck(t, rep, "login_history", connection.CheckSkip, "no browser sign-in of "+jane)
	if len(f.srv.HistoryQueries()) != 0 {
		t.Error("Login History queried without a browser sign-in")
	}
	// Only unauthenticated GETs of the API list reached the server.
	for _, q := range f.srv.Requests() {
		if q.Method != http.MethodGet || q.Path != "/services/data/" {
			t.Errorf("unexpected request %s %s", q.Method, q.Path)
		}
	}
	assertNoSecrets(t, rep, janePass, janeToken)
}

func TestDiagnoseWithoutProfileSendsNothing(t *testing.T) {
	f := newFixture(t)
	rep := connection.Diagnose(context.Background(), connection.DiagnoseOptions{Store: f.store, Login: true})
	for _, name := range []string{"profile", "proxy", "dns", "tcp", "tls", "clock", "salesforce", "login", "login_history"} {
		wantCheck(t, rep, name, connection.CheckSkip)
	}
	wantCheck(t, rep, "settings", connection.CheckOK, "does not exist yet")
	wantCheck(t, rep, "keychain", connection.CheckOK)
	if n := len(f.srv.Requests()); n != 0 {
		t.Errorf("%d requests without a profile", n)
	}
	if rep.Summary() != "5 passed, 0 failed, 9 skipped" {
		t.Errorf("summary %q\n%s", rep.Summary(), rep.Text())
	}
}

// panicStore panics where the keychain round trip would run.
type panicStore struct{ *credstore.Store }

func (panicStore) RoundTrip(context.Context) error { panic("keychain exploded") }

func TestDiagnoseOneBrokenCheckCannotCrashTheReport(t *testing.T) {
	f := newFixture(t)
	p := f.profile("jane", credstore.MethodSOAP, jane)
	f.save(t, p, credstore.Secrets{Password: janePass, SecurityToken: janeToken})
	rep := connection.Diagnose(context.Background(), connection.DiagnoseOptions{Store: panicStore{f.store}, Profile: "jane",
		Extra: []connection.NamedCheck{{Name: "extra", Run: func(context.Context) (connection.CheckStatus, string) { panic(janePass) }}}})
	wantCheck(t, rep, "keychain", connection.CheckFail, "internal error in the keychain check: keychain exploded")
	wantCheck(t, rep, "extra", connection.CheckFail, "internal error in the extra check")
	wantCheck(t, rep, "salesforce", connection.CheckOK)
	wantCheck(t, rep, "settings", connection.CheckOK)
	if rep.Failed != 2 || rep.ExitStatus() != 2 {
		t.Errorf("failed %d exit %d\n%s", rep.Failed, rep.ExitStatus(), rep.Text())
	}
	// A panic's value is no way around the redaction either: the password
	// was read for no check here, so it shows, but the check is named.
	if !strings.Contains(rep.Text(), "[FAIL] extra") {
		t.Errorf("text:\n%s", rep.Text())
	}
}

func TestDiagnoseFailures(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	noCA := f.profile("noca", credstore.MethodSOAP, jane)
	noCA.CAFile = ""
	viaProxy := f.profile("proxied", credstore.MethodSOAP, jane)
	viaProxy.Proxy = "http://127.0.0.1:1"
	for _, p := range []credstore.Profile{noCA, viaProxy} {
		f.save(t, p, credstore.Secrets{Password: janePass, SecurityToken: janeToken})
	}
	env := map[string]string{"HTTPS_PROXY": "http://bob:hunter2@proxy.invalid:3128", "LANG": "C"}
	getenv := func(k string) string { return env[k] }

	t.Run("untrusted chain", func(t *testing.T) {
		rep := connection.Diagnose(ctx, connection.DiagnoseOptions{Store: f.store, Profile: "noca", Getenv: getenv})
		wantCheck(t, rep, "tls", connection.CheckFail, "does not verify with this computer's trusted roots", `issued by "sftest emulator CA"`)
		wantCheck(t, rep, "salesforce", connection.CheckFail, "failed")
		// Loopback is never proxied, and the proxy's credentials never show.
		wantCheck(t, rep, "proxy", connection.CheckOK, "direct", "HTTPS_PROXY=http://[credentials redacted]@proxy.invalid:3128")
		wantCheck(t, rep, "locale", connection.CheckOK, "LANG=C", "not UTF-8")
		assertNoSecrets(t, rep, "hunter2", "bob:")
		if rep.ExitStatus() != rep.Failed || rep.Failed != 2 {
			t.Errorf("exit %d for %d failures\n%s", rep.ExitStatus(), rep.Failed, rep.Text())
		}
	})
	t.Run("profile proxy", func(t *testing.T) {
		rep := connection.Diagnose(ctx, connection.DiagnoseOptions{Store: f.store, Profile: "proxied", Getenv: getenv, Timeout: 3 * time.Second})
		wantCheck(t, rep, "proxy", connection.CheckOK, "http://127.0.0.1:1 for 127.0.0.1, from the profile")
		wantCheck(t, rep, "tcp", connection.CheckFail, "the proxy 127.0.0.1:1", "refused")
		wantCheck(t, rep, "tls", connection.CheckFail, "no TLS handshake")
		wantCheck(t, rep, "clock", connection.CheckSkip, "no answer")
	})
	t.Run("clock off", func(t *testing.T) {
		later := func() time.Time { return time.Now().Add(10 * time.Minute) }
		rep := connection.Diagnose(ctx, connection.DiagnoseOptions{Store: f.store, Profile: "noca", Now: later})
		wantCheck(t, rep, "clock", connection.CheckFail, "10m0s ahead of 127.0.0.1's", "update automatically")
	})
	t.Run("keychain down", func(t *testing.T) {
		kr := testfix.NewKeyring()
		kr.FailWith(testfix.ErrNoService)
		st, err := credstore.Open(credstore.Options{Dir: t.TempDir(), Keyring: kr})
		if err != nil {
			t.Fatal(err)
		}
		rep := connection.Diagnose(ctx, connection.DiagnoseOptions{Store: st})
		wantCheck(t, rep, "keychain", connection.CheckFail, "KEYCHAIN_UNAVAILABLE")
	})
	t.Run("no store", func(t *testing.T) {
		rep := connection.Diagnose(ctx, connection.DiagnoseOptions{StoreErr: os.ErrPermission})
		wantCheck(t, rep, "keychain", connection.CheckFail, "could not be opened")
		wantCheck(t, rep, "settings", connection.CheckFail, "could not be opened")
		wantCheck(t, rep, "dns", connection.CheckSkip, "nothing was sent")
	})
	t.Run("unknown profile", func(t *testing.T) {
		rep := connection.Diagnose(ctx, connection.DiagnoseOptions{Store: f.store, Profile: "nope"})
		wantCheck(t, rep, "profile", connection.CheckFail, `no profile named "nope"`, `"noca"`)
		wantCheck(t, rep, "dns", connection.CheckSkip)
	})
}

func TestDiagnoseSettingsHealth(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "settings.json")
	st, err := credstore.Open(credstore.Options{Dir: dir, Keyring: testfix.NewKeyring()})
	if err != nil {
		t.Fatal(err)
	}
	write := func(t *testing.T, body string, mode, dirMode os.FileMode) {
		t.Helper()
		if err := os.Chmod(dir, dirMode); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(body), mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(path, mode); err != nil {
			t.Fatal(err)
		}
	}
	good := `{"version":1,"default":"a","profiles":[{"name":"a","login_url":"https://127.0.0.1:1","username":"a@b.c","method":"soap","updated_at":"2026-01-01T00:00:00Z"}]}`
	interrupted := `{"version":1,"default":"a","profiles":[{"name":"a","login_url":"https://127.0.0.1:1","username":"a@b.c","method":"soap","updated_at":"2026-01-01T00:00:00Z","save_interrupted":"2026-01-02T03:04:05Z"}]}`
	tests := []struct {
		name, body string
		mode, dir  os.FileMode
		status     connection.CheckStatus
		has        string
	}{
		{"healthy", good, 0o600, 0o700, connection.CheckOK, "1 profile(s)"},
		{"file readable by others", good, 0o644, 0o700, connection.CheckFail, "permissions are 0644, not 0600"},
		{"folder open to others", good, 0o600, 0o755, connection.CheckFail, "folder's permissions are 0755, not 0700"},
		{"interrupted save", interrupted, 0o600, 0o700, connection.CheckFail, `the last save of profile "a" was interrupted (2026-01-02T03:04:05Z)`},
		{"damaged", `{"version":`, 0o600, 0o700, connection.CheckFail, "SETTINGS_CORRUPT"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			write(t, tt.body, tt.mode, tt.dir)
			rep := connection.Diagnose(context.Background(), connection.DiagnoseOptions{Store: st, Timeout: time.Second})
			wantCheck(t, rep, "settings", tt.status, tt.has)
		})
	}
}

// TestDiagnoseNamesInterceptingProxy serves the login host with a
// certificate from a CA named like a TLS-inspecting product.
func TestDiagnoseNamesInterceptingProxy(t *testing.T) {
	caKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	now := time.Now()
	caTmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Zscaler Intermediate Root CA"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, _ := x509.ParseCertificate(caDER)
	leafKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	leafTmpl := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "login.salesforce.com"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour), IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)},
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, KeyUsage: x509.KeyUsageDigitalSignature}
	leafDER, err := x509.CreateCertificate(rand.Reader, leafTmpl, ca, &leafKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{leafDER, caDER}, PrivateKey: leafKey}}})
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte("<html><title>Blocked</title></html>"))
	})}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })

	st, err := credstore.Open(credstore.Options{Dir: t.TempDir(), Keyring: testfix.NewKeyring()})
	if err != nil {
		t.Fatal(err)
	}
	p := credstore.Profile{Name: "p", LoginURL: "https://" + ln.Addr().String(), Username: jane, Method: credstore.MethodSOAP}
	if err := st.Save(context.Background(), p, credstore.Secrets{Password: janePass}); err != nil {
		t.Fatal(err)
	}
	rep := connection.Diagnose(context.Background(), connection.DiagnoseOptions{Store: st, Profile: "p"})
	wantCheck(t, rep, "tls", connection.CheckFail, `"Zscaler Intermediate Root CA"`, "an intercepting proxy (Zscaler)", "extra CA file")
	wantCheck(t, rep, "clock", connection.CheckOK)
}

func TestReportExitStatusIsCapped(t *testing.T) {
	for _, tt := range []struct{ failed, want int }{{0, 0}, {3, 3}, {125, 125}, {300, 125}} {
		if got := (connection.Report{Failed: tt.failed}).ExitStatus(); got != tt.want {
			t.Errorf("%d failures: exit %d, want %d", tt.failed, got, tt.want)
		}
	}
}

func TestDiagnoseShowsThePolicy(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	p := f.profile("jane", credstore.MethodSOAP, jane)
	f.save(t, p, credstore.Secrets{Password: janePass, SecurityToken: janeToken})
	tray := true
	src := "/etc/advologix-connect/policy.json"
	lenient := credstore.Policy{Sources: []string{src}, LoginURL: f.srv.URL(), CAFile: f.ca, StartInTray: &tray,
		Proxy: "http://ops@127.0.0.1:1", Locked: []string{credstore.PolicyLoginURL, credstore.PolicyCAFile}}
	strict := credstore.Policy{Sources: []string{src}, Methods: []string{credstore.MethodOAuthBrowser}, Locked: []string{credstore.PolicyMethods}}
	tests := []struct {
		name      string
		pol       credstore.Policy
		polErr    error
		status    connection.CheckStatus
		has       []string
		profile   connection.CheckStatus
		profileHs string
	}{
		{"none", credstore.Policy{}, nil, connection.CheckOK, []string{"no IT policy applies"}, connection.CheckOK, `"jane"`},
		{"values and locks", lenient, nil, connection.CheckOK, []string{"from " + src, "login_url=" + f.srv.URL() + " (locked)",
			"ca_file=" + f.ca + " (locked)", "proxy=http://[credentials redacted]@127.0.0.1:1,", "start_in_tray=true"}, connection.CheckOK, `"jane"`},
		{"method not allowed", strict, nil, connection.CheckOK, []string{"methods=oauth-browser (locked)"}, connection.CheckFail, "POLICY_VIOLATION"},
		{"unreadable", credstore.Policy{}, &credstore.PolicyError{Source: src, Err: os.ErrPermission}, connection.CheckFail, []string{"POLICY_INVALID", src}, connection.CheckOK, `"jane"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := connection.Diagnose(ctx, connection.DiagnoseOptions{Store: f.store, Profile: "jane", Policy: tt.pol, PolicyErr: tt.polErr, Timeout: 3 * time.Second})
			wantCheck(t, rep, "policy", tt.status, tt.has...)
			wantCheck(t, rep, "profile", tt.profile, tt.profileHs)
			assertNoSecrets(t, rep, "ops@", janePass, janeToken)
			if tt.name == "values and locks" {
				// The policy's proxy is the one the checks use.
				wantCheck(t, rep, "proxy", connection.CheckOK, "from the IT policy ("+src+")")
				wantCheck(t, rep, "tcp", connection.CheckFail, "the proxy 127.0.0.1:1")
			}
			if tt.profile == connection.CheckFail {
				wantCheck(t, rep, "dns", connection.CheckSkip, "POLICY_VIOLATION")
			}
		})
	}
}

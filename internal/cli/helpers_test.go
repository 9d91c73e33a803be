package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/internal/cli"
	"github.com/advologix/advologix-connect/internal/testing/sftest"
	"github.com/advologix/advologix-connect/internal/testing/testfix"
)

// The emulator's user and apps.
const (
	user            = "jane@firm.example.com"
	pass            = `P&ss<wörd> "1"`
	token           = "Tok3nAbCdEf0123456789xyz"
	staleToken      = "OldTokenOldTokenOldToken"
	browserApp      = "browser-app"
	browserRedirect = "http://localhost:7890/OauthRedirect"
)

func TestMain(m *testing.M) {
	for _, v := range []string{"HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"} {
		os.Unsetenv(v)
	}
	os.Exit(m.Run())
}

// run is what one command line did.
type run struct {
	code           int
	stdout, stderr string
}

// invocation is the world of one command line: standard input, the
// environment, and the store and policy hooks (nil: the process's own).
type invocation struct {
	stdin   string
	vars    map[string]string
	version string
	store   func() (*credstore.Store, error)
	policy  func(context.Context) (credstore.Policy, error)
}

func (in invocation) run(args ...string) run {
	var out, errb bytes.Buffer
	e := cli.Env{
		Stdin: strings.NewReader(in.stdin), Stdout: &out, Stderr: &errb,
		StdinIsTerminal: func() bool { return false },
		Getenv:          func(k string) string { return in.vars[k] },
		Version:         in.version,
		OpenStore:       in.store,
		LoadPolicy:      in.policy,
	}
	code := cli.Run(context.Background(), e, args)
	return run{code, out.String(), errb.String()}
}

// runCLI runs a command line that needs no store of its own (ad-hoc check).
func runCLI(t *testing.T, stdin string, env map[string]string, args ...string) run {
	t.Helper()
	return invocation{stdin: stdin, vars: env, version: "test"}.run(args...)
}

// emulator starts the Salesforce emulator with Jane and an OAuth app, and
// writes a CA file that trusts it.
func emulator(t *testing.T, mod func(*sftest.Config)) (*sftest.Server, string) {
	t.Helper()
	emu := testfix.StartEmulator(t, func(c *sftest.Config) {
		c.OrgName = "Firm LLP"
		c.Users = []sftest.User{{Username: user, Password: pass, SecurityToken: token, FullName: "Jane Doe"}}
		c.Apps = []sftest.App{{ClientID: "cid", ClientSecret: "s3cr3t-app", AllowPasswordFlow: true}}
		if mod != nil {
			mod(c)
		}
	})
	srv, ca := emu.Server, emu.CAFile
	return srv, ca
}

// profileEnv is a CLI environment with a settings folder in a temp dir and
// an in-memory keychain; policy, when set, is the IT policy.
type profileEnv struct {
	dir    string
	kr     *testfix.Keyring
	policy func(context.Context) (credstore.Policy, error)
}

func newProfileEnv(t *testing.T) *profileEnv {
	return &profileEnv{dir: t.TempDir(), kr: testfix.NewKeyring()}
}

// storeHook opens the environment's store with the given keychain
// timeouts.
func (pe *profileEnv) storeHook(read, save time.Duration) func() (*credstore.Store, error) {
	return func() (*credstore.Store, error) {
		return credstore.Open(credstore.Options{Dir: pe.dir, Keyring: pe.kr, ReadTimeout: read, SaveTimeout: save})
	}
}

// openStore opens the environment's store, for a test to set it up.
func (pe *profileEnv) openStore(t *testing.T) *credstore.Store {
	t.Helper()
	st, err := pe.storeHook(0, 0)()
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// run runs a command line with short keychain timeouts (a locked keychain
// fails fast).
func (pe *profileEnv) run(t *testing.T, stdin string, args ...string) run {
	t.Helper()
	return invocation{stdin: stdin, store: pe.storeHook(200*time.Millisecond, 300*time.Millisecond), policy: pe.policy}.run(args...)
}

// runWithEnv is run with an environment (LANG, proxies) and a version.
func (pe *profileEnv) runWithEnv(t *testing.T, vars map[string]string, args ...string) run {
	t.Helper()
	return invocation{vars: vars, version: "9.8.7", store: pe.storeHook(2*time.Second, 2*time.Second), policy: pe.policy}.run(args...)
}

// policyEnv is a profileEnv whose IT policy is a policy.json in a
// test-only folder, read through Env.LoadPolicy (the real location,
// /etc/advologix-connect/policy.json, is fixed in the binary).
type policyEnv struct {
	profileEnv
	policyPath string
}

func newPolicyEnv(t *testing.T, policy string) *policyEnv {
	t.Helper()
	pe := &policyEnv{profileEnv: *newProfileEnv(t), policyPath: filepath.Join(t.TempDir(), "policy.json")}
	// Parsed as ReadPolicyFile parses it, without its ownership rule (a
	// test folder is not root's all the way up: credstore tests that rule).
	pe.policy = func(context.Context) (credstore.Policy, error) {
		data, err := os.ReadFile(pe.policyPath)
		if err != nil {
			return credstore.Policy{}, err
		}
		return credstore.ParsePolicyJSON(data, pe.policyPath)
	}
	if err := os.WriteFile(pe.policyPath, []byte(policy), 0o644); err != nil {
		t.Fatal(err)
	}
	return pe
}

func decode(t *testing.T, s string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatalf("not one JSON object: %v\n%s", err, s)
	}
	return m
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// bearerWorks tells whether token opens the emulator's REST API.
func bearerWorks(t *testing.T, srv *sftest.Server, instance, token string) bool {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, instance+"/services/data/v64.0/query?q=SELECT+Name+FROM+Organization", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

// saveBrowserSignIn signs Jane in through the emulator's browser app and
// saves the sign-in as the browser profile name, with sec's other
// secrets; it returns the refresh token saved.
func saveBrowserSignIn(t *testing.T, st *credstore.Store, srv *sftest.Server, ca, name string, sec credstore.Secrets) string {
	t.Helper()
	refresh, err := srv.BrowserSignIn(user, browserApp, browserRedirect)
	if err != nil {
		t.Fatal(err)
	}
	sec.RefreshToken = refresh
	p := credstore.Profile{Name: name, LoginURL: srv.URL(), Username: user, Method: credstore.MethodOAuthBrowser, ClientID: browserApp, CAFile: ca}
	if err := st.Save(context.Background(), p, sec); err != nil {
		t.Fatal(err)
	}
	return refresh
}

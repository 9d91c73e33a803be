package cli_test

import (
	"bytes"
	"context"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/internal/cli"
	"github.com/advologix/advologix-connect/internal/testing/sftest"
	"github.com/advologix/advologix-connect/internal/testing/testfix"
)

// writerFunc is an io.Writer.
type writerFunc func(p []byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// Issue #23: login --browser opens the browser on the callback listener's
// start address, which carries no state (a program's arguments are public),
// and says who signed in and where before it saves anything.
func TestLoginBrowserOpensStartAndSaysWhoFirst(t *testing.T) {
	emu := testfix.StartEmulator(t, func(c *sftest.Config) {
		c.OrgName = "Firm LLP"
		c.Users = []sftest.User{{Username: user, Password: pass, SecurityToken: token, FullName: "Jane Doe"}}
		c.Apps = []sftest.App{{ClientID: browserApp, RedirectURIs: []string{browserRedirect}, AnyLoopbackPort: true, RequirePKCE: true}}
	})
	pe := newProfileEnv(t)
	var mu sync.Mutex
	var opened []string
	var out, errb bytes.Buffer
	savedWhenTold := "not told"
	e := cli.Env{
		Stdin: strings.NewReader(""), Stdout: &out,
		Stderr: writerFunc(func(p []byte) (int, error) {
			if strings.Contains(string(p), "Signed in as") {
				_, saved := pe.kr.Lookup(credstore.Service, "default:refresh_token")
				savedWhenTold = map[bool]string{true: "saved", false: "not saved"}[saved]
			}
			return errb.Write(p)
		}),
		StdinIsTerminal: func() bool { return false },
		Getenv:          func(string) string { return "" },
		OpenStore:       pe.storeHook(2*time.Second, 2*time.Second),
		OpenBrowser: func(u string) error {
			mu.Lock()
			opened = append(opened, u)
			mu.Unlock()
			return emu.Browser(nil, nil)(u)
		},
	}
	code := cli.Run(context.Background(), e, []string{"login", "--login-url", emu.URL(), "--browser", "--client-id", browserApp,
		"--callback-port", "0", "--ca-file", emu.CAFile})
	if code != cli.ExitOK || !strings.Contains(out.String(), `Saved profile "default"`) {
		t.Fatalf("login --browser: exit %d\n%s%s", code, out.String(), errb.String())
	}
	mu.Lock()
	defer mu.Unlock()
	if len(opened) != 1 {
		t.Fatalf("browser opened %d times: %q", len(opened), opened)
	}
	u, err := url.Parse(opened[0])
	if err != nil || u.Scheme != "http" || u.Hostname() != "127.0.0.1" || u.Path != "/start" || u.RawQuery != "" || u.User != nil {
		t.Errorf("browser opened on %q, want http://127.0.0.1:PORT/start and nothing else", opened[0])
	}
	for _, secret := range []string{"state", "code_challenge", "authorize"} {
		if strings.Contains(opened[0], secret) || strings.Contains(errb.String(), secret) {
			t.Errorf("%q in the browser's argument %q or on stderr:\n%s", secret, opened[0], errb.String())
		}
	}
	want := "Signed in as Jane Doe (" + user + ") at Firm LLP, "
	if !strings.Contains(errb.String(), want) {
		t.Errorf("stderr lacks %q:\n%s", want, errb.String())
	}
	if savedWhenTold != "not saved" {
		t.Errorf("the refresh token was %s when the user was told who signed in", savedWhenTold)
	}
}

//go:build integration

package e2e

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/advologix/advologix-connect/internal/testing/desktoptest"
	"github.com/advologix/advologix-connect/internal/testing/sftest"
	"github.com/advologix/advologix-connect/internal/testing/testbin"
	"github.com/advologix/advologix-connect/internal/testing/testfix"
)

// The one user of the emulated org (testfix's).
const (
	janeUsername = testfix.JaneUsername
	janePassword = testfix.JanePassword
	janeToken    = testfix.JaneToken
	janeFullName = testfix.JaneFullName
	orgName      = testfix.OrgName
)

const (
	trayDemoPkg = "github.com/advologix/advologix-connect/internal/testing/desktoptest/testdata/traydemo"

	// waitLong bounds waits for the app: generous for a cold start under
	// the race detector, short enough that a hang fails fast.
	waitLong = 20 * time.Second
)

func TestMain(m *testing.M) { testbin.Main(m) }

// build returns pkg's executable, built once for the whole run (see
// internal/testing/testbin). A failed build fails every test that needs it.
func build(t *testing.T, pkg string) string {
	t.Helper()
	return testbin.Build(t, pkg)
}

// buildApp returns the path of the command line advologix-connect built
// from this checkout, beside its desktop program (testbin.Install), or
// the binary named by $ADVOLOGIX_E2E_APP (to run the tests against a
// release build, or an older commit's to show that a test catches a bug).
func buildApp(t *testing.T) string {
	t.Helper()
	if bin := os.Getenv("ADVOLOGIX_E2E_APP"); bin != "" {
		return bin
	}
	return testbin.Install(t).CLI
}

// buildDesktop returns the path of the desktop program
// advologix-connect-desktop beside buildApp's command line: the one in
// $ADVOLOGIX_E2E_APP's folder when that is set.
func buildDesktop(t *testing.T) string {
	t.Helper()
	if bin := os.Getenv("ADVOLOGIX_E2E_APP"); bin != "" {
		return filepath.Join(filepath.Dir(bin), "advologix-connect-desktop")
	}
	return testbin.Install(t).Desktop
}

// requireSession fails (never skips) outside scripts/test-session.sh.
func requireSession(t *testing.T) {
	t.Helper()
	testfix.RequireSession(t, "go test -tags integration ./internal/testing/e2e/")
}

// requireTools fails naming every missing command.
func requireTools(t *testing.T, tools ...string) {
	t.Helper()
	var missing []string
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			missing = append(missing, tool)
		}
	}
	if len(missing) > 0 {
		t.Fatalf("missing %s (run scripts/ensure-deps.sh runtime-test)", strings.Join(missing, ", "))
	}
}

// startEmulator starts testfix's Salesforce emulator, Jane as its one
// user, and returns it with its CA file for --ca-file. Both go away at
// the end of the test.
func startEmulator(t *testing.T) (srv *sftest.Server, caPath string) {
	t.Helper()
	e := testfix.StartEmulator(t, nil)
	return e.Server, e.CAFile
}

// appEnv is testfix.AppEnv in a temp dir of the test (settings and Fyne
// preferences start empty, no ADVOLOGIX_* variable), in the test session.
// The keychain is the session's and is shared by every test of the run:
// use distinct profile names or log out at cleanup.
func appEnv(t *testing.T) []string {
	t.Helper()
	requireSession(t)
	return testfix.AppEnv(t, t.TempDir())
}

// artifactsDir is $ADVOLOGIX_ARTIFACTS/e2e, or a temp dir.
func artifactsDir(t *testing.T) string {
	t.Helper()
	root := os.Getenv("ADVOLOGIX_ARTIFACTS")
	if root == "" {
		return t.TempDir()
	}
	dir := filepath.Join(root, "e2e")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatalf("artifacts: %v", err)
	}
	return dir
}

// fileName makes s safe as a file name.
func fileName(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
			return r
		}
		return '_'
	}, s)
}

// TestHarness proves the helpers on this machine before the app's own
// tests rely on them: the app builds and starts, the emulator answers
// through the CA file, and in a desktop of its own a real Fyne program
// (testdata/traydemo of internal/testing/desktoptest) registers its tray icon
// with xfce4-panel's Status Tray, shows a window that is found by its
// process and exact title, photographed and read back by OCR, sends a
// notification that xfce4-notifyd shows on screen, and quits through its
// tray menu. A harness that cannot see is a failure, not a pass.
func TestHarness(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*waitLong)
	defer cancel()

	bin := buildApp(t)
	if code := startProcess(t, appEnv(t), bin, "version").wait(t, waitLong); code != 0 {
		t.Errorf("advologix-connect version: exit %d", code)
	}

	srv, caPath := startEmulator(t)
	pemBytes, err := os.ReadFile(caPath)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pemBytes) {
		t.Fatalf("%s holds no certificate", caPath)
	}
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL()+"/services/data/", nil)
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("the emulator through %s: %v", caPath, err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("GET /services/data/: %s", resp.Status)
	}

	d := newDesk(t)
	if owner := d.PanelPID(); owner == 0 {
		t.Fatal("no panel")
	}
	panelBefore := d.panelShot(t, "panel-before")
	demo := startProcess(t, d.Env(), build(t, trayDemoPkg), "-window")
	demo.standIn = true
	item, err := desktoptest.WaitRegisteredPID(ctx, d.Conn, demo.Pid())
	if err != nil {
		t.Fatalf("%v\n%s", err, demo.Output())
	}
	t.Logf("tray item registered with xfce4-panel: %s", item)
	d.assertTrayDrawn(t, panelBefore, "panel-with-traydemo")

	ctxw, cancelw := context.WithTimeout(ctx, waitLong)
	defer cancelw()
	win, err := d.WaitWindow(ctxw, demo.Pid(), "traydemo window")
	if err != nil {
		t.Fatal(err)
	}
	text := d.shows(win, "traydemo-window", []int{demo.Pid()}, "Hello from traydemo", "here to be photographed")
	// OCR tells pictures apart: this one is not the wizard.
	if text.Contains("Where do you sign in to Salesforce?") || text.Contains("Hello from AdvoLogix") {
		t.Errorf("OCR finds text that is not in the picture:\n%s", text)
	}

	// A window of someone else is noticed.
	foreign := startProcess(t, d.Env(), build(t, trayDemoPkg), "-window")
	foreign.standIn = true
	if _, err := d.WaitWindow(ctxw, foreign.Pid(), "traydemo window"); err != nil {
		t.Fatal(err)
	}
	if ws, err := d.ForeignWindows(demo.Pid()); err != nil || len(ws) != 1 || ws[0].PID != foreign.Pid() {
		t.Errorf("ForeignWindows(%d) = %v, %v; want the second traydemo's window only", demo.Pid(), ws, err)
	}
	foreign.stop(t)

	// Its menu, clicked through the real host's bus: the notification
	// goes to xfce4-notifyd, which shows it in a window of its own.
	popupsBefore := d.notifydWindows(t)
	if err := demo.pickMenu(ctx, d.Conn, item, "Test connection"); err != nil {
		t.Fatal(err)
	}
	n, err := d.Notes.WaitFrom(ctx, demo.Pid(), 0)
	if err != nil {
		t.Fatal(err)
	}
	if n.Summary != "Clicked" || n.Body != "hello" {
		t.Errorf("notification sent = %q / %q", n.Summary, n.Body)
	}
	popup := d.newNotifydWindow(t, popupsBefore)
	d.shows(popup, "traydemo-notification", []int{demo.Pid()}, "Clicked", "hello")

	if err := demo.pickMenu(ctx, d.Conn, item, "Quit"); err != nil {
		t.Fatal(err)
	}
	if code := demo.wait(t, waitLong); code != 0 {
		t.Errorf("traydemo after Quit: exit %d", code)
	}
}

package ui

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/internal/testing/sftest"
	"github.com/advologix/advologix-connect/internal/testing/testfix"
)

const (
	jane      = testfix.JaneUsername
	janePass  = testfix.JanePassword
	janeToken = testfix.JaneToken
)

// fixture is a UI on a Fyne test app, a real credstore on an in-memory
// keychain, and the Salesforce emulator.
type fixture struct {
	t      *testing.T
	app    *recordingApp
	u      *UI
	store  *credstore.Store
	kr     *testfix.Keyring
	srv    *sftest.Server
	ca     string
	opened []string
	auto   *fakeAutostart
	proxy  *sftest.ConnectProxy // a proxy the test set up, if any

	mu    sync.Mutex
	queue []func()
}

func newFixture(t *testing.T, mod func(*sftest.Config)) *fixture {
	t.Helper()
	for _, v := range []string{"HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"} {
		os.Unsetenv(v)
	}
	emu := testfix.StartEmulator(t, mod)
	f := &fixture{t: t, srv: emu.Server, ca: emu.CAFile, kr: testfix.NewKeyring(), auto: &fakeAutostart{}}
	var err error
	f.store, err = credstore.Open(credstore.Options{Dir: t.TempDir(), Keyring: f.kr,
		ReadTimeout: 300 * time.Millisecond, SaveTimeout: 500 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	f.app = &recordingApp{App: test.NewTempApp(t)}
	f.u = New(f.app, Options{
		Store:     f.store,
		Autostart: f.auto,
		OpenURL:   func(u *url.URL) error { f.opened = append(f.opened, u.String()); return nil },
		Timeout:   5 * time.Second,
	})
	f.u.post = f.enqueue
	t.Cleanup(f.u.StopTray)
	return f
}

// enqueue is the fixture's fyne.Do: the test goroutine runs the queue in
// wait, so all widget changes happen on one goroutine, as in the real app.
func (f *fixture) enqueue(fn func()) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.queue = append(f.queue, fn)
}

// wait lets background work (checks, keychain calls) finish and runs what
// it hands back to the UI, until nothing is left.
func (f *fixture) wait() {
	for {
		f.u.tasks.Wait()
		f.mu.Lock()
		q := f.queue
		f.queue = nil
		f.mu.Unlock()
		if len(q) == 0 {
			return
		}
		for _, fn := range q {
			fn()
		}
	}
}

// openSettings opens the Settings window and lets it load.
func (f *fixture) openSettings() *settingsWindow {
	f.u.ShowSettings()
	f.wait()
	return f.u.settings
}

// saveProfile stores a working profile for Jane, as the CLI would.
func (f *fixture) saveProfile(name string, sec credstore.Secrets) credstore.Profile {
	f.t.Helper()
	p := credstore.Profile{Name: name, LoginURL: f.srv.URL(), Username: jane, Method: credstore.MethodSOAP, CAFile: f.ca}
	if err := f.store.Save(context.Background(), p, sec); err != nil {
		f.t.Fatal(err)
	}
	return p
}

// startTray starts the tray and lets it load its first state.
func (f *fixture) startTray() {
	f.t.Helper()
	if !f.u.StartTray() {
		f.t.Fatal("no tray")
	}
	f.wait()
}

// openWizard opens the set-up wizard.
func (f *fixture) openWizard() *wizard {
	f.u.ShowWizard()
	return f.u.wizard
}

// logins counts the emulator's login requests so far.
func (f *fixture) logins() int { return loginRequests(f.srv) }

// typeMyDomain chooses My Domain in a form and types the emulator's
// address.
func (f *fixture) typeMyDomain(form *profileForm) {
	form.env.SetSelected(envMyDomain)
	test.Type(form.myDomain, f.srv.URL())
}

// testTyped fills the Settings form for Jane with token and tests it.
func (f *fixture) testTyped(s *settingsWindow, token string) {
	f.fillForm(s.form, jane, janePass, token)
	test.Tap(s.testBtn)
	f.wait()
}

// fillForm types the emulator's address and the credentials into a form.
func (f *fixture) fillForm(form *profileForm, user, pass, token string) {
	f.typeMyDomain(form)
	test.Type(form.username, user)
	test.Type(form.password, pass)
	test.Type(form.token, token)
	if f.ca != "" {
		test.Type(form.caFile, f.ca)
	}
}

// walkObjects calls visit for o and everything it shows — the objects of
// widgets' renderers and of containers — until visit returns false;
// visibleOnly passes over hidden objects and what they hold.
func walkObjects(o fyne.CanvasObject, visibleOnly bool, visit func(fyne.CanvasObject) bool) bool {
	if o == nil || (visibleOnly && !o.Visible()) {
		return true
	}
	if !visit(o) {
		return false
	}
	var children []fyne.CanvasObject
	switch v := o.(type) {
	case fyne.Widget:
		children = test.WidgetRenderer(v).Objects()
	case *fyne.Container:
		children = v.Objects
	}
	for _, child := range children {
		if !walkObjects(child, visibleOnly, visit) {
			return false
		}
	}
	return true
}

// find returns the first visible object of type T in a canvas (dialogs
// first) that match accepts.
func find[T fyne.CanvasObject](c fyne.Canvas, match func(T) bool) T {
	var found T
	visit := func(o fyne.CanvasObject) bool {
		if v, ok := o.(T); ok && (match == nil || match(v)) {
			found = v
			return false
		}
		return true
	}
	for _, o := range append(c.Overlays().List(), c.Content()) {
		if !walkObjects(o, true, visit) {
			break
		}
	}
	return found
}

// findButton finds a visible button by its text in a window's content and
// overlays (dialogs).
func findButton(t *testing.T, c fyne.Canvas, text string) *widget.Button {
	t.Helper()
	b := lookupButton(c, text)
	if b == nil {
		t.Fatalf("no visible button %q", text)
	}
	return b
}

// lookupButton is findButton that returns nil when there is none.
func lookupButton(c fyne.Canvas, text string) *widget.Button {
	o := find(c, func(o fyne.CanvasObject) bool {
		switch b := o.(type) {
		case *widget.Button:
			return b.Text == text
		case *keyButton:
			return b.Text == text
		}
		return false
	})
	switch b := o.(type) {
	case *widget.Button:
		return b
	case *keyButton:
		return &b.Button
	}
	return nil
}

// overlayText gathers the label texts of the top dialog.
func overlayText(c fyne.Canvas) string {
	var b strings.Builder
	walkObjects(c.Overlays().Top(), false, func(o fyne.CanvasObject) bool {
		if l, ok := o.(*widget.Label); ok {
			b.WriteString(l.Text + "\n")
		}
		return true
	})
	return b.String()
}

// recordingApp is the Fyne test app with a desktop tray and a log of
// notifications (the test driver keeps only the last one and has no tray).
type recordingApp struct {
	fyne.App
	mu            sync.Mutex
	notifications []*fyne.Notification
	menu          *fyne.Menu
	menuSets      int // SetSystemTrayMenu calls: each renumbers the host's items
	icon          fyne.Resource
}

func (a *recordingApp) SendNotification(n *fyne.Notification) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.notifications = append(a.notifications, n)
}

func (a *recordingApp) SetSystemTrayMenu(m *fyne.Menu) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.menu = m
	a.menuSets++
}

func (a *recordingApp) SetSystemTrayIcon(r fyne.Resource) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.icon = r
}

func (a *recordingApp) SetSystemTrayWindow(fyne.Window) {}

func (a *recordingApp) sent() []*fyne.Notification {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]*fyne.Notification(nil), a.notifications...)
}

// menuItem returns the tray menu item labelled label.
func (a *recordingApp) menuItem(t *testing.T, label string) *fyne.MenuItem {
	t.Helper()
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.menu == nil {
		t.Fatal("no tray menu")
	}
	for _, it := range a.menu.Items {
		if it.Label == label || strings.HasPrefix(it.Label, label) {
			return it
		}
	}
	t.Fatalf("no tray menu item %q", label)
	return nil
}

type fakeAutostart struct {
	mu      sync.Mutex
	enabled bool
}

func (f *fakeAutostart) Enabled() (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.enabled, nil
}
func (f *fakeAutostart) Enable() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.enabled = true
	return nil
}
func (f *fakeAutostart) Disable() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.enabled = false
	return nil
}

// gatedFixture is newFixture (with mod, if not nil) whose SOAP logins
// wait until release is called (see gate).
func gatedFixture(t *testing.T, mod func(*sftest.Config)) (f *fixture, release func()) {
	t.Helper()
	f = newFixture(t, func(c *sftest.Config) {
		if mod != nil {
			mod(c)
		}
		release = gate(c)
	})
	return f, release
}

// gate makes the emulator hold SOAP logins until released, to observe the
// busy state.
func gate(cfg *sftest.Config) (release func()) {
	ch := make(chan struct{})
	var once sync.Once
	cfg.Intercept = func(w http.ResponseWriter, r *http.Request) bool {
		if strings.HasPrefix(r.URL.Path, "/services/Soap/") {
			<-ch
		}
		return false
	}
	return func() { once.Do(func() { close(ch) }) }
}

// dialogEntry finds the entry of the top dialog (a form dialog).
func dialogEntry(t *testing.T, c fyne.Canvas) *widget.Entry {
	t.Helper()
	var found *widget.Entry
	walkObjects(c.Overlays().Top(), false, func(o fyne.CanvasObject) bool {
		switch v := o.(type) {
		case *widget.Entry:
			found = v
		case *keyEntry:
			found = &v.Entry
		}
		return found == nil
	})
	if found == nil {
		t.Fatal("no entry in the top dialog")
	}
	return found
}

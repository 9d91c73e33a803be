package ui

import (
	"context"
	"net/url"
	"sync"
	"time"

	"fyne.io/fyne/v2"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/internal/connection"
	"github.com/advologix/advologix-connect/sfclient"
)

// Store is what the UI needs from credstore.
type Store interface {
	Load() (credstore.Settings, error)
	Profile(name string) (credstore.Profile, error)
	Default() (credstore.Profile, error)
	Secrets(ctx context.Context, name string) (credstore.Secrets, error)
	Save(ctx context.Context, p credstore.Profile, sec credstore.Secrets) error
	Delete(ctx context.Context, name string) error
	Rename(ctx context.Context, oldName, newName string) error
	SetDefault(name string) error
	SavePrefs(p credstore.Prefs) error
	UpdateSecret(ctx context.Context, name, kind, value string) error
	Probe(ctx context.Context) error
}

// Autostart turns "start in the tray at login" on and off.
type Autostart interface {
	Enabled() (bool, error)
	Enable() error
	Disable() error
}

// Icons are the app's images: the window icon and the tray's three states.
type Icons struct {
	App, TrayOK, TrayFailing, TrayUnknown fyne.Resource
}

// Options configure the UI.
type Options struct {
	Store         Store
	Icons         Icons
	Autostart     Autostart            // nil: the wizard does not offer it
	OpenURL       func(*url.URL) error // default: the app's OpenURL
	Timeout       time.Duration        // per check; default sfclient.DefaultTimeout
	CheckInterval time.Duration        // tray re-check; 0: 30 minutes; negative: never
	// TrayHostAvailable reports whether a tray can be shown at all; nil
	// means yes.
	TrayHostAvailable func() bool
	// Getenv reads the environment ($ADVOLOGIX_CLIENT_ID); nil: none.
	Getenv func(string) string
	// CallbackPort and SignInTimeout configure browser sign-in; zero: the
	// defaults (7890, 3 minutes).
	CallbackPort  int
	SignInTimeout time.Duration
	// Policy is the IT policy (credstore.LoadPolicy); the zero Policy: none.
	Policy credstore.Policy
	// ScreenArea is the usable area of the screen (without task bars and
	// panels) in screen pixels; windows are never taller. Nil: unknown.
	// It is called on Fyne's goroutine.
	ScreenArea func() (width, height int)
}

// UI is the running desktop app.
type UI struct {
	app      fyne.App
	opt      Options
	svc      *connection.Service // every workflow: test, save, sign in, check
	settings *settingsWindow
	wizard   *wizard
	tray     *tray
	side     traySide // tray.go

	tasks sync.WaitGroup // background work in flight, so tests can wait for it
	// post runs a function on Fyne's goroutine: fyne.Do. Tests replace it
	// with a queue they drain on the test goroutine, because the test
	// driver runs fyne.Do inline on the calling goroutine.
	post func(func())
}

// New prepares the UI; nothing is shown until Open, ShowSettings or
// StartTray.
func New(a fyne.App, opt Options) *UI {
	opt = withPolicy(opt)
	if opt.Timeout <= 0 {
		opt.Timeout = sfclient.DefaultTimeout
	}
	if opt.CheckInterval == 0 {
		opt.CheckInterval = 30 * time.Minute
	}
	if opt.OpenURL == nil {
		opt.OpenURL = a.OpenURL
	}
	if opt.Icons.App != nil {
		a.SetIcon(opt.Icons.App)
	}
	useAppTheme(a)
	return &UI{app: a, opt: opt, svc: newService(opt), post: fyne.Do}
}

// newService is the use-case layer the UI runs on, from its options.
func newService(opt Options) *connection.Service {
	return &connection.Service{Store: opt.Store, Policy: opt.Policy, Timeout: opt.Timeout, Getenv: opt.Getenv}
}

// Open shows the Settings window, or the first-run wizard when no profile
// exists yet.
func (u *UI) Open() {
	if s, err := u.opt.Store.Load(); err == nil && len(s.Profiles) == 0 {
		u.ShowWizard()
		return
	}
	u.ShowSettings()
}

// ShowSettings opens the Settings window, or brings it forward.
func (u *UI) ShowSettings() {
	if u.wizard != nil && u.wizard.win != nil && u.wizard.open {
		u.wizard.win.Show()
		u.wizard.win.RequestFocus()
		return
	}
	if u.settings == nil {
		u.settings = newSettingsWindow(u)
		u.watchWindow(u.settings.win)
	}
	u.settings.show()
}

// ShowWizard opens the first-run wizard.
func (u *UI) ShowWizard() {
	if u.wizard == nil || !u.wizard.open {
		u.wizard = newWizard(u)
		u.watchWindow(u.wizard.win)
	}
	u.wizard.win.Show()
	u.wizard.win.RequestFocus()
}

// HandleMessage acts on a message from a second launch of the app.
func (u *UI) HandleMessage(msg string) {
	switch msg {
	case "tray":
		if !u.StartTray() {
			u.Open()
		}
	default:
		u.Open()
	}
}

// trayRunning tells whether closing a window should keep the app alive.
func (u *UI) trayRunning() bool { return u.keepInTray() }

// background runs work on its own goroutine and done with its result on
// Fyne's goroutine.
func background[T any](u *UI, work func() T, done func(T)) {
	u.tasks.Add(1)
	go func() {
		defer u.tasks.Done()
		r := work()
		u.post(func() { done(r) })
	}()
}

// openAddress opens address in the browser for the user to what ("reset
// your security token"); when no browser opens, it says so in plain words
// and offers the address to copy.
func (u *UI) openAddress(win fyne.Window, what, address string) {
	target, err := url.Parse(address)
	if err == nil {
		err = u.opt.OpenURL(target)
	}
	if err != nil {
		showAddress(u.app, win, what, address)
	}
}

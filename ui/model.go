package ui

import (
	"context"
	"strings"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/internal/connection"
)

// The window and the wizard are views over a small model: the form's
// widgets write what is typed into formValues on every change, the
// use-case layer's outcomes go into editModel, and the buttons, the result
// view and the save decisions are rendered from these, never from widget
// text read back.

// formValues are the inputs of a profile form as typed.
type formValues struct {
	env, myDomain                       string // the environment chosen; the My Domain address typed
	username, password, token           string
	method                              string // the method's label
	clientID, apiVersion, proxy, caFile string
}

// hasLogin reports whether a username and a password are typed.
func (v formValues) hasLogin() bool { return strings.TrimSpace(v.username) != "" && v.password != "" }

// attempts is a test or sign-in in flight: its cancel, and which attempt's
// answer still counts (a cancelled one's late answer is dropped).
type attempts struct {
	testing bool // in flight: Cancel stops it
	attempt int
	cancel  context.CancelFunc
}

// start begins an attempt.
func (a *attempts) start() (context.Context, int) {
	ctx, cancel := context.WithCancel(context.Background())
	a.cancel = cancel
	a.attempt++
	a.testing = true
	return ctx, a.attempt
}

// end ends attempt n; false when it was cancelled (its answer is stale and
// must not be shown or reused).
func (a *attempts) end(n int) bool {
	if n != a.attempt {
		return false
	}
	a.stop()
	a.testing = false
	return true
}

// abandon cancels the attempt in flight and drops its answer.
func (a *attempts) abandon() {
	a.end(a.attempt)
	a.attempt++
}

// stop cancels the attempt in flight, if any.
func (a *attempts) stop() {
	if a.cancel != nil {
		a.cancel()
		a.cancel = nil
	}
}

// editModel is the state of the Settings window: the profile being edited,
// its saved secrets, the last outcome and what the window may do now.
type editModel struct {
	current   string            // profile being edited
	isNew     bool              // not saved yet
	isDefault bool              // current is the default profile
	loaded    credstore.Secrets // secrets read from the keychain for current
	dirty     bool              // changed since loaded or saved
	busy      bool              // keychain or settings work, or an attempt, in flight
	// keychainErr is why saving is not possible now (nil: it is).
	keychainErr error
	// last is the outcome of the last test of typed inputs: Save hands it
	// to the use-case layer, which reuses it only for exactly these inputs.
	last *connection.Outcome
	attempts
}

// edit starts editing profile name (saved or new): nothing changed, no
// test yet.
func (m *editModel) edit(name string, isNew, isDefault bool) {
	m.current, m.isNew, m.isDefault, m.dirty, m.last = name, isNew, isDefault, false, nil
	m.loaded = credstore.Secrets{}
}

// saved notes that name was saved with sec.
func (m *editModel) saved(name string, sec credstore.Secrets) {
	m.current, m.isNew, m.dirty, m.loaded = name, false, false, sec
}

// secrets are the typed secrets plus those the form does not show (a
// browser sign-in's refresh token, a client secret), as p uses them.
func (m *editModel) secrets(p credstore.Profile, typed credstore.Secrets) credstore.Secrets {
	typed.RefreshToken = m.loaded.RefreshToken
	typed.ClientSecret = m.loaded.ClientSecret
	return connection.SecretsFor(p, typed)
}

// canSave reports whether Save is offered.
func (m *editModel) canSave() bool { return !m.busy && m.keychainErr == nil && (m.dirty || m.isNew) }

// canEditSaved reports whether Rename and Delete are offered.
func (m *editModel) canEditSaved() bool { return !m.busy && !m.isNew && m.keychainErr == nil }

// hasSignIn reports whether the profile has a browser sign-in to test.
func (m *editModel) hasSignIn() bool { return !m.isNew && m.loaded.RefreshToken != "" }

// wizardModel is the state of the first-run wizard.
type wizardModel struct {
	step int
	// last is the outcome of the last test or sign-in.
	last connection.Outcome
	busy bool // an attempt or a save in flight
	// viaBrowser: the test page shows a browser sign-in.
	viaBrowser bool
	// saved: the profile is in the keychain (Save, or Save anyway).
	saved bool
	attempts
}

package connection

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/sfclient"
)

// ServiceStore is what the use cases need from credstore.
type ServiceStore interface {
	Store
	Load() (credstore.Settings, error)
	Profile(name string) (credstore.Profile, error)
	Default() (credstore.Profile, error)
	Save(ctx context.Context, p credstore.Profile, sec credstore.Secrets) error
	SetDefault(name string) error
	Delete(ctx context.Context, name string) error
	Probe(ctx context.Context) error
}

// Service holds the workflows every face of the app runs — test, test and
// save, sign in and save, check a saved profile, open a session, remove —
// and returns each as one Outcome. The command line, the window, the
// wizard and the tray only gather inputs and render what it returns.
type Service struct {
	Store  ServiceStore
	Policy credstore.Policy
	// Timeout bounds one login attempt; 0: sfclient.DefaultTimeout.
	Timeout time.Duration
	// Getenv reads $ADVOLOGIX_CLIENT_ID for browser sign-in; nil: none.
	Getenv func(string) string
	// Scrub, when set, is told every secret the workflows are given or
	// obtain (a ScrubbingStore tells it those read from the keychain), so
	// that the face showing the outcome can hide them.
	Scrub *Scrubber
}

func (s *Service) timeout() time.Duration {
	if s.Timeout <= 0 {
		return sfclient.DefaultTimeout
	}
	return s.Timeout
}

// Prepare returns p as it will run — IT policy applied, login address
// normalised (a pasted Lightning address becomes its My Domain) — or the
// outcome that stops it before any login: an unusable setting
// (INVALID_PROFILE), a policy violation. Callers use it to fail before
// asking for a password.
func (s *Service) Prepare(p credstore.Profile) (credstore.Profile, *Outcome) {
	s.Scrub.AddProxy(p.Proxy)
	p, err := ApplyPolicy(p, s.Policy)
	if err != nil {
		o := Failed(p, err)
		return p, &o
	}
	if p.LoginURL != "" {
		u, err := sfclient.ParseLoginURL(p.LoginURL)
		if err != nil {
			o := Failed(p, err)
			return p, &o
		}
		p.LoginURL = u.URL
	}
	if _, err := sfclient.ParseMethod(p.Method); err != nil {
		o := Failed(p, err)
		return p, &o
	}
	if _, err := sfclient.New(Config(p, s.timeout())); err != nil {
		o := Failed(p, err)
		return p, &o
	}
	return p, nil
}

// Test logs in once with p and the secrets as typed; nothing is read from
// or written to the keychain.
func (s *Service) Test(ctx context.Context, p credstore.Profile, sec credstore.Secrets) Outcome {
	s.Scrub.AddSecrets(sec)
	p, stop := s.Prepare(p)
	if stop != nil {
		return *stop
	}
	c, err := sfclient.New(Config(p, s.timeout()))
	if err != nil {
		return Failed(p, err)
	}
	// The checker refuses input that cannot be a credential
	// (CREDENTIALS_MALFORMED) without sending it.
	out := checked(p, c.Check(ctx, Credentials(p, sec)))
	out.inputs = fingerprintOf(p, SecretsFor(p, sec), s.timeout())
	return out
}

// SaveOptions say how TestAndSave saves.
type SaveOptions struct {
	// NoCheck saves without a login (offline set-up).
	NoCheck bool
	// Anyway saves although the test in Tested failed (the user's "Save
	// anyway"): no new login, and when Tested is the answer for exactly
	// these inputs, it stays the saved profile's verdict, so the tray and
	// status say "not connected" rather than "not tested".
	Anyway bool
	// MakeDefault makes the profile the default one.
	MakeDefault bool
	// Tested is the outcome of an earlier Test. When it is the answer for
	// exactly these inputs (TestedWith), it is reused instead of logging
	// in again: each failed login counts towards the lockout. Otherwise
	// the inputs are tested anew.
	Tested *Outcome
}

// TestAndSave tests p with sec and saves both when the login works (or
// when opts.NoCheck says not to test). A keychain that cannot save is
// found before the login is spent.
func (s *Service) TestAndSave(ctx context.Context, p credstore.Profile, sec credstore.Secrets, opts SaveOptions) Outcome {
	s.Scrub.AddSecrets(sec)
	p, stop := s.Prepare(p)
	if stop != nil {
		return *stop
	}
	sec = SecretsFor(p, sec)
	// A password login must not send what cannot be a credential; a
	// browser profile sends no password (its refresh token came from
	// Salesforce).
	if p.Method != credstore.MethodOAuthBrowser {
		if err := sfclient.ValidateCredentials(Credentials(p, sec)); err != nil {
			return Failed(p, err)
		}
	}
	if err := s.Store.Probe(ctx); err != nil {
		return Failed(p, err)
	}
	var out Outcome
	switch {
	case opts.Anyway && opts.Tested != nil && s.TestedWith(*opts.Tested, p, sec):
		return s.save(ctx, p, sec, opts.MakeDefault, *opts.Tested)
	case opts.NoCheck || opts.Anyway:
		out = Outcome{Profile: p, Headline: "Saved without a test",
			Result: sfclient.Result{OK: true, Method: sfclient.Method(methodName(p.Method)), LoginURL: p.LoginURL, Username: p.Username, Headline: "Saved without a test"}}
	case opts.Tested != nil && s.TestedWith(*opts.Tested, p, sec):
		out = *opts.Tested
	default:
		out = s.Test(ctx, p, sec)
	}
	if !out.OK() {
		return out
	}
	return s.save(ctx, p, sec, opts.MakeDefault, out)
}

// save stores p and sec and records it in out.
func (s *Service) save(ctx context.Context, p credstore.Profile, sec credstore.Secrets, makeDefault bool, out Outcome) Outcome {
	if err := s.store(ctx, p, sec, out); err != nil {
		f := Failed(p, err)
		f.Checked, f.Result = out.Checked, out.Result
		return f
	}
	if makeDefault {
		if err := s.Store.SetDefault(p.Name); err != nil {
			f := Failed(p, err)
			f.Checked, f.Result = out.Checked, out.Result
			return f
		}
	}
	out.Saved, out.Profile = true, p
	if st, err := s.Store.Load(); err == nil {
		out.Default = st.Default == p.Name
	}
	return out
}

// store saves p and sec, and with them the verdict of out when it is the
// answer of a login with exactly these inputs (the saved profile is then
// tested as saved).
func (s *Service) store(ctx context.Context, p credstore.Profile, sec credstore.Secrets, out Outcome) error {
	vs, ok := s.Store.(VerdictStore)
	v, tested := verdictOf(out)
	if !ok || !tested {
		return s.Store.Save(ctx, p, sec)
	}
	return vs.SaveWithVerdict(ctx, p, sec, v)
}

// ClientID is the consumer key browser sign-in uses for p, in the order
// of ChooseClientID. "" means none is configured.
func (s *Service) ClientID(p credstore.Profile) string {
	var prefs credstore.Prefs
	if st, err := s.Store.Load(); err == nil {
		prefs = st.Prefs
	}
	id, _ := ChooseClientID(p.ClientID, s.Policy, prefs, s.Getenv)
	return id
}

// Resolve finds saved profile name ("": the default) as it will run.
func (s *Service) Resolve(name string) (credstore.Profile, *Outcome) {
	var p credstore.Profile
	var err error
	if name == "" {
		p, err = s.Store.Default()
	} else {
		p, err = s.Store.Profile(name)
	}
	if errors.Is(err, credstore.ErrNotFound) {
		o := Failed(credstore.Profile{Name: name}, NoProfile(name))
		return p, &o
	}
	if err != nil {
		o := Failed(credstore.Profile{Name: name}, err)
		return p, &o
	}
	return s.Prepare(p)
}

// CheckSaved tests saved profile name ("": the default) with the secrets
// in the keychain: one login. A refresh token Salesforce rotates replaces
// the saved one; when that save fails the outcome keeps the login's
// answer and says so in a warning.
func (s *Service) CheckSaved(ctx context.Context, name string) Outcome {
	p, stop := s.Resolve(name)
	if stop != nil {
		return *stop
	}
	return s.checkProfile(ctx, p)
}

// CheckProfile tests saved profile p (as given; policy applied) with its
// secrets in the keychain. The tray and the window use it for a profile
// they already hold.
func (s *Service) CheckProfile(ctx context.Context, p credstore.Profile) Outcome {
	p, stop := s.Prepare(p)
	if stop != nil {
		return *stop
	}
	return s.checkProfile(ctx, p)
}

func (s *Service) checkProfile(ctx context.Context, p credstore.Profile) Outcome {
	s.finishSwitch(ctx, p)
	var out Outcome
	if sc, ok := s.sessionCache(); ok && p.LoginMethod() == credstore.MethodOAuthBrowser {
		out = s.checkShared(ctx, p, sc)
	} else {
		out = checkStored(ctx, s.Store, p, s.timeout())
	}
	s.recordVerdict(context.WithoutCancel(ctx), out)
	return out
}

// checkStored tests prepared profile p with its secrets in st: one login.
// Diagnose shares it with the Service.
func checkStored(ctx context.Context, st Store, p credstore.Profile, timeout time.Duration) Outcome {
	c, cr, stop := login(ctx, st, p, timeout)
	if stop != nil {
		return *stop
	}
	var saveErr error
	cr.OnRefreshTokenRotated = func(tok string) {
		saveErr = st.UpdateSecret(ctx, p.Name, credstore.KindRefreshToken, tok)
	}
	out := checked(p, c.Check(ctx, cr))
	noteAround(&out, p, saveErr)
	return out
}

// login reads p's secrets from st and prepares its checker.
func login(ctx context.Context, st Store, p credstore.Profile, timeout time.Duration) (*sfclient.Checker, sfclient.Credentials, *Outcome) {
	sec, err := st.Secrets(ctx, p.Name)
	if err != nil {
		if errors.Is(err, credstore.ErrNotFound) {
			err = &MissingError{Profile: p.Name, Err: err}
		}
		o := Failed(p, err)
		return nil, sfclient.Credentials{}, &o
	}
	c, err := sfclient.New(Config(p, timeout))
	if err != nil {
		o := Failed(p, err)
		return nil, sfclient.Credentials{}, &o
	}
	return c, Credentials(p, sec), nil
}

// noteAround adds the warnings around a saved profile's login: an
// interrupted save, a rotated refresh token that could not be kept.
func noteAround(o *Outcome, p credstore.Profile, saveErr error) {
	if saveErr != nil {
		o.warn(fmt.Sprintf("save the refresh token Salesforce rotated: %v", saveErr))
	}
	if p.Interrupted() && !o.OK() {
		o.warn(fmt.Sprintf("the last save of profile %q was interrupted; enter the credentials again", p.Name))
	}
}

// SessionOutcome is a Session handed out, or the outcome that stopped it.
type SessionOutcome struct {
	Outcome
	Session Session
}

// Session hands out a working session of saved profile name ("": the
// default): the one cached in the keychain while the REST API takes it,
// else one login — SOAP login() for a password profile (its session id), a
// refresh-token grant for a browser profile (its access token) — made by
// one program at a time (see sharedSession). A login answering
// PASSWORD_EXPIRED hands out nothing.
func (s *Service) Session(ctx context.Context, name string) SessionOutcome {
	p, stop := s.Resolve(name)
	if stop != nil {
		return SessionOutcome{Outcome: *stop}
	}
	s.finishSwitch(ctx, p)
	if sc, ok := s.sessionCache(); ok {
		return s.sharedSession(ctx, p, sc)
	}
	c, cr, stop := login(ctx, s.Store, p, s.timeout())
	if stop != nil {
		return SessionOutcome{Outcome: *stop}
	}
	var saveErr error
	cr.OnRefreshTokenRotated = func(tok string) {
		saveErr = s.Store.UpdateSecret(ctx, p.Name, credstore.KindRefreshToken, tok)
	}
	g, res := c.Login(ctx, cr)
	return s.grantOutcome(ctx, p, c, g, res, saveErr)
}

// Remove deletes saved profile name and its secrets.
func (s *Service) Remove(ctx context.Context, name string) Outcome {
	p := credstore.Profile{Name: name}
	if err := s.Store.Delete(ctx, name); err != nil {
		if errors.Is(err, credstore.ErrNotFound) {
			err = NoProfile(name)
		}
		return Failed(p, err)
	}
	return Outcome{Profile: p, Headline: "Removed"}
}

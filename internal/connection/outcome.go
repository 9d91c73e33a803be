package connection

import (
	"errors"
	"fmt"
	"strings"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/sfclient"
)

// Code is the stable identifier of every outcome a user or a script can
// see. Login codes are sfclient's (INVALID_LOGIN, TIMEOUT, OAUTH_…,
// SIGNIN_…); the codes below are the ones that arise around a login: the
// profile, the settings file, the keychain and the IT policy. The empty
// Code means it worked.
type Code = sfclient.Code

// Codes of failures before or around a login. Their strings are a contract
// with scripts (check --json, status --json).
const (
	// CodeUsage: the request itself cannot be carried out as given (a flag,
	// an unusable login address typed on the command line).
	CodeUsage Code = "USAGE_ERROR"
	// CodeError: a failure no other code describes.
	CodeError Code = "ERROR"

	// CodeProfileNotFound: no profile by that name, or none saved yet.
	CodeProfileNotFound Code = "PROFILE_NOT_FOUND"
	// CodeProfileExists: a profile by that name already exists.
	CodeProfileExists Code = "PROFILE_EXISTS"
	// CodeInvalidProfile: the profile's settings (login URL, method, API
	// version, proxy, CA file) cannot be used; nothing was sent.
	CodeInvalidProfile Code = "INVALID_PROFILE"
	// CodeSecretsMissing: the keychain no longer holds a secret the
	// profile needs.
	CodeSecretsMissing Code = "SECRETS_MISSING"

	// Keychain failures (credstore.KeychainError).
	CodeKeychainUnavailable Code = "KEYCHAIN_UNAVAILABLE"
	CodeKeychainLocked      Code = "KEYCHAIN_LOCKED"
	CodeKeychainTooBig      Code = "KEYCHAIN_TOO_BIG"
	CodeKeychainError       Code = "KEYCHAIN_ERROR"

	// Settings file failures (credstore.SettingsError).
	CodeSettingsInsecure     Code = "SETTINGS_INSECURE"
	CodeSettingsTooBig       Code = "SETTINGS_TOO_BIG"
	CodeSettingsCorrupt      Code = "SETTINGS_CORRUPT"
	CodeSettingsNewerVersion Code = "SETTINGS_NEWER_VERSION"
	CodeSettingsBusy         Code = "SETTINGS_BUSY"
	CodeSettingsIO           Code = "SETTINGS_IO"

	// IT policy.
	// CodePolicyInvalid: the IT policy cannot be read or used.
	CodePolicyInvalid Code = "POLICY_INVALID"
	// CodePolicyInsecure: the IT policy file could be written by someone
	// other than an administrator, or is not a regular file.
	CodePolicyInsecure Code = "POLICY_INSECURE"
	// CodePolicyLocked: an input contradicts a value the policy locks.
	CodePolicyLocked Code = "POLICY_LOCKED"
	// CodePolicyViolation: a profile the policy does not allow (method,
	// login host).
	CodePolicyViolation Code = "POLICY_VIOLATION"
	// CodeInstanceRefused: session's login worked, but the instance URL
	// Salesforce named is not one the app sends tokens to: no token is
	// handed out.
	CodeInstanceRefused = sfclient.CodeInstanceRefused
)

// Codes lists every code this package produces besides sfclient's, for
// tests and documentation.
var Codes = []Code{
	CodeUsage, CodeError, CodeProfileNotFound, CodeProfileExists, CodeInvalidProfile, CodeSecretsMissing,
	CodeKeychainUnavailable, CodeKeychainLocked, CodeKeychainTooBig, CodeKeychainError,
	CodeSettingsInsecure, CodeSettingsTooBig, CodeSettingsCorrupt, CodeSettingsNewerVersion, CodeSettingsBusy, CodeSettingsIO,
	CodePolicyInvalid, CodePolicyInsecure, CodePolicyLocked, CodePolicyViolation, CodeInstanceRefused, CodeSwitchOtherUser,
}

// Kind groups outcomes for people.
type Kind int

// Kinds of outcome.
const (
	KindOK          Kind = iota
	KindCredentials      // Salesforce answered and refused
	KindConnection       // no usable answer from Salesforce
	KindLocal            // this computer: the profile, settings file, keychain, policy or input
)

// Outcome is what a use case did, in the one shape every face renders: the
// command line (text and --json), the window, the wizard and the tray. It
// never holds a secret.
type Outcome struct {
	// Code is "" when it worked.
	Code Code
	// Headline is a one-line summary for people.
	Headline string
	// Message is Salesforce's own message, or what failed on this computer.
	Message string
	// Hint says what to do.
	Hint string
	// Suspect is the input most likely at fault.
	Suspect sfclient.Field
	// Warnings are notes that did not stop the use case.
	Warnings []string

	// Checked reports that a login was attempted; Result is its answer.
	Checked bool
	Result  sfclient.Result

	// Profile is the profile the outcome is about, as it ran (policy
	// applied).
	Profile credstore.Profile
	// Saved and Default report what a save did.
	Saved, Default bool

	// Err is the failure behind a local outcome, for errors.Is; nil when
	// it worked or when Salesforce refused the login.
	Err error

	// inputs identifies what Test sent (Service.TestedWith).
	inputs fingerprint
}

// OK reports whether it worked.
func (o Outcome) OK() bool { return o.Code == "" }

// Kind tells which group the outcome belongs to.
func (o Outcome) Kind() Kind {
	switch {
	case o.OK():
		return KindOK
	case o.Checked && !o.Result.OK: // not a save that failed after a good login
		if o.Result.Kind() == sfclient.KindConnection {
			return KindConnection
		}
		return KindCredentials
	case isSignInCode(o.Code):
		return KindConnection
	}
	return KindLocal
}

// Usage reports whether nothing was attempted because the input itself
// cannot be used as given: the command line exits 2 for these.
func (o Outcome) Usage() bool {
	return o.Code == CodeUsage || o.Code == sfclient.CodeCredentialsMalformed || o.Code == CodePolicyLocked
}

// HintWith is Hint with its way to the remedy (Result.Remedy.Way(), which
// names the Settings window's setting and the command line's flag) said as
// way: for a face that has neither, such as the set-up wizard. The hint
// itself is the same for every face; only where to set it differs. It is
// Hint when the outcome asks for no setting, or way has nothing to say.
func (o Outcome) HintWith(way func(sfclient.Remedy) string) string {
	m := o.Result.Remedy
	if !o.Checked || m == sfclient.RemedyNone || way == nil || !strings.Contains(o.Hint, m.Way()) {
		return o.Hint
	}
	own := way(m)
	if own == "" {
		return o.Hint
	}
	return strings.Replace(o.Hint, m.Way(), own, 1)
}

func (o Outcome) String() string {
	if o.OK() {
		return "ok: " + o.Headline
	}
	return fmt.Sprintf("%s: %s", o.Code, o.Headline)
}

// checked makes the outcome of an attempted login.
func checked(p credstore.Profile, r sfclient.Result) Outcome {
	o := Outcome{Checked: true, Result: r, Profile: p, Headline: r.Headline, Message: r.Message,
		Hint: r.Hint, Suspect: r.Suspect, Warnings: append([]string(nil), r.Warnings...)}
	if !r.OK {
		o.Code = r.Code
	}
	return o
}

// FromResult is the outcome of a login answered elsewhere — in another
// process of the app, or by Explain — for a face to render it like its own.
func FromResult(p credstore.Profile, r sfclient.Result) Outcome { return checked(p, r) }

// warn adds a note to o and to its Result (the check --json warnings).
func (o *Outcome) warn(w string) {
	o.Warnings = append(o.Warnings, w)
	if o.Checked {
		o.Result.Warnings = append(o.Result.Warnings, w)
	}
}

// Failed turns an error into the outcome every face shows for it: a code,
// a headline and a hint. p names the profile concerned (its name may be
// empty).
func Failed(p credstore.Profile, err error) Outcome {
	o := Outcome{Profile: p, Err: err, Message: err.Error(), Code: CodeError, Headline: "Something went wrong"}
	var (
		ke  *credstore.KeychainError
		se  *credstore.SettingsError
		pe  *credstore.PolicyError
		pv  *PolicyViolation
		ce  *sfclient.ConfigError
		me  *MissingError
		ie  *sfclient.InputError
		sie *sfclient.SignInError
		nf  *profileError
		ge  *sfclient.GrantError
	)
	switch {
	case errors.As(err, &sie):
		o.Code, o.Message, o.Hint = sie.Code, sie.Message, sie.Hint()
		if sie.Result != nil {
			o.Checked, o.Result, o.Suspect = true, *sie.Result, sie.Result.Suspect
			if sie.Result.Headline != "" {
				o.Headline = sie.Result.Headline
				return o
			}
		}
		o.Headline = signInHeadline(sie.Code)
		return o
	case errors.As(err, &nf):
		o.Code, o.Headline, o.Message, o.Hint = nf.code, nf.headline, nf.msg, nf.hint
		return o
	case errors.As(err, &ke):
		o.Code, o.Headline = Code(ke.Code()), keychainHeadline(ke.Kind)
	case errors.As(err, &se):
		o.Code, o.Headline = Code(se.Code()), "The settings file cannot be used"
	case errors.As(err, &pe):
		o.Code, o.Headline = Code(pe.Code()), "The IT policy on this computer cannot be used"
		if pe.Insecure {
			o.Headline = "The IT policy on this computer is not protected"
		}
	case errors.As(err, &pv):
		o.Code, o.Headline, o.Suspect = CodePolicyViolation, "Your IT department does not allow these settings", sfclient.FieldAdvanced
	case errors.As(err, &ge):
		o.Code, o.Headline = ge.Code, "This session cannot be handed to other programs"
		o.Hint = "No session was handed out. Test the profile (advologix-connect check); if the address above is not your organisation's, tell your IT department."
		return o
	case errors.As(err, &me):
		o.Code, o.Headline = CodeSecretsMissing, "The saved credentials are gone"
	case errors.As(err, &ie):
		o.Code, o.Headline, o.Suspect = sfclient.CodeCredentialsMalformed, "This cannot be a Salesforce credential", sfclient.Field(ie.Field)
		o.Hint = "Enter it again; nothing was sent to Salesforce and nothing was saved."
		return o
	case errors.Is(err, credstore.ErrExists):
		o.Code, o.Headline = CodeProfileExists, "A profile by that name already exists"
		o.Hint = "Choose another name: names that differ only in case are the same name (see advologix-connect status)."
		return o
	case errors.As(err, &ce):
		o.Code, o.Headline, o.Suspect = CodeInvalidProfile, "These settings cannot be used", configSuspect(ce)
		if p.Name != "" {
			o.Message = fmt.Sprintf("profile %q: %v", p.Name, ce)
		}
		o.Hint = "Correct the setting named above, then test again (Settings, or advologix-connect login)."
		return o
	}
	var h interface{ Hint() string }
	if errors.As(err, &h) {
		o.Hint = h.Hint()
	}
	return o
}

// configSuspect is the form field a configuration error is about.
func configSuspect(ce *sfclient.ConfigError) sfclient.Field {
	if ce.Field == "login URL" || ce.Field == "login_url" {
		return sfclient.FieldEnvironment
	}
	return sfclient.FieldAdvanced
}

func keychainHeadline(k credstore.KeychainErrKind) string {
	switch k {
	case credstore.KeychainUnavailable:
		return "There is no keychain to save to"
	case credstore.KeychainLocked:
		return "The keychain is locked"
	case credstore.KeychainTooBig:
		return "A secret is too long for the keychain"
	}
	return "The keychain failed"
}

func isSignInCode(c Code) bool {
	switch c {
	case sfclient.CodeSignInTimeout, sfclient.CodeSignInExchangeTimeout, sfclient.CodeSignInPortInUse,
		sfclient.CodeSignInBrowser, sfclient.CodeSignInNoRefreshToken, sfclient.CodeCanceled:
		return true
	}
	return false
}

// signInHeadline is the headline of a browser sign-in that did not finish.
func signInHeadline(c Code) string {
	switch c {
	case sfclient.CodeSignInTimeout:
		return "The browser sign-in timed out"
	case sfclient.CodeSignInExchangeTimeout:
		return "Salesforce did not finish the sign-in in time"
	case sfclient.CodeSignInPortInUse:
		return "Another sign-in is still waiting"
	case sfclient.CodeSignInBrowser:
		return "The browser could not be opened"
	case sfclient.CodeSignInNoRefreshToken:
		return "Salesforce did not allow staying signed in"
	case sfclient.CodeCanceled:
		return "Sign-in cancelled"
	case sfclient.CodeOAuthAccessDenied:
		return "The sign-in was declined in the browser"
	}
	return "Browser sign-in did not finish"
}

// profileError is a profile that is not there, or already is.
type profileError struct {
	code                Code
	headline, msg, hint string
}

func (e *profileError) Error() string { return e.msg }

// Is lets errors.Is match credstore's sentinels.
func (e *profileError) Is(target error) bool {
	return e.code == CodeProfileNotFound && target == credstore.ErrNotFound ||
		e.code == CodeProfileExists && target == credstore.ErrExists
}

// NoProfile is the error of a profile that is not saved: name "" means
// none is saved at all.
func NoProfile(name string) error {
	if name == "" {
		return &profileError{CodeProfileNotFound, "No profile is saved yet", "no profile is saved yet",
			"Set one up: run advologix-connect (the set-up wizard) or advologix-connect login --profile default --login-url … --username … --password-stdin."}
	}
	return &profileError{CodeProfileNotFound, "There is no such profile", fmt.Sprintf("no profile named %q", name),
		"See the saved profiles with advologix-connect status."}
}

// Usage is the outcome of a request that cannot be carried out as given
// (CodeUsage): a flag missing or misused, settings typed on the command
// line that cannot be used. Nothing was attempted.
func Usage(message string) Outcome {
	return Outcome{Code: CodeUsage, Headline: "This cannot be done as asked", Message: message}
}

// Locked is the outcome of an input that contradicts a value the IT policy
// locks (CodePolicyLocked). Nothing was attempted.
func Locked(message string) Outcome {
	return Outcome{Code: CodePolicyLocked, Headline: "Your IT department has set this", Message: message,
		Hint: "Leave it out: the IT policy's value is used. Ask your IT department if you need another one."}
}

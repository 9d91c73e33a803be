package connection

// This file holds the move of a saved password profile to browser sign-in:
// Salesforce closes the password doors (the OAuth username-password flow on
// 20 February 2027, SOAP login() in Summer '27), and a profile keeps its
// name, environment and settings across the move.

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/sfclient"
)

// CodeSwitchOtherUser: the browser sign-in that was to replace a password
// profile signed in as another user or in another org; nothing changed.
const CodeSwitchOtherUser Code = "SWITCH_OTHER_USER"

// PasswordDoorsClose says when the password ways of logging in stop
// working, for the faces that offer the move.
const PasswordDoorsClose = "Salesforce blocks password logins from other apps on 20 February 2027 (SOAP login() ends in Summer '27)"

// Switcher is the part of credstore.Store that replaces a profile's login
// in crash-safe steps and finishes an interrupted replacement.
type Switcher interface {
	Switch(ctx context.Context, p credstore.Profile, sec credstore.Secrets, v credstore.Verdict) error
	Sweep(ctx context.Context, name string) error
}

// UsesPassword reports whether p logs in with a password (and security
// token): the profiles SwitchToBrowser moves.
func UsesPassword(p credstore.Profile) bool {
	return p.LoginMethod() != credstore.MethodOAuthBrowser
}

// SwitchToBrowser moves saved password profile name ("": the default) to
// browser sign-in. It signs in through the browser at the profile's own
// login address and accepts the result only if it is the profile's user
// (Salesforce usernames are unique across all orgs) in the org its last
// test saw; then the profile — same name, environment, proxy and other
// settings — keeps the refresh token, and its password and security token
// are deleted from the keychain (credstore.Store.Switch: a crash at any
// step leaves a login that works). Another user or org is refused with
// CodeSwitchOtherUser and nothing changed.
func (s *Service) SwitchToBrowser(ctx context.Context, name, clientSecret string, o sfclient.SignInOptions) SignInResult {
	return s.SwitchToBrowserWith(ctx, name, "", clientSecret, o)
}

// SwitchToBrowserWith is SwitchToBrowser signing in with consumer key
// clientID (--client-id) as the profile's own; "": the one ClientID picks.
func (s *Service) SwitchToBrowserWith(ctx context.Context, name, clientID, clientSecret string, o sfclient.SignInOptions) SignInResult {
	p, stop := s.Resolve(name)
	if stop != nil {
		return SignInResult{Outcome: *stop}
	}
	sw, ok := s.Store.(Switcher)
	if !ok {
		return SignInResult{Outcome: Failed(p, errors.New("this store cannot switch a profile's login"))}
	}
	if !UsesPassword(p) {
		_ = sw.Sweep(ctx, p.Name) // finish a switch a crash interrupted
		return SignInResult{Outcome: Outcome{Profile: p, Headline: "Already signs in through the browser: nothing to switch"}}
	}
	bp := p
	if clientID != "" {
		bp.ClientID = clientID
	}
	a, stop, err := s.browserSignIn(ctx, bp, clientSecret, o)
	if stop != nil {
		return SignInResult{Outcome: *stop}
	}
	if err != nil {
		return SignInResult{Outcome: Failed(p, err)}
	}
	signed, sec, res := a.signed, a.sec, a.res
	if refused := s.otherUser(p, res.Result); refused != nil {
		return SignInResult{Outcome: *refused}
	}
	signed.Username = p.Username // the same user, as the profile spells it
	out := checked(signed, res.Result)
	v, _ := verdictOf(out)
	if err := sw.Switch(ctx, signed, sec, v); err != nil {
		f := Failed(p, fmt.Errorf("switch profile %q to browser sign-in: %w", p.Name, err))
		f.Checked, f.Result = true, res.Result
		return SignInResult{Outcome: f}
	}
	out.Saved = true
	if saved, err := s.Store.Profile(p.Name); err == nil {
		out.Profile = saved
	}
	if st, err := s.Store.Load(); err == nil {
		out.Default = st.Default == p.Name
	}
	out.Headline = "Switched to browser sign-in — the password and security token are deleted from this computer"
	return SignInResult{Outcome: out, Callback: res.Callback}
}

// otherUser is the refusal of a sign-in as someone other than p's user,
// or in another org than p's last test saw; nil when it is the same.
func (s *Service) otherUser(p credstore.Profile, r sfclient.Result) *Outcome {
	org := ""
	if vs, ok := s.Store.(VerdictStore); ok {
		if all, err := vs.Verdicts(); err == nil {
			if v, ok := all[p.Name]; ok {
				org = decodeResult(v).OrganizationID
			}
		}
	}
	sameUser := strings.EqualFold(strings.TrimSpace(r.Username), strings.TrimSpace(p.Username))
	sameOrg := org == "" || r.OrganizationID == "" || sameID(org, r.OrganizationID)
	if sameUser && sameOrg {
		return nil
	}
	var who string
	if !sameUser {
		who = fmt.Sprintf("%s, not %s", r.Username, p.Username)
	} else {
		who = fmt.Sprintf("%s in org %s, not org %s", r.Username, r.OrganizationID, org)
	}
	o := Failed(p, SwitchRefused(p.Name, p.Username, who))
	o.Checked, o.Result = true, r
	o.Result.OK = false
	o.Result.Code = CodeSwitchOtherUser
	return &o
}

// sameID compares two Salesforce ids, 15- or 18-character.
func sameID(a, b string) bool {
	if len(a) >= 15 && len(b) >= 15 {
		return a[:15] == b[:15]
	}
	return a == b
}

// noClientID is the outcome of a browser sign-in with no consumer key.
func noClientID(p credstore.Profile) Outcome {
	return Outcome{Profile: p, Code: CodeInvalidProfile, Suspect: sfclient.FieldAdvanced,
		Headline: "Browser sign-in is not set up on this computer",
		Message:  "browser sign-in needs the connected app's consumer key",
		Hint: fmt.Sprintf("Ask your Salesforce admin for the connected app's consumer key and enter it as the Client ID (Advanced in the window, --client-id on the command line), "+
			"or ask IT to set it for this computer ($%s, or default_client_id in the settings file).", ClientIDEnv)}
}

// SwitchRefused is the error of a switch to browser sign-in that signed
// in as someone else (who says as whom, and whom it should have been):
// CodeSwitchOtherUser, nothing changed.
func SwitchRefused(profile, username, who string) error {
	return &profileError{CodeSwitchOtherUser, "The browser signed in as someone else: nothing changed", "signed in as " + who,
		fmt.Sprintf("Profile %q keeps its password login. Sign out of Salesforce in the browser, then switch again and sign in as %s; "+
			"to use the other account, add a new profile for it.", profile, username)}
}

// finishSwitch completes a switch to browser sign-in that a crash
// interrupted after the new login was saved (p still lists the retired
// kinds): the password and security token are deleted now. A failure
// leaves them for the next time; the login works either way.
func (s *Service) finishSwitch(ctx context.Context, p credstore.Profile) {
	if len(p.Retired) == 0 {
		return
	}
	if sw, ok := s.Store.(Switcher); ok {
		_ = sw.Sweep(context.WithoutCancel(ctx), p.Name)
	}
}

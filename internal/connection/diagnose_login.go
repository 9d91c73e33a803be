package connection

// This file holds the login checks of Diagnose: each saved profile's login
// (with --login), and the failed attempts in the user's Login History.

import (
	"fmt"
	"strings"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/sfclient"
)

// HistoryShown is how many failed Login History attempts diagnose lists.
const HistoryShown = 5

// runLogins tests each profile's saved login, with Login; else one SKIP.
func (d *diag) runLogins() {
	if !d.o.Login {
		d.run("login", func() (CheckStatus, string) {
			return CheckSkip, "saved logins not tested: each test counts towards Salesforce's lockout (run diagnose --login)"
		})
		return
	}
	if d.o.Store == nil || d.settingsErr != nil {
		d.run("login", func() (CheckStatus, string) { return CheckFail, "the saved profiles could not be read (see settings)" })
		return
	}
	profiles := d.settings.Profiles
	if d.o.Profile != "" {
		profiles = nil
		if d.profile != nil {
			profiles = []credstore.Profile{*d.profile}
		}
	}
	if len(profiles) == 0 {
		d.run("login", func() (CheckStatus, string) { return CheckSkip, "no saved profile to test" })
		return
	}
	for _, p := range profiles {
		d.run("login:"+p.Name, func() (CheckStatus, string) { return d.checkLogin(p) })
	}
}

func (d *diag) checkLogin(p credstore.Profile) (CheckStatus, string) {
	p, err := d.applyPolicy(p)
	if err != nil {
		return CheckFail, "not tested: " + err.Error()
	}
	o := checkStored(d.ctx, d.o.Store, p, d.o.LoginTimeout)
	if !o.Checked {
		return CheckFail, fmt.Sprintf("not tested: %s: %s", o.Code, o.Message)
	}
	warn := ""
	if len(o.Warnings) > 0 {
		warn = "; " + strings.Join(o.Warnings, "; ")
	}
	r := o.Result
	if r.OK {
		return CheckOK, fmt.Sprintf("logged in as %s to %s (%s) with %s in %d ms%s", r.Who(), r.Org(), r.InstanceURL, r.Method.Label(), r.ElapsedMS, warn)
	}
	return CheckFail, fmt.Sprintf("%s: %s (%s, %s)%s", r.Code, r.Headline, r.Method.Label(), r.LoginURL, warn)
}

// checkLoginHistory lists the last failed attempts from the user's own
// Login History, with a saved browser sign-in of the diagnosed profile's
// user: one token refresh and one query, never a login.
func (d *diag) checkLoginHistory() (CheckStatus, string) {
	if d.o.Store == nil || d.profile == nil {
		return CheckSkip, "no profile, so no browser sign-in to read Login History with"
	}
	bp, ok := *d.profile, d.profile.Method == credstore.MethodOAuthBrowser
	if !ok {
		bp, ok = SessionProfile(d.settings, *d.profile)
		if ok {
			bp, _ = d.applyPolicy(bp)
		}
	}
	if !ok {
		return CheckSkip, fmt.Sprintf("no browser sign-in of %s is saved, so Login History cannot be read (advologix-connect login --browser adds one)", d.profile.Username)
	}
	sec, err := d.o.Store.Secrets(d.ctx, bp.Name)
	if err == nil && sec.RefreshToken == "" {
		err = ErrSecretsMissing
	}
	if err != nil {
		return CheckFail, fmt.Sprintf("profile %q's browser sign-in could not be read: %v", bp.Name, err)
	}
	d.secret(sec.RefreshToken)
	d.secret(sec.ClientSecret)
	bp.Method = credstore.MethodOAuthBrowser
	c, err := sfclient.New(Config(bp, d.o.Timeout))
	if err != nil {
		return CheckFail, fmt.Sprintf("profile %q cannot be used: %v", bp.Name, err)
	}
	var saveErr error
	sess, fail := c.RefreshSession(d.ctx, sfclient.Credentials{RefreshToken: sec.RefreshToken, ClientSecret: sec.ClientSecret,
		OnRefreshTokenRotated: func(tok string) {
			d.secret(tok)
			saveErr = d.o.Store.UpdateSecret(d.ctx, bp.Name, credstore.KindRefreshToken, tok)
		}})
	if fail != nil {
		return CheckFail, fmt.Sprintf("the browser sign-in of profile %q did not work (%s): %s", bp.Name, fail.Code, fail.Headline)
	}
	d.secret(sess.AccessToken)
	h, err := c.QueryLoginHistory(d.ctx, sess)
	if err != nil {
		return CheckFail, err.Error()
	}
	note := ""
	if saveErr != nil {
		note = "; the refresh token Salesforce rotated could not be saved: " + saveErr.Error()
	}
	var failed []string
	for _, a := range h.Attempts {
		if a.Status == "" || strings.EqualFold(a.Status, "Success") {
			continue
		}
		if len(failed) < HistoryShown {
			failed = append(failed, fmt.Sprintf("%s %s (%s)", a.LoginTime.UTC().Format("2006-01-02 15:04:05Z"), a.Status, a.LoginType))
		}
	}
	who := fmt.Sprintf("read with profile %q", bp.Name)
	if len(failed) == 0 {
		return CheckOK, fmt.Sprintf("no failed login among the last %d in %s's Login History (%s)%s", len(h.Attempts), d.profile.Username, who, note)
	}
	detail := fmt.Sprintf("latest failed logins of %s: %s (%s)%s", d.profile.Username, strings.Join(failed, "; "), who, note)
	if newest := h.Attempts[0]; !strings.EqualFold(newest.Status, "Success") {
		return CheckFail, "the latest login failed; " + detail
	}
	return CheckOK, detail
}

package connection

// This file holds the profile check of Diagnose, and the choice of the profile
// (with the IT policy applied) whose login host the network checks use.

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/sfclient"
)

// loadProfile reads the settings and picks the profile to diagnose.
func (d *diag) loadProfile() {
	defer d.secretProxies()
	if d.o.Store == nil {
		d.profileErr = fmt.Errorf("the credential store could not be opened: %v", d.o.StoreErr)
		return
	}
	if runtime.GOOS != "windows" {
		fi, ferr := os.Stat(d.o.Store.Path())
		di, derr := os.Stat(filepath.Dir(d.o.Store.Path()))
		if ferr == nil && derr == nil {
			d.fileMode, d.dirMode, d.modesSeen = fi.Mode().Perm(), di.Mode().Perm(), true
		}
	}
	d.settings, d.settingsErr = d.o.Store.Load()
	if d.settingsErr != nil {
		d.profileErr = fmt.Errorf("the settings could not be read (see settings): %v", d.settingsErr)
		return
	}
	name := d.o.Profile
	if name == "" {
		name = d.settings.Default
		if name == "" {
			if len(d.settings.Profiles) == 0 {
				d.profileErr = errNoProfileYet
			} else {
				d.profileErr = fmt.Errorf("no default profile is set (saved: %s): pass --profile NAME", profileNames(d.settings))
			}
			return
		}
	}
	p, ok := d.settings.Profile(name)
	if !ok {
		d.profileErr = fmt.Errorf("no profile named %q (saved: %s)", name, profileNames(d.settings))
		return
	}
	p, err := d.applyPolicy(p)
	d.profile = &p
	if err != nil {
		d.profileErr = err
		return
	}
	if _, err := sfclient.New(Config(p, d.o.Timeout)); err != nil {
		d.profileErr = fmt.Errorf("profile %q cannot be used: %v", p.Name, err)
		return
	}
	d.login, _ = sfclient.ParseLoginURL(p.LoginURL)
}

var errNoProfileYet = errors.New("no profile is saved yet")

// applyPolicy returns p as the IT policy lets it run (ApplyPolicy); a
// violation is an error with its code in front.
func (d *diag) applyPolicy(p credstore.Profile) (credstore.Profile, error) {
	if d.o.PolicyErr != nil || d.o.Policy.IsZero() {
		return p, nil
	}
	q, err := ApplyPolicy(p, d.o.Policy)
	if err != nil {
		var coded interface{ Code() string }
		if errors.As(err, &coded) {
			err = fmt.Errorf("%s: %w", coded.Code(), err)
		}
		return p, err
	}
	return q, nil
}

func profileNames(s credstore.Settings) string {
	if len(s.Profiles) == 0 {
		return "none"
	}
	names := make([]string, len(s.Profiles))
	for i, p := range s.Profiles {
		names[i] = strconv.Quote(p.Name)
	}
	return strings.Join(names, ", ")
}

// usable reports whether the network checks have a login host.
func (d *diag) usable() bool { return d.profile != nil && d.profileErr == nil && d.login.Host != "" }

// skipNoHost is the SKIP of a network check without a usable profile.
func (d *diag) skipNoHost() (CheckStatus, string) {
	if d.profileErr != nil {
		return CheckSkip, "no login host to test, so nothing was sent: " + d.profileErr.Error()
	}
	return CheckSkip, "no login host to test, so nothing was sent"
}

func (d *diag) checkProfile() (CheckStatus, string) {
	if d.profile == nil {
		if errors.Is(d.profileErr, errNoProfileYet) {
			return CheckSkip, "no profile is saved yet: set one up (the wizard, or advologix-connect login); the network checks have no login host"
		}
		return CheckFail, d.profileErr.Error()
	}
	p := *d.profile
	if d.profileErr != nil {
		return CheckFail, d.profileErr.Error()
	}
	m := p.Method
	if m == "" {
		m = credstore.MethodSOAP
	}
	detail := fmt.Sprintf("%q: %s as %s, %s", p.Name, d.login.URL, p.Username, sfclient.Method(m).Label())
	if p.Name == d.settings.Default {
		detail += ", the default profile"
	}
	for _, w := range d.login.Warnings {
		detail += "; " + w
	}
	return CheckOK, detail
}

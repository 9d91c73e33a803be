package connection

// This file holds Status: every saved profile, and whether its secrets are in
// the keychain.

import (
	"context"

	"github.com/advologix/advologix-connect/credstore"
)

// StatusStore is what Status needs from credstore.
type StatusStore interface {
	Load() (credstore.Settings, error)
	Status(ctx context.Context) ([]credstore.ProfileStatus, error)
	Path() string
}

// StatusReport is what Status found: every profile and whether its secrets
// are in the keychain. Outcome is the first problem, if any.
type StatusReport struct {
	Outcome
	SettingsPath string
	Default      string
	Profiles     []credstore.ProfileStatus
}

// Complete reports whether every profile has all its secrets.
func (r StatusReport) Complete() bool {
	for _, ps := range r.Profiles {
		if !ps.OK() {
			return false
		}
	}
	return true
}

// Status lists the saved profiles and the state of their secrets. Its
// Outcome fails when the settings cannot be read, the keychain cannot be
// asked, or none is saved; a profile that lacks a secret is shown by
// Complete and the profile's own status.
func Status(ctx context.Context, st StatusStore) StatusReport {
	out := StatusReport{SettingsPath: st.Path()}
	settings, err := st.Load()
	if err != nil {
		out.Outcome = Failed(credstore.Profile{}, err)
		return out
	}
	out.Default = settings.Default
	statuses, err := st.Status(ctx)
	out.Profiles = statuses
	switch {
	case err != nil:
		out.Outcome = Failed(credstore.Profile{}, err)
	case len(statuses) == 0:
		out.Outcome = Failed(credstore.Profile{}, NoProfile(""))
	}
	return out
}

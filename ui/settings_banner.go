package ui

// This file holds the keychain banner of the Settings window: saving is not
// possible, testing still works.

import (
	"context"
	"strings"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/internal/connection"
)

// probeKeychain checks in the background that the keychain answers and
// shows or hides the banner.
func (s *settingsWindow) probeKeychain() {
	background(s.u, func() error {
		return s.u.opt.Store.Probe(context.Background())
	}, func(err error) {
		if err != nil {
			s.showBanner(err)
			return
		}
		s.keychainErr = nil
		s.banner.Hide()
		s.refreshButtons()
	})
}

// showBanner says the keychain (or the settings file) cannot be used, and
// what to do; testing still works, saving does not.
func (s *settingsWindow) showBanner(err error) {
	o := connection.Failed(credstore.Profile{}, err)
	text := o.Message
	if h := o.Hint; h != "" && !strings.Contains(text, h) {
		text += " " + h
	}
	s.keychainErr = err
	s.bannerText.SetText("Saving is not possible: " + text + " Testing still works.")
	s.banner.Show()
	s.refreshButtons()
}

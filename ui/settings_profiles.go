package ui

// This file holds the profile section of the Settings window: the picker, loading
// a profile into the form, and New, Rename, Delete and Make default.

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/internal/connection"
)

// fillPicker lists the saved profiles, the default one marked.
func (s *settingsWindow) fillPicker(st credstore.Settings) {
	names := make([]string, 0, len(st.Profiles))
	for _, p := range st.Profiles {
		names = append(names, p.Name)
	}
	sort.Strings(names)
	s.labels = map[string]string{}
	options := make([]string, 0, len(names))
	for _, n := range names {
		label := n
		if n == st.Default && !strings.EqualFold(n, defaultNewProfile) {
			label += "  (default)" // a profile called "default" says it already
		}
		s.labels[label] = n
		options = append(options, label)
	}
	if s.isNew && s.current != "" && !s.hasProfile(s.current) {
		// A new profile, not saved yet, is listed too: it is the one the
		// form shows.
		label := s.current + draftSuffix
		s.labels[label] = s.current
		options = append(options, label)
	}
	s.profiles.Options = options
}

// draftSuffix marks the picker's label of a new profile not saved yet.
const draftSuffix = "  (new, not saved)"

// reloadProfiles fills the picker from the settings file and loads want
// (or the default profile).
func (s *settingsWindow) reloadProfiles(want string) {
	st, err := s.u.opt.Store.Load()
	if err != nil {
		s.showBanner(err)
		return
	}
	s.fillPicker(st)
	if len(st.Profiles) == 0 {
		s.profiles.ClearSelected()
		s.startNew(defaultNewProfile)
		return
	}
	if want == "" || !s.hasProfile(want) {
		want = st.Default
	}
	if !s.hasProfile(want) {
		want = s.labels[s.profiles.Options[0]]
	}
	s.selectLabelOf(want)
	s.load(want, st.Default == want)
}

func (s *settingsWindow) hasProfile(name string) bool {
	for _, n := range s.labels {
		if n == name {
			return true
		}
	}
	return false
}

// switchTo loads another profile, asking first if there are unsaved
// changes.
func (s *settingsWindow) switchTo(name string) {
	if name == "" || name == s.current {
		return
	}
	if !s.dirty {
		s.reloadProfiles(name)
		return
	}
	keep := func() { s.selectLabelOf(s.current) }
	ask(s.win, "Unsaved changes", fmt.Sprintf("Discard the changes to profile %q?", s.current), []choice{
		{label: "Discard changes", do: func() {
			s.dirty = false
			s.reloadProfiles(name)
		}},
		{label: "Keep editing", imp: widget.HighImportance, do: keep},
	}, 1, 1)
}

func (s *settingsWindow) selectLabelOf(name string) {
	for label, n := range s.labels {
		if n == name {
			s.profiles.Selected = label
			s.profiles.Refresh()
		}
	}
}

// load shows a saved profile; its secrets come from the keychain in the
// background.
func (s *settingsWindow) load(name string, isDefault bool) {
	p, err := s.u.opt.Store.Profile(name)
	if err != nil {
		s.result.note(theme.ErrorIcon(), "Cannot read this profile", err.Error(), widget.DangerImportance)
		return
	}
	s.edit(name, false, isDefault)
	s.form.load(p, credstore.Secrets{})
	s.result.clear()
	if p.Interrupted() {
		s.result.note(theme.WarningIcon(), "The last save of this profile was interrupted",
			"Test the connection, or enter the password and token again and save.", widget.WarningImportance)
	} else {
		s.noteSignInAgain(name)
	}
	s.readSecrets(name, func(ls loadedSecrets) {
		if s.current != name || s.dirty {
			return // the user moved on meanwhile
		}
		s.loaded = ls.sec
		s.form.load(p, ls.sec)
		s.syncSignIn()
		var ke *credstore.KeychainError
		switch {
		case errors.As(ls.err, &ke):
			s.showBanner(ls.err)
		case ls.err != nil && errors.Is(ls.err, credstore.ErrNotFound):
			s.result.note(theme.WarningIcon(), "Some saved credentials are missing from the keychain",
				"Enter the password and security token again, then save.", widget.WarningImportance)
		case ls.err != nil:
			s.result.note(theme.ErrorIcon(), "Cannot read the saved credentials", ls.err.Error(), widget.DangerImportance)
		}
	})
}

// readSecrets reads the secrets of profile name from the keychain in the
// background, busy meanwhile, and hands them to done.
func (s *settingsWindow) readSecrets(name string, done func(loadedSecrets)) {
	s.setBusy(true)
	background(s.u, func() loadedSecrets {
		sec, err := s.u.opt.Store.Secrets(context.Background(), name)
		return loadedSecrets{sec, err}
	}, func(ls loadedSecrets) {
		s.setBusy(false)
		done(ls)
	})
}

type loadedSecrets struct {
	sec credstore.Secrets
	err error
}

// startNew begins an unsaved profile called name.
func (s *settingsWindow) startNew(name string) {
	s.edit(name, true, false)
	s.form.load(credstore.Profile{Name: name, Method: s.newMethod()}, credstore.Secrets{})
	s.syncSignIn()
	s.result.note(theme.InfoIcon(), fmt.Sprintf("New profile %q", name), "Fill in the fields, test the connection, then save.", widget.MediumImportance)
	s.refreshButtons()
}

// reloadProfilesKeepResult refreshes the picker after a save or rename
// without reloading the form or disturbing the result shown.
func (s *settingsWindow) reloadProfilesKeepResult(name string) {
	st, err := s.u.opt.Store.Load()
	if err != nil {
		s.showBanner(err)
		return
	}
	s.fillPicker(st)
	s.current, s.isNew, s.isDefault = name, false, st.Default == name
	s.selectLabelOf(name)
	s.refreshButtons()
	s.result.saved(name)
}

func (s *settingsWindow) addProfile() {
	askName(s.win, "New profile", "Name", "Create", "", "e.g. sandbox", s.freeName(""), func(name string) {
		start := func() {
			s.startNew(name)
			if st, err := s.u.opt.Store.Load(); err == nil {
				s.fillPicker(st)
			}
			s.selectLabelOf(name)
			s.refreshButtons()
			s.focusFirstField()
		}
		if s.dirty {
			ask(s.win, "Unsaved changes", fmt.Sprintf("Discard the changes to profile %q?", s.current), []choice{
				{label: "Discard changes", do: start},
				{label: "Keep editing", imp: widget.HighImportance},
			}, 1, 1)
			return
		}
		start()
	})
}

func (s *settingsWindow) renameProfile() {
	old := s.current
	askName(s.win, "Rename profile", "New name", "Rename", old, "", s.freeName(old), func(name string) {
		if name == old {
			return
		}
		if s.isNew {
			// Not saved yet: only the draft's name changes.
			s.current = name
			if st, err := s.u.opt.Store.Load(); err == nil {
				s.fillPicker(st)
			}
			s.selectLabelOf(name)
			return
		}
		s.setBusy(true)
		background(s.u, func() error {
			return s.u.opt.Store.Rename(context.Background(), old, name)
		}, func(err error) {
			s.setBusy(false)
			if err != nil {
				s.saveFailed(s.failed(err))
				return
			}
			s.reloadProfilesKeepResult(name)
		})
	})
}

// nextDefault is the profile that becomes the default when the default
// one is deleted ("" when none is left), as credstore picks it.
func (s *settingsWindow) nextDefault(deleted string) string {
	st, err := s.u.opt.Store.Load()
	if err != nil || st.Default != deleted {
		return ""
	}
	for _, p := range st.Profiles {
		if p.Name != deleted {
			return p.Name
		}
	}
	return ""
}

func (s *settingsWindow) deleteProfile() {
	name := s.current
	if s.isNew {
		// Not saved yet: nothing to remove but the draft.
		ask(s.win, "Discard new profile", fmt.Sprintf("Discard the new profile %q? Nothing of it is saved.", name), []choice{
			{label: "Keep editing", imp: widget.HighImportance},
			{label: "Discard", imp: widget.DangerImportance, do: func() { s.dirty = false; s.isNew = false; s.reloadProfiles("") }},
		}, 0, 0)
		return
	}
	question := fmt.Sprintf("Delete profile %q?", name)
	if p, err := s.u.opt.Store.Profile(name); err == nil {
		if kept := keptSecrets(p); kept != "" {
			question = fmt.Sprintf("Delete profile %q and remove its %s from the keychain?", name, kept)
		}
	}
	if next := s.nextDefault(name); next != "" {
		question += fmt.Sprintf(" It is the default profile: %q becomes the default, the one the add-ins use.", next)
	}
	ask(s.win, "Delete profile", question, []choice{
		{label: "Cancel", imp: widget.HighImportance},
		{label: "Delete", imp: widget.DangerImportance, do: func() { s.removeProfile(name) }},
	}, 0, 0)
}

// removeProfile deletes name and says which profile is the default now.
func (s *settingsWindow) removeProfile(name string) {
	s.setBusy(true)
	background(s.u, func() connection.Outcome {
		return s.u.svc.Remove(context.Background(), name)
	}, func(o connection.Outcome) {
		s.setBusy(false)
		if !o.OK() {
			s.saveFailed(o)
			return
		}
		wasDefault := s.isDefault
		s.dirty = false
		s.reloadProfiles("")
		body := fmt.Sprintf("Profile %q and its secrets are gone.", name)
		if st, err := s.u.opt.Store.Load(); err == nil && wasDefault && st.Default != "" {
			body += fmt.Sprintf(" %q is now the default profile.", st.Default)
		}
		s.result.note(theme.InfoIcon(), "Deleted", body, widget.MediumImportance)
	})
}

func (s *settingsWindow) makeDefault() {
	if err := s.u.opt.Store.SetDefault(s.current); err != nil {
		s.saveFailed(s.failed(err))
		return
	}
	s.reloadProfilesKeepResult(s.current)
}

// freeName validates a profile name typed in a dialog: valid, and not
// taken by another profile, in any case (names that differ only in case
// are the same name). except is the name being renamed.
func (s *settingsWindow) freeName(except string) func(string) error {
	return func(name string) error {
		if err := credstore.ValidateName(name); err != nil {
			return errors.New(sentence(strings.TrimPrefix(err.Error(), "profile ")))
		}
		if strings.EqualFold(name, except) {
			return nil
		}
		st, err := s.u.opt.Store.Load()
		if err != nil {
			return nil // the store says so on submit
		}
		for _, p := range st.Profiles {
			if strings.EqualFold(p.Name, name) {
				return fmt.Errorf("%q is taken: choose another name", p.Name)
			}
		}
		if s.isNew && except == "" && strings.EqualFold(name, s.current) {
			return fmt.Errorf("%q is the new profile you are editing", s.current)
		}
		return nil
	}
}

// keptSecrets names the secrets profile p has in the keychain, in words:
// "password and security token", "browser sign-in".
func keptSecrets(p credstore.Profile) string {
	var words []string
	for _, k := range []struct{ kind, word string }{
		{credstore.KindPassword, "password"},
		{credstore.KindSecurityToken, "security token"},
		{credstore.KindRefreshToken, "browser sign-in"},
		{credstore.KindClientSecret, "client secret"},
	} {
		if p.HasSecret(k.kind) {
			words = append(words, k.word)
		}
	}
	switch len(words) {
	case 0:
		return ""
	case 1:
		return words[0]
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}

// focusFirstField puts the focus in the form's first field to fill: the
// My Domain address, or the username.
func (s *settingsWindow) focusFirstField() {
	if s.form.v.env == envMyDomain && s.form.myDomain.Visible() {
		s.win.Canvas().Focus(s.form.myDomain)
		return
	}
	s.win.Canvas().Focus(s.form.username)
}

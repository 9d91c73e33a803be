package ui

// This file holds what the tray shows, derived in one place from one state:
// the saved profiles and the verdicts on their saved inputs
// (connection.State, shared by every process through credstore's files),
// plus the little only this tray knows (a check in flight, a check that gave
// no verdict). Icon, status line, tooltip and notification all come from
// deriveTray, so they cannot disagree. The tray watches the files and derives
// again on every change, whichever process made it.

import (
	"os"
	"time"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/internal/connection"
)

// Status lines the tray shows (tests look for them).
const (
	lineNotSetUp   = "Not set up yet"
	lineNotTested  = "Saved · not tested yet"
	lineChanged    = "Changed · not tested since"
	lineTesting    = "Testing the connection…"
	lineNoSettings = "Cannot read the settings"
	// lineSignInAgain: Salesforce refused the saved browser sign-in.
	lineSignInAgain = "Sign in again · the browser sign-in expired or was revoked"
)

// watchEvery is how often the tray looks at the settings and verdict
// files: a save elsewhere shows within a second.
const watchEvery = 300 * time.Millisecond

// trayLocal is what only this tray knows.
type trayLocal struct {
	checking bool
	// last is the outcome of this tray's last check when it gave no
	// verdict (Salesforce unreachable, a keychain that could not be read),
	// at lastAt; it stands until the profile is saved or tested again.
	last   *connection.Outcome
	lastAt time.Time
}

// trayView is everything the tray shows.
type trayView struct {
	status  trayStatus
	line    string // the menu's status line
	tooltip string
	notice  Notice // what a notification says now (Open set by the tray)
	key     string // identifies the state: one notification per change
	profile string // the profile it is about ("": none)
}

// deriveTray is the one derivation of the tray from the state.
func deriveTray(s connection.State, l trayLocal) trayView {
	v := stateView(s, l)
	if l.checking {
		v.line = lineTesting
	}
	v.tooltip = appName + "\n" + v.line
	return v
}

func stateView(s connection.State, l trayLocal) trayView {
	if s.Err != nil {
		o := connection.Failed(credstore.Profile{}, s.Err)
		return trayView{status: statusUnknown, line: lineNoSettings, key: "settings",
			notice: Notice{Title: appName + ": cannot read the settings", Body: shorten(o.Message, 120), Failing: true, Timeout: noticeTimeoutFailing}}
	}
	ps, ok := s.Profile("")
	if !ok {
		return trayView{status: statusUnknown, line: lineNotSetUp, key: "no-profile",
			notice: Notice{Title: appName + ": not set up yet", Body: "No Salesforce login is saved yet.\nOpen Settings to set one up.", Failing: true, Timeout: noticeTimeoutFailing}}
	}
	name := ps.Profile.Name
	if o := l.last; o != nil && o.Profile.Name == name && o.Profile.Generation == ps.Profile.Generation && !ps.At.After(l.lastAt) {
		n, key := describe(*o)
		v := trayView{status: statusFailing, line: "Not connected: " + trayHeadline(*o), key: key, notice: n, profile: name}
		if o.Kind() == connection.KindConnection {
			// Offline says nothing about the saved credentials: neutral.
			v.status, v.line, v.key = statusUnknown, "Cannot reach Salesforce · "+l.lastAt.Local().Format("15:04"), "offline"
		}
		return v
	}
	switch ps.Tested {
	case connection.Connected, connection.Failing:
		o := connection.FromResult(ps.Profile, ps.Result)
		n, key := describe(o)
		v := trayView{status: statusFailing, line: "Not connected: " + trayHeadline(o), key: key, notice: n, profile: name}
		if ps.Tested == connection.Connected {
			v.status = statusOK
			v.line = "Connected as " + firstNonEmpty(ps.Result.UserFullName, ps.Result.Username, ps.Profile.Username) + " · " + ps.At.Local().Format("15:04")
		}
		if ps.SignInAgain() {
			v.line, v.notice.Title = lineSignInAgain, appName+": sign in again"
		}
		return v
	}
	line, title := lineNotTested, appName+": not tested yet"
	if ps.Tested == connection.ChangedSinceTest {
		line, title = lineChanged, appName+": changed, not tested since"
	}
	return trayView{status: statusUnknown, line: line, key: "untested", profile: name,
		notice: Notice{Title: title, Body: "The saved login of " + firstNonEmpty(ps.Profile.Username, name) + " has not been tested.\nChoose Test connection.", Timeout: noticeTimeoutOK}}
}

// fileStamp is what the watch compares of a file.
type fileStamp struct {
	size    int64
	modTime time.Time
	exists  bool
}

func stampOf(path string) fileStamp {
	fi, err := os.Stat(path)
	if err != nil {
		return fileStamp{}
	}
	return fileStamp{size: fi.Size(), modTime: fi.ModTime(), exists: true}
}

// watchedFiles are the files the state is read from, when the store says
// where they are.
func (u *UI) watchedFiles() []string {
	st, ok := u.opt.Store.(interface {
		Path() string
		VerdictsPath() string
	})
	if !ok {
		return nil
	}
	return []string{st.Path(), st.VerdictsPath()}
}

// watch reports on changed when one of paths changes, until stop.
func watch(paths []string, stop <-chan struct{}, changed func()) {
	if len(paths) == 0 {
		return
	}
	stamps := make([]fileStamp, len(paths))
	for i, p := range paths {
		stamps[i] = stampOf(p)
	}
	ticker := time.NewTicker(watchEvery)
	defer ticker.Stop()
	for {
		select {
		case <-stop:
			return
		case <-ticker.C:
			moved := false
			for i, p := range paths {
				if s := stampOf(p); s != stamps[i] {
					stamps[i], moved = s, true
				}
			}
			if moved {
				changed()
			}
		}
	}
}

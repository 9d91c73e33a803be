package main

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"runtime/debug"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"github.com/advologix/advologix-connect/assets"
	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/internal/autostart"
	"github.com/advologix/advologix-connect/internal/browser"
	"github.com/advologix/advologix-connect/internal/cli"
	"github.com/advologix/advologix-connect/internal/single"
	"github.com/advologix/advologix-connect/ui"
)

// appID is the Fyne application ID; FyneApp.toml uses the same.
const appID = "com.advologix.connect"

// runGUI opens the window or the tray. A second launch hands over to the
// running instance (which brings its window forward) and exits.
func runGUI(ctx context.Context, mode cli.GUIMode, _ string) int {
	st, err := credstore.Open(credstore.Options{})
	if err != nil {
		fmt.Fprintf(os.Stderr, "advologix-connect: %v\n", err)
		return cli.ExitFail
	}
	msg := "show"
	if mode == cli.GUITray {
		msg = "tray"
	}
	messages := make(chan string, 4)
	inst, err := single.Acquire(st.Path(), msg, func(m string) { messages <- m })
	switch {
	case errors.Is(err, single.ErrRunning):
		return cli.ExitOK
	case err != nil:
		// Not fatal: the app works, only a second launch will not find it.
		fmt.Fprintf(os.Stderr, "advologix-connect: warning: %v\n", err)
	default:
		defer inst.Close()
	}

	a := app.NewWithID(appID)
	policy, err := credstore.LoadPolicy()
	if err != nil {
		fmt.Fprintf(os.Stderr, "advologix-connect: %v\n", err)
		ui.ShowPolicyError(a, err)
		a.Run()
		return cli.ExitFail
	}
	u := ui.New(a, ui.Options{
		Policy:            policy,
		Store:             st,
		Icons:             ui.Icons{App: assets.AppIcon, TrayOK: assets.TrayOK, TrayFailing: assets.TrayFailing, TrayUnknown: assets.TrayUnknown},
		Autostart:         autostart.Entry{},
		TrayHostAvailable: trayHostAvailable,
		OpenURL:           func(u *url.URL) error { return browser.Open(u.String()) },
		Getenv:            os.Getenv,
		CheckInterval:     checkInterval(st),
	})
	a.Lifecycle().SetOnStarted(func() {
		// Building the first window allocates garbage (font tables, icon
		// rasters) that the heap would otherwise keep for as long as the app
		// idles in the tray: collect it and give the pages back once.
		go func() {
			time.Sleep(time.Second)
			debug.FreeOSMemory()
		}()
		go func() {
			for {
				select {
				case m := <-messages:
					fyne.Do(func() { u.HandleMessage(m) })
				case <-ctx.Done():
					fyne.Do(a.Quit)
					return
				}
			}
		}()
	})
	if mode == cli.GUITray && u.StartTray() {
		a.Run()
	} else {
		u.Open()
		a.Run()
	}
	u.StopTray()
	return cli.ExitOK
}

// checkInterval reads the tray's re-check interval from the settings:
// "" the default, "off" never (a negative interval).
func checkInterval(st *credstore.Store) time.Duration {
	s, err := st.Load()
	if err != nil {
		return 0
	}
	switch s.CheckInterval {
	case "":
		return 0
	case "off":
		return -1
	}
	d, err := time.ParseDuration(s.CheckInterval)
	if err != nil || d <= 0 {
		return 0
	}
	return d
}

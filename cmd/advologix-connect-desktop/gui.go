package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/url"
	"os"
	"runtime/debug"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/systray"

	"github.com/advologix/advologix-connect/assets"
	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/internal/autostart"
	"github.com/advologix/advologix-connect/internal/browser"
	"github.com/advologix/advologix-connect/internal/cli"
	"github.com/advologix/advologix-connect/internal/desktop"
	"github.com/advologix/advologix-connect/internal/single"
	"github.com/advologix/advologix-connect/ui"
)

// appID is the Fyne application ID; FyneApp.toml uses the same. A tray's
// window process uses windowAppID (see runGUI).
const (
	appID       = "com.advologix.connect"
	windowAppID = appID + ".window"
)

// windowQuitGrace is how long a quitting tray waits for its window process
// before it kills it.
const windowQuitGrace = 2 * time.Second

// runGUI opens the window or the tray. A second launch hands over to the
// running instance (which brings its window forward) and exits.
func runGUI(ctx context.Context, mode cli.GUIMode) int {
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
	// A window process of the tray (internal/desktop) is not an instance of
	// its own: second launches go to the tray.
	windowProcess := desktop.IsWindowProcess()
	if !windowProcess {
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
		// An entry of an older version starts `advologix-connect tray`:
		// from now on it starts this program (see internal/autostart).
		if _, err := (autostart.Entry{}).Migrate(); err != nil {
			fmt.Fprintf(os.Stderr, "advologix-connect: warning: start at login: %v\n", err)
		}
	}

	// The name is what tray hosts show for the icon (without it, the ID).
	app.SetMetadata(fyne.AppMetadata{ID: appID, Name: "AdvoLogix Connect", Version: version, Icon: assets.AppIcon})
	id := appID
	if windowProcess {
		// Fyne rewrites its preferences file in place (truncate, then write)
		// when an app quits, and every other process of the same ID watches
		// that file and reloads it: a reload between the two reads an empty
		// file ("Preferences load error: EOF"). The tray and its window
		// process run at the same time, so each keeps its own.
		id = windowAppID
	}
	log.SetOutput(desktop.FyneLog(os.Stderr)) // without Fyne's preferences race (see FyneLog)
	a := app.NewWithID(id)
	desktop.QuitWithoutStopEvent(a) // Fyne 2.7's shutdown race (2.7.1 to 2.7.4): a panic or a hang at quit
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
		TrayHostAvailable: trayHost(windowProcess),
		OpenURL:           func(u *url.URL) error { return browser.Open(u.String()) },
		Getenv:            os.Getenv,
		CheckInterval:     checkInterval(st),
		ScreenArea:        screenArea,
	})
	if windowProcess {
		return runWindowProcess(ctx, a, u)
	}
	windows := &desktop.Windows{Gone: func() { fyne.Do(u.WindowGone) }}
	desk := ui.Desktop{Notify: desktop.NewNotifier(), Tooltip: systray.SetTooltip, Release: release}
	if mode == cli.GUITray {
		// Started for the tray, with no window yet: windows open in a window
		// process, so the tray keeps its small footprint all day.
		desk.OpenWindow = windows.Open
	}
	u.SetDesktop(desk)
	defer func() {
		// Quit ends every process of the app: the window process is asked
		// to quit, and killed if it does not within the grace period.
		if err := windows.Stop(windowQuitGrace); err != nil {
			fmt.Fprintf(os.Stderr, "advologix-connect: %v\n", err)
		}
	}()
	a.Lifecycle().SetOnStarted(func() {
		u.Started()
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
					fyne.Do(func() {
						if m == "show" && desk.OpenWindow != nil && u.TrayRunning() && windows.Open("") {
							return
						}
						u.HandleMessage(m)
					})
				case <-ctx.Done():
					quitOnSignal(a)
					return
				}
			}
		}()
	})
	// The tray icon starts before the app runs: Fyne registers it with the
	// tray host only in App.Run (a later start would never show, and its
	// shutdown would panic). With a tray host, the icon is there from the
	// first window on.
	if mode == cli.GUITray {
		if !u.StartTray() {
			u.Open()
		}
	} else {
		u.AttachTray()
		u.Open()
	}
	a.Run()
	u.StopTray()
	return cli.ExitOK
}

// runWindowProcess runs the tray's window process: Settings (or the
// wizard) on the profile the tray named, following the tray's messages;
// it ends with its last window, or when the tray says quit or is gone.
func runWindowProcess(ctx context.Context, a fyne.App, u *ui.UI) int {
	quit := func() { fyne.Do(a.Quit) }
	a.Lifecycle().SetOnStarted(func() {
		go desktop.Serve(os.Stdin, func(profile string) {
			fyne.Do(func() {
				if profile == "" {
					u.Open()
				} else {
					u.ShowProfile(profile)
				}
			})
		}, quit)
		go func() {
			<-ctx.Done()
			quitOnSignal(a)
		}()
	})
	if name := os.Getenv(desktop.WindowProfileEnv); name != "" {
		u.ShowProfile(name)
	} else {
		u.Open()
	}
	a.Run()
	return cli.ExitOK
}

// trayHost is the UI's TrayHostAvailable: a window process never shows a
// tray (its tray is the process that started it).
func trayHost(windowProcess bool) func() bool {
	if windowProcess {
		return func() bool { return false }
	}
	return desktop.TrayHostAvailable
}

// release gives back the memory of the windows just closed while the app
// stays in the tray: Go's heap at once, and after Fyne's caches of the
// closed window have expired, once more with the C heap (Mesa, fonts).
func release() {
	go func() {
		for _, wait := range []time.Duration{time.Second, 5 * time.Second, 30 * time.Second} {
			time.Sleep(wait)
			debug.FreeOSMemory()
			trimCHeap()
		}
	}()
}

// checkInterval reads the tray's re-check interval from the settings:
// 0 (the default) when none is set or it cannot be read, negative for
// never.
func checkInterval(st *credstore.Store) time.Duration {
	s, err := st.Load()
	if err != nil {
		return 0
	}
	d, err := credstore.ParseCheckInterval(s.CheckInterval)
	if err != nil {
		return 0
	}
	return d
}

// signalQuitGrace is how long the app's own shutdown may take after
// SIGTERM or SIGINT before the process ends anyway.
const signalQuitGrace = 5 * time.Second

// quitOnSignal quits the app after SIGTERM or SIGINT, and ends the process
// with status 0 if Fyne's shutdown has not within signalQuitGrace (seen to
// hang for over 20 s on a loaded machine). Nothing is lost by that: every
// secret is in the keychain, and settings are written atomically.
func quitOnSignal(a fyne.App) {
	time.AfterFunc(signalQuitGrace, func() { os.Exit(cli.ExitOK) })
	fyne.Do(a.Quit)
}

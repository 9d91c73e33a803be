// Package assets holds the artwork of AdvoLogix Connect, embedded in the
// binary: the application icon and the three tray icons that show the
// result of the last connection test.
//
// The PNGs are rendered from the SVG files beside them by
// scripts/render-icons.sh and committed, so building needs no SVG tools.
package assets

import (
	_ "embed"

	"fyne.io/fyne/v2"
)

var (
	//go:embed icon-256.png
	appIcon []byte
	//go:embed tray-ok.png
	trayOK []byte
	//go:embed tray-failing.png
	trayFailing []byte
	//go:embed tray-unknown.png
	trayUnknown []byte
)

// AppIcon is the application icon, 256×256: a blue shield holding two
// interlocked chain links. Use it for fyne.App.SetIcon and window icons.
var AppIcon fyne.Resource = fyne.NewStaticResource("advologix-connect.png", appIcon)

// TrayOK is the tray icon for a last connection test that succeeded: the
// app's shield and chain in green, with a check mark, 64×64 (Fyne scales it
// to the panel).
var TrayOK fyne.Resource = fyne.NewStaticResource("tray-ok.png", trayOK)

// TrayFailing is the tray icon for a last connection test that failed: the
// shield and chain in red-orange, with an exclamation mark, 64×64.
var TrayFailing fyne.Resource = fyne.NewStaticResource("tray-failing.png", trayFailing)

// TrayUnknown is the tray icon while no connection test has a result yet:
// the shield and chain in grey, with a question mark, 64×64.
var TrayUnknown fyne.Resource = fyne.NewStaticResource("tray-unknown.png", trayUnknown)

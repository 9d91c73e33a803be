// Command baretray is the baseline of the tray memory benchmark
// (bench.BenchmarkTrayIdle): the least a Fyne program can do to show a tray
// icon with a menu, built the same way as the app.
package main

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
)

func main() {
	a := app.NewWithID("com.advologix.connect.benchbaretray")
	desk := a.(desktop.App)
	desk.SetSystemTrayMenu(fyne.NewMenu("Bare Fyne Tray",
		fyne.NewMenuItem("Not tested yet", nil), fyne.NewMenuItem("Test connection", func() {}),
		fyne.NewMenuItem("Settings…", func() {})))
	desk.SetSystemTrayIcon(theme.FyneLogo())
	a.Run()
}

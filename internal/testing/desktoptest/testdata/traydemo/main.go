// Command traydemo is the smallest Fyne tray program: the real client the
// desktoptest integration test drives to prove the stand-ins work.
//
// It shows no window, unless started with -window: then it also shows a
// window titled "traydemo window" (for the screenshot helpers of
// internal/testing/e2e). Its tray menu has "Test connection", which sends
// the notification "Clicked"/"hello" and turns the tray icon from red to
// green, "Settings…", which does nothing, and "Quit", which Fyne wires to
// App.Quit because it is the last entry and is labelled "Quit".
package main

import (
	"bytes"
	"flag"
	"image"
	"image/color"
	"image/png"
	"log"
	"os"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"

	appdesktop "github.com/advologix/advologix-connect/internal/desktop"
)

func main() {
	window := flag.Bool("window", false, "also show a window")
	flag.Parse()
	// Fyne's preferences race is no failure of a stand-in either (the app
	// filters the same report: desktop.FyneLog).
	log.SetOutput(appdesktop.FyneLog(os.Stderr))
	a := app.NewWithID("com.advologix.connect.traydemo")
	// As the app does: without it Fyne's shutdown can panic or hang.
	appdesktop.QuitWithoutStopEvent(a)
	desk, ok := a.(desktop.App)
	if !ok {
		panic("traydemo: this driver has no system tray")
	}
	red := squareIcon("red.png", color.NRGBA{R: 0xd0, A: 0xff})
	green := squareIcon("green.png", color.NRGBA{G: 0xb0, A: 0xff})
	desk.SetSystemTrayIcon(red)
	desk.SetSystemTrayMenu(fyne.NewMenu("traydemo",
		fyne.NewMenuItem("Test connection", func() {
			a.SendNotification(fyne.NewNotification("Clicked", "hello"))
			desk.SetSystemTrayIcon(green)
		}),
		fyne.NewMenuItem("Settings…", func() {}),
		fyne.NewMenuItem("Quit", nil),
	))
	if *window {
		w := a.NewWindow("traydemo window")
		w.SetContent(widget.NewLabel("Hello from traydemo: this window is here to be photographed."))
		w.Resize(fyne.NewSize(480, 200))
		w.Show()
	}
	// Without a shown window Run still goes on: SetSystemTrayMenu made
	// Fyne's hidden "SystrayMonitor" window, which keeps it going until
	// Quit.
	a.Run()
}

// squareIcon is a 32×32 PNG of one colour.
func squareIcon(name string, c color.NRGBA) fyne.Resource {
	img := image.NewNRGBA(image.Rect(0, 0, 32, 32))
	for y := 0; y < 32; y++ {
		for x := 0; x < 32; x++ {
			img.SetNRGBA(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		panic(err)
	}
	return fyne.NewStaticResource(name, buf.Bytes())
}

// Command barewindow is the baseline of the startup benchmark
// (bench.BenchmarkStartup): the least a Fyne program can do to put a window
// of about the app's size on screen, built the same way as the app, so that
// the benchmark can say how much the app itself adds.
package main

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/widget"
)

func main() {
	a := app.NewWithID("com.advologix.connect.benchbare")
	w := a.NewWindow("Bare Fyne Window")
	w.SetContent(widget.NewLabel("A bare Fyne window: the startup benchmark's baseline."))
	w.Resize(fyne.NewSize(520, 640))
	w.ShowAndRun()
}

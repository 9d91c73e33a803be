package desktop

import "fyne.io/fyne/v2"

// stopHooks is what Fyne 2.7's app lifecycle offers beyond fyne.Lifecycle:
// its own hook, run after the app's OnStopped.
type stopHooks interface {
	SetOnStoppedHookExecuted(func())
	OnStopped() func()
}

// QuitWithoutStopEvent makes a's shutdown queue no stopped event, and
// reports whether a now has none. Call it before App.Run.
//
// Fyne 2.7 (2.7.1 to 2.7.4) queues the stopped event (its own hook, which rewrites the
// preferences file, and the app's OnStopped) while its main loop is
// already shutting down. The goroutine that runs the event hands it to
// the main loop at the moment the loop drains and closes its queue: if the
// hand-over comes after the close, the process panics ("send on closed
// channel", exit 2); if it comes between the drain and the close, the
// event is never run and App.Run waits for it for ever, so the process
// hangs after its last window has gone. Both were seen on a loaded
// machine. With no stopped event, nothing is handed over late.
//
// Nothing is lost: the app sets no OnStopped (it cleans up after App.Run
// returns) and keeps nothing in Fyne's preferences (see FyneLog).
func QuitWithoutStopEvent(a fyne.App) bool {
	a.Lifecycle().SetOnStopped(nil)
	l, ok := a.Lifecycle().(stopHooks)
	if !ok {
		return false
	}
	l.SetOnStoppedHookExecuted(nil)
	return l.OnStopped() == nil
}

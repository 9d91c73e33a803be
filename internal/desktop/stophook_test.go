package desktop

import (
	"testing"

	"fyne.io/fyne/v2/test"
)

func TestQuitWithoutStopEvent(t *testing.T) {
	a := test.NewTempApp(t)
	l, ok := a.Lifecycle().(stopHooks)
	if !ok {
		t.Fatalf("Fyne's lifecycle %T has no stop hook methods: the workaround no longer applies; check whether this Fyne version still hands the stopped event over late", a.Lifecycle())
	}
	ran := 0
	a.Lifecycle().SetOnStopped(func() { ran++ })
	l.SetOnStoppedHookExecuted(func() { ran++ })
	if l.OnStopped() == nil {
		t.Fatal("set-up: no stopped event to take away")
	}
	if !QuitWithoutStopEvent(a) {
		t.Fatal("QuitWithoutStopEvent = false; want true")
	}
	if f := l.OnStopped(); f != nil {
		f()
		t.Errorf("a stopped event is still queued at quit (it ran %d hooks)", ran)
	}
}

package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/advologix/advologix-connect/credstore"
)

// Tests of issue #22 in the Settings window: the verdict where the eye is,
// the wheel over the form, a verdict that belongs to its inputs.

// inView fails the test unless o is shown and lies wholly inside the
// window's canvas and, if it is in the form's scroll, inside the part of
// the scroll that shows.
func inView(t *testing.T, s *settingsWindow, what string, o fyne.CanvasObject) {
	t.Helper()
	if !o.Visible() {
		t.Errorf("%s is hidden", what)
		return
	}
	d := fyne.CurrentApp().Driver()
	pos, size := d.AbsolutePositionForObject(o), o.Size()
	c := s.win.Canvas().Size()
	if pos.Y < 0 || pos.Y+size.Height > c.Height+0.5 || size.Height <= 0 {
		t.Errorf("%s at y %v..%v, the window shows 0..%v", what, pos.Y, pos.Y+size.Height, c.Height)
	}
	inScroll := false
	walkObjects(s.scroll.Content, false, func(x fyne.CanvasObject) bool {
		inScroll = inScroll || x == o
		return !inScroll
	})
	if inScroll {
		top := d.AbsolutePositionForObject(s.scroll).Y
		if pos.Y < top || pos.Y+size.Height > top+s.scroll.Size().Height+0.5 {
			t.Errorf("%s at y %v..%v is scrolled out of the form's view %v..%v", what, pos.Y, pos.Y+size.Height, top, top+s.scroll.Size().Height)
		}
	}
}

// smallSettings opens Settings on a saved profile of Jane with token and
// makes the window as small as an 800×600 screen leaves it.
func smallSettings(t *testing.T, token string, advanced bool) (*fixture, *settingsWindow) {
	f := newFixture(t, nil)
	f.saveProfile("default", credstore.Secrets{Password: janePass, SecurityToken: token})
	f.u.opt.ScreenArea = func() (int, int) { return 800, 600 }
	s := f.openSettings()
	if advanced {
		test.Tap(s.advancedBtn)
	}
	s.win.Resize(fyne.NewSize(settingsWidth, 540))
	s.scroll.ScrollToTop()
	return f, s
}

func TestVerdictInViewAfterTestSaveAndNotice(t *testing.T) {
	for _, advanced := range []bool{false, true} {
		f, s := smallSettings(t, staleToken, advanced)
		test.Tap(s.testBtn)
		f.wait()
		if !strings.Contains(s.result.headline.Text, "token") {
			t.Fatalf("headline %q, want the stale-token verdict", s.result.headline.Text)
		}
		inView(t, s, "the headline after Test", s.result.headline)
		inView(t, s, "the hint after Test", s.result.body)
		if s.result.why.btn.Visible() {
			inView(t, s, "Find out why", s.result.why.btn)
		}

		// Return in a field tests too.
		s.result.clear()
		s.form.password.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
		f.wait()
		inView(t, s, "the headline after Return", s.result.headline)

		// Save: the test fails, Save anyway.
		test.Type(s.form.token, "x")
		test.Tap(s.saveBtn)
		f.wait()
		inView(t, s, "the headline after Save", s.result.headline)
		test.Tap(findButton(t, s.win.Canvas(), "Save anyway"))
		f.wait()
		inView(t, s, "the headline after Save anyway", s.result.headline)
		if s.result.headline.Text != savedNotConnected {
			t.Errorf("after Save anyway the headline says %q, want %q", s.result.headline.Text, savedNotConnected)
		}
		s.requestClose()
		f.wait()

		// A notification's "Open Settings": the saved profile with its
		// verdict (Save anyway kept the failed test's).
		f.u.ShowProfile("default")
		f.wait()
		s = f.u.settings
		s.win.Resize(fyne.NewSize(settingsWidth, 540))
		inView(t, s, "the notice's result", s.result.headline)
	}
}

func TestProgressInViewWhileTesting(t *testing.T) {
	f, release := gatedFixture(t, nil)
	f.saveProfile("default", credstore.Secrets{Password: janePass, SecurityToken: janeToken})
	s := f.openSettings()
	s.win.Resize(fyne.NewSize(settingsWidth, 540))
	s.scroll.ScrollToTop()
	test.Tap(s.testBtn)
	defer func() { release(); f.wait() }()
	inView(t, s, "the progress bar", s.result.progress)
	if h := s.result.progress.Size().Height; h < 10 {
		t.Errorf("the progress bar is %v px high", h)
	}
	inView(t, s, "the line of what is happening", s.result.headline)
}

// The window is never taller than the screen's usable height: at 800×600
// the whole window, its verdict and buttons included, fits.
func TestWindowFitsTheScreen(t *testing.T) {
	f := newFixture(t, nil)
	f.saveProfile("default", credstore.Secrets{Password: janePass, SecurityToken: staleToken})
	f.u.opt.ScreenArea = func() (int, int) { return 800, 600 }
	s := f.openSettings()
	test.Tap(s.advancedBtn)
	test.Tap(s.testBtn)
	f.wait()
	if h := s.win.Canvas().Size().Height; h > 600-frameAllowance {
		t.Errorf("the window is %v high on a 600 px screen", h)
	}
	inView(t, s, "the headline", s.result.headline)
	inView(t, s, "Test connection", s.testBtn)
}

// The wheel scrolls the form also when the pointer is over a field.
func TestWheelOverFieldsScrollsTheForm(t *testing.T) {
	_, s := smallSettings(t, janeToken, true)
	d := fyne.CurrentApp().Driver()
	for _, o := range []struct {
		name string
		obj  fyne.CanvasObject
	}{{"the username", s.form.username}, {"the password", s.form.password}, {"the profile picker", s.profiles}, {"a label", s.addBtn}} {
		s.scroll.ScrollToTop()
		pos := d.AbsolutePositionForObject(o.obj).Add(fyne.NewPos(5, 5))
		test.Scroll(s.win.Canvas(), pos, 0, -60)
		if s.scroll.Offset.Y <= 0 {
			t.Errorf("a wheel over %s left the form at offset %v", o.name, s.scroll.Offset.Y)
		}
	}
}

// A verdict belongs to the inputs it tested: once they change, it says so.
func TestVerdictMarkedWhenInputsChange(t *testing.T) {
	inputs := map[string]func(s *settingsWindow){
		"username":    func(s *settingsWindow) { test.Type(s.form.username, "x") },
		"password":    func(s *settingsWindow) { test.Type(s.form.password, "x") },
		"token":       func(s *settingsWindow) { test.Type(s.form.token, "x") },
		"environment": func(s *settingsWindow) { s.form.env.SetSelected(envSandbox) },
		"proxy":       func(s *settingsWindow) { test.Type(s.form.proxy, "x") },
	}
	for name, change := range inputs {
		f := newFixture(t, nil)
		f.saveProfile("default", credstore.Secrets{Password: janePass, SecurityToken: staleToken})
		s := f.openSettings()
		test.Tap(s.advancedBtn)
		test.Tap(s.testBtn)
		f.wait()
		before := s.result.headline.Text
		change(s)
		if got := s.result.headline.Text; got != stalePrefix+before || s.result.headline.Importance != widget.LowImportance {
			t.Errorf("after a change of the %s the headline is %q (importance %v), want %q greyed", name, got, s.result.headline.Importance, stalePrefix+before)
		}
		if s.result.why.btn.Visible() {
			t.Errorf("after a change of the %s, Find out why still offers to explain the old attempt", name)
		}
	}
}

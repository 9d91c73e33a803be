package ui

// Widget tests for the desktop review of issue 8: what a user saw broken,
// driven the way the user drove it.

import (
	"errors"
	"fmt"
	"image/color"
	"image/png"
	"math"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/internal/connection"
	"github.com/advologix/advologix-connect/internal/testing/sftest"
	"github.com/advologix/advologix-connect/sfclient"
)

// keyButtonNamed finds a visible keyButton by its text.
func keyButtonNamed(t *testing.T, c fyne.Canvas, text string) *keyButton {
	t.Helper()
	b := find(c, func(b *keyButton) bool { return b.Text == text })
	if b == nil {
		t.Fatalf("no visible button %q", text)
	}
	return b
}

// press delivers a key the way the desktop driver does: the key-down to
// what has the focus, then the character it types (if any) to what has the
// focus by then.
func press(c fyne.Canvas, key fyne.KeyName, r rune) {
	if key != "" {
		if f := c.Focused(); f != nil {
			f.TypedKey(&fyne.KeyEvent{Name: key})
		} else if h := c.OnTypedKey(); h != nil {
			h(&fyne.KeyEvent{Name: key})
		}
	}
	if r != 0 {
		if f := c.Focused(); f != nil {
			f.TypedRune(r)
		} else if h := c.OnTypedRune(); h != nil {
			h(r)
		}
	}
}

// Problem 2: Space on the focused Back button must not type a space into
// the password of the page it goes back to.
func TestWizardSpaceOnBackTypesNothing(t *testing.T) {
	f := newFixture(t, plain)
	w := f.openWizard()
	c := w.win.Canvas()
	f.typeMyDomain(w.form)
	test.Tap(findButton(t, c, "Next"))
	test.Type(w.form.username, jane)
	test.Type(w.form.password, janePass)
	press(c, fyne.KeyReturn, 0) // Return in the password field: Next
	if w.step != stepToken {
		t.Fatalf("step %d, want the token step", w.step)
	}
	c.Focus(keyButtonNamed(t, c, "Back"))
	press(c, fyne.KeySpace, ' ')
	if w.step != stepWho {
		t.Fatalf("Space on Back: step %d", w.step)
	}
	if w.form.password.Text != janePass {
		t.Fatalf("password after Space on Back = %q, want %q", w.form.password.Text, janePass)
	}
	// And Space on the focused Next goes forward without typing into the
	// token field.
	c.Focus(w.nextWho)
	press(c, fyne.KeySpace, ' ')
	if w.step != stepToken || w.form.token.Text != "" {
		t.Fatalf("Space on Next: step %d token %q", w.step, w.form.token.Text)
	}
	if n := f.logins(); n != 0 {
		t.Errorf("%d logins while only moving between steps", n)
	}
}

// Problem 3: Save after a failed test asks "Save anyway?" with that
// result, without logging in again, also when an input was changed and
// changed back.
func TestSettingsSaveAfterFailedTestDoesNotLogInAgain(t *testing.T) {
	f := newFixture(t, nil)
	s := f.openSettings()
	f.testTyped(s, "StaleToken0123")
	if n := f.logins(); n != 1 {
		t.Fatalf("%d logins after one test", n)
	}
	test.Type(s.form.token, "X")
	s.form.token.SetText("StaleToken0123")
	test.Tap(s.saveBtn)
	f.wait()
	if txt := overlayText(s.win.Canvas()); !strings.Contains(txt, "The test failed") {
		t.Fatalf("no save-anyway question; overlay: %q", txt)
	}
	if n := f.logins(); n != 1 {
		t.Errorf("Save after a failed test logged in again: %d logins for the same inputs", n)
	}
	// Return takes the safe choice: nothing is saved.
	if foc, ok := s.win.Canvas().Focused().(*keyButton); !ok || foc.Text != "Don't save" {
		t.Fatalf("focus in the save-anyway dialog: %#v", s.win.Canvas().Focused())
	}
	press(s.win.Canvas(), fyne.KeyReturn, 0)
	if _, err := f.store.Profile("default"); err == nil {
		t.Error("Return in the save-anyway dialog saved")
	}
	// A changed input is a new login: tested once.
	s.form.token.SetText(janeToken)
	test.Tap(s.saveBtn)
	f.wait()
	if n := f.logins(); n != 2 {
		t.Errorf("%d logins, want 2 after changing the token", n)
	}
	if _, err := f.store.Profile("default"); err != nil {
		t.Errorf("passing test: not saved: %v", err)
	}
}

// Problem 4 (and 11): the name dialogs are wide enough, focused, submit on
// Return and cancel on Escape.
func TestProfileDialogsKeyboard(t *testing.T) {
	f := newFixture(t, nil)
	f.saveProfile("work", credstore.Secrets{Password: janePass, SecurityToken: janeToken})
	s := f.openSettings()
	c := s.win.Canvas()

	test.Tap(s.addBtn)
	entry, ok := c.Focused().(*keyEntry)
	if !ok {
		t.Fatalf("add dialog: focus on %#v, want its name field", c.Focused())
	}
	wide := fyne.MeasureText("sandbox account", theme.TextSize(), fyne.TextStyle{}).Width + 4*theme.Padding()
	if entry.Size().Width < wide {
		t.Errorf("name field %v wide, want at least %v (fits \"sandbox account\")", entry.Size().Width, wide)
	}
	capture(t, s.win, "settings-new-profile-dialog")
	press(c, fyne.KeyReturn, 0) // no name yet: stays open
	if c.Overlays().Top() == nil {
		t.Fatal("Return with an invalid name closed the dialog")
	}
	entry.SetText("sandbox")
	press(c, fyne.KeyReturn, 0)
	if c.Overlays().Top() != nil || !s.isNew || s.current != "sandbox" {
		t.Fatalf("Return did not create: overlay %v current %q new %v", c.Overlays().Top() != nil, s.current, s.isNew)
	}

	s.profiles.SetSelected("work  (default)")
	f.wait()
	test.Tap(s.renameBtn)
	entry, ok = c.Focused().(*keyEntry)
	if !ok || entry.Text != "work" {
		t.Fatalf("rename dialog: focus on %#v", c.Focused())
	}
	entry.SetText("sandbox account")
	if entry.Size().Width < wide {
		t.Errorf("rename field %v wide, want at least %v", entry.Size().Width, wide)
	}
	capture(t, s.win, "settings-rename-dialog")
	entry.SetText("work")
	press(c, fyne.KeyEscape, 0)
	if c.Overlays().Top() != nil {
		t.Fatal("Escape did not close the rename dialog")
	}
	if _, err := f.store.Profile("work"); err != nil || s.current != "work" {
		t.Fatalf("Escape renamed: %v %q", err, s.current)
	}
	test.Tap(s.renameBtn)
	entry = c.Focused().(*keyEntry)
	entry.SetText("office")
	press(c, fyne.KeyReturn, 0)
	f.wait()
	if _, err := f.store.Profile("office"); err != nil || s.current != "office" {
		t.Fatalf("Return did not rename: %v %q", err, s.current)
	}
	capture(t, s.win, "settings-after-rename")
}

// Problem 5: a corrected Lightning address is said on the step the user
// goes to, not only on the one they left.
func TestWizardSaysItCorrectedTheAddress(t *testing.T) {
	f := newFixture(t, plain)
	w := f.openWizard()
	w.form.env.SetSelected(envMyDomain)
	test.Type(w.form.myDomain, "https://firm.lightning.force.com/lightning/page/home")
	test.Tap(findButton(t, w.win.Canvas(), "Next"))
	if w.step != stepWho {
		t.Fatalf("step %d", w.step)
	}
	note := find(w.win.Canvas(), func(l *widget.Label) bool { return strings.Contains(l.Text, "Corrected to") })
	if note == nil || !strings.Contains(note.Text, "https://firm.my.salesforce.com") {
		t.Fatal("the correction is not shown on the step the user sees")
	}
	// An address that needed no correction shows no note.
	test.Tap(findButton(t, w.win.Canvas(), "Back"))
	test.Tap(findButton(t, w.win.Canvas(), "Next"))
	if find(w.win.Canvas(), func(l *widget.Label) bool { return strings.Contains(l.Text, "Corrected to") }) != nil {
		t.Error("the note stays after an address that needed no correction")
	}
}

// Problem 6: a host that never answers: Cancel ends the test at once and
// the form comes back; its late answer is not shown.
func TestWizardCancelTest(t *testing.T) {
	var release func()
	f := newFixture(t, func(c *sftest.Config) { plain(c); release = gate(c) })
	defer release()
	w := f.openWizard()
	f.typeMyDomain(w.form)
	test.Tap(findButton(t, w.win.Canvas(), "Next"))
	test.Type(w.form.username, jane)
	test.Type(w.form.password, janePass)
	test.Tap(w.nextWho)
	test.Type(w.form.token, janeToken)
	test.Tap(findButton(t, w.win.Canvas(), "Test connection"))
	keyButtonNamed(t, w.win.Canvas(), "Cancel")
	if foc := w.win.Canvas().Focused(); foc != nil {
		t.Errorf("focus on %#v while testing: a second Return would reach it", foc)
	}
	press(w.win.Canvas(), fyne.KeyReturn, 0) // a second Return: nothing
	if !w.busy {
		t.Fatal("a second Return cancelled the test")
	}
	press(w.win.Canvas(), fyne.KeyEscape, 0) // Escape cancels, as the button does
	if w.busy || w.step != stepToken || w.form.token.Text != janeToken {
		t.Fatalf("after Cancel: busy %v step %d token kept %v", w.busy, w.step, w.form.token.Text == janeToken)
	}
	f.wait() // the abandoned request ends with its context
	release()
	if w.step != stepToken || w.result.headline.Visible() {
		t.Errorf("the cancelled test's answer was shown: step %d %q", w.step, w.result.headline.Text)
	}
	if lookupButton(w.win.Canvas(), "Cancel") != nil {
		t.Error("Cancel still shown")
	}
}

func TestSettingsCancelTest(t *testing.T) {
	var release func()
	f := newFixture(t, func(c *sftest.Config) { release = gate(c) })
	defer release()
	s := f.openSettings()
	f.fillForm(s.form, jane, janePass, janeToken)
	test.Tap(s.testBtn)
	if !s.cancelBtn.Visible() {
		t.Fatal("no Cancel while testing")
	}
	test.Tap(s.cancelBtn)
	if s.busy || s.testBtn.Disabled() || s.cancelBtn.Visible() || s.result.headline.Text != "Test cancelled" {
		t.Fatalf("after Cancel: busy %v test disabled %v cancel shown %v %q", s.busy, s.testBtn.Disabled(), s.cancelBtn.Visible(), s.result.headline.Text)
	}
	f.wait()
	release()
	if s.result.headline.Text != "Test cancelled" {
		t.Errorf("late answer shown: %q", s.result.headline.Text)
	}
}

// Problem 6 and 11: Escape cancels a test; a second Return does not.
func TestSettingsEscapeCancelsTest(t *testing.T) {
	var release func()
	f := newFixture(t, func(c *sftest.Config) { release = gate(c) })
	defer release()
	s := f.openSettings()
	f.fillForm(s.form, jane, janePass, janeToken)
	s.win.Canvas().Focus(s.form.token)
	press(s.win.Canvas(), fyne.KeyReturn, 0) // in the token field: Test
	if !s.busy {
		t.Fatal("Return in a field did not test")
	}
	press(s.win.Canvas(), fyne.KeyReturn, 0)
	if !s.busy {
		t.Fatal("a second Return ended the test")
	}
	press(s.win.Canvas(), fyne.KeyEscape, 0)
	if s.busy || s.result.headline.Text != "Test cancelled" {
		t.Fatalf("Escape: busy %v %q", s.busy, s.result.headline.Text)
	}
	f.wait()
	if n := f.logins(); n > 1 {
		t.Errorf("%d logins", n)
	}
}

// Problem 6: the timeout's hint fits the window: no field it has not.
func TestTimeoutHintFitsTheWindow(t *testing.T) {
	var release func()
	f := newFixture(t, func(c *sftest.Config) { plain(c); release = gate(c) })
	defer release()
	f.u.opt.Timeout = 300 * time.Millisecond
	f.u.svc = newService(f.u.opt)
	w := f.openWizard()
	walkTo(t, f, w, janeToken)
	if w.last.Code != sfclient.CodeTimeout {
		t.Fatalf("code %s, want a timeout", w.last.Code)
	}
	hint := w.result.body.Text
	if strings.Contains(hint, "raise the timeout") || strings.Contains(hint, "--timeout") || !strings.Contains(hint, "300ms") {
		t.Errorf("hint %q", hint)
	}
	if w.title.Text != titleTestUnreachable {
		t.Errorf("title %q", w.title.Text)
	}
}

// Problem 7: the titles say what happened.
func TestWizardTitlesFollowTheResult(t *testing.T) {
	f := newFixture(t, plain)
	w := f.openWizard()
	walkTo(t, f, w, "OldToken0123")
	if w.title.Text != titleTestFailed {
		t.Errorf("test step after a failure: %q", w.title.Text)
	}
	capture(t, w.win, "wizard-test-failed")
	test.Tap(w.anywayBt)
	f.wait()
	if w.step != stepDone || w.title.Text == stepTitles[stepDone] || w.title.Text != titleSavedUntested {
		t.Errorf("after Save anyway: step %d title %q", w.step, w.title.Text)
	}
	capture(t, w.win, "wizard-saved-untested")

	f2 := newFixture(t, plain)
	f2.u.ShowWizard()
	w2 := f2.u.wizard
	walkTo(t, f2, w2, janeToken)
	if w2.title.Text != titleTestOK {
		t.Errorf("test step after success: %q", w2.title.Text)
	}
	// Return saves, and Return on the success step finishes.
	press(w2.win.Canvas(), fyne.KeyReturn, 0)
	f2.wait()
	if w2.step != stepDone || w2.title.Text != "You're connected" {
		t.Fatalf("Return after success: step %d title %q", w2.step, w2.title.Text)
	}
	press(w2.win.Canvas(), fyne.KeyReturn, 0)
	f2.wait()
	if w2.open {
		t.Error("Return on the success step did not finish")
	}
}

// Problem 10: Advanced scrolls to its last row, its fields line up with
// the main ones, nothing runs under the scroll bar at 480×400, and with
// Advanced closed the window has no empty half.
func TestSettingsAdvancedLayout(t *testing.T) {
	f := newFixture(t, nil)
	s := f.openSettings()
	f.fillForm(s.form, jane, janePass, janeToken)
	content := s.scroll.Content.MinSize().Height
	if view := s.scroll.Size().Height; view > content+theme.Padding()*4 || view < content-0.5 {
		t.Errorf("Advanced closed: %v of window for %v of content", view, content)
	}
	capture(t, s.win, "settings-advanced-closed")

	// Opening Advanced grows the window to fit, closing it shrinks it back.
	test.Tap(findButton(t, s.win.Canvas(), "Advanced"))
	if grown := s.win.Canvas().Size().Height; grown <= s.scroll.Size().Height-1 && grown < settingsMaxHeight {
		t.Errorf("Advanced opened: window %v tall", grown)
	}
	test.Tap(findButton(t, s.win.Canvas(), "Advanced"))
	if view, content := s.scroll.Size().Height, s.scroll.Content.MinSize().Height; view > content+theme.Padding()*4 || view < content-0.5 {
		t.Errorf("Advanced closed again: %v of window for %v of content", view, content)
	}
	// A size the user chose stays.
	s.win.Resize(fyne.NewSize(480, 400))
	test.Tap(findButton(t, s.win.Canvas(), "Advanced"))
	if sz := s.win.Canvas().Size(); sz != fyne.NewSize(480, 400) {
		t.Errorf("opening Advanced changed the user's size to %v", sz)
	}
	d := fyne.CurrentApp().Driver()
	s.scroll.ScrollToBottom()
	scrollTop := d.AbsolutePositionForObject(s.scroll)
	bottom := scrollTop.Y + s.scroll.Size().Height
	ca := d.AbsolutePositionForObject(s.form.caFile)
	if ca.Y+s.form.caFile.Size().Height > bottom+0.5 {
		t.Errorf("scrolled to the end, the CA file field ends at %v, below the view's %v", ca.Y+s.form.caFile.Size().Height, bottom)
	}
	user := d.AbsolutePositionForObject(s.form.username)
	if x := d.AbsolutePositionForObject(s.form.proxy).X; math.Abs(float64(x-user.X)) > 0.5 {
		t.Errorf("Advanced's fields start at x=%v, the main ones at x=%v", x, user.X)
	}
	capture(t, s.win, "settings-480x400-advanced-bottom")
	s.scroll.ScrollToTop()
	def := d.AbsolutePositionForObject(s.defaultBtn)
	if right := scrollTop.X + s.scroll.Size().Width - theme.ScrollBarSize(); def.X+s.defaultBtn.Size().Width > right+0.5 {
		t.Errorf("Make default ends at %v, under the scroll bar from %v", def.X+s.defaultBtn.Size().Width, right)
	}
	capture(t, s.win, "settings-480x400-top")
}

// contrast is WCAG's contrast ratio of two opaque colours.
func contrast(a, b color.Color) float64 {
	lum := func(c color.Color) float64 {
		r, g, b, _ := c.RGBA()
		ch := func(v uint32) float64 {
			x := float64(v) / 0xffff
			if x <= 0.03928 {
				return x / 12.92
			}
			return math.Pow((x+0.055)/1.055, 2.4)
		}
		return 0.2126*ch(r) + 0.7152*ch(g) + 0.0722*ch(b)
	}
	l1, l2 := lum(a), lum(b)
	if l1 < l2 {
		l1, l2 = l2, l1
	}
	return (l1 + 0.05) / (l2 + 0.05)
}

// over paints c on an opaque background.
func over(c, bg color.Color) color.Color {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	b := color.NRGBAModel.Convert(bg).(color.NRGBA)
	a := float64(n.A) / 255
	mix := func(x, y uint8) uint8 { return uint8(math.Round(float64(x)*a + float64(y)*(1-a))) }
	return color.NRGBA{R: mix(n.R, b.R), G: mix(n.G, b.G), B: mix(n.B, b.B), A: 255}
}

// Problem 11: focus you can see: a ring on buttons and a focus colour
// (radios, checks) with 3:1 against the background, dark and light.
func TestFocusIsVisible(t *testing.T) {
	f := newFixture(t, plain)
	w := f.openWizard()
	if _, ok := fyne.CurrentApp().Settings().Theme().(appTheme); !ok {
		t.Error("the app's theme is not appTheme")
	}
	th := appTheme{theme.DefaultTheme()}
	for _, v := range []fyne.ThemeVariant{theme.VariantDark, theme.VariantLight} {
		bg := th.Color(theme.ColorNameBackground, v)
		if got := contrast(over(th.Color(theme.ColorNameFocus, v), bg), bg); got < 3 {
			t.Errorf("variant %d: focus colour has %.2f:1 against the background, want 3:1", v, got)
		}
		if got := contrast(over(th.Color(theme.ColorNameForeground, v), bg), bg); got < 3 {
			t.Errorf("variant %d: focus ring has %.2f:1", v, got)
		}
	}
	next := keyButtonNamed(t, w.win.Canvas(), "Next")
	ring := test.WidgetRenderer(next).(*ringRenderer).ring
	if _, _, _, a := ring.StrokeColor.RGBA(); a != 0 {
		t.Error("ring shown without focus")
	}
	w.win.Canvas().Focus(next)
	if _, _, _, a := ring.StrokeColor.RGBA(); a == 0 || ring.StrokeWidth < 2 {
		t.Errorf("focused primary button: ring %v width %v", ring.StrokeColor, ring.StrokeWidth)
	}
	// Pictures in the real theme, dark and light, for a person to judge.
	for _, v := range []fyne.ThemeVariant{theme.VariantDark, theme.VariantLight} {
		fyne.CurrentApp().Settings().SetTheme(appTheme{variantTheme{theme.DefaultTheme(), v}})
		w.win.Content().Refresh()
		w.win.Canvas().Focus(next)
		capture(t, w.win, fmt.Sprintf("wizard-next-focused-variant%d", v))
	}
}

// variantTheme is a theme in one variant, whatever the app's.
type variantTheme struct {
	fyne.Theme
	v fyne.ThemeVariant
}

func (t variantTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return t.Theme.Color(n, t.v)
}

// Problem 11: the unsaved-changes question opens on the safe choice, which
// is the highlighted one; Escape keeps editing.
func TestUnsavedChangesDialogKeys(t *testing.T) {
	f := newFixture(t, nil)
	f.saveProfile("work", credstore.Secrets{Password: janePass, SecurityToken: janeToken})
	s := f.openSettings()
	test.Type(s.form.token, "X")
	s.requestClose()
	c := s.win.Canvas()
	keep, ok := c.Focused().(*keyButton)
	if !ok || keep.Text != "Keep editing" || keep.Importance != widget.HighImportance {
		t.Fatalf("focus %#v", c.Focused())
	}
	if discard := keyButtonNamed(t, c, "Discard"); discard.Importance == widget.HighImportance {
		t.Error("Discard is the highlighted choice")
	}
	capture(t, s.win, "settings-unsaved-changes")
	press(c, fyne.KeyEscape, 0)
	if c.Overlays().Top() != nil || f.u.settings == nil || !strings.Contains(s.form.token.Text, "X") {
		t.Fatal("Escape did not keep editing")
	}
}

// Problem 12: no browser: plain words and the address to copy.
func TestNoBrowserOffersTheAddress(t *testing.T) {
	f := newFixture(t, nil)
	f.u.opt.OpenURL = func(*url.URL) error {
		return errors.New(`open the browser with xdg-open: exec: "xdg-open": executable file not found in $PATH`)
	}
	s := f.openSettings()
	s.form.env.SetSelected(envSandbox)
	test.Tap(findButton(t, s.win.Canvas(), "What is this?"))
	press(s.win.Canvas(), fyne.KeyReturn, 0) // the focused "Open Reset My Security Token"
	c := s.win.Canvas()
	txt := overlayText(c)
	if strings.Contains(txt, "exec:") || strings.Contains(txt, "$PATH") || !strings.Contains(txt, "No web browser") {
		t.Fatalf("dialog text %q", txt)
	}
	addr := dialogEntry(t, c)
	if !strings.HasPrefix(addr.Text, "https://test.salesforce.com/?startURL=") {
		t.Fatalf("address %q", addr.Text)
	}
	want := addr.Text
	test.Type(addr, "x")
	if addr.Text != want {
		t.Error("the address can be edited")
	}
	test.Tap(findButton(t, c, "Copy"))
	if got := f.app.Clipboard().Content(); got != want {
		t.Errorf("clipboard %q, want %q", got, want)
	}
	capture(t, s.win, "settings-no-browser")
}

// Problem 13: plain words.
func TestPlainWords(t *testing.T) {
	f := newFixture(t, nil)
	f.saveProfile("default", credstore.Secrets{Password: janePass, SecurityToken: janeToken})
	f.saveProfile("work", credstore.Secrets{Password: janePass, SecurityToken: janeToken})
	s := f.openSettings()
	for _, it := range s.form.advancedItems(s.win) {
		if strings.Contains(it.Text, "API") || strings.Contains(it.Text, "Method") {
			t.Errorf("Advanced label %q", it.Text)
		}
	}
	for _, o := range s.form.method.Options {
		if strings.Contains(o, "SOAP") || strings.Contains(o, "OAuth") || strings.Contains(o, "()") {
			t.Errorf("method choice %q", o)
		}
	}
	if len(s.profiles.Options) != 2 || s.profiles.Options[0] != "default" || s.profiles.Selected != "default" {
		t.Errorf("picker %q selected %q", s.profiles.Options, s.profiles.Selected)
	}
	sub := find(s.win.Canvas(), func(l *widget.Label) bool { return strings.HasPrefix(l.Text, "The Salesforce login") })
	if sub == nil || sub.Importance == widget.LowImportance {
		t.Error("subtitle in the faint low-importance colour")
	}
	// Deleting the default profile says which one is the default now.
	test.Tap(s.deleteBtn)
	if txt := overlayText(s.win.Canvas()); !strings.Contains(txt, `"work" becomes the default`) {
		t.Errorf("delete question %q", txt)
	}
	test.Tap(findButton(t, s.win.Canvas(), "Delete"))
	f.wait()
	if !strings.Contains(s.result.body.Text, `"work" is now the default profile`) {
		t.Errorf("after delete: %q", s.result.body.Text)
	}
	// The Lightning path beside the Classic one.
	for _, want := range []string{"My Personal Information", "Quick Find", "My Settings → Personal"} {
		if !strings.Contains(tokenHowTo, want) {
			t.Errorf("token how-to lacks %q", want)
		}
	}
}

// Problem 13: "What Salesforce said" only over Salesforce's own words.
// (The hints fit every face: sfclient's TestHintsFitEveryFace.)
func TestDetailsTitleAndHints(t *testing.T) {
	refused := connection.FromResult(credstore.Profile{}, sfclient.Result{Code: sfclient.CodeInvalidLogin})
	tests := []struct {
		name string
		o    connection.Outcome
		want string
	}{
		{"refused", refused, detailsSalesforce},
		{"network", connection.FromResult(credstore.Profile{}, sfclient.Result{Code: sfclient.CodeNetwork}), detailsOther},
		{"timeout", connection.FromResult(credstore.Profile{}, sfclient.Result{Code: sfclient.CodeTimeout}), detailsOther},
		{"TLS", connection.FromResult(credstore.Profile{}, sfclient.Result{Code: sfclient.CodeTLS}), detailsOther},
		{"unusable setting", connection.Failed(credstore.Profile{}, &sfclient.ConfigError{Field: "proxy", Value: "bad", Reason: "not a URL"}), detailsOther},
		{"sign-in not finished", connection.Failed(credstore.Profile{}, &sfclient.SignInError{Code: sfclient.CodeSignInTimeout, Message: "timed out"}), detailsOther},
	}
	for _, tt := range tests {
		if got := detailsTitle(tt.o); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
	// The stale-token hint names the Lightning path too (the checker's
	// text, as the settings window shows it).
	f := newFixture(t, nil)
	s := f.openSettings()
	f.testTyped(s, "StaleToken0123")
	if b := s.result.body.Text; !strings.Contains(b, "My Personal Information") || !strings.Contains(b, "My Settings → Personal") {
		t.Errorf("stale-token hint %q", b)
	}
}

// Problem 13: a failure that is not Salesforce's says "Details".
func TestNetworkFailureDetailsTitle(t *testing.T) {
	f := newFixture(t, func(c *sftest.Config) { c.PlainHTTP = true })
	s := f.openSettings()
	f.fillForm(s.form, jane, janePass, janeToken)
	f.srv.Close() // nothing answers any more: connection refused
	test.Tap(s.testBtn)
	f.wait()
	if s.last == nil || s.last.Kind() != connection.KindConnection {
		t.Fatalf("tested %+v", s.last)
	}
	if s.result.detailsT.Title != detailsOther {
		t.Errorf("details titled %q for %s", s.result.detailsT.Title, s.last.Code)
	}
}

// capture saves what a window shows, for a person to look at, when
// $UI_CAPTURE_DIR is set.
func capture(t *testing.T, w fyne.Window, name string) {
	t.Helper()
	dir := os.Getenv("UI_CAPTURE_DIR")
	if dir == "" {
		return
	}
	// The test driver lays out only on a resize (the desktop driver does it
	// every frame): nudge the window so the picture is what a user sees.
	sz := w.Canvas().Size()
	w.Resize(sz.AddWidthHeight(1, 1))
	w.Resize(sz)
	img := w.Canvas().Capture()
	fh, err := os.Create(filepath.Join(dir, name+".png"))
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	if err := png.Encode(fh, img); err != nil {
		t.Fatal(err)
	}
}

// Problem 11: the whole wizard by keyboard alone: Tab, Space, typing and
// Return, from the first step to the saved profile.
func TestWizardByKeyboardAlone(t *testing.T) {
	f := newFixture(t, plain)
	w := f.openWizard()
	c := w.win.Canvas()
	// Tab to the radios, down to My Domain, Space picks it.
	c.FocusNext()
	for i := 0; i < 2; i++ {
		c.FocusNext()
	}
	press(c, fyne.KeySpace, ' ')
	if w.form.env.Selected != envMyDomain {
		t.Fatalf("Space on the third radio: %q", w.form.env.Selected)
	}
	c.FocusNext()
	if c.Focused() != w.form.myDomain {
		t.Fatalf("Tab after My Domain: focus on %#v", c.Focused())
	}
	for _, r := range f.srv.URL() {
		press(c, "", r)
	}
	press(c, fyne.KeyReturn, 0)
	if w.step != stepWho || c.Focused() != w.form.username {
		t.Fatalf("step %d focus %#v", w.step, c.Focused())
	}
	for _, r := range jane {
		press(c, "", r)
	}
	c.FocusNext()
	for _, r := range janePass {
		press(c, "", r)
	}
	press(c, fyne.KeyReturn, 0)
	if w.step != stepToken || c.Focused() != w.form.token {
		t.Fatalf("step %d focus %#v", w.step, c.Focused())
	}
	for _, r := range janeToken {
		press(c, "", r)
	}
	press(c, fyne.KeyReturn, 0)
	f.wait()
	if !w.last.OK() {
		t.Fatalf("test: %s %s", w.last.Code, w.result.body.Text)
	}
	press(c, fyne.KeyReturn, 0) // Save has the focus
	f.wait()
	if p, err := f.store.Default(); err != nil || p.Username != jane {
		t.Fatalf("saved %+v %v", p, err)
	}
	if n := f.logins(); n != 1 {
		t.Errorf("%d logins up to the save, want 1", n)
	}
	press(c, fyne.KeyReturn, 0) // Finish has the focus
	f.wait()
	if w.open {
		t.Error("the wizard did not finish")
	}
}

// Problem 11: Return with nothing focused moves on, as Next does.
func TestWizardReturnWithoutFocus(t *testing.T) {
	f := newFixture(t, plain)
	w := f.openWizard()
	c := w.win.Canvas()
	c.Unfocus()
	if h := c.OnTypedKey(); h == nil {
		t.Fatal("no key handler on the wizard's canvas")
	} else {
		h(&fyne.KeyEvent{Name: fyne.KeyReturn})
	}
	if w.step != stepWho {
		t.Errorf("Return on step 1: step %d", w.step)
	}
}

// Problem 2 in dialogs: Space on the dialog's button creates the profile
// and is not handed on to the button that opened the dialog (which would
// open it again).
func TestSpaceInNameDialog(t *testing.T) {
	f := newFixture(t, nil)
	s := f.openSettings()
	c := s.win.Canvas()
	c.Focus(s.addBtn)
	press(c, fyne.KeySpace, ' ')
	entry, ok := c.Focused().(*keyEntry)
	if !ok || entry.Text != "" {
		t.Fatalf("Space on New…: focus %#v", c.Focused())
	}
	for _, r := range "uat" {
		press(c, "", r)
	}
	c.Focus(keyButtonNamed(t, c, "Create"))
	press(c, fyne.KeySpace, ' ')
	if c.Overlays().Top() != nil || s.current != "uat" || !s.isNew {
		t.Fatalf("after Space on Create: dialog open %v, current %q", c.Overlays().Top() != nil, s.current)
	}
}

// A Return after a failed test does not send the same login again.
func TestSettingsReturnAfterFailedTest(t *testing.T) {
	f := newFixture(t, nil)
	s := f.openSettings()
	f.fillForm(s.form, jane, janePass, "StaleToken0123")
	c := s.win.Canvas()
	c.Focus(s.testBtn)
	press(c, fyne.KeyReturn, 0)
	f.wait()
	press(c, fyne.KeyReturn, 0)
	f.wait()
	if n := f.logins(); n != 1 {
		t.Errorf("%d logins after Return, Return", n)
	}
}

package ui

// Widget tests from the desktop review of issue 8 ("Problem N" is that
// review's problem N), driven the way the user drove it: the wizard by
// keyboard alone: Space, Tab, typing and Return.

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
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

// typeText types text one character at a time, as press does.
func typeText(c fyne.Canvas, text string) {
	for _, r := range text {
		press(c, "", r)
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
	typeText(c, f.srv.URL())
	press(c, fyne.KeyReturn, 0)
	if w.step != stepWho || c.Focused() != w.form.username {
		t.Fatalf("step %d focus %#v", w.step, c.Focused())
	}
	typeText(c, jane)
	c.FocusNext()
	typeText(c, janePass)
	press(c, fyne.KeyReturn, 0)
	if w.step != stepToken || c.Focused() != w.form.token {
		t.Fatalf("step %d focus %#v", w.step, c.Focused())
	}
	typeText(c, janeToken)
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

// Package e2e holds the end-to-end tests of AdvoLogix Connect: they build
// the real advologix-connect binary (once, through internal/testing/testbin) and
// run it as a user would, against the loopback Salesforce emulator
// (internal/testing/sftest), each test in a desktop of its own
// (desktoptest.StartSession): a private D-Bus session bus, gnome-keyring
// unlocked before the display exists (so no keyring prompt can appear),
// Xvfb, openbox as the window manager, xfce4-panel's Status Tray as the
// real tray host and xfce4-notifyd as the real notification daemon.
//
// The tests look at the screen as a user does: a window is found by its
// process and exact title and photographed by its own X window id; the
// picture is read back with tesseract and must show the step's text (the
// wizard's question, the user's name after a passing test, a stale token's
// hint, …), or the test fails. Pictures are taken in scale 1 and 2 and in
// the light and dark themes. A window on screen that is neither the
// desktop's nor the app's fails the test. The tray is read and clicked
// through the panel's watcher and com.canonical.dbusmenu; notifications
// are read on the bus (a monitor, the daemon still answers) and off the
// daemon's popup window. Screenshots and their OCR text are kept in
// $ADVOLOGIX_ARTIFACTS/e2e (set by make test).
//
// The tests carry the integration build tag and run with make test inside
// scripts/test-session.sh; a missing tool or desktop component fails
// them, it never skips them.
package e2e

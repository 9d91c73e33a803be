// Package e2e holds the end-to-end tests of AdvoLogix Connect: they build
// the real advologix-connect binary and run it as a user would, inside the
// throw-away desktop session of scripts/test-session.sh (Xvfb for the
// windows, a private D-Bus session bus, an unlocked gnome-keyring), against
// the loopback Salesforce emulator (sfclient/sftest).
//
// What a desktop shell would provide comes from internal/desktoptest: a
// StatusNotifierWatcher stand-in where the tray icon registers, so a test
// can read and click its menu, and a notification server stand-in that
// records what the app announces. Windows are found with xdotool and
// photographed with ImageMagick's import into $ADVOLOGIX_ARTIFACTS (set by
// make test) for people to look at.
//
// The tests carry the integration build tag and run with make test; a
// missing tool or session component fails them, it never skips them.
package e2e

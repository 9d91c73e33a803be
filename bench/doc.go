// Package bench holds the project's benchmarks: whole-process figures (the
// check command against curl, the app's first frame and idle memory against
// a bare Fyne window) and keychain round trips. They need the real things —
// a built binary, curl, gnome-keyring, an X server — so they carry the
// "integration" build tag and run inside scripts/test-session.sh:
//
//	make bench
package bench

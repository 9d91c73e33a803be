// Package ui is AdvoLogix Connect's desktop face: the Settings window, the
// first-run wizard and the system-tray icon. It composes sfclient (through
// internal/connection) and credstore; it never talks to Salesforce or the
// keychain itself.
//
// Work that may block — a login check, a keychain call — runs on its own
// goroutine and comes back to the widgets through fyne.Do.
package ui

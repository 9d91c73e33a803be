//go:build !linux

package main

// trayHostAvailable: macOS and Windows always have a tray (menu bar,
// notification area).
func trayHostAvailable() bool { return true }

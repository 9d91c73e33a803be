//go:build !linux

package desktop

// TrayHostAvailable: macOS and Windows always have a tray (menu bar,
// notification area).
func TrayHostAvailable() bool { return true }

//go:build !darwin && !windows

package autostart

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// fileExt ends the entry file's name: an XDG autostart entry.
const fileExt = ".desktop"

// defaultDir is the user's XDG autostart folder.
func defaultDir() (string, error) {
	base, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("autostart folder: %w", err)
	}
	return filepath.Join(base, "autostart"), nil
}

// content is the XDG autostart entry that starts exe in the tray.
func content(exe string) string {
	return "[Desktop Entry]\nType=Application\nName=AdvoLogix Connect\n" +
		"Comment=Checks the AdvoLogix Salesforce login in the background\n" +
		"Exec=" + desktopQuote(exe) + " tray\nIcon=" + AppID + "\nTerminal=false\nX-GNOME-Autostart-enabled=true\n"
}

// desktopQuote quotes an Exec argument as the Desktop Entry spec asks.
func desktopQuote(s string) string {
	if !strings.ContainsAny(s, " \t\n\"'\\><~|&;$*?#()`%") {
		return s
	}
	r := strings.NewReplacer(`\`, `\\\\`, `"`, `\\"`, "`", "\\\\`", "$", `\\$`, "%", "%%")
	return `"` + r.Replace(s) + `"`
}

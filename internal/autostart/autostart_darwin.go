package autostart

import (
	"encoding/xml"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// fileExt ends the entry file's name: a LaunchAgent.
const fileExt = ".plist"

// defaultDir is the user's LaunchAgents folder.
func defaultDir() (string, error) {
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("home folder: %w", err)
	}
	return filepath.Join(home, "Library", "LaunchAgents"), nil
}

// content is the LaunchAgent that runs exe in the tray at login.
func content(exe string) string {
	var esc strings.Builder
	_ = xml.EscapeText(&esc, []byte(exe))
	return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
	<key>Label</key><string>` + AppID + `</string>
	<key>ProgramArguments</key><array><string>` + esc.String() + `</string><string>tray</string></array>
	<key>RunAtLoad</key><true/>
	<key>ProcessType</key><string>Interactive</string>
</dict>
</plist>
`
}

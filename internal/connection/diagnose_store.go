package connection

// This file holds the keychain and settings checks of Diagnose: the two halves
// of the credential store.

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"
)

func (d *diag) checkKeychain() (CheckStatus, string) {
	if d.o.Store == nil {
		return CheckFail, fmt.Sprintf("the credential store could not be opened: %v", d.o.StoreErr)
	}
	start := time.Now()
	if err := d.o.Store.RoundTrip(d.ctx); err != nil {
		detail := err.Error()
		var coded interface{ Code() string }
		if errors.As(err, &coded) {
			detail = coded.Code() + ": " + detail
		}
		return CheckFail, "a throw-away entry could not be written, read back and deleted: " + detail
	}
	return CheckOK, fmt.Sprintf("wrote, read back and deleted a throw-away entry in %s (%d ms)", KeychainName(), time.Since(start).Milliseconds())
}

// KeychainName names the OS keychain the way its users know it.
func KeychainName() string {
	switch runtime.GOOS {
	case "darwin":
		return "the macOS Keychain"
	case "windows":
		return "the Windows Credential Manager"
	}
	return "the Secret Service keyring"
}

func (d *diag) checkSettings() (CheckStatus, string) {
	if d.o.Store == nil {
		return CheckFail, fmt.Sprintf("the credential store could not be opened: %v", d.o.StoreErr)
	}
	path := d.o.Store.Path()
	fi, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) {
		return CheckOK, path + " does not exist yet (nothing saved)"
	}
	if err != nil {
		return CheckFail, fmt.Sprintf("%s cannot be read: %v", path, err)
	}
	var problems []string
	modes := ""
	if runtime.GOOS != "windows" {
		fileMode, dirMode, dirOK := fi.Mode().Perm(), os.FileMode(0), false
		if dir, derr := os.Stat(filepath.Dir(path)); derr == nil {
			dirMode, dirOK = dir.Mode().Perm(), true
		}
		// Reading the settings narrows our own file and folder: report
		// the modes as they were found.
		fixed := ""
		if d.modesSeen {
			if d.fileMode != fileMode || d.dirMode != dirMode {
				fixed = " (narrowed by this run)"
			}
			fileMode, dirMode, dirOK = d.fileMode, d.dirMode, true
		}
		modes = fmt.Sprintf(", file %04o", fileMode)
		if fileMode != 0o600 {
			problems = append(problems, fmt.Sprintf("the file's permissions are %04o, not 0600%s", fileMode, fixed))
		}
		if dirOK {
			modes += fmt.Sprintf(", folder %04o", dirMode)
			if dirMode&0o077 != 0 {
				problems = append(problems, fmt.Sprintf("the folder's permissions are %04o, not 0700%s", dirMode, fixed))
			}
		}
	}
	if d.settingsErr != nil {
		detail := d.settingsErr.Error()
		var coded interface{ Code() string }
		if errors.As(d.settingsErr, &coded) {
			detail = coded.Code() + ": " + detail
		}
		return CheckFail, strings.Join(append([]string{detail}, problems...), "; ")
	}
	for _, p := range d.settings.Profiles {
		if p.Interrupted() {
			problems = append(problems, fmt.Sprintf("the last save of profile %q was interrupted (%s): test it, or enter its credentials again",
				p.Name, p.SaveInterrupted.UTC().Format(time.RFC3339)))
		}
	}
	def := "no default"
	if d.settings.Default != "" {
		def = "default " + strconv.Quote(d.settings.Default)
	}
	summary := fmt.Sprintf("%s: schema %d, %d profile(s), %s%s", path, d.settings.Version, len(d.settings.Profiles), def, modes)
	if len(problems) > 0 {
		return CheckFail, summary + "; " + strings.Join(problems, "; ")
	}
	return CheckOK, summary
}

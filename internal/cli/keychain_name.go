package cli

import "runtime"

// keychainName names the OS keychain the way its users know it.
func keychainName() string {
	switch runtime.GOOS {
	case "darwin":
		return "macOS Keychain"
	case "windows":
		return "Windows Credential Manager"
	}
	return "keychain (Secret Service)"
}

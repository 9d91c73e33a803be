//go:build windows

package credstore

import "errors"

// readPolicyFile: Windows reads the policy only from the registry
// (policy_windows.go); no file is trusted for it.
func readPolicyFile(path string) (Policy, error) {
	return Policy{}, &PolicyError{Source: path, Err: errors.New("on Windows the IT policy is read only from the registry (HKLM/HKCU\\SOFTWARE\\Policies\\AdvoLogix\\Connect)")}
}

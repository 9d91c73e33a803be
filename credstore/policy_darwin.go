//go:build darwin

package credstore

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"os/user"
	"path/filepath"
	"time"
)

// PolicyDomain is the preferences domain an MDM profile configures on macOS.
const PolicyDomain = "com.advologix.connect"

// managedPrefsDir holds what MDM profiles install; only root writes it.
const managedPrefsDir = "/Library/Managed Preferences"

// loadSystemPolicy reads the managed preferences of PolicyDomain: the
// computer's, then the user's below them. plutil turns the property list
// into JSON with the same member names as policy.json.
//
// Each file must pass the same rule as policy.json on Linux (root-owned,
// not group- or world-writable, in root-only folders up to "/"): anything
// else is POLICY_INSECURE.
func loadSystemPolicy(ctx context.Context) (Policy, error) {
	paths := []string{filepath.Join(managedPrefsDir, PolicyDomain+".plist")}
	if u, err := user.Current(); err == nil {
		paths = append(paths, filepath.Join(managedPrefsDir, u.Username, PolicyDomain+".plist"))
	}
	var out Policy
	for _, path := range paths {
		real, _, err := rootOnly.resolveTrusted(path)
		if errors.Is(err, errNoPolicyFile) {
			continue
		}
		if err != nil {
			return Policy{}, err
		}
		ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		data, err := exec.CommandContext(ctx, "/usr/bin/plutil", "-convert", "json", "-o", "-", real).Output()
		cancel()
		if err != nil {
			return Policy{}, &PolicyError{Source: path, Err: fmt.Errorf("plutil: %w", err)}
		}
		p, err := parsePolicyJSON(data, path, false)
		if err != nil {
			return Policy{}, err
		}
		out = out.merge(p)
	}
	return out, nil
}

// policyPaths are the files the policy is read from.
func policyPaths() []string {
	paths := []string{filepath.Join(managedPrefsDir, PolicyDomain+".plist")}
	if u, err := user.Current(); err == nil {
		paths = append(paths, filepath.Join(managedPrefsDir, u.Username, PolicyDomain+".plist"))
	}
	return paths
}

//go:build !windows && !darwin

package credstore

import "context"

// PolicyFile is where Linux and BSD read the machine-wide policy. Only root
// can write below /etc; the path is fixed at build time.
const PolicyFile = "/etc/advologix-connect/policy.json"

func loadSystemPolicy(ctx context.Context) (Policy, error) {
	return ReadPolicyFileContext(ctx, PolicyFile)
}

// policyPaths are the files the policy is read from.
func policyPaths() []string { return []string{PolicyFile} }

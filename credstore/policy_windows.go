//go:build windows

package credstore

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/sys/windows/registry"
)

// PolicyKey is the registry key (below HKLM, then HKCU) of the policy.
const PolicyKey = `SOFTWARE\Policies\AdvoLogix\Connect`

// loadSystemPolicy reads HKLM\PolicyKey, then HKCU\PolicyKey below it in
// precedence. Both are writable only by administrators (Group Policy).
func loadSystemPolicy(_ context.Context) (Policy, error) {
	var out Policy
	for _, root := range []struct {
		key  registry.Key
		name string
	}{{registry.LOCAL_MACHINE, "HKLM"}, {registry.CURRENT_USER, "HKCU"}} {
		p, found, err := readPolicyKey(root.key, root.name+`\`+PolicyKey)
		if err != nil {
			return Policy{}, err
		}
		if found {
			out = out.merge(p)
		}
	}
	return out, nil
}

func readPolicyKey(root registry.Key, source string) (Policy, bool, error) {
	k, err := registry.OpenKey(root, PolicyKey, registry.QUERY_VALUE|registry.WOW64_64KEY)
	if errors.Is(err, registry.ErrNotExist) {
		return Policy{}, false, nil
	}
	if err != nil {
		return Policy{}, false, &PolicyError{Source: source, Err: err}
	}
	defer k.Close()
	var p Policy
	fail := func(name string, err error) (Policy, bool, error) {
		return Policy{}, false, &PolicyError{Source: source, Err: fmt.Errorf("%s: %w", name, err)}
	}
	for _, s := range []struct {
		name string
		dst  *string
	}{{PolicyLoginURL, &p.LoginURL}, {PolicyClientID, &p.ClientID}, {PolicyProxy, &p.Proxy},
		{PolicyCAFile, &p.CAFile}, {PolicyCheckInterval, &p.CheckInterval}} {
		v, _, err := k.GetStringValue(s.name)
		switch {
		case errors.Is(err, registry.ErrNotExist):
		case err != nil:
			return fail(s.name, err)
		default:
			*s.dst = strings.TrimSpace(v)
		}
	}
	for _, s := range []struct {
		name string
		dst  *[]string
	}{{PolicyAllowedLoginHosts, &p.AllowedLoginHosts}, {PolicyMethods, &p.Methods}, {PolicyLocked, &p.Locked}} {
		v, err := readList(k, s.name)
		if err != nil {
			return fail(s.name, err)
		}
		*s.dst = v
	}
	switch v, _, err := k.GetIntegerValue(PolicyStartInTray); {
	case errors.Is(err, registry.ErrNotExist):
	case err != nil:
		return fail(PolicyStartInTray, fmt.Errorf("want a REG_DWORD 0 or 1: %w", err))
	default:
		b := v != 0
		p.StartInTray = &b
	}
	if err := p.validate(); err != nil {
		return Policy{}, false, &PolicyError{Source: source, Err: err}
	}
	p.Sources = []string{source}
	return p, true, nil
}

// readList reads a REG_MULTI_SZ; a REG_SZ is taken as one comma-separated
// list, as some tools can only write strings.
func readList(k registry.Key, name string) ([]string, error) {
	v, _, err := k.GetStringsValue(name)
	if errors.Is(err, registry.ErrUnexpectedType) {
		var s string
		if s, _, err = k.GetStringValue(name); err == nil {
			v = strings.Split(s, ",")
		}
	}
	if errors.Is(err, registry.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []string
	for _, s := range v {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out, nil
}

// policyPaths are the files the policy is read from: none on Windows,
// where it is only in the registry.
func policyPaths() []string { return nil }

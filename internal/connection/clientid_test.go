package connection_test

import (
	"strings"
	"testing"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/internal/connection"
)

// TestChooseClientIDPrecedence: the locked IT policy > the profile's own >
// the IT policy's default > $ADVOLOGIX_CLIENT_ID > default_client_id > the
// built-in one; none configured is "".
func TestChooseClientIDPrecedence(t *testing.T) {
	locked := credstore.Policy{ClientID: "policy-locked", Locked: []string{credstore.PolicyClientID}, Sources: []string{"policy.json"}}
	unlocked := credstore.Policy{ClientID: "policy-default", Sources: []string{"policy.json"}}
	env := func(v string) func(string) string {
		return func(k string) string {
			if k == connection.ClientIDEnv {
				return v
			}
			return ""
		}
	}
	prefs := credstore.Prefs{DefaultClientID: "settings-default"}
	for _, c := range []struct {
		name, own, builtIn string
		pol                credstore.Policy
		prefs              credstore.Prefs
		getenv             func(string) string
		want               string
		from               connection.ClientIDSource
	}{
		{"locked policy beats everything", "own", "built", locked, prefs, env("env"), "policy-locked", connection.FromPolicyLocked},
		{"profile's own beats an unlocked policy", "own", "built", unlocked, prefs, env("env"), "own", connection.FromProfile},
		{"profile's own beats the built-in", " own ", "built", credstore.Policy{}, credstore.Prefs{}, nil, "own", connection.FromProfile},
		{"unlocked policy beats env, settings and built-in", "", "built", unlocked, prefs, env("env"), "policy-default", connection.FromPolicy},
		{"env beats the settings file", "", "built", credstore.Policy{}, prefs, env("env"), "env", connection.FromEnv},
		{"settings file beats the built-in", "", "built", credstore.Policy{}, prefs, env(" "), "settings-default", connection.FromSettings},
		{"built-in is the last", "", "built", credstore.Policy{}, credstore.Prefs{}, nil, "built", connection.FromBuiltIn},
		{"a lock without a value locks nothing", "own", "built", credstore.Policy{Locked: []string{credstore.PolicyClientID}}, prefs, nil, "own", connection.FromProfile},
		{"development build, nothing configured", "", "", credstore.Policy{}, credstore.Prefs{}, env(""), "", connection.FromNone},
	} {
		t.Run(c.name, func(t *testing.T) {
			defer func(old string) { connection.BuiltInClientID = old }(connection.BuiltInClientID)
			connection.BuiltInClientID = c.builtIn
			got, from := connection.ChooseClientID(c.own, c.pol, c.prefs, c.getenv)
			if got != c.want || from != c.from {
				t.Errorf("ChooseClientID = %q from %q, want %q from %q", got, from, c.want, c.from)
			}
			// Without a policy or an own id, DefaultClientID is the same order.
			if c.own == "" && c.pol.ClientID == "" && connection.DefaultClientID(c.prefs, c.getenv) != c.want {
				t.Errorf("DefaultClientID = %q, want %q", connection.DefaultClientID(c.prefs, c.getenv), c.want)
			}
		})
	}
}

// TestBuildClientIDLine: a release names its built-in client id, a
// development build says it has none and how to set one.
func TestBuildClientIDLine(t *testing.T) {
	defer func(old string) { connection.BuiltInClientID = old }(connection.BuiltInClientID)
	for _, c := range []struct{ builtIn, want string }{
		{"3MVG9release", "built-in client id 3MVG9release"},
		{"", "no built-in client id (development build)"},
	} {
		connection.BuiltInClientID = c.builtIn
		if got := connection.BuildClientIDLine(); !strings.Contains(got, c.want) {
			t.Errorf("built-in %q: %q, want it to contain %q", c.builtIn, got, c.want)
		}
	}
}

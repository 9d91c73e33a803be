package sfclient_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/advologix/advologix-connect/internal/testing/sftest"
	"github.com/advologix/advologix-connect/sfclient"
)

// TestSecretsNeverInResult: no password, token, session id or client
// secret in a Result, its JSON, or its %+v form, success or failure.
func TestSecretsNeverInResult(t *testing.T) {
	srv := newServer(t, func(c *sftest.Config) { c.Apps[0].ClientSecret = "app-secret-xyz" })
	secrets := []string{janePass, janeToken, "app-secret-xyz", "Wr0ngPassw0rd"}
	for _, m := range []sfclient.Method{sfclient.MethodSOAP, sfclient.MethodOAuthPassword} {
		for _, cr := range []sfclient.Credentials{
			{Username: jane, Password: janePass, SecurityToken: janeToken, ClientSecret: "app-secret-xyz"},
			{Username: jane, Password: "Wr0ngPassw0rd", SecurityToken: janeToken, ClientSecret: "app-secret-xyz"},
		} {
			r := check(t, srv, sfclient.Config{Method: m}, cr)
			js, _ := json.Marshal(r)
			for _, text := range []string{string(js), fmt.Sprintf("%+v", r), fmt.Sprintf("%#v", r), fmt.Sprint(cr), fmt.Sprintf("%#v", cr)} {
				for _, s := range secrets {
					if strings.Contains(text, s) {
						t.Errorf("%s: secret %q appears in %.80q…", m, s, text)
					}
				}
				if strings.Contains(text, "!AQ") {
					t.Errorf("%s: a session id appears in the result", m)
				}
			}
		}
	}
}

func TestResultJSONContract(t *testing.T) {
	srv := newServer(t, nil)
	r := check(t, srv, sfclient.Config{}, sfclient.Credentials{Username: jane, Password: "bad"})
	js, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(js, &m); err != nil {
		t.Fatal(err)
	}
	want := []string{"ok", "code", "message", "hint", "method", "login_url", "instance_url", "username", "user_id",
		"user_full_name", "organization_id", "organization_name", "sandbox", "password_expired", "elapsed_ms", "login_history_status"}
	if len(m) != len(want) {
		t.Errorf("JSON has %d keys, want %d: %s", len(m), len(want), js)
	}
	for _, k := range want {
		if _, ok := m[k]; !ok {
			t.Errorf("JSON lacks %q: %s", k, js)
		}
	}
}

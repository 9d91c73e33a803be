package credstore

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"
)

var testSecrets = Secrets{
	Password:      "PW-7f3a-secret",
	SecurityToken: "TOK-9b2c-secret",
	RefreshToken:  "RT-5Aep861-secret",
	ClientSecret:  "CS-e41d-secret",
}

func containsSecret(s string) bool {
	for _, k := range Kinds() {
		if v := testSecrets.value(k); strings.Contains(s, v) || strings.Contains(s, fmt.Sprintf("%x", v)) {
			return true
		}
	}
	return false
}

func TestSecretsNeverPrinted(t *testing.T) {
	type holder struct {
		Name string
		Sec  Secrets
		Ptr  *Secrets
	}
	sec := testSecrets
	values := []any{sec, &sec, holder{"h", sec, &sec}, []Secrets{sec}, map[string]Secrets{"k": sec}}
	for _, v := range values {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%T %v"} {
			out := fmt.Sprintf(verb, v)
			if containsSecret(out) {
				t.Errorf("fmt %s of %T printed a secret: %s", verb, v, out)
			}
		}
	}
	if out := fmt.Sprint(sec); !strings.Contains(out, "Password:<redacted>") {
		t.Errorf("String() = %s", out)
	}
	if out := (Secrets{}).String(); strings.Contains(out, "redacted") {
		t.Errorf("empty Secrets = %s", out)
	}
	fmt.Println(sec) // even on stdout, in case someone greps the test log

	if _, err := json.Marshal(sec); err == nil {
		t.Error("json.Marshal(Secrets) succeeded")
	}
	if b, err := json.Marshal(holder{Sec: sec}); err == nil || containsSecret(string(b)) {
		t.Errorf("json.Marshal(holder) = %s, %v", b, err)
	}

	for _, h := range []func(*bytes.Buffer) slog.Handler{
		func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) },
		func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) },
	} {
		var buf bytes.Buffer
		slog.New(h(&buf)).Info("saving", "secrets", sec, "ptr", &sec)
		if containsSecret(buf.String()) || !strings.Contains(buf.String(), "redacted") {
			t.Errorf("slog printed: %s", buf.String())
		}
	}
}

func TestErrorsNeverContainSecrets(t *testing.T) {
	ctx := context.Background()
	var errs []error
	collect := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}

	// Too big, with the secret's text inside the oversized value.
	s, kr := newTestStore(t)
	big := testSecrets
	big.Password = strings.Repeat(testSecrets.Password, 200)
	collect(s.Save(ctx, prof("p"), big))
	collect(s.UpdateSecret(ctx, "p", KindPassword, big.Password))

	// A failing keychain and a blocked one.
	mustSave(t, s, prof("p"), testSecrets)
	kr.FailWith(errors.New("keychain broken"))
	collect(s.Save(ctx, prof("p"), testSecrets))
	_, err := s.Secrets(ctx, "p")
	collect(err)
	kr.FailWith(nil)
	release := kr.Lock()
	short, cancel := context.WithTimeout(ctx, 30*time.Millisecond)
	collect(s.Save(short, prof("p"), testSecrets))
	cancel()
	release()

	// Passwords pasted into URLs.
	bad := prof("q")
	bad.Proxy = "http://u:" + testSecrets.Password + "@proxy"
	collect(s.Save(ctx, bad, testSecrets))

	if len(errs) < 5 {
		t.Fatalf("only %d errors collected", len(errs))
	}
	for _, err := range errs {
		msg := fmt.Sprintf("%v %+v %#v", err, err, err)
		if containsSecret(msg) {
			t.Errorf("error text contains a secret: %s", msg)
		}
	}
	if containsSecret(string(readSettingsFile(t, s))) {
		t.Error("settings.json contains a secret")
	}
}

func TestSizeLimit(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		sec  Secrets
		ok   bool
	}{
		{"exactly the limit", Secrets{Password: strings.Repeat("a", MaxSecretBytes)}, true},
		{"one byte over", Secrets{Password: strings.Repeat("a", MaxSecretBytes+1)}, false},
		{"multibyte over", Secrets{RefreshToken: strings.Repeat("é", MaxSecretBytes/2+1)}, false},
		{"token over", Secrets{Password: "ok", SecurityToken: strings.Repeat("t", 3000)}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, kr := newTestStore(t)
			mustSave(t, s, prof("p"), Secrets{Password: "before"})
			before := string(readSettingsFile(t, s))
			err := s.Save(ctx, prof("p"), tc.sec)
			if tc.ok {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			ke := asKeychainError(t, err)
			if ke.Kind != KeychainTooBig || ke.Code() != "KEYCHAIN_TOO_BIG" || ke.Size <= MaxSecretBytes {
				t.Fatalf("error = %+v", ke)
			}
			if !strings.Contains(ke.Error(), "at most 2560 bytes") {
				t.Fatalf("message = %s", ke.Error())
			}
			if string(readSettingsFile(t, s)) != before {
				t.Fatal("settings changed (or marked) for a save refused up front")
			}
			if v, _ := kr.Lookup(Service, "p:password"); v != "before" {
				t.Fatal("keychain changed")
			}
		})
	}
	s, _ := newTestStore(t)
	mustSave(t, s, prof("p"), Secrets{})
	err := s.UpdateSecret(ctx, "p", KindRefreshToken, strings.Repeat("r", MaxSecretBytes+1))
	if ke := asKeychainError(t, err); ke.Kind != KeychainTooBig {
		t.Fatalf("UpdateSecret too big = %v", err)
	}
}

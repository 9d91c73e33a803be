package credstore

import (
	"context"
	"errors"
	"slices"
	"testing"
)

// switchFixture is a password profile "p" saved in a fresh store, and the
// browser profile that replaces it.
func switchFixture(t *testing.T) (*Store, Keyring, string, Profile, Secrets) {
	t.Helper()
	dir, kr := t.TempDir(), newMem()
	s := openTest(t, dir, kr)
	old := prof("p")
	old.APIVersion, old.Proxy = "62.0", "http://proxy.example:3128"
	mustSave(t, s, old, Secrets{Password: "old-pw", SecurityToken: "old-tok"})
	np := mustProfile(t, s, "p")
	np.Method, np.ClientID = MethodOAuthBrowser, "3MVG9cid"
	return s, kr, dir, np, Secrets{RefreshToken: "new-rt"}
}

// After a crash at any step of Switch, a restarted app finds the old
// password login or the new browser login, complete and not interrupted;
// once it uses the profile (Sweep), no password or token is left.
func TestSwitchSurvivesACrashAtEveryStep(t *testing.T) {
	oldSec := Secrets{Password: "old-pw", SecurityToken: "old-tok"}
	newSec := Secrets{RefreshToken: "new-rt"}
	tests := []struct {
		step      string
		newMethod bool // settings.json names the browser login
		keychain  Secrets
	}{
		// The new entry is written but not referenced: the old login is
		// read; the next switch overwrites the entry, logout deletes it.
		{"switch:secret:refresh_token", false, Secrets{Password: "old-pw", SecurityToken: "old-tok", RefreshToken: "new-rt"}},
		{"switch:settings", true, Secrets{Password: "old-pw", SecurityToken: "old-tok", RefreshToken: "new-rt"}},
		{"switch:delete:password", true, Secrets{SecurityToken: "old-tok", RefreshToken: "new-rt"}},
		{"switch:delete:security_token", true, newSec},
	}
	for _, tc := range tests {
		t.Run(tc.step, func(t *testing.T) {
			s, kr, dir, np, sec := switchFixture(t)
			crashAt(s, tc.step)
			if err := s.Switch(context.Background(), np, sec, Verdict{OK: true}); !errors.Is(err, errCrash) {
				t.Fatalf("Switch = %v, want the simulated crash", err)
			}

			s2 := openTest(t, dir, kr) // the app starts again
			p := mustProfile(t, s2, "p")
			if p.Interrupted() {
				t.Fatal("a switch must never leave the profile marked interrupted")
			}
			if p.APIVersion != "62.0" || p.Proxy != "http://proxy.example:3128" {
				t.Errorf("settings lost: %+v", p)
			}
			if got := p.LoginMethod() == MethodOAuthBrowser; got != tc.newMethod {
				t.Fatalf("method after the crash = %s", p.LoginMethod())
			}
			got := mustSecrets(t, s2, "p")
			want := oldSec
			if tc.newMethod {
				want = newSec
			}
			if got != want {
				t.Errorf("the saved login reads %v, want %v", got.kinds(), want.kinds())
			}
			all := Secrets{}
			for _, k := range Kinds() {
				if v, err := kr.Get(Service, Account("p", k)); err == nil {
					all.set(k, v)
				}
			}
			if all != tc.keychain {
				t.Errorf("keychain after the crash holds %v, want %v", all.kinds(), tc.keychain.kinds())
			}

			if err := s2.Sweep(context.Background(), "p"); err != nil {
				t.Fatal(err)
			}
			if tc.newMethod {
				for _, k := range []string{KindPassword, KindSecurityToken} {
					if _, err := kr.Get(Service, Account("p", k)); err == nil {
						t.Errorf("%s still in the keychain after Sweep", k)
					}
				}
				if p := mustProfile(t, s2, "p"); len(p.Retired) != 0 {
					t.Errorf("Retired = %v after Sweep", p.Retired)
				}
			}
		})
	}
}

func TestSwitch(t *testing.T) {
	s, kr, _, np, sec := switchFixture(t)
	before := mustProfile(t, s, "p")
	if err := s.Switch(context.Background(), np, sec, Verdict{OK: true}); err != nil {
		t.Fatal(err)
	}
	p := mustProfile(t, s, "p")
	if p.LoginMethod() != MethodOAuthBrowser || !slices.Equal(p.Secrets, []string{KindRefreshToken}) || len(p.Retired) != 0 {
		t.Errorf("after Switch: %+v", p)
	}
	if p.Generation == before.Generation {
		t.Error("Switch kept the generation: the old verdict would still apply")
	}
	if v, err := s.Verdicts(); err != nil || !v["p"].About(p) || !v["p"].OK {
		t.Errorf("verdict after Switch: %+v %v", v["p"], err)
	}
	if vals := kr.(interface{ Values() []string }).Values(); !slices.Equal(vals, []string{"new-rt"}) {
		t.Errorf("keychain holds %d values after Switch, want only the refresh token", len(vals))
	}
	if err := s.Sweep(context.Background(), "p"); err != nil {
		t.Errorf("Sweep with nothing retired: %v", err)
	}
}

func TestSwitchRefusals(t *testing.T) {
	t.Run("no such profile", func(t *testing.T) {
		s, _, _, np, sec := switchFixture(t)
		np.Name = "q"
		if err := s.Switch(context.Background(), np, sec, Verdict{}); !errors.Is(err, ErrNotFound) {
			t.Errorf("Switch of a missing profile = %v", err)
		}
	})
	t.Run("interrupted save", func(t *testing.T) {
		s, kr, dir, np, sec := switchFixture(t)
		crashAt(s, "save:marked")
		_ = s.Save(context.Background(), prof("p"), Secrets{Password: "x"})
		s2 := openTest(t, dir, kr)
		if err := s2.Switch(context.Background(), np, sec, Verdict{}); !errors.Is(err, ErrNotSwitchable) {
			t.Errorf("Switch of an interrupted profile = %v", err)
		}
		if got := mustSecrets(t, s2, "p"); got.RefreshToken != "" {
			t.Error("a refused switch wrote the refresh token")
		}
	})
}

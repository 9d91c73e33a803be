package credstore

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

const fileFromAnotherVersion = `{
  "version": 1,
  "default": "prod",
  "theme": {"dark": true},
  "profiles": [
    {"name": "prod", "login_url": "https://login.salesforce.com", "username": "u@example.com",
     "method": "soap", "secrets": ["password"], "updated_at": "2025-01-02T03:04:05Z",
     "color": "blue", "org_id": "00D000000000001", "NAME": "another member"},
    {"name": "other", "login_url": "https://test.salesforce.com", "username": "o@example.com",
     "method": "soap", "updated_at": "2025-01-02T03:04:05Z", "tags": ["x", 1]}
  ],
  "start_in_tray": true,
  "telemetry": false
}`

func TestUnknownFieldsSurviveEveryWrite(t *testing.T) {
	ops := []struct {
		name string
		do   func(*Store) error
		// the profile that should carry prod's extras afterwards
		prodName string
	}{
		{"Save existing", func(s *Store) error {
			return s.Save(context.Background(), prof("prod"), Secrets{Password: "p"})
		}, "prod"},
		{"Save new", func(s *Store) error {
			return s.Save(context.Background(), prof("new"), Secrets{Password: "p"})
		}, "prod"},
		{"SaveProfile", func(s *Store) error {
			p, _ := s.Profile("prod")
			p.APIVersion = "62.0"
			return s.SaveProfile(p)
		}, "prod"},
		{"SaveProfile with a fresh struct", func(s *Store) error { return s.SaveProfile(prof("prod")) }, "prod"},
		{"SetDefault", func(s *Store) error { return s.SetDefault("other") }, "prod"},
		{"SavePrefs", func(s *Store) error { return s.SavePrefs(Prefs{CheckInterval: "1h"}) }, "prod"},
		{"UpdateSecret", func(s *Store) error {
			return s.UpdateSecret(context.Background(), "prod", KindSecurityToken, "t")
		}, "prod"},
		{"Rename", func(s *Store) error { return s.Rename(context.Background(), "prod", "production") }, "production"},
		{"Delete other", func(s *Store) error { return s.Delete(context.Background(), "other") }, "prod"},
	}
	for _, op := range ops {
		t.Run(op.name, func(t *testing.T) {
			dir := t.TempDir()
			writeSettingsFile(t, dir, fileFromAnotherVersion)
			kr := newMem()
			kr.Set(Service, "prod:password", "p")
			s := openTest(t, dir, kr)
			if err := op.do(s); err != nil {
				t.Fatal(err)
			}
			var doc map[string]json.RawMessage
			if err := json.Unmarshal(readSettingsFile(t, s), &doc); err != nil {
				t.Fatal(err)
			}
			if compact(doc["theme"]) != `{"dark":true}` {
				t.Errorf("top-level unknown member lost: theme=%s", doc["theme"])
			}
			if string(doc["telemetry"]) != "false" {
				t.Errorf("telemetry=%s", doc["telemetry"])
			}
			var profiles []map[string]json.RawMessage
			if err := json.Unmarshal(doc["profiles"], &profiles); err != nil {
				t.Fatal(err)
			}
			found := false
			for _, p := range profiles {
				var name string
				_ = json.Unmarshal(p["name"], &name)
				switch name {
				case op.prodName:
					found = true
					if string(p["color"]) != `"blue"` || string(p["org_id"]) != `"00D000000000001"` ||
						string(p["NAME"]) != `"another member"` {
						t.Errorf("profile unknown members lost: %v", p)
					}
				case "other":
					if compact(p["tags"]) != `["x",1]` {
						t.Errorf("other's tags lost: %v", p)
					}
				case "new":
					if _, ok := p["color"]; ok {
						t.Errorf("a new profile got another profile's members")
					}
				}
			}
			if !found {
				t.Errorf("profile %q missing", op.prodName)
			}
		})
	}
}

func TestCorruptSettingsAreNeverOverwritten(t *testing.T) {
	corrupt := []struct{ name, content string }{
		{"truncated", `{"version": 1, "profiles": [`},
		{"empty", ``},
		{"not an object", `[1, 2]`},
		{"null", `null`},
		{"wrong type", `{"version": "one"}`},
		{"profile without name", `{"profiles": [{"login_url": "x"}]}`},
		{"duplicate profile", `{"profiles": [{"name": "a"}, {"name": "a"}]}`},
		{"name with colon", `{"profiles": [{"name": "a:b"}]}`},
		{"unknown secret kind", `{"profiles": [{"name": "a", "secrets": ["pin"]}]}`},
		{"null profile", `{"profiles": [null]}`},
	}
	for _, tc := range corrupt {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			writeSettingsFile(t, dir, tc.content)
			kr := newMem()
			s := openTest(t, dir, kr)
			ctx := context.Background()

			_, err := s.Load()
			var se *SettingsError
			if !errors.As(err, &se) || !errors.Is(err, ErrCorrupt) || se.Path != s.Path() || se.Code() != "SETTINGS_CORRUPT" {
				t.Fatalf("Load() = %v, want a SettingsError for %s matching ErrCorrupt", err, s.Path())
			}
			if !strings.Contains(err.Error(), s.Path()) || !strings.Contains(err.Error(), "reset") {
				t.Fatalf("message should name the file and the way out: %v", err)
			}
			for name, op := range map[string]func() error{
				"Save":        func() error { return s.Save(ctx, prof("a"), Secrets{Password: "pw"}) },
				"SaveProfile": func() error { return s.SaveProfile(prof("a")) },
				"SetDefault":  func() error { return s.SetDefault("a") },
				"SavePrefs":   func() error { return s.SavePrefs(Prefs{}) },
				"Delete":      func() error { return s.Delete(ctx, "a") },
				"Rename":      func() error { return s.Rename(ctx, "a", "b") },
				"Update":      func() error { return s.UpdateSecret(ctx, "a", KindPassword, "x") },
			} {
				if err := op(); !errors.Is(err, ErrCorrupt) {
					t.Errorf("%s on a corrupt file = %v, want ErrCorrupt", name, err)
				}
			}
			if got := string(readSettingsFile(t, s)); got != tc.content {
				t.Fatalf("the corrupt file was changed to %q", got)
			}
			if len(kr.Accounts(Service)) != 0 {
				t.Fatal("the keychain was written although the settings could not be")
			}

			moved, err := s.ResetCorrupt()
			if err != nil || moved == "" {
				t.Fatalf("ResetCorrupt() = %q, %v", moved, err)
			}
			if !strings.HasPrefix(filepath.Base(moved), "settings.json.corrupt-") {
				t.Fatalf("moved to %s", moved)
			}
			if b, _ := os.ReadFile(moved); string(b) != tc.content {
				t.Fatal("the moved file lost its content")
			}
			if st := mustLoad(t, s); len(st.Profiles) != 0 {
				t.Fatal("not empty after reset")
			}
			mustSave(t, s, prof("a"), Secrets{Password: "pw"})
			if again, err := s.ResetCorrupt(); again != "" || err != nil {
				t.Fatalf("ResetCorrupt on a valid file = %q, %v", again, err)
			}
		})
	}
}

func TestResetCorruptTwiceInOneSecond(t *testing.T) {
	s, _ := newTestStore(t)
	s.now = func() time.Time { return time.Date(2025, 5, 1, 9, 0, 0, 0, time.UTC) }
	var moved []string
	for range 2 {
		writeSettingsFile(t, s.dir, "{")
		m, err := s.ResetCorrupt()
		if err != nil {
			t.Fatal(err)
		}
		moved = append(moved, m)
	}
	if moved[0] == moved[1] {
		t.Fatalf("both moved to %s", moved[0])
	}
}

func TestNewerVersionIsReadButNotWritten(t *testing.T) {
	dir := t.TempDir()
	content := `{"version": 2, "default": "a", "profiles": [{"name": "a", "method": "quantum"}]}`
	writeSettingsFile(t, dir, content)
	s := openTest(t, dir, newMem())
	if p, err := s.Default(); err != nil || p.Method != "quantum" {
		t.Fatalf("Default() = %+v, %v", p, err)
	}
	err := s.Save(context.Background(), prof("b"), Secrets{Password: "x"})
	var se *SettingsError
	if !errors.As(err, &se) || !errors.Is(err, ErrNewerVersion) || se.Code() != "SETTINGS_NEWER_VERSION" {
		t.Fatalf("Save = %v", err)
	}
	if string(readSettingsFile(t, s)) != content {
		t.Fatal("file changed")
	}
}

func TestWriteIsAtomicForConcurrentReaders(t *testing.T) {
	s, _ := newTestStore(t)
	mustSave(t, s, prof("a"), Secrets{Password: "pw"})
	stop := make(chan struct{})
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			reader := openTest(t, s.dir, newMem())
			for {
				select {
				case <-stop:
					return
				default:
				}
				st, err := reader.Load()
				if err != nil {
					errs <- err
					return
				}
				if len(st.Profiles) != 1 {
					errs <- errors.New("profile count changed")
					return
				}
			}
		}()
	}
	for i := range 150 {
		p := prof("a")
		p.APIVersion = strings.Repeat("9", i%40)
		if err := s.SaveProfile(p); err != nil {
			t.Fatal(err)
		}
	}
	close(stop)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("a reader saw a partial file: %v", err)
	}
}

func TestSettingsFileShape(t *testing.T) {
	s, _ := newTestStore(t)
	s.now = func() time.Time { return time.Date(2025, 5, 1, 9, 30, 0, 123, time.UTC) }
	p := prof("production")
	p.APIVersion = "62.0"
	mustSave(t, s, p, Secrets{Password: "pw", SecurityToken: "tok"})
	want := `{
  "version": 1,
  "default": "production",
  "profiles": [
    {
      "name": "production",
      "login_url": "https://login.salesforce.com",
      "username": "production@example.com",
      "method": "soap",
      "api_version": "62.0",
      "secrets": [
        "password",
        "security_token"
      ],
      "updated_at": "2025-05-01T09:30:00Z",
      "generation": 1746091800000000123
    }
  ],
  "start_in_tray": false
}
`
	if got := string(readSettingsFile(t, s)); got != want {
		t.Fatalf("settings.json =\n%s\nwant\n%s", got, want)
	}
	// A missing file reads as empty settings of the current version.
	empty := openTest(t, t.TempDir(), newMem())
	if st := mustLoad(t, empty); st.Version != SchemaVersion || len(st.Profiles) != 0 {
		t.Fatalf("empty = %+v", st)
	}
}

func TestJSONKeys(t *testing.T) {
	want := "version default profiles start_in_tray check_interval default_client_id"
	if got := strings.Join(settingsKeys, " "); got != want {
		t.Fatalf("settings keys = %q, want %q", got, want)
	}
	if got := strings.Join(profileKeys, " "); !strings.Contains(got, "save_interrupted") || strings.Contains(got, "extra") {
		t.Fatalf("profile keys = %q", got)
	}
}

func compact(b []byte) string {
	var out bytes.Buffer
	if err := json.Compact(&out, b); err != nil {
		return "invalid JSON: " + err.Error()
	}
	return out.String()
}

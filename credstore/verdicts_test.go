package credstore

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestVerdictsFollowTheSavedGeneration(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := context.Background()
	sec := Secrets{Password: "pw-SECRET-1", SecurityToken: "tok-SECRET-1"}
	mustSave(t, s, prof("default"), sec)
	p := mustProfile(t, s, "default")
	if p.Generation == 0 {
		t.Fatal("a saved profile has no generation")
	}
	if vs, err := s.Verdicts(); err != nil || len(vs) != 0 {
		t.Fatalf("verdicts before any test = %v, %v", vs, err)
	}
	v := Verdict{Profile: "default", Generation: p.Generation, OK: true, Result: json.RawMessage(`{"headline":"Connected"}`)}
	if err := s.RecordVerdict(ctx, v); err != nil {
		t.Fatal(err)
	}
	vs, err := s.Verdicts()
	if err != nil || !vs["default"].About(p) || !vs["default"].OK || vs["default"].At.IsZero() {
		t.Fatalf("verdicts = %+v, %v", vs, err)
	}

	// A save without a verdict makes the old one stale; a verdict on the
	// old generation is refused.
	mustSave(t, s, prof("default"), Secrets{Password: "pw-SECRET-2"})
	p2 := mustProfile(t, s, "default")
	if p2.Generation <= p.Generation {
		t.Fatalf("generation %d after %d", p2.Generation, p.Generation)
	}
	vs, _ = s.Verdicts()
	if vs["default"].About(p2) {
		t.Error("the verdict on the old inputs applies to the new ones")
	}
	if err := s.RecordVerdict(ctx, v); !errors.Is(err, ErrChanged) {
		t.Errorf("a verdict on an older generation: %v, want ErrChanged", err)
	}

	// A save with a verdict stores both in one change.
	if err := s.SaveWithVerdict(ctx, prof("default"), sec, Verdict{OK: false, Result: json.RawMessage(`{"code":"INVALID_LOGIN"}`)}); err != nil {
		t.Fatal(err)
	}
	p3 := mustProfile(t, s, "default")
	vs, _ = s.Verdicts()
	if got := vs["default"]; !got.About(p3) || got.OK {
		t.Errorf("after SaveWithVerdict: %+v for generation %d", got, p3.Generation)
	}

	// The file: 0600, no secret, no temporary file left; a deleted
	// profile's verdict goes with the next write.
	path := s.VerdictsPath()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
		t.Errorf("%s mode %v, want 0600", path, fi.Mode().Perm())
	}
	b, _ := os.ReadFile(path)
	if strings.Contains(string(b), "SECRET") {
		t.Errorf("verdicts.json holds a secret:\n%s", b)
	}
	if tmp, _ := filepath.Glob(path + ".tmp-*"); len(tmp) != 0 {
		t.Errorf("temporary files left: %v", tmp)
	}
	mustSave(t, s, prof("other"), Secrets{Password: "x"})
	mustDelete(t, s, "default")
	o := mustProfile(t, s, "other")
	if err := s.RecordVerdict(ctx, Verdict{Profile: "other", Generation: o.Generation, OK: true}); err != nil {
		t.Fatal(err)
	}
	if vs, _ := s.Verdicts(); len(vs) != 1 || !vs["other"].About(o) {
		t.Errorf("after delete: %+v", vs)
	}
}

func TestVerdictsDamagedFileIsNoVerdict(t *testing.T) {
	s, _ := newTestStore(t)
	mustSave(t, s, prof("default"), Secrets{Password: "pw"})
	for _, content := range []string{"", "{", `{"verdicts":{"default":{"profile":"other","ok":true}}}`, "null"} {
		if err := os.WriteFile(s.VerdictsPath(), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		if vs, err := s.Verdicts(); err != nil || len(vs) != 0 {
			t.Errorf("%q: verdicts %v, %v; want none", content, vs, err)
		}
	}
	p := mustProfile(t, s, "default")
	if err := s.RecordVerdict(context.Background(), Verdict{Profile: "default", Generation: p.Generation, OK: true}); err != nil {
		t.Errorf("a damaged file is replaced: %v", err)
	}
	if big := make([]byte, MaxSettingsBytes+1); os.WriteFile(s.VerdictsPath(), big, 0o600) == nil {
		if _, err := s.Verdicts(); !errors.Is(err, ErrTooBig) {
			t.Errorf("an oversized file: %v, want ErrTooBig", err)
		}
	}
}

// TestRenameKeepsTheVerdict: a rename changes no saved input, so the
// verdict on them follows the profile to its new name.
func TestRenameKeepsTheVerdict(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := context.Background()
	mustSave(t, s, prof("old"), Secrets{Password: "pw", SecurityToken: "tok"})
	p, err := s.Profile("old")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.RecordVerdict(ctx, Verdict{Profile: "old", Generation: p.Generation, OK: true}); err != nil {
		t.Fatal(err)
	}
	if err := s.Rename(ctx, "old", "new"); err != nil {
		t.Fatal(err)
	}
	np, err := s.Profile("new")
	if err != nil {
		t.Fatal(err)
	}
	vs, err := s.Verdicts()
	if err != nil {
		t.Fatal(err)
	}
	if v, ok := vs["new"]; !ok || !v.About(np) || !v.OK {
		t.Errorf("after the rename the verdicts are %+v", vs)
	}
	if _, ok := vs["old"]; ok {
		t.Errorf("the old name keeps a verdict: %+v", vs)
	}
}

//go:build unix

package credstore

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/advologix/advologix-connect/internal/testing/testfix"
)

// otherUID is a throw-away uid no account uses.
const otherUID = 54321

// asOtherUser runs a shell script as otherUID with no groups. Tests run as
// root (make test, CI); without root the test cannot show what another
// user can do, so it fails rather than pretend.
func asOtherUser(t *testing.T, script string) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Fatalf("this test acts as a second local user (uid %d) and needs root to switch to it; run it as root (make test does)", otherUID)
	}
	uid := fmt.Sprint(otherUID)
	out, err := exec.Command("setpriv", "--reuid="+uid, "--regid="+uid, "--clear-groups", "--", "sh", "-c", script).CombinedOutput()
	if err != nil {
		t.Fatalf("as uid %d: %s: %v\n%s", otherUID, script, err, out)
	}
}

func settingsCode(t *testing.T, err error) string {
	t.Helper()
	var se *SettingsError
	if !errors.As(err, &se) {
		t.Fatalf("error %v (%T) is not a *SettingsError", err, err)
	}
	return se.Code()
}

// Issue 9 item 5: in a folder left open to everyone, another user replaces
// settings.json with one whose login URL is theirs. It must not be used.
func TestSettingsReplacedByAnotherUser(t *testing.T) {
	dir := filepath.Join(testfix.SharedTempDir(t, "advologix-hostile-", 0o755), "advologix-connect")
	s := openTest(t, dir, newMem())
	mustSave(t, s, prof("a"), Secrets{Password: "the-real-password"})
	if err := os.Chmod(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	evil := `{"version":1,"default":"a","profiles":[{"name":"a","login_url":"https://evil.example","username":"a@example.com","method":"soap","secrets":["password"]}]}`
	asOtherUser(t, fmt.Sprintf("printf '%%s' '%s' > %q/new && mv -f %q/new %q/settings.json", evil, dir, dir, dir))

	_, err := s.Secrets(t.Context(), "a")
	if code := settingsCode(t, err); code != "SETTINGS_INSECURE" {
		t.Fatalf("code %s (%v), want SETTINGS_INSECURE", code, err)
	}
	var se *SettingsError
	errors.As(err, &se)
	if !strings.Contains(se.Hint(), "mv ") || !strings.Contains(err.Error(), "another user") {
		t.Errorf("message %q / hint %q: want who and the fixing command", err, se.Hint())
	}
	if _, err := s.Profile("a"); err == nil {
		t.Error("the tampered profile was returned")
	}
	// Our own folder was narrowed at the read.
	if fi, _ := os.Stat(dir); fi.Mode().Perm() != 0o700 {
		t.Errorf("folder mode %o, want 700", fi.Mode().Perm())
	}
	// Nor is it written over (the other user's file stays as evidence).
	if err := s.SetDefault("a"); settingsCode(t, err) != "SETTINGS_INSECURE" {
		t.Errorf("write into a tampered folder: %v", err)
	}
}

// Item 5: a folder that belongs to another user is refused too.
func TestSettingsFolderOfAnotherUser(t *testing.T) {
	dir := filepath.Join(testfix.SharedTempDir(t, "advologix-hostile-", 0o755), "advologix-connect")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(dir, otherUID, otherUID); err != nil {
		t.Fatal(err)
	}
	asOtherUser(t, fmt.Sprintf(`printf '{"version":1,"profiles":[]}' > %q/settings.json`, dir))
	_, err := openTest(t, dir, newMem()).Load()
	if code := settingsCode(t, err); code != "SETTINGS_INSECURE" {
		t.Fatalf("code %s (%v)", code, err)
	}
}

// Item 5: our own file that others may write is refused with the chmod
// that fixes it; one others may only read is narrowed.
func TestSettingsFileModes(t *testing.T) {
	s, _ := newTestStore(t)
	mustSave(t, s, prof("a"), Secrets{Password: "pw"})
	if err := os.Chmod(s.Path(), 0o666); err != nil {
		t.Fatal(err)
	}
	_, err := s.Load()
	var se *SettingsError
	if settingsCode(t, err) != "SETTINGS_INSECURE" || !errors.As(err, &se) || !strings.Contains(se.Hint(), "chmod 600") {
		t.Fatalf("group/other-writable file: %v", err)
	}
	if err := os.Chmod(s.Path(), 0o644); err != nil {
		t.Fatal(err)
	}
	mustLoad(t, s)
	if fi, _ := os.Stat(s.Path()); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %o after a read, want 600", fi.Mode().Perm())
	}
}

// Item 12: the settings file is size-capped.
func TestSettingsTooBig(t *testing.T) {
	s, _ := newTestStore(t)
	writeSettingsFile(t, filepath.Dir(s.Path()), `{"version":1,"profiles":[],"x":"`+strings.Repeat("x", MaxSettingsBytes)+`"}`)
	_, err := s.Load()
	if code := settingsCode(t, err); code != "SETTINGS_TOO_BIG" {
		t.Fatalf("code %s (%v)", code, err)
	}
}

// Item 12: a symbolic link at the lock file's path is not followed, and
// its missing target is not created.
func TestLockFileSymlinkNotFollowed(t *testing.T) {
	s, _ := newTestStore(t)
	mustSave(t, s, prof("a"), Secrets{Password: "pw"})
	dir := filepath.Dir(s.Path())
	target := filepath.Join(t.TempDir(), "created-by-follow")
	lock := filepath.Join(dir, "settings.lock")
	if err := os.Remove(lock); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, lock); err != nil {
		t.Fatal(err)
	}
	if err := s.SetDefault("a"); err == nil {
		t.Error("a save went ahead through a symlinked lock file")
	}
	if _, err := os.Lstat(target); !os.IsNotExist(err) {
		t.Errorf("the symlink's target was created: %v", err)
	}
}

// Item 12: temp files of a killed write are removed by the next write.
func TestStaleTempFilesRemoved(t *testing.T) {
	s, _ := newTestStore(t)
	mustSave(t, s, prof("a"), Secrets{Password: "pw"})
	stale := s.Path() + ".tmp-12345"
	if err := os.WriteFile(stale, []byte("{"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := s.SavePrefs(Prefs{StartInTray: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("stale temp file still there: %v", err)
	}
}

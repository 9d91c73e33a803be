package testfix

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// AppEnv is the environment for one run of the app: this process's (the
// test session's DISPLAY, DBUS_SESSION_BUS_ADDRESS, HOME, PATH, …) in
// English, with XDG_CONFIG_HOME, XDG_CACHE_HOME, XDG_DATA_HOME and
// XDG_STATE_HOME in folders of their own under dir (created 0700), so
// settings and Fyne preferences start empty. ADVOLOGIX_* variables (a
// developer's client secret, the test harness's own) are dropped: a test
// appends what it needs. The keychain is the session's. A folder that
// cannot be made fails tb.
func AppEnv(tb testing.TB, dir string) []string {
	tb.Helper()
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if k == "LANG" || k == "LC_ALL" || strings.HasPrefix(k, "XDG_") && strings.HasSuffix(k, "_HOME") || strings.HasPrefix(k, "ADVOLOGIX_") {
			continue
		}
		env = append(env, kv)
	}
	env = append(env, "LANG=en_US.UTF-8")
	for _, d := range []struct{ key, sub string }{
		{"XDG_CONFIG_HOME", "config"}, {"XDG_CACHE_HOME", "cache"}, {"XDG_DATA_HOME", "data"}, {"XDG_STATE_HOME", "state"},
	} {
		p := filepath.Join(dir, d.sub)
		if err := os.MkdirAll(p, 0o700); err != nil {
			tb.Fatal(err)
		}
		env = append(env, d.key+"="+p)
	}
	return env
}

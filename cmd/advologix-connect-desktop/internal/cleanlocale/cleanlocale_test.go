package cleanlocale

import "testing"

func TestApply(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		want string // LANGUAGE afterwards
	}{
		{map[string]string{}, ""},
		{map[string]string{"LANG": "C"}, ""},
		{map[string]string{"LANG": "POSIX"}, ""},
		{map[string]string{"LC_ALL": "C.UTF-8"}, "en"},
		{map[string]string{"LC_ALL": "C.UTF-8", "LANG": "de_DE.UTF-8"}, "en"},
		{map[string]string{"LANG": "C.UTF-8"}, "en"},
		{map[string]string{"LC_MESSAGES": "POSIX.UTF-8", "LANG": "en_GB.UTF-8"}, "en"},
		{map[string]string{"LANG": "UTF-8"}, "en"},
		{map[string]string{"LANG": "en_US.UTF-8"}, ""},
		{map[string]string{"LANG": "de_DE.UTF-8"}, ""},
		{map[string]string{"LANG": "sr_RS@latin"}, ""},
		{map[string]string{"LANG": "en-GB"}, ""},
		{map[string]string{"LANG": "en_US.UTF-8", "LANGUAGE": "fr:de"}, "fr:de"},
		{map[string]string{"LANG": "en_US.UTF-8", "LANGUAGE": "C.UTF-8"}, "en"},
		{map[string]string{"LC_ALL": "C", "LANGUAGE": "C.UTF-8"}, "C.UTF-8"}, // Fyne ignores LANGUAGE under C
	} {
		env := map[string]string{}
		for k, v := range tc.env {
			env[k] = v
		}
		Apply(func(k string) string { return env[k] }, func(k, v string) error { env[k] = v; return nil })
		if got := env["LANGUAGE"]; got != tc.want {
			t.Errorf("%v: LANGUAGE = %q, want %q", tc.env, got, tc.want)
		}
	}
}

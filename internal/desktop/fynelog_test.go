package desktop

import (
	"bytes"
	"log"
	"strings"
	"testing"
)

// TestFyneLog: Fyne's report of an empty preferences file read mid-write
// is dropped; any other line, another Fyne error or another cause of the
// same one, gets through whole and in order.
func TestFyneLog(t *testing.T) {
	tests := []struct {
		name  string
		lines []string
		want  []string
	}{
		{"the preferences race", []string{"Fyne error:  Preferences load error:", "  Cause: EOF", "  At: $GOMODCACHE/fyne.io/fyne/v2@v2.7.4/app/preferences.go:103"}, nil},
		{"another cause is told", []string{"Fyne error:  Preferences load error:", "  Cause: invalid character 'x'", "  At: /x/app/preferences.go:103"},
			[]string{"Fyne error:  Preferences load error:", "  Cause: invalid character 'x'", "  At: /x/app/preferences.go:103"}},
		{"another Fyne error", []string{"Fyne error:  Settings watch error:", "  Cause: too many open files", "  At: /x/app/settings_desktop.go:19"},
			[]string{"Fyne error:  Settings watch error:", "  Cause: too many open files", "  At: /x/app/settings_desktop.go:19"}},
		{"the app's own line after the race", []string{"Fyne error:  Preferences load error:", "  Cause: EOF", "  At: /x/app/preferences.go:103", "advologix-connect: warning: w"},
			[]string{"advologix-connect: warning: w"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			l := log.New(FyneLog(&out), "", 0)
			for _, line := range tt.lines {
				l.Println(line)
			}
			got := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
			if out.Len() == 0 {
				got = nil
			}
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

package connection_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/advologix/advologix-connect/internal/connection"
)

// diagnose's details are cleaned last, whatever they hold: LANG (set by
// whoever started the process) cannot carry terminal escapes, bidi
// overrides or invisible characters into the text or JSON report.
func TestDiagnoseCleansEveryDetail(t *testing.T) {
	tests := []struct{ name, lang string }{
		{"CSI", "en_US.UTF-8\u009b2J"},
		{"ESC", "en_US.UTF-8\x1b]0;owned\x07"},
		{"bidi override", "en_US\u202e8-FTU.SU_ne"},
		{"isolate", "en_US\u2066.UTF-8\u2069"},
		{"zero width", "en\u200b_US.UTF-8\ufeff"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := connection.Diagnose(context.Background(), connection.DiagnoseOptions{
				Getenv: func(k string) string { return map[string]string{"LANG": tt.lang}[k] }})
			js, err := json.Marshal(rep)
			if err != nil {
				t.Fatal(err)
			}
			for form, s := range map[string]string{"text": rep.Text(), "json": string(js)} {
				for _, r := range s {
					if r != '\n' && (r < 0x20 || r >= 0x7f && r < 0xa0 || strings.ContainsRune("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200b\u200c\u200d\u200e\u200f\u2060\ufeff", r)) {
						t.Errorf("%s report keeps U+%04X:\n%s", form, r, s)
						break
					}
				}
			}
			wantCheck(t, rep, "locale", connection.CheckOK, "LANG=en")
		})
	}
}

package sfclient_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/advologix/advologix-connect/sfclient"
)

// invisible are the characters issue 23 item 6 names: C1 (CSI among
// them), bidi overrides and isolates, zero-width characters, and other
// format characters.
var invisible = []rune{
	'\u0080', '\u0085', '\u009b', '\u009f',
	'\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069',
	'\u200b', '\u200c', '\u200d', '\u200e', '\u200f', '\u2060', '\ufeff',
	'\u00ad', '\u061c', '\u180e', '\ufff9', '\U000e0001',
}

func hasInvisible(s string) (rune, bool) {
	for _, r := range s {
		for _, bad := range invisible {
			if r == bad {
				return r, true
			}
		}
		if r < 0x20 || r == 0x7f {
			return r, true
		}
	}
	return 0, false
}

func TestCleanTextDropsInvisible(t *testing.T) {
	for _, r := range invisible {
		t.Run(fmt.Sprintf("U+%04X", r), func(t *testing.T) {
			in := "Invalid" + string(r) + " Password\x1b[31m"
			got := sfclient.CleanText(in)
			if bad, ok := hasInvisible(got); ok {
				t.Errorf("CleanText(%q) = %q keeps U+%04X", in, got, bad)
			}
			if !strings.HasPrefix(got, "Invalid Password") {
				t.Errorf("CleanText(%q) = %q lost the visible text", in, got)
			}
		})
	}
}

// The Login History refinement comes after the check's own cleaning: the
// Status it writes (and the hint quoting it) must be cleaned too.
func TestLoginHistoryTextIsCleaned(t *testing.T) {
	tests := []struct{ name, status string }{
		{"CSI", "Failed: \u009b31mSomething New"},
		{"bidi override", "Failed: \u202eweN gnihtemoS"},
		{"isolate", "Failed: \u2066Something\u2069 New"},
		{"zero width", "Failed:\u200b Something\ufeff New"},
		{"known status, hidden mark", "Invalid\u2060 Password"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := sfclient.Result{Code: sfclient.CodeInvalidLogin, Hint: "Check the password.", Headline: "h"}
			sfclient.ApplyLoginHistory(&r, tt.status)
			for field, s := range map[string]string{"status": r.LoginHistoryStatus, "hint": r.Hint, "headline": r.Headline} {
				if bad, ok := hasInvisible(s); ok {
					t.Errorf("%s %q keeps U+%04X", field, s, bad)
				}
			}
			if r.LoginHistoryStatus == "" {
				t.Error("the status was dropped, not cleaned")
			}
		})
	}
	body := `{"totalSize":1,"done":true,"records":[{"attributes":{"type":"LoginHistory"},"LoginTime":"2026-12-01T20:30:00.000+0000",
		"Status":"Invalid\u009b Password\u202e","LoginType":"Remote\u200b Access","Application":"App\u2066","ApiType":"SOAP\ufeff","SourceIp":"10.0.0.1\u0085"}]}`
	h, err := sfclient.ParseLoginHistory([]byte(body))
	if err != nil || len(h.Attempts) != 1 {
		t.Fatalf("ParseLoginHistory: %+v, %v", h, err)
	}
	a := h.Attempts[0]
	for _, s := range []string{a.Status, a.LoginType, a.Application, a.APIType, a.SourceIP} {
		if bad, ok := hasInvisible(s); ok {
			t.Errorf("parsed %q keeps U+%04X", s, bad)
		}
	}
}

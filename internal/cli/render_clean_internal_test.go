package cli

import (
	"bytes"
	"strings"
	"testing"

	"github.com/advologix/advologix-connect/internal/connection"
	"github.com/advologix/advologix-connect/sfclient"
)

// render cleans server text last: a Result refined after the check (or
// built by anyone) prints no C1, bidi or invisible character, in text or
// JSON.
func TestRenderCleansLast(t *testing.T) {
	dirty := "x\u009b31m\u202e\u2066\u200b\ufeff\u2060y"
	tests := []struct {
		name string
		r    sfclient.Result
	}{
		{"login history status", sfclient.Result{Code: sfclient.CodeInvalidLogin, LoginHistoryStatus: dirty}},
		{"hint", sfclient.Result{Code: sfclient.CodeInvalidLogin, Hint: dirty}},
		{"message", sfclient.Result{Code: sfclient.CodeInvalidLogin, Message: dirty}},
		{"organization", sfclient.Result{OK: true, OrganizationName: dirty, UserFullName: dirty}},
	}
	for _, tt := range tests {
		for _, asJSON := range []bool{false, true} {
			var out, errb bytes.Buffer
			o := connection.Outcome{Code: connection.Code(tt.r.Code), Checked: true, Result: tt.r, Warnings: []string{dirty}, Hint: dirty}
			render(Env{Stdout: &out, Stderr: &errb}, asJSON, o)
			for _, s := range []string{out.String(), errb.String()} {
				if strings.ContainsAny(s, "\u009b\u202e\u2066\u200b\ufeff\u2060") {
					t.Errorf("%s (json %v) printed %q", tt.name, asJSON, s)
				}
			}
			if !strings.Contains(out.String()+errb.String(), "x31my") {
				t.Errorf("%s (json %v): cleaned text missing in %q", tt.name, asJSON, out.String())
			}
		}
	}
}

package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/advologix/advologix-connect/internal/cli"
)

// TestRun: the desktop program opens the window or the tray for its
// modes, and sends every command-line command back to advologix-connect.
func TestRun(t *testing.T) {
	for _, tc := range []struct {
		args     []string
		wantGUI  int // -1: none, else the mode
		wantCode int
		wantOut  string
		wantErr  string
	}{
		{args: nil, wantGUI: int(cli.GUISettings)},
		{args: []string{"settings"}, wantGUI: int(cli.GUISettings)},
		{args: []string{"tray"}, wantGUI: int(cli.GUITray)},
		{args: []string{"version"}, wantGUI: -1, wantOut: "advologix-connect-desktop dev\n"},
		{args: []string{"help"}, wantGUI: -1, wantOut: "advologix-connect-desktop tray"},
		{args: []string{"check", "--json"}, wantGUI: -1, wantCode: cli.ExitUsage, wantErr: "the command line is advologix-connect"},
		{args: []string{"tray", "extra"}, wantGUI: -1, wantCode: cli.ExitUsage, wantErr: "unknown command"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			var out, errOut bytes.Buffer
			opened := -1
			code := run(context.Background(), tc.args, &out, &errOut, func(_ context.Context, m cli.GUIMode) int {
				opened = int(m)
				return cli.ExitOK
			})
			if code != tc.wantCode || opened != tc.wantGUI {
				t.Errorf("exit %d, opened %d; want exit %d, opened %d", code, opened, tc.wantCode, tc.wantGUI)
			}
			if !strings.Contains(out.String(), tc.wantOut) || (tc.wantOut == "" && out.Len() > 0) {
				t.Errorf("stdout %q, want %q", out.String(), tc.wantOut)
			}
			if !strings.Contains(errOut.String(), tc.wantErr) || (tc.wantErr == "" && errOut.Len() > 0) {
				t.Errorf("stderr %q, want %q", errOut.String(), tc.wantErr)
			}
		})
	}
}

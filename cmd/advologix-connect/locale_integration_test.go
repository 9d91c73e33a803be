//go:build integration

package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/advologix/advologix-connect/internal/cli"
)

// TestCLIPrintsNoStrayLines runs commands of the binary under the locales
// scripts and services use, and wants exactly what the command itself
// prints (cli.Run in this process, without Fyne): no "Error parsing user
// locale C" from Fyne, no other stray line.
func TestCLIPrintsNoStrayLines(t *testing.T) {
	bin := appBin(t)
	home := t.TempDir()
	commands := [][]string{
		{"version"},
		{"help"},
		{"check", "--no-such-flag"},
		{"check", "--login-url", "http://example.com", "--username", "u"},
		{"status"},
	}
	locales := map[string][]string{
		"LANG=C":          {"LANG=C"},
		"LC_ALL=C.UTF-8":  {"LC_ALL=C.UTF-8"},
		"LANG=C.UTF-8":    {"LANG=C.UTF-8"},
		"no locale":       nil,
		"LANG=POSIX":      {"LANG=POSIX"},
		"LANG=en_US.UTF8": {"LANG=en_US.UTF-8"},
	}
	base := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + home, "XDG_CONFIG_HOME=" + home + "/config",
		"DBUS_SESSION_BUS_ADDRESS=" + os.Getenv("DBUS_SESSION_BUS_ADDRESS")}
	for _, args := range commands {
		var wantOut, wantErr bytes.Buffer
		wantCode := cli.Run(context.Background(), cli.Env{
			Stdin: strings.NewReader(""), Stdout: &wantOut, Stderr: &wantErr,
			StdinIsTerminal: func() bool { return false },
			ReadSecret:      func(string) (string, error) { return "", errors.New("no terminal") },
			Getenv:          func(k string) string { return map[string]string{"HOME": home}[k] },
			Version:         version,
			OpenStore:       nil,
		}, args)
		if args[0] == "status" {
			wantCode = -1 // needs the store: compared across locales only
		}
		var ref string
		for name, loc := range locales {
			cmd := exec.Command(bin, args...)
			cmd.Env = append(append([]string{}, base...), loc...)
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			code := 0
			var ee *exec.ExitError
			if errors.As(err, &ee) {
				code = ee.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(stderr.String(), "Fyne") || strings.Contains(stderr.String(), "locale") {
				t.Errorf("%s %q: stray lines on stderr:\n%s", name, args, stderr.String())
			}
			if wantCode >= 0 {
				if code != wantCode || stdout.String() != wantOut.String() || stderr.String() != wantErr.String() {
					t.Errorf("%s %q: exit %d, stdout %q, stderr %q; want exit %d, stdout %q, stderr %q",
						name, args, code, stdout.String(), stderr.String(), wantCode, wantOut.String(), wantErr.String())
				}
				continue
			}
			got := stdout.String() + "\x00" + stderr.String()
			if ref == "" {
				ref = got
			} else if got != ref {
				t.Errorf("%s %q: output differs between locales:\n%q\n%q", name, args, got, ref)
			}
		}
	}
}

//go:build integration

package wintest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/advologix/advologix-connect/internal/cli"
	"github.com/advologix/advologix-connect/internal/testing/sftest"
	"github.com/advologix/advologix-connect/internal/testing/testbin"
	"github.com/advologix/advologix-connect/internal/testing/testfix"
)

// Fake accounts of the loopback emulator: testfix's Jane, and a user
// whose password has expired.
const (
	user       = testfix.JaneUsername
	pass       = testfix.JanePassword
	token      = testfix.JaneToken
	expUser    = "expired@firm.example.com"
	expPass    = "Expired-Passw0rd-7"
	expToken   = "ExpTok3n0123456789abcdefg"
	runKey     = `HKCU\Software\Microsoft\Windows\CurrentVersion\Run`
	runValue   = "AdvoLogix Connect"
	credPrefix = "advologix-connect:"
)

// suite is shared by the tests: one prefix, one emulator, the binaries.
var suite struct {
	wine      *Wine
	exe       string // the real advologix-connect.exe, the command line (Unix path)
	desktop   string // the real desktop program beside it (Unix path)
	helper    string // winhelper.exe
	srv       *testfix.Emulator
	caUnix    string
	caWin     string
	scratch   string
	artifacts string
}

func TestMain(m *testing.M) {
	code, err := setup(m)
	if err != nil {
		fmt.Fprintln(os.Stderr, "wintest:", err)
		os.Exit(1)
	}
	os.Exit(code)
}

func setup(m *testing.M) (int, error) {
	root, err := RepoRoot()
	if err != nil {
		return 0, err
	}
	suite.exe = os.Getenv("ADVOLOGIX_WIN_EXE")
	if suite.exe == "" {
		suite.exe = filepath.Join(root, "bin", "advologix-connect.exe")
	}
	suite.desktop = os.Getenv("ADVOLOGIX_WIN_DESKTOP_EXE")
	if suite.desktop == "" {
		suite.desktop = filepath.Join(root, "bin", "advologix-connect-desktop.exe")
	}
	for _, exe := range []string{suite.exe, suite.desktop} {
		if _, err := os.Stat(exe); err != nil {
			return 0, fmt.Errorf("the Windows build is missing (%v): run `make windows`, which builds it", err)
		}
	}
	scratch, err := os.MkdirTemp("", "advologix-wine-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(scratch)
	suite.scratch = scratch

	// The helper is small and pure Go: build it here for Windows.
	suite.helper, err = testbin.BuildForErr("windows", "amd64", testbin.Module+"/internal/testing/wintest/winhelper")
	if err != nil {
		return 0, fmt.Errorf("build winhelper.exe: %w", err)
	}
	defer testbin.Cleanup()

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	w, err := New(ctx, filepath.Join(scratch, "prefix"))
	if err != nil {
		return 0, err
	}
	defer w.Shutdown()
	suite.wine = w

	cfg := testfix.JaneOrg()
	cfg.LockoutAfter = -1
	cfg.Users = append(cfg.Users, sftest.User{Username: expUser, Password: expPass, SecurityToken: expToken, FullName: "Exp Ired", PasswordExpired: true})
	srv, err := testfix.NewEmulator(cfg, scratch)
	if err != nil {
		return 0, err
	}
	defer srv.Close()
	suite.srv = srv
	suite.caUnix = srv.CAFile
	suite.caWin = WinPath(suite.caUnix)

	suite.artifacts = os.Getenv("ADVOLOGIX_ARTIFACTS")
	if suite.artifacts == "" {
		suite.artifacts = filepath.Join(root, ".artifacts")
	}
	suite.artifacts = filepath.Join(suite.artifacts, "windows")
	if err := os.MkdirAll(suite.artifacts, 0o755); err != nil {
		return 0, err
	}
	return m.Run(), nil
}

type result struct {
	code           int
	stdout, stderr string
}

// app runs the real advologix-connect.exe under Wine.
func app(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := suite.wine.Command(ctx, suite.exe, args...)
	cmd.Stdin = strings.NewReader(stdin)
	stdout, stderr, code, err := suite.wine.Run(cmd)
	if err != nil {
		t.Fatalf("advologix-connect.exe %v: %v\n%s", args, err, stderr)
	}
	return result{code, stdout, stderr}
}

// linux runs the same command line through the Linux build's code (the
// cli package the binary is made of), for comparison.
func linux(stdin string, args ...string) result {
	var o, e bytes.Buffer
	env := cli.Env{
		Stdin: strings.NewReader(stdin), Stdout: &o, Stderr: &e,
		StdinIsTerminal: func() bool { return false },
		Getenv:          func(string) string { return "" },
		Version:         "test",
	}
	code := cli.Run(context.Background(), env, args)
	return result{code, o.String(), e.String()}
}

// outcome is the part of --json output that must agree across platforms.
type outcome struct {
	OK       bool   `json:"ok"`
	Code     string `json:"code"`
	Hint     string `json:"hint"`
	Username string `json:"username"`
	Org      string `json:"organization_name"`
	Expired  bool   `json:"password_expired"`
}

func parse(t *testing.T, r result) outcome {
	t.Helper()
	var o outcome
	if err := json.Unmarshal([]byte(strings.TrimSpace(r.stdout)), &o); err != nil {
		t.Fatalf("not one JSON object (exit %d): %v\nstdout: %s\nstderr: %s", r.code, err, r.stdout, r.stderr)
	}
	return o
}

// closedPort is a loopback port nobody listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

func TestCheckContractMatchesLinux(t *testing.T) {
	refused := "https://" + closedPort(t)
	for _, tc := range []struct {
		name     string
		stdin    string
		args     []string // without --ca-file
		ca       bool
		wantCode string
		wantExit int
	}{
		{"ok", pass + "\n" + token + "\n", []string{"--login-url", suite.srv.URL(), "--username", user}, true, "", 0},
		{"no token", pass + "\n", []string{"--login-url", suite.srv.URL(), "--username", user}, true, "LOGIN_MUST_USE_SECURITY_TOKEN", 1},
		{"stale token", pass + "\nOldTok3n0123456789abcdefX\n", []string{"--login-url", suite.srv.URL(), "--username", user}, true, "INVALID_LOGIN", 1},
		{"expired password", expPass + "\n" + expToken + "\n", []string{"--login-url", suite.srv.URL(), "--username", expUser}, true, "PASSWORD_EXPIRED", 1},
		{"TLS untrusted", pass + "\n" + token + "\n", []string{"--login-url", suite.srv.URL(), "--username", user}, false, "TLS_ERROR", 1},
		{"refused port", pass + "\n" + token + "\n", []string{"--login-url", refused, "--username", user}, true, "NETWORK_ERROR", 1},
		{"http refused", pass + "\n" + token + "\n", []string{"--login-url", "http://login.salesforce.com", "--username", user}, true, "USAGE_ERROR", 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"check", "--json", "--password-stdin", "--timeout", "20s"}, tc.args...)
			winArgs, linArgs := args, args
			if tc.ca {
				winArgs = append(append([]string(nil), args...), "--ca-file", suite.caWin)
				linArgs = append(append([]string(nil), args...), "--ca-file", suite.caUnix)
			}
			win := app(t, tc.stdin, winArgs...)
			lin := linux(tc.stdin, linArgs...)
			wo, lo := parse(t, win), parse(t, lin)
			if win.code != tc.wantExit || wo.Code != tc.wantCode {
				t.Errorf("Windows: exit %d code %q, want exit %d code %q\n%s%s", win.code, wo.Code, tc.wantExit, tc.wantCode, win.stdout, win.stderr)
			}
			if win.code != lin.code || wo != lo {
				t.Errorf("Windows and Linux differ:\nWindows exit %d %+v\nLinux   exit %d %+v", win.code, wo, lin.code, lo)
			}
			if strings.Contains(win.stdout+win.stderr, pass) || strings.Contains(win.stdout+win.stderr, token) {
				t.Error("a secret is in the output")
			}
		})
	}
}

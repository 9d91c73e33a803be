package cli_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/advologix/advologix-connect/internal/cli"
)

var (
	checkLineRE = regexp.MustCompile(`^\[( OK |FAIL|SKIP)\] [a-z_:A-Za-z0-9.-]+ +\S`)
	summaryRE   = regexp.MustCompile(`^(\d+) passed, (\d+) failed, (\d+) skipped$`)
)

func TestDiagnoseCommand(t *testing.T) {
	srv, ca := emulator(t, nil)
	pe := newProfileEnv(t)
	if r := pe.run(t, pass+"\n"+token+"\n", "login", "--login-url", srv.URL(), "--username", user, "--password-stdin", "--ca-file", ca); r.code != cli.ExitOK {
		t.Fatalf("login: %d %s%s", r.code, r.stdout, r.stderr)
	}
	// A second profile that does not trust the emulator's certificate.
	if r := pe.run(t, pass+"\n"+token+"\n", "login", "--profile", "noca", "--login-url", srv.URL(), "--username", user, "--password-stdin", "--no-check"); r.code != cli.ExitOK {
		t.Fatalf("login noca: %d %s%s", r.code, r.stdout, r.stderr)
	}
	secrets := []string{pass, token}

	for _, lang := range []string{"en_US.UTF-8", "C"} {
		t.Run("text "+lang, func(t *testing.T) {
			srv.ResetRequests()
			r := pe.runWithEnv(t, map[string]string{"LANG": lang}, "diagnose")
			lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
			if r.code != cli.ExitOK || len(lines) < 10 || !strings.HasPrefix(lines[0], "AdvoLogix Connect diagnostics, ") {
				t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
			}
			for _, l := range lines[1 : len(lines)-1] {
				if !checkLineRE.MatchString(l) {
					t.Errorf("not a check line: %q", l)
				}
			}
			m := summaryRE.FindStringSubmatch(lines[len(lines)-1])
			if m == nil || m[2] != "0" {
				t.Errorf("summary line %q", lines[len(lines)-1])
			}
			for _, want := range []string{"[ OK ] app ", "advologix-connect 9.8.7", "[ OK ] locale ", "LANG=" + lang, "[ OK ] tls ", "[ OK ] salesforce ", "[ OK ] keychain ", "[ OK ] settings ", "[SKIP] login "} {
				if !strings.Contains(r.stdout, want) {
					t.Errorf("report lacks %q:\n%s", want, r.stdout)
				}
			}
			for _, q := range srv.Requests() {
				if q.Path != "/services/data/" {
					t.Errorf("diagnose without --login sent %s %s", q.Method, q.Path)
				}
			}
		})
	}

	t.Run("json, login, failures count", func(t *testing.T) {
		srv.ResetRequests()
		r := pe.run(t, "", "diagnose", "--json", "--login", "--profile", "noca")
		var rep map[string]json.RawMessage
		dec := json.NewDecoder(strings.NewReader(r.stdout))
		if err := dec.Decode(&rep); err != nil || dec.More() {
			t.Fatalf("not one JSON object: %v\n%s", err, r.stdout)
		}
		for _, k := range []string{"checks", "passed", "failed", "skipped"} {
			if _, ok := rep[k]; !ok {
				t.Errorf("no %q in %s", k, r.stdout)
			}
		}
		if len(rep) != 4 {
			t.Errorf("members beyond checks/passed/failed/skipped: %s", r.stdout)
		}
		var cs []map[string]string
		var failed, passed, skipped int
		if err := json.Unmarshal(rep["checks"], &cs); err != nil {
			t.Fatal(err)
		}
		_ = json.Unmarshal(rep["failed"], &failed)
		_ = json.Unmarshal(rep["passed"], &passed)
		_ = json.Unmarshal(rep["skipped"], &skipped)
		count := map[string]int{}
		byName := map[string]map[string]string{}
		for _, c := range cs {
			if len(c) != 3 || c["name"] == "" || c["detail"] == "" {
				t.Errorf("check %v", c)
			}
			count[c["status"]]++
			byName[c["name"]] = c
		}
		if count["ok"] != passed || count["fail"] != failed || count["skip"] != skipped || len(count) > 3 {
			t.Errorf("statuses %v vs passed %d failed %d skipped %d", count, passed, failed, skipped)
		}
		// Without the CA file: TLS, the API list and the login fail.
		for _, n := range []string{"tls", "salesforce", "login:noca"} {
			if byName[n]["status"] != "fail" {
				t.Errorf("%s: %v", n, byName[n])
			}
		}
		if r.code != failed || failed != 3 {
			t.Errorf("exit %d, failed %d, want 3 and 3", r.code, failed)
		}
		if byName["login:default"] != nil {
			t.Error("--profile noca --login tested another profile too")
		}
		for _, s := range secrets {
			if strings.Contains(r.stdout+r.stderr, s) {
				t.Errorf("the report shows a secret")
			}
		}
	})

	t.Run("login tests every profile once", func(t *testing.T) {
		srv.ResetRequests()
		r := pe.run(t, "", "diagnose", "--login")
		if !strings.Contains(r.stdout, "[ OK ] login:default") || !strings.Contains(r.stdout, "[FAIL] login:noca") {
			t.Errorf("%s", r.stdout)
		}
		soap := srv.Count("POST", "/services/Soap/u/64.0")
		if soap != 1 { // noca never reaches the server: its TLS fails first
			t.Errorf("%d SOAP logins, want 1", soap)
		}
		for _, s := range secrets {
			if strings.Contains(r.stdout+r.stderr, s) {
				t.Errorf("the report shows a secret")
			}
		}
	})

	t.Run("out file", func(t *testing.T) {
		out := filepath.Join(t.TempDir(), "diag.txt")
		r := pe.run(t, "", "diagnose", "--out", out)
		b, err := os.ReadFile(out)
		if err != nil || r.code != cli.ExitOK || r.stdout != "" || !strings.Contains(r.stderr, "Wrote the diagnostics to "+out) {
			t.Fatalf("exit %d err %v\nstdout %q\nstderr %q", r.code, err, r.stdout, r.stderr)
		}
		if !strings.HasPrefix(string(b), "AdvoLogix Connect diagnostics") || !strings.Contains(string(b), " passed, 0 failed, ") {
			t.Errorf("file:\n%s", b)
		}
		if fi, _ := os.Stat(out); fi.Mode().Perm() != 0o600 {
			t.Errorf("report mode %04o, want 0600", fi.Mode().Perm())
		}
		for _, s := range secrets {
			if strings.Contains(string(b), s) {
				t.Error("the report file holds a secret")
			}
		}
	})

	t.Run("usage", func(t *testing.T) {
		r := pe.run(t, "", "diagnose", "--json", "--bogus")
		if m := decode(t, r.stdout); r.code != cli.ExitUsage || m["code"] != "USAGE_ERROR" {
			t.Errorf("exit %d %v", r.code, m)
		}
	})
}

func TestDiagnoseExitStatusIsTheFailureCount(t *testing.T) {
	pe := newProfileEnv(t)
	pe.kr.FailWith(os.ErrPermission) // the keychain refuses everything
	r := pe.run(t, "", "diagnose")
	if r.code != 1 || !strings.Contains(r.stdout, "[FAIL] keychain") || !strings.HasSuffix(r.stdout, " passed, 1 failed, 9 skipped\n") {
		t.Errorf("exit %d\n%s", r.code, r.stdout)
	}
}

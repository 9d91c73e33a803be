//go:build integration

package clients_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/advologix/advologix-connect/internal/testing/sftest"
	"github.com/advologix/advologix-connect/internal/testing/testbin"
	"github.com/advologix/advologix-connect/internal/testing/testfix"
)

// clientWait bounds one client program's run.
const clientWait = 3 * time.Minute

func TestMain(m *testing.M) { testbin.Main(m) }

// clientsDir is where scripts/ensure-clients.sh installed the Node clients:
// $ADVOLOGIX_CLIENTS_DIR, else the repository's bin/clients.
func clientsDir(t *testing.T) string {
	t.Helper()
	if d := os.Getenv("ADVOLOGIX_CLIENTS_DIR"); d != "" {
		return d
	}
	d, err := filepath.Abs("../../../bin/clients")
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// requireClient fails t unless the client installed under dir is the one
// its lock file pins: make test's clients stage (scripts/ensure-clients.sh)
// installs it and writes dir/.installed. Reading that stamp, and the
// recipe's own files, lets go test's cache see a change of either: the
// test's children read them, which it cannot see.
func requireClient(t *testing.T, dir string, recipe ...string) {
	t.Helper()
	if _, err := os.ReadFile(filepath.Join(dir, ".installed")); err != nil {
		t.Fatalf("the client in %s is missing: run scripts/ensure-clients.sh (make test runs it): %v", dir, err)
	}
	readRecipe(t, recipe...)
}

// readRecipe reads the files of a recipe that a child process runs, for
// go test's cache (see requireClient).
func readRecipe(t *testing.T, files ...string) {
	t.Helper()
	for _, f := range files {
		if _, err := os.ReadFile(f); err != nil {
			t.Fatal(err)
		}
	}
}

// world is the emulated org with Jane's profile saved by the real binary,
// and the environment a client runs in: its own HOME and XDG folders,
// `advologix-connect` first on PATH, the emulator's CA trusted by Node
// (NODE_EXTRA_CA_CERTS) and Go (SSL_CERT_FILE). Neither the password nor
// the security token is anywhere in it.
type world struct {
	emu  *testfix.Emulator
	home string
	env  []string
	app  string // advologix-connect, as the world's PATH finds it
}

func newWorld(t *testing.T) *world {
	t.Helper()
	return newWorldWith(t, nil)
}

// newWorldWith is newWorld with the emulator's configuration changed by
// mod first.
func newWorldWith(t *testing.T, mod func(*sftest.Config)) *world {
	t.Helper()
	testfix.RequireSession(t, "go test -tags integration ./internal/testing/clients/")
	w := &world{emu: testfix.StartEmulator(t, mod)}
	dir := t.TempDir()
	w.home = filepath.Join(dir, "home")
	binDir := filepath.Join(dir, "bin")
	for _, d := range []string{w.home, binDir} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	app, err := filepath.Abs(testbin.Build(t, testbin.AppPkg))
	if err != nil {
		t.Fatal(err)
	}
	w.app = filepath.Join(binDir, "advologix-connect")
	if err := os.Symlink(app, w.app); err != nil {
		t.Fatal(err)
	}
	for _, kv := range testfix.AppEnv(t, dir) {
		k, v, _ := strings.Cut(kv, "=")
		switch k {
		case "HOME", "PATH", "NODE_EXTRA_CA_CERTS", "SSL_CERT_FILE", "NODE_PATH", "NODE_OPTIONS":
			if k == "PATH" {
				w.env = append(w.env, "PATH="+binDir+string(os.PathListSeparator)+v)
			}
			continue
		}
		w.env = append(w.env, kv)
	}
	w.env = append(w.env, "HOME="+w.home, "NODE_EXTRA_CA_CERTS="+w.emu.CAFile, "SSL_CERT_FILE="+w.emu.CAFile)
	w.login(t, testfix.JaneUsername, testfix.JanePassword, testfix.JaneToken)
	return w
}

// login saves a password profile of username with the real binary, the
// password and token on its standard input; extra are more flags
// (--profile NAME).
func (w *world) login(t *testing.T, username, password, token string, extra ...string) {
	t.Helper()
	args := append([]string{"login", "--login-url", w.emu.URL(), "--username", username,
		"--password-stdin", "--ca-file", w.emu.CAFile, "--no-check"}, extra...)
	login := exec.Command(w.app, args...)
	login.Env = w.env
	login.Stdin = strings.NewReader(password + "\n" + token + "\n")
	if out, err := login.CombinedOutput(); err != nil {
		t.Fatalf("advologix-connect %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// with is the world's environment and extra KEY=value entries.
func (w *world) with(extra ...string) []string {
	return append(append([]string(nil), w.env...), extra...)
}

// pathWith is PATH=dir:the world's PATH, to put a client's programs first.
func (w *world) pathWith(dir string) string {
	for _, kv := range w.env {
		if v, ok := strings.CutPrefix(kv, "PATH="); ok {
			return "PATH=" + dir + string(os.PathListSeparator) + v
		}
	}
	return "PATH=" + dir
}

// assertServed fails t for each request the emulator did not answer as
// Salesforce does a request it serves: a 404 (a resource it lacks), a
// 5xx, or no answer at all. 400s (a query on an object this org lacks,
// which the Salesforce CLI tries) and the 401s of an ended session are
// Salesforce's answers too.
func (w *world) assertServed(t *testing.T) {
	t.Helper()
	for _, r := range w.emu.Requests() {
		if r.Status == 0 || r.Status == 404 || r.Status >= 500 {
			t.Errorf("%s %s: HTTP %d", r.Method, r.Path, r.Status)
		}
	}
}

// assertClean fails t when the password or the security token is in what
// a client printed or under any of dirs (its HOME, its install, npm's
// cache).
func (w *world) assertClean(t *testing.T, output []byte, dirs ...string) {
	t.Helper()
	for _, s := range []string{testfix.JanePassword, testfix.JaneToken} {
		if bytes.Contains(output, []byte(s)) {
			t.Error("a client printed the password or the security token")
		}
	}
	for _, d := range append([]string{w.home}, dirs...) {
		testfix.AssertNoSecretsInDir(t, d, testfix.JanePassword, testfix.JaneToken)
	}
}

// steps reads a recipe's JSON lines, one object per step, by step name.
func steps(t *testing.T, r io.Reader, onStep func(name string)) map[string]map[string]any {
	t.Helper()
	got := map[string]map[string]any{}
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Errorf("not a step: %q", sc.Text())
			continue
		}
		name, _ := m["step"].(string)
		got[name] = m
		if onStep != nil {
			onStep(name)
		}
	}
	return got
}

// runWithExpiry runs a recipe that prints {"step":"expire"} and then waits
// for a line on standard input: at that step the emulator ends every
// session of Jane's before the recipe goes on, so its next request meets
// INVALID_SESSION_ID. It returns the steps and all the recipe printed; a
// recipe that cannot start or fails fails t.
func (w *world) runWithExpiry(t *testing.T, cmd *exec.Cmd) (map[string]map[string]any, []byte) {
	t.Helper()
	return w.runWithExpiryOf(t, cmd, testfix.JaneUsername)
}

// runWithExpiryOf is runWithExpiry for a recipe that runs as username.
func (w *world) runWithExpiryOf(t *testing.T, cmd *exec.Cmd, username string) (map[string]map[string]any, []byte) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("%s: %v (make test installs it: scripts/ensure-deps.sh, scripts/ensure-clients.sh)", cmd.Path, err)
	}
	got := steps(t, io.TeeReader(out, &stdout), func(name string) {
		if name == "expire" {
			w.emu.InvalidateSessions(username)
			_, _ = io.WriteString(in, "go\n")
			in.Close()
		}
	})
	err = cmd.Wait()
	all := append(stdout.Bytes(), stderr.Bytes()...)
	if err != nil {
		t.Fatalf("%s: %v\n%s", cmd.Path, err, all)
	}
	return got, all
}

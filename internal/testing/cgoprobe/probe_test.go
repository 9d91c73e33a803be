package cgoprobe

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// header is the file the Makefile forces into every C compile.
var header, _ = filepath.Abs(filepath.Join("..", "..", "..", "scripts", "cgo-probe.h"))

// want is what testdata/kinds prints: one value of each kind of C name.
const want = "41 0.5 hello 3 4 9 5 7 -3 2.5 probe 16 5 9 3 9 4 2 1099511627776 true free me\n"

// TestHeaderChangesNothing builds testdata/kinds without and with the
// header and wants the same bytes: cgo classified every name the same
// way. The Linux build is run too. A header that made some non-type
// valid on cgo's "not-type" line (an int, say) fails both ways: cgo
// cannot tell what the name is, and the build stops.
func TestHeaderChangesNothing(t *testing.T) {
	// Named by its hash, as the Makefile does: Go's build cache keys on
	// the flags, not on the bytes of a file they include.
	sum := sha256.Sum256(readFile(t, header))
	withHeader := fmt.Sprintf("-O2 -g -include %s -DADVOLOGIX_CGO_PROBE=%x", header, sum)
	for _, tc := range []struct {
		name string
		env  []string
		run  bool
	}{
		{name: "linux", env: []string{"CC=gcc"}, run: true},
		{name: "windows", env: []string{"GOOS=windows", "GOARCH=amd64", "CC=x86_64-w64-mingw32-gcc"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			plain := build(t, tc.env, "-O2 -g")
			probed := build(t, tc.env, withHeader)
			if !bytes.Equal(readFile(t, plain), readFile(t, probed)) {
				t.Errorf("%s: the program built with %s differs from the one built without it", tc.name, header)
			}
			if !tc.run {
				return
			}
			out, err := exec.Command(probed).CombinedOutput()
			if err != nil || string(out) != want {
				t.Errorf("kinds: %v, printed %q; want %q", err, out, want)
			}
		})
	}
}

// build compiles testdata/kinds as the Makefile builds a release
// (trimmed, stripped) with the given CGO_CFLAGS and returns its path.
func build(t *testing.T, env []string, cflags string) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "kinds")
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w -buildid=", "-o", bin, "./testdata/kinds")
	cmd.Env = append(os.Environ(), append([]string{"CGO_ENABLED=1", "CGO_CFLAGS=" + cflags}, env...)...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("CGO_CFLAGS=%q go build: %v\n%s", cflags, err, out)
	}
	return bin
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestHeaderRemovesTheHint checks the header still does its job, for
// both compilers: a function name on cgo's "not-type" line is still an
// error, but no longer an undeclared identifier, the diagnostic for
// which GCC searches every name in scope for a spelling hint. It fails
// if cgo stops writing that line, so the header would then do nothing.
func TestHeaderRemovesTheHint(t *testing.T) {
	goroot, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		t.Fatal(err)
	}
	src := readFile(t, filepath.Join(strings.TrimSpace(string(goroot)), "src", "cmd", "cgo", "gcc.go"))
	const line = "void __cgo_f_%d_2(void) { %s *__cgo_undefined__2; }"
	if !bytes.Contains(src, []byte(line)) {
		t.Fatalf("cmd/cgo no longer writes %q: scripts/cgo-probe.h must follow it", line)
	}
	probe := "int counter;\nint add(int, int);\n" +
		"void f1(void) { add *__cgo_undefined__2; }\n" +
		"void f2(void) { counter *__cgo_undefined__2; }\n"
	for _, cc := range []string{"gcc", "x86_64-w64-mingw32-gcc"} {
		t.Run(cc, func(t *testing.T) {
			cmd := exec.Command(cc, "-include", header, "-fsyntax-only", "-x", "c", "-")
			cmd.Stdin = strings.NewReader(probe)
			out, err := cmd.CombinedOutput()
			if err == nil {
				t.Fatalf("%s accepted a function and a variable as types:\n%s", cc, out)
			}
			if n := strings.Count(string(out), "error:"); n != 2 {
				t.Errorf("%s: %d errors, want one per line:\n%s", cc, n, out)
			}
			if strings.Contains(string(out), "undeclared") {
				t.Errorf("%s still reports an undeclared identifier (and searches for a hint):\n%s", cc, out)
			}
		})
	}
}

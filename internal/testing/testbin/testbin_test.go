package testbin

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestBuildShared: two processes (here: two fresh states) asking for the
// same build in one shared directory get one binary, built once; other
// flags make another binary; a broken package fails with the compiler's
// words, every time it is asked for.
func TestBuildShared(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(DirEnv, dir)
	src := t.TempDir()
	write := func(name, body string) {
		if err := os.WriteFile(filepath.Join(src, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module example.com/hello\n\ngo 1.24\n")
	write("main.go", "package main\n\nfunc main() { println(\"hello\") }\n")
	t.Chdir(src)

	first, err := BuildErr(".")
	if err != nil {
		t.Fatal(err)
	}
	run := func(bin string) string {
		t.Helper()
		out, err := exec.Command(bin).CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v\n%s", bin, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	if got := run(first); got != "hello" {
		t.Errorf("built program says %q", got)
	}
	// A new process of the same run shares the binary.
	state.bins, state.errs = nil, nil
	second, err := BuildErr(".")
	if err != nil || second != first {
		t.Fatalf("second process: %s, %v; want %s", second, err, first)
	}
	// The directory outlives a run: a later run after a change must get
	// the new program, never the one left from before.
	write("main.go", "package main\n\nfunc main() { println(\"changed\") }\n")
	state.bins, state.errs = nil, nil
	third, err := BuildErr(".")
	if err != nil {
		t.Fatal(err)
	}
	if got := run(third); got != "changed" {
		t.Errorf("after a change the shared binary still says %q", got)
	}
	// Within a process a build is asked for once.
	write("main.go", "package main\n\nfunc main() { println(\"again\") }\n")
	if again, _ := BuildErr("."); run(again) != "changed" {
		t.Errorf("the same process built again")
	}
	other, err := BuildErr(".", "-tags", "x")
	if err != nil {
		t.Fatal(err)
	}
	if other == first {
		t.Errorf("-tags x shares %s with the plain build", other)
	}

	write("main.go", "package main\n\nfunc main() { undefinedThing() }\n")
	for i := 0; i < 2; i++ {
		_, err := BuildErr(".", "-tags", "broken")
		if err == nil || !strings.Contains(err.Error(), "undefinedThing") {
			t.Errorf("broken build, try %d: %v", i+1, err)
		}
	}
}

// TestBuildFlagsAndTarget: every build carries Flags (go version -m
// shows -trimpath), and BuildForErr makes a Windows .exe without cgo.
func TestBuildFlagsAndTarget(t *testing.T) {
	t.Setenv(DirEnv, t.TempDir())
	src := t.TempDir()
	for name, body := range map[string]string{
		"go.mod":  "module example.com/hello\n\ngo 1.24\n",
		"main.go": "package main\n\nfunc main() { println(\"hello\") }\n",
	} {
		if err := os.WriteFile(filepath.Join(src, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(src)
	for _, tc := range []struct {
		name  string
		build func() (string, error)
		want  []string // in go version -m
		exe   bool
	}{
		{"host", func() (string, error) { return BuildErr(".") }, []string{"-trimpath=true", "CGO_ENABLED=1"}, false},
		{"windows", func() (string, error) { return BuildForErr("windows", "amd64", ".") }, []string{"-trimpath=true", "CGO_ENABLED=0", "GOOS=windows"}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bin, err := tc.build()
			if err != nil {
				t.Fatal(err)
			}
			if strings.HasSuffix(bin, ".exe") != tc.exe {
				t.Errorf("%s: .exe suffix %v, want %v", bin, !tc.exe, tc.exe)
			}
			out, err := exec.Command("go", "version", "-m", bin).CombinedOutput()
			if err != nil {
				t.Fatalf("go version -m: %v %s", err, out)
			}
			for _, w := range tc.want {
				if !strings.Contains(string(out), w) {
					t.Errorf("build info lacks %s:\n%s", w, out)
				}
			}
		})
	}
}

//go:build integration

package wintest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// x11 runs an X client tool in a UTF-8 locale, so titles survive.
func x11(name string, args ...string) *exec.Cmd {
	cmd := exec.Command(name, args...)
	cmd.Env = append(os.Environ(), "LC_ALL=C.UTF-8")
	return cmd
}

// window is a top-level X window that Wine mapped for the app.
type window struct{ id, title string }

// waitWindow waits until a viewable window with exactly this title exists.
func waitWindow(t *testing.T, title string, within time.Duration) window {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		// Search by the ASCII start (xdotool's regex and the C locale do
		// not mix with the em dash), then compare the whole title.
		out, _ := x11("xdotool", "search", "--onlyvisible", "--name", "^AdvoLogix Connect").Output()
		for _, id := range strings.Fields(string(out)) {
			name, err := x11("xdotool", "getwindowname", id).Output()
			info, err2 := x11("xwininfo", "-id", id).Output()
			if err == nil && err2 == nil && strings.TrimSpace(string(name)) == title && strings.Contains(string(info), "IsViewable") {
				return window{id: id, title: title}
			}
		}
		if time.Now().After(deadline) {
			tree, _ := x11("xwininfo", "-root", "-tree").Output()
			t.Fatalf("no viewable window titled %q within %v; windows:\n%s", title, within, tree)
		}
		time.Sleep(250 * time.Millisecond)
	}
}

// countWindows counts viewable windows whose title starts with prefix.
func countWindows(prefix string) int {
	out, _ := x11("xdotool", "search", "--onlyvisible", "--name", "^"+prefix).Output()
	return len(strings.Fields(string(out)))
}

// photograph takes the window's own picture (by its id, not the screen's)
// and fails unless it is not blank and OCR finds want in it.
func photograph(t *testing.T, w window, name, want string) {
	t.Helper()
	png := filepath.Join(suite.artifacts, name+".png")
	big := filepath.Join(suite.scratch, name+"-x2.png")
	deadline := time.Now().Add(60 * time.Second)
	var text, stats string
	for {
		// The title first: the id must still be this window.
		if got, err := x11("xdotool", "getwindowname", w.id).Output(); err != nil || strings.TrimSpace(string(got)) != w.title {
			t.Fatalf("window %s is now %q (%v), not %q", w.id, got, err, w.title)
		}
		if out, err := exec.Command("/usr/bin/import", "-window", w.id, png).CombinedOutput(); err != nil {
			t.Fatalf("import -window %s: %v\n%s", w.id, err, out)
		}
		out, err := exec.Command("/usr/bin/convert", png, "-format", "%[fx:standard_deviation] %k", "info:").Output()
		if err != nil {
			t.Fatalf("convert: %v", err)
		}
		stats = strings.TrimSpace(string(out))
		var sd float64
		var colors int
		fmt.Sscanf(stats, "%g %d", &sd, &colors)
		if sd > 0.02 && colors > 16 {
			if err := exec.Command("/usr/bin/convert", png, "-resize", "200%", big).Run(); err != nil {
				t.Fatalf("scale: %v", err)
			}
			ocr, err := exec.Command("tesseract", big, "-").Output()
			if err != nil {
				t.Fatalf("tesseract: %v", err)
			}
			text = string(ocr)
			if strings.Contains(strings.Join(strings.Fields(text), " "), want) {
				t.Logf("%s: %s (standard deviation, colours: %s)", w.title, png, stats)
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("window %q (%s) never showed %q: picture stats %s, OCR text:\n%s\n(picture: %s)", w.title, w.id, want, stats, text, png)
		}
		time.Sleep(time.Second)
	}
}

func TestGUIWizardAndSettingsUnderWine(t *testing.T) {
	if os.Getenv("DISPLAY") == "" {
		t.Fatal("DISPLAY is not set: run under scripts/test-session.sh, as make windows does")
	}
	for _, tool := range []string{"xdotool", "xwininfo", "tesseract", "/usr/bin/import", "/usr/bin/convert"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is missing (scripts/ensure-deps.sh runtime-test wine)", tool)
		}
	}
	// A prefix of its own: no profile yet, so the first run is the wizard.
	ctx := context.Background()
	w, err := New(ctx, filepath.Join(suite.scratch, "gui-prefix"))
	if err != nil {
		t.Fatal(err)
	}
	defer w.Shutdown()
	start := func(exe string, args ...string) *exec.Cmd {
		cmd := w.Command(ctx, exe, args...)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		return cmd
	}

	// advologix-connect.exe without a command, as an older version's
	// shortcut starts it, in a folder laid out as the MSI installs it: the
	// console command line starts "AdvoLogix Connect.exe" beside it, which
	// opens the wizard.
	wizard := start(installedLikeTheMSI(t).cli)
	photograph(t, waitWindow(t, "AdvoLogix Connect — Set up", 90*time.Second), "wizard", "Where do you sign in to Salesforce?")
	w.Shutdown()
	_ = wizard.Wait()

	// With a profile, the app opens Settings.
	login := w.Command(ctx, suite.exe, "login", "--profile", "default", "--login-url", suite.srv.URL(),
		"--username", user, "--password-stdin", "--ca-file", suite.caWin)
	login.Stdin = strings.NewReader(pass + "\n" + token + "\n")
	if out, errOut, code, err := w.Run(login); err != nil || code != 0 {
		t.Fatalf("login: exit %d %v\n%s%s", code, err, out, errOut)
	}
	settings := start(suite.desktop, "settings")
	defer func() { w.Shutdown(); _ = settings.Wait() }()
	win := waitWindow(t, "AdvoLogix Connect", 90*time.Second)
	photograph(t, win, "settings", "Environment")

	// Single instance through the named pipe: a second launch hands over
	// and exits 0 at once, and no second window appears.
	began := time.Now()
	// Bounded: a launch that does not hand over opens its own window and
	// never exits (what the AF_UNIX socket did under Wine).
	secondCtx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	second := w.Command(secondCtx, suite.desktop, "settings")
	out, errOut, code, err := w.Run(second)
	if err != nil || code != 0 {
		t.Fatalf("second launch did not hand over and exit 0 within 60 s: exit %d %v\n%s%s", code, err, out, errOut)
	}
	if took := time.Since(began); took > 20*time.Second {
		t.Errorf("second launch took %v to hand over", took)
	}
	time.Sleep(2 * time.Second)
	if n := countWindows("AdvoLogix Connect"); n != 1 {
		t.Errorf("%d app windows after a second launch, want 1 (it should have handed over)", n)
	}
	if strings.Contains(out+errOut, "warning") {
		t.Errorf("second launch warned: %s%s", out, errOut)
	}
}

package testbin

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Installed is the command line and the desktop program side by side
// under the names the packages give them, as a user has them installed:
// the command line finds the desktop program beside it.
type Installed struct {
	Dir     string // the folder holding both
	CLI     string // Dir/advologix-connect
	Desktop string // Dir/advologix-connect-desktop
}

// Install builds [AppPkg] and [DesktopPkg] (see [Build]) and links them
// into a folder of their own, named after both builds, so that tests run
// them as installed. A failed build fails the test.
func Install(tb TB) Installed {
	tb.Helper()
	in, err := InstallErr()
	if err != nil {
		tb.Fatal(err)
	}
	return in
}

// InstallErr is [Install] returning the error.
func InstallErr() (Installed, error) {
	cli, err := BuildErr(AppPkg)
	if err != nil {
		return Installed{}, err
	}
	desktop, err := BuildErr(DesktopPkg)
	if err != nil {
		return Installed{}, err
	}
	// The builds' names end in their keys: the folder is named after both.
	key := func(bin string) string { return bin[strings.LastIndex(bin, "-")+1:] }
	in := Installed{Dir: filepath.Join(filepath.Dir(cli), "installed-"+key(cli)+"-"+key(desktop))}
	in.CLI = filepath.Join(in.Dir, "advologix-connect")
	in.Desktop = filepath.Join(in.Dir, "advologix-connect-desktop")
	if err := mkdir(in.Dir); err != nil {
		return Installed{}, fmt.Errorf("testbin: %w", err)
	}
	state.mu.Lock()
	defer state.mu.Unlock()
	for _, l := range [][2]string{{cli, in.CLI}, {desktop, in.Desktop}} {
		if err := link(l[0], l[1]); err != nil {
			return Installed{}, fmt.Errorf("testbin: %w", err)
		}
	}
	return in, nil
}

// link makes dst a hard link of src (a copy where links fail), replacing
// dst only when its bytes differ (see replaceIfChanged).
func link(src, dst string) error {
	tmp := dst + ".new"
	os.Remove(tmp)
	if err := os.Link(src, tmp); err != nil {
		data, err := os.ReadFile(src)
		if err != nil {
			return err
		}
		if err := os.WriteFile(tmp, data, 0o755); err != nil {
			return err
		}
	}
	if err := replaceIfChanged(tmp, dst); err != nil {
		return err
	}
	_, err := os.Stat(dst)
	return err
}

// Package browser opens a web address in the user's browser: the command in
// $BROWSER when set (as command-line tools do), else the platform's opener
// (xdg-open, open, or the Windows URL handler).
package browser

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
)

// ErrNoBrowser is what Open's error matches (errors.Is) when this computer
// has no program to open a web address with.
var ErrNoBrowser = errors.New("no web browser was found on this computer")

// NoBrowserError says, in plain words, that no browser could be opened;
// Program is the opener that is missing (xdg-open, or $BROWSER's command).
type NoBrowserError struct{ Program string }

func (e *NoBrowserError) Error() string {
	return ErrNoBrowser.Error() + " (" + e.Program + " is not installed)"
}

// Is makes errors.Is(err, ErrNoBrowser) true.
func (e *NoBrowserError) Is(target error) bool { return target == ErrNoBrowser }

// Open starts the browser on url and returns once it is started; it does not
// wait for the browser to exit.
func Open(url string) error {
	return open(url, os.Getenv("BROWSER"), runtime.GOOS)
}

func open(url, browserEnv, goos string) error {
	if !strings.HasPrefix(url, "https://") && !strings.HasPrefix(url, "http://") {
		return fmt.Errorf("refusing to open %q: not a web address", url)
	}
	name, args, err := command(url, browserEnv, goos)
	if err != nil {
		return err
	}
	cmd := exec.Command(name, args...)
	cmd.Stdout, cmd.Stderr = nil, nil
	if err := cmd.Start(); err != nil {
		if errors.Is(err, exec.ErrNotFound) || errors.Is(err, os.ErrNotExist) {
			return &NoBrowserError{Program: name}
		}
		return fmt.Errorf("the web browser could not be started (%s): %w", name, err)
	}
	go func() { _ = cmd.Wait() }() // reap it; its exit status says nothing useful
	return nil
}

// command is the program and arguments that open url. $BROWSER may hold
// several commands separated by ':' (the first is used), and "%s" stands
// for the address; without "%s" the address is the last argument.
func command(url, browserEnv, goos string) (string, []string, error) {
	if first, _, _ := strings.Cut(browserEnv, string(os.PathListSeparator)); strings.TrimSpace(first) != "" {
		fields := strings.Fields(first)
		replaced := false
		for i, f := range fields[1:] {
			if strings.Contains(f, "%s") {
				fields[i+1] = strings.ReplaceAll(f, "%s", url)
				replaced = true
			}
		}
		if !replaced {
			fields = append(fields, url)
		}
		return fields[0], fields[1:], nil
	}
	switch goos {
	case "darwin":
		return "open", []string{url}, nil
	case "windows":
		return "rundll32", []string{"url.dll,FileProtocolHandler", url}, nil
	case "linux", "freebsd", "openbsd", "netbsd", "dragonfly":
		return "xdg-open", []string{url}, nil
	}
	return "", nil, errors.New("no browser opener known for " + goos + "; set $BROWSER")
}

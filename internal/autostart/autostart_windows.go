package autostart

import (
	"errors"
	"fmt"

	"golang.org/x/sys/windows/registry"
)

const runKey = `Software\Microsoft\Windows\CurrentVersion\Run`

// valueName is the Run value's name.
const valueName = "AdvoLogix Connect"

// Enable adds a Run value for the current user.
func (e Entry) Enable() error {
	exe, err := e.exe()
	if err != nil {
		return err
	}
	k, _, err := registry.CreateKey(registry.CURRENT_USER, runKey, registry.SET_VALUE)
	if err != nil {
		return fmt.Errorf("open the Run key: %w", err)
	}
	defer k.Close()
	if err := k.SetStringValue(valueName, command(exe)); err != nil {
		return fmt.Errorf("write the Run value: %w", err)
	}
	return nil
}

// Disable removes the Run value.
func (e Entry) Disable() error {
	k, err := registry.OpenKey(registry.CURRENT_USER, runKey, registry.SET_VALUE)
	if err != nil {
		if errors.Is(err, registry.ErrNotExist) {
			return nil
		}
		return fmt.Errorf("open the Run key: %w", err)
	}
	defer k.Close()
	if err := k.DeleteValue(valueName); err != nil && !errors.Is(err, registry.ErrNotExist) {
		return fmt.Errorf("remove the Run value: %w", err)
	}
	return nil
}

// Enabled tells whether the Run value exists.
func (e Entry) Enabled() (bool, error) {
	k, err := registry.OpenKey(registry.CURRENT_USER, runKey, registry.QUERY_VALUE)
	if err != nil {
		if errors.Is(err, registry.ErrNotExist) {
			return false, nil
		}
		return false, fmt.Errorf("open the Run key: %w", err)
	}
	defer k.Close()
	_, _, err = k.GetStringValue(valueName)
	if errors.Is(err, registry.ErrNotExist) {
		return false, nil
	}
	return err == nil, err
}

// command is the Run value that starts exe in the tray.
func command(exe string) string { return `"` + exe + `" tray` }

// Migrate points an existing Run value at the program (see the package
// doc): it rewrites the value when it differs from what Enable writes
// now, and reports whether it did. Without a value it does nothing.
func (e Entry) Migrate() (bool, error) {
	k, err := registry.OpenKey(registry.CURRENT_USER, runKey, registry.QUERY_VALUE|registry.SET_VALUE)
	if err != nil {
		if errors.Is(err, registry.ErrNotExist) {
			return false, nil
		}
		return false, fmt.Errorf("open the Run key: %w", err)
	}
	defer k.Close()
	old, _, err := k.GetStringValue(valueName)
	if errors.Is(err, registry.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("read the Run value: %w", err)
	}
	exe, err := e.exe()
	if err != nil {
		return false, err
	}
	if old == command(exe) {
		return false, nil
	}
	if err := k.SetStringValue(valueName, command(exe)); err != nil {
		return false, fmt.Errorf("write the Run value: %w", err)
	}
	return true, nil
}

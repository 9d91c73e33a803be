//go:build !windows

package autostart

// Disable removes the entry file.
func (e Entry) Disable() error {
	path, err := e.path()
	if err != nil {
		return err
	}
	return removeFile(path)
}

// Enabled tells whether the entry file exists.
func (e Entry) Enabled() (bool, error) {
	path, err := e.path()
	if err != nil {
		return false, err
	}
	return exists(path)
}

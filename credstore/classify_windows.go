//go:build windows

package credstore

import (
	"errors"

	"golang.org/x/sys/windows"
)

// classifyPlatform sorts Windows Credential Manager failures.
func classifyPlatform(err error) KeychainErrKind {
	var errno windows.Errno
	if errors.As(err, &errno) && errno == windows.ERROR_NO_SUCH_LOGON_SESSION {
		return KeychainUnavailable
	}
	return KeychainOther
}

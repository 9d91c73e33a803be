//go:build darwin

package credstore

import (
	"errors"
	"os"
	"os/exec"
)

// classifyPlatform sorts failures of /usr/bin/security, which go-keyring
// runs. Its exit status is the Security framework's OSStatus cut to 8 bits.
func classifyPlatform(err error) KeychainErrKind {
	if errors.Is(err, exec.ErrNotFound) || errors.Is(err, os.ErrNotExist) {
		return KeychainUnavailable
	}
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		return KeychainOther
	}
	switch ee.ExitCode() {
	case 36, // errSecInteractionNotAllowed (-25308): locked, no UI allowed
		51,  // errSecAuthFailed (-25293): wrong password or prompt cancelled
		128: // userCanceledErr (-128)
		return KeychainLocked
	case 37, // errSecNoDefaultKeychain (-25307)
		50: // errSecNoSuchKeychain (-25294)
		return KeychainUnavailable
	}
	return KeychainOther
}

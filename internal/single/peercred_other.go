//go:build !windows && !linux && !darwin

package single

// peerUID is not available here; the socket's mode and folder guard it.
func peerUID(int) (int, error) { return -1, errNoPeerCred }

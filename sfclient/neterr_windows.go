package sfclient

import (
	"errors"
	"syscall"
)

// Winsock's codes: syscall.ECONNREFUSED and friends are invented numbers on
// Windows that no socket call returns, so a refused port classified as a
// generic network error there (found under Wine).
const (
	wsaENETUNREACH  = syscall.Errno(10051)
	wsaECONNREFUSED = syscall.Errno(10061)
	wsaEHOSTUNREACH = syscall.Errno(10065)
)

func isRefused(err error) bool {
	return errors.Is(err, wsaECONNREFUSED) || errors.Is(err, syscall.ECONNREFUSED)
}

func isUnreachable(err error) bool {
	return errors.Is(err, wsaENETUNREACH) || errors.Is(err, wsaEHOSTUNREACH) ||
		errors.Is(err, syscall.ENETUNREACH) || errors.Is(err, syscall.EHOSTUNREACH)
}

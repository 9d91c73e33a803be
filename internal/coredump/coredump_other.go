//go:build !unix

package coredump

// Disable does nothing: Windows writes no core files by default (crash
// dumps are Windows Error Reporting's, off for this app unless an admin
// sets it).
func Disable() {}

package main

import (
	"os"
	"syscall"
)

// The Windows build is a GUI program (-H windowsgui), so starting it from
// the Start menu opens no console window. Run from a console, its command
// line attaches to that console; handles a script redirected (a pipe, a
// file) stay as they are.
func init() {
	const attachParentProcess = ^uintptr(0) // (DWORD)-1
	attach := syscall.NewLazyDLL("kernel32.dll").NewProc("AttachConsole")
	if r, _, _ := attach.Call(attachParentProcess); r == 0 {
		return // started without a console: the window is the interface
	}
	if !usable(os.Stdout) {
		if f, err := os.OpenFile("CONOUT$", os.O_WRONLY, 0); err == nil {
			os.Stdout = f
		}
	}
	if !usable(os.Stderr) {
		if f, err := os.OpenFile("CONOUT$", os.O_WRONLY, 0); err == nil {
			os.Stderr = f
		}
	}
	if !usable(os.Stdin) {
		if f, err := os.OpenFile("CONIN$", os.O_RDWR, 0); err == nil {
			os.Stdin = f
		}
	}
}

// usable tells whether f is a handle the parent passed on.
func usable(f *os.File) bool {
	if f == nil || f.Fd() == 0 || f.Fd() == uintptr(syscall.InvalidHandle) {
		return false
	}
	_, err := f.Stat()
	return err == nil
}

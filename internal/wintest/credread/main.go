//go:build windows

// Command credread is a test helper that reads Windows Credential Manager
// with the Win32 API directly (CredReadW, CredEnumerateW), independently of
// the app and of the libraries it uses, so tests can check what the app
// stored under which target name. It prints digests, never a secret:
//
//	credread get TARGET   -> "found <user name> <sha256 of the blob, hex> <blob length>" or "missing" (exit 3)
//	credread list FILTER  -> one target name per line (FILTER like "advologix-connect:*")
package main

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"syscall"
	"unsafe"
)

const (
	credTypeGeneric  = 1
	errorNotFound    = 1168 // ERROR_NOT_FOUND
	errorNoSuchLogon = 1312
)

// credential mirrors CREDENTIALW.
type credential struct {
	Flags              uint32
	Type               uint32
	TargetName         *uint16
	Comment            *uint16
	LastWritten        syscall.Filetime
	CredentialBlobSize uint32
	CredentialBlob     *byte
	Persist            uint32
	AttributeCount     uint32
	Attributes         uintptr
	TargetAlias        *uint16
	UserName           *uint16
}

var (
	advapi32      = syscall.NewLazyDLL("advapi32.dll")
	procRead      = advapi32.NewProc("CredReadW")
	procEnumerate = advapi32.NewProc("CredEnumerateW")
	procFree      = advapi32.NewProc("CredFree")
)

func utf16(p *uint16) string {
	if p == nil {
		return ""
	}
	var s []uint16
	for ptr := unsafe.Pointer(p); ; ptr = unsafe.Add(ptr, 2) {
		c := *(*uint16)(ptr)
		if c == 0 {
			break
		}
		s = append(s, c)
	}
	return syscall.UTF16ToString(s)
}

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: credread get TARGET | credread list FILTER")
		os.Exit(2)
	}
	arg, err := syscall.UTF16PtrFromString(os.Args[2])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	switch os.Args[1] {
	case "get":
		var c *credential
		r, _, callErr := procRead.Call(uintptr(unsafe.Pointer(arg)), credTypeGeneric, 0, uintptr(unsafe.Pointer(&c)))
		if r == 0 {
			if errno, ok := callErr.(syscall.Errno); ok && errno == errorNotFound {
				fmt.Println("missing")
				os.Exit(3)
			}
			fmt.Fprintln(os.Stderr, "CredReadW:", callErr)
			os.Exit(1)
		}
		defer procFree.Call(uintptr(unsafe.Pointer(c)))
		blob := unsafe.Slice(c.CredentialBlob, c.CredentialBlobSize)
		sum := sha256.Sum256(blob)
		fmt.Printf("found %s %s %d\n", utf16(c.UserName), hex.EncodeToString(sum[:]), len(blob))
	case "list":
		var n uint32
		var list **credential
		r, _, callErr := procEnumerate.Call(uintptr(unsafe.Pointer(arg)), 0, uintptr(unsafe.Pointer(&n)), uintptr(unsafe.Pointer(&list)))
		if r == 0 {
			if errno, ok := callErr.(syscall.Errno); ok && (errno == errorNotFound || errno == errorNoSuchLogon) {
				return // none
			}
			fmt.Fprintln(os.Stderr, "CredEnumerateW:", callErr)
			os.Exit(1)
		}
		defer procFree.Call(uintptr(unsafe.Pointer(list)))
		for _, c := range unsafe.Slice(list, n) {
			fmt.Println(utf16(c.TargetName))
		}
	default:
		fmt.Fprintln(os.Stderr, "usage: credread get TARGET | credread list FILTER")
		os.Exit(2)
	}
}

//go:build windows

// Command winhelper is the Windows side of the Wine tests. It reads
// Windows Credential Manager with the Win32 API directly (CredReadW,
// CredEnumerateW), independently of the app and of the libraries it uses,
// so tests can check what the app stored under which target name; it
// prints digests, never a secret. It also holds the settings lock the way
// another process would, and switches start-at-login with the app's own
// internal/autostart code (read back by the test with `wine reg query`):
//
//	winhelper get TARGET      -> "found <user name> <sha256 of the blob, hex> <blob length>" or "missing" (exit 3)
//	winhelper list FILTER     -> one target name per line (FILTER like "advologix-connect:*")
//	winhelper lock PATH MS    -> LockFileEx(PATH) exclusively, print "locked", hold MS milliseconds
//	winhelper autostart enable|disable|enabled|migrate   (migrate prints whether it rewrote the Run value)
package main

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"strconv"
	"syscall"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"

	"github.com/advologix/advologix-connect/internal/autostart"
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
	if len(os.Args) < 3 {
		usage()
	}
	switch os.Args[1] {
	case "lock":
		lock()
		return
	case "autostart":
		switchAutostart(os.Args[2])
		return
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
		usage()
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: winhelper get TARGET | list FILTER | lock PATH MS | autostart enable|disable|enabled|migrate")
	os.Exit(2)
}

// lock holds an exclusive LockFileEx lock on the file, as a concurrent
// writer of settings.json does.
func lock() {
	if len(os.Args) != 4 {
		usage()
	}
	ms, err := strconv.Atoi(os.Args[3])
	if err != nil {
		usage()
	}
	f, err := os.OpenFile(os.Args[2], os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer f.Close()
	ol := new(windows.Overlapped)
	if err := windows.LockFileEx(windows.Handle(f.Fd()), windows.LOCKFILE_EXCLUSIVE_LOCK, 0, 1, 0, ol); err != nil {
		fmt.Fprintln(os.Stderr, "LockFileEx:", err)
		os.Exit(1)
	}
	fmt.Println("locked")
	time.Sleep(time.Duration(ms) * time.Millisecond)
	_ = windows.UnlockFileEx(windows.Handle(f.Fd()), 0, 1, 0, new(windows.Overlapped))
	fmt.Println("unlocked")
}

// switchAutostart uses the app's own start-at-login code for the exe of
// the app (ADVOLOGIX_EXE, as the Windows path the Run value must name).
func switchAutostart(verb string) {
	e := autostart.Entry{Exe: os.Getenv("ADVOLOGIX_EXE")}
	var err error
	switch verb {
	case "enable":
		err = e.Enable()
	case "disable":
		err = e.Disable()
	case "enabled":
		var on bool
		on, err = e.Enabled()
		fmt.Println(on)
	case "migrate":
		var rewritten bool
		rewritten, err = e.Migrate()
		fmt.Println(rewritten)
	default:
		usage()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

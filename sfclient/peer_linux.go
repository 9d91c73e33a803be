//go:build linux

package sfclient

import (
	"bufio"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
)

// procNetTCP are the kernel's tables of TCP sockets; a test may point them
// elsewhere.
var procNetTCP = []string{"/proc/net/tcp", "/proc/net/tcp6"}

// checkPeer accepts an accepted loopback connection only when the socket
// at its other end belongs to this process's user: it finds the peer's
// socket in /proc/net/tcp{,6} by its (local, remote) address pair, which
// is the accepted connection's (remote, local), and compares its uid. A
// peer it cannot find is refused too.
func checkPeer(c net.Conn) error {
	server, ok1 := c.LocalAddr().(*net.TCPAddr)
	client, ok2 := c.RemoteAddr().(*net.TCPAddr)
	if !ok1 || !ok2 {
		return errors.New("not a TCP connection")
	}
	uid, err := socketUID(client, server)
	if err != nil {
		return err
	}
	if want := os.Getuid(); uid != want {
		return fmt.Errorf("the connection comes from another user of this computer (uid %d)", uid)
	}
	return nil
}

// socketUID is the uid of the socket whose local address is local and
// remote address remote.
func socketUID(local, remote *net.TCPAddr) (int, error) {
	var errs []error
	for _, name := range procNetTCP {
		uid, found, err := findSocket(name, local, remote)
		switch {
		case err != nil:
			errs = append(errs, err)
		case found:
			return uid, nil
		}
	}
	if len(errs) > 0 {
		return 0, fmt.Errorf("find the peer of %s: %w", local, errors.Join(errs...))
	}
	return 0, fmt.Errorf("no socket of this computer's users is at %s", local)
}

func findSocket(name string, local, remote *net.TCPAddr) (uid int, found bool, err error) {
	f, err := os.Open(name)
	if errors.Is(err, os.ErrNotExist) {
		return 0, false, nil // no IPv6 on this kernel
	}
	if err != nil {
		return 0, false, fmt.Errorf("read the socket table: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Scan() // the header
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 8 || !sameAddr(fields[1], local) || !sameAddr(fields[2], remote) {
			continue
		}
		uid, err := strconv.Atoi(fields[7])
		if err != nil {
			return 0, false, fmt.Errorf("read the socket table %s: uid %q: %w", name, fields[7], err)
		}
		return uid, true, nil
	}
	if err := sc.Err(); err != nil {
		return 0, false, fmt.Errorf("read the socket table %s: %w", name, err)
	}
	return 0, false, nil
}

// sameAddr tells whether a /proc/net/tcp address ("0100007F:1F90": the
// address as the kernel's 32-bit words in host byte order, the port in
// hex) is a.
func sameAddr(field string, a *net.TCPAddr) bool {
	host, port, ok := strings.Cut(field, ":")
	if !ok {
		return false
	}
	p, err := strconv.ParseUint(port, 16, 16)
	if err != nil || int(p) != a.Port {
		return false
	}
	raw, err := hex.DecodeString(host)
	if err != nil || (len(raw) != net.IPv4len && len(raw) != net.IPv6len) {
		return false
	}
	ip := make(net.IP, len(raw))
	for i := 0; i < len(raw); i += 4 {
		binary.NativeEndian.PutUint32(ip[i:], binary.BigEndian.Uint32(raw[i:]))
	}
	return ip.Equal(a.IP)
}

//go:build linux

package sfclient

import (
	"net"
	"os"
	"path/filepath"
	"testing"
)

func TestSocketUID(t *testing.T) {
	dir := t.TempDir()
	tcp := filepath.Join(dir, "tcp")
	tcp6 := filepath.Join(dir, "tcp6")
	const header = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
	v4 := header +
		"   0: 0100007F:1F90 0100007F:C350 01 00000000:00000000 00:00000000 00000000  1000        0 1 1 0 20 4 30 10 -1\n" +
		"   1: 0100007F:C350 0100007F:1F90 01 00000000:00000000 00:00000000 00000000 65534        0 2 1 0 20 4 30 10 -1\n"
	v6 := header +
		"   0: 00000000000000000000000001000000:D431 00000000000000000000000001000000:1F90 01 00000000:00000000 00:00000000 00000000    42        0 3 1 0 20 4 30 10 -1\n" +
		"   1: 0000000000000000FFFF00000100007F:D432 0000000000000000FFFF00000100007F:1F90 01 00000000:00000000 00:00000000 00000000    43        0 3 1 0 20 4 30 10 -1\n"
	for name, body := range map[string]string{tcp: v4, tcp6: v6} {
		if err := os.WriteFile(name, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	saved := procNetTCP
	procNetTCP = []string{tcp, tcp6, filepath.Join(dir, "absent")}
	t.Cleanup(func() { procNetTCP = saved })
	lo4, lo6 := net.ParseIP("127.0.0.1"), net.ParseIP("::1")
	tests := []struct {
		name          string
		local, remote *net.TCPAddr
		uid           int
		found         bool
	}{
		{"IPv4 client", &net.TCPAddr{IP: lo4, Port: 0xC350}, &net.TCPAddr{IP: lo4, Port: 0x1F90}, 65534, true},
		{"IPv4 server side is not the peer", &net.TCPAddr{IP: lo4, Port: 0x1F90}, &net.TCPAddr{IP: lo4, Port: 0xC351}, 0, false},
		{"IPv6 client", &net.TCPAddr{IP: lo6, Port: 0xD431}, &net.TCPAddr{IP: lo6, Port: 0x1F90}, 42, true},
		{"IPv4-mapped client", &net.TCPAddr{IP: lo4, Port: 0xD432}, &net.TCPAddr{IP: lo4, Port: 0x1F90}, 43, true},
		{"unknown peer", &net.TCPAddr{IP: lo4, Port: 1}, &net.TCPAddr{IP: lo4, Port: 2}, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			uid, err := socketUID(tt.local, tt.remote)
			if tt.found != (err == nil) || uid != tt.uid {
				t.Errorf("socketUID = %d, %v; want %d (found %v)", uid, err, tt.uid, tt.found)
			}
		})
	}
}

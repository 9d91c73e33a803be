package sftest

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"sync"
	"time"
)

// ConnectProxy is a loopback HTTP proxy for tests: it tunnels CONNECT
// requests (to any target, or to Redirect when set) and counts them. With
// RequireAuth it answers every CONNECT 407 Proxy Authentication Required.
type ConnectProxy struct {
	ln          net.Listener
	requireAuth bool
	redirect    string

	mu       sync.Mutex
	connects []string // the CONNECT targets, in order
	wg       sync.WaitGroup
}

// NewConnectProxy starts a proxy on 127.0.0.1. redirect, when not empty,
// is the address every tunnel really goes to (so a test can use a name
// that does not resolve); requireAuth makes it answer 407.
func NewConnectProxy(redirect string, requireAuth bool) (*ConnectProxy, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p := &ConnectProxy{ln: ln, requireAuth: requireAuth, redirect: redirect}
	p.wg.Add(1)
	go p.serve()
	return p, nil
}

// Addr is the proxy's host:port.
func (p *ConnectProxy) Addr() string { return p.ln.Addr().String() }

// Connects returns the CONNECT targets seen so far.
func (p *ConnectProxy) Connects() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.connects...)
}

// Close stops the proxy.
func (p *ConnectProxy) Close() {
	p.ln.Close()
	p.wg.Wait()
}

func (p *ConnectProxy) serve() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		go p.handle(c)
	}
}

func (p *ConnectProxy) handle(c net.Conn) {
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(30 * time.Second))
	lr := &io.LimitedReader{R: c, N: 64 << 10} // the request head only
	br := bufio.NewReader(lr)
	req, err := http.ReadRequest(br)
	if err != nil {
		return
	}
	lr.N = 1 << 62 // the tunnel itself is not limited
	if req.Method != http.MethodConnect {
		io.WriteString(c, "HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n")
		return
	}
	p.mu.Lock()
	p.connects = append(p.connects, req.Host)
	p.mu.Unlock()
	if p.requireAuth {
		io.WriteString(c, "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"firm\"\r\nContent-Length: 0\r\n\r\n")
		return
	}
	target := req.Host
	if p.redirect != "" {
		target = p.redirect
	}
	up, err := net.DialTimeout("tcp", target, 5*time.Second)
	if err != nil {
		io.WriteString(c, "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
		return
	}
	defer up.Close()
	_ = c.SetDeadline(time.Time{})
	if _, err := io.WriteString(c, "HTTP/1.1 200 Connection established\r\n\r\n"); err != nil {
		return
	}
	done := make(chan struct{}, 2)
	go func() { io.Copy(up, br); done <- struct{}{} }() // br may hold bytes already read
	go func() { io.Copy(c, up); done <- struct{}{} }()
	<-done
}

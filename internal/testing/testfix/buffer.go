package testfix

import (
	"bytes"
	"sync"
)

// Buffer is a bytes.Buffer that is safe for concurrent writers and
// readers: the output goroutines of an exec.Cmd or a server, and the test
// reading what they wrote so far. The zero value is empty and ready.
type Buffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

// Write appends p.
func (b *Buffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// String returns everything written so far.
func (b *Buffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

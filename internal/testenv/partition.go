package testenv

import (
	"io"
	"net"
	"sync"
	"testing"
)

// Partition is a TCP proxy to a server that a test can cut: while cut, it
// drops every connection through it and refuses new ones, as a network
// partition between a client and, say, ZooKeeper would, long enough for the
// server to expire the client's session.
type Partition struct {
	Addr string // where the client should connect
	mu   sync.Mutex
	cut  bool
	open []net.Conn
}

// Partitioned starts a Partition on a free loopback port forwarding to
// target; it stops when the test ends.
func Partitioned(t testing.TB, target string) *Partition {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &Partition{Addr: ln.Addr().String()}
	Serve(t, ln, func(client net.Conn) {
		p.mu.Lock()
		cut := p.cut
		p.mu.Unlock()
		if cut {
			return
		}
		server, err := net.Dial("tcp", target)
		if err != nil {
			return
		}
		defer server.Close()
		p.mu.Lock()
		p.open = append(p.open, client, server)
		p.mu.Unlock()
		go func() { _, _ = io.Copy(server, client); server.Close() }()
		_, _ = io.Copy(client, server)
	})
	return p
}

// Cut drops the connections through p and refuses new ones until Heal.
func (p *Partition) Cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.cut = true
	for _, c := range p.open {
		c.Close()
	}
	p.open = nil
}

// Heal lets connections through again.
func (p *Partition) Heal() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.cut = false
}

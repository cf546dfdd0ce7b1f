package testenv

import (
	"net"
	"sync"
	"testing"

	"github.com/kitexdubbo/kitexdubbo/pkg/dubbo"
)

// Frame is one Dubbo frame a Recorder saw, whole: header and body.
type Frame struct {
	Conn       int // which client connection, counting from 1
	FromClient bool
	Header     dubbo.Header
	Bytes      []byte
}

// Recorder is a TCP proxy between a peer and the server it calls that keeps
// every Dubbo frame crossing it, so that a real peer's bytes can become
// golden files. It forwards bytes as they come; a stream it cannot split into
// frames is still forwarded, only no longer recorded.
type Recorder struct {
	Addr   string // where the client should connect
	mu     sync.Mutex
	frames []Frame
	conns  int
}

// Conns is how many client connections the Recorder has accepted.
func (r *Recorder) Conns() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.conns
}

// Record starts a Recorder listening on a free port of host and forwarding to
// target. It stops, closing every connection, when the test ends.
func Record(t testing.TB, host, target string) *Recorder {
	t.Helper()
	ln, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
	if err != nil {
		t.Fatal(err)
	}
	r := &Recorder{Addr: ln.Addr().String()}
	Serve(t, ln, func(client net.Conn) {
		r.mu.Lock()
		r.conns++
		conn := r.conns
		r.mu.Unlock()
		server, err := net.Dial("tcp", target)
		if err != nil {
			return
		}
		// Each pipe closes the side it writes to when its source ends, which
		// ends the other pipe too.
		done := make(chan struct{})
		go func() { r.pipe(server, client, conn, false); close(done) }()
		r.pipe(client, server, conn, true)
		<-done
	})
	return r
}

// Serve accepts connections on ln and runs handle for each on its own
// goroutine (handle need not close its connection) until the test ends; then
// it closes ln and every connection, and waits for the handlers to return.
func Serve(t testing.TB, ln net.Listener, handle func(net.Conn)) {
	var (
		mu    sync.Mutex
		conns []net.Conn
		wg    sync.WaitGroup
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer c.Close()
				handle(c)
			}()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
}

// pipe copies src to dst, recording the frames in between.
func (r *Recorder) pipe(src, dst net.Conn, conn int, fromClient bool) {
	defer dst.Close()
	var pending []byte
	buf := make([]byte, 64<<10)
	splitting := true
	for {
		n, err := src.Read(buf)
		if n > 0 {
			// Recorded before it is passed on: once the client has its
			// answer, Take must see it.
			if splitting {
				pending = append(pending, buf[:n]...)
				pending, splitting = r.split(pending, conn, fromClient)
			}
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// split records the whole frames at the start of b and returns what is left,
// and false once b is not a Dubbo stream.
func (r *Recorder) split(b []byte, conn int, fromClient bool) ([]byte, bool) {
	for len(b) >= dubbo.HeaderLength {
		h, err := dubbo.ParseHeader(b)
		if err != nil {
			return nil, false
		}
		n := dubbo.HeaderLength + h.BodyLength
		if len(b) < n {
			break
		}
		r.mu.Lock()
		r.frames = append(r.frames, Frame{Conn: conn, FromClient: fromClient, Header: h, Bytes: append([]byte(nil), b[:n]...)})
		r.mu.Unlock()
		b = b[n:]
	}
	return b, true
}

// Take returns the frames recorded since the last Take, in the order they
// were seen, and forgets them.
func (r *Recorder) Take() []Frame {
	r.mu.Lock()
	defer r.mu.Unlock()
	f := r.frames
	r.frames = nil
	return f
}

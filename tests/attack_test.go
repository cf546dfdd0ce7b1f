package tests

// The adversarial suite: requests an attacker can send, each to a real
// Kitex server process (tests/cmd/kitexpeer) over loopback, with both Dubbo
// server handlers. Each attack must leave the server up and answering a
// normal call right after, within bounds on its memory (the growth of its
// resident set's peak, read from /proc) and CPU (user+system time) that are
// generous multiples of what the attack sent: the point is to catch
// amplification (what once took 2.86 GB for 7.6 MiB, or 14 s of CPU for
// 2.4 MB), not to time anything finely.

import (
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kitexdubbo/kitexdubbo/internal/testenv"
	"github.com/kitexdubbo/kitexdubbo/pkg/dubbo"
	"github.com/kitexdubbo/kitexdubbo/pkg/hessian2"
)

// target is a kitexpeer server under attack.
type target struct {
	p     *testenv.Process
	addr  string
	stats string // its goroutine/heap endpoint
}

var (
	peerOnce sync.Once
	peerBin  string
)

func startTarget(t testing.TB, handler string) *target {
	t.Helper()
	peerOnce.Do(func() { peerBin = testenv.GoBuild(t, testenv.Root(t), "./tests/cmd/kitexpeer", "kitexpeer") })
	p := testenv.Start(t, "kitexpeer", exec.Command(peerBin, "-serve", "-handler", handler, "-stats", "-write-timeout", "1s"), 30*time.Second)
	tg := &target{p: p, addr: fmt.Sprintf("127.0.0.1:%d", p.Port)}
	for _, line := range strings.Split(p.Log(), "\n") {
		if port, ok := strings.CutPrefix(line, "STATS "); ok {
			tg.stats = "127.0.0.1:" + strings.TrimSpace(port)
		}
	}
	if tg.stats == "" {
		t.Fatal("kitexpeer printed no STATS line")
	}
	return tg
}

// goroutines asks the server how many goroutines it runs.
func (tg *target) goroutines(t testing.TB) int {
	t.Helper()
	c, err := net.DialTimeout("tcp", tg.stats, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(5 * time.Second))
	fmt.Fprintf(c, "GET / HTTP/1.0\r\n\r\n")
	b, _ := io.ReadAll(c)
	_, rest, _ := strings.Cut(string(b), "goroutines ")
	n, err := strconv.Atoi(strings.Fields(rest + " x")[0])
	if err != nil {
		t.Fatalf("stats: %q", b)
	}
	return n
}

// normalCall is what every attack must leave working.
func (tg *target) normalCall(t *testing.T) {
	t.Helper()
	if tg.p.Exited() {
		t.Fatalf("the server died:\n%s", tg.p.Log())
	}
	if got, err := newClient(t, tg.addr).EchoString(context.Background(), "still here"); err != nil || got != "still here" {
		t.Fatalf("normal call after the attack: %q %v", got, err)
	}
}

// attack is one hostile client. run sends it and checks the server's answers,
// returning the bytes it sent; mem and cpu bound what the server may spend
// on it (0: defaults from what was sent).
type attack struct {
	name     string
	handlers []string // nil: both
	run      func(t *testing.T, tg *target) (sent int64)
	mem      int64
	cpu      time.Duration
}

func TestAttacks(t *testing.T) {
	for _, a := range attacks() {
		for _, handler := range []string{"factory", "codec"} {
			if a.handlers != nil && !contains(a.handlers, handler) {
				continue
			}
			t.Run(a.name+"/"+handler, func(t *testing.T) {
				tg := startTarget(t, handler)
				tg.normalCall(t) // warm: what a first call allocates is not the attack's
				pid := tg.p.Pid()
				if err := testenv.ResetPeak(pid); err != nil {
					t.Fatal(err)
				}
				before, err := testenv.ReadProcStat(pid)
				if err != nil {
					t.Fatal(err)
				}
				sent := a.run(t, tg)
				after, err := testenv.ReadProcStat(pid)
				if err != nil {
					t.Fatalf("the server died: %v\n%s", err, tg.p.Log())
				}
				tg.normalCall(t)
				mem, cpu := a.mem, a.cpu
				if mem == 0 {
					mem = 96<<20 + 32*sent
				}
				if cpu == 0 {
					cpu = 4*time.Second + time.Duration(sent/(5<<20))*time.Second
				}
				grew, used := after.Peak-before.RSS, after.CPU-before.CPU
				t.Logf("sent %s: server peak RSS +%s (bound %s), CPU %v (bound %v)", size(sent), size(grew), size(mem), used, cpu)
				if grew > mem {
					t.Errorf("the server's memory grew by %s, over the bound %s", size(grew), size(mem))
				}
				if used > cpu {
					t.Errorf("the server used %v of CPU, over the bound %v", used, cpu)
				}
			})
		}
	}
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

func size(n int64) string {
	if n >= 1<<20 || n <= -1<<20 {
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%d B", n)
}

// Building requests by hand, as an attacker does.

// body is a request body to the InteropService: the head, raw Hessian for the
// arguments, and raw Hessian for the attachments (nil: just path).
func body(method, desc string, args, atts []byte) []byte {
	e := hessian2.NewEncoder(nil)
	dubbo.WriteRequestHead(e, &dubbo.RequestHead{DubboVersion: dubbo.DubboVersion, Path: JavaInterface, Method: method, ParamTypes: desc})
	b := append(e.Bytes(), args...)
	if atts == nil {
		atts = hmap("path", hessian2.AppendString(nil, JavaInterface))
	}
	return append(b, atts...)
}

func frame(id int64, body []byte) []byte {
	return append(dubbo.AppendHeader(nil, dubbo.Header{Request: true, TwoWay: true, Serialization: dubbo.SerializationHessian2,
		ID: id, BodyLength: len(body)}), body...)
}

// hmap is an untyped Hessian map of string keys to raw values.
func hmap(kv ...any) []byte {
	b := []byte{'H'}
	for i := 0; i < len(kv); i += 2 {
		b = hessian2.AppendString(b, kv[i].(string))
		b = append(b, kv[i+1].([]byte)...)
	}
	return append(b, 'Z')
}

// varList is a 'Z'-terminated untyped list of n copies of elem.
func varList(n int, elem ...byte) []byte {
	b := make([]byte, 0, 2+n*len(elem))
	b = append(b, 0x57)
	for range n {
		b = append(b, elem...)
	}
	return append(b, 'Z')
}

// classDef defines a class with fields; 0x60+i is then an instance of the
// i-th class defined in the body.
func classDef(name string, fields ...string) []byte {
	b := hessian2.AppendString([]byte{'C'}, name)
	b = hessian2.AppendInt32(b, int32(len(fields)))
	for _, f := range fields {
		b = hessian2.AppendString(b, f)
	}
	return b
}

// sharedChain is the list bomb: levels nested lists, each [next, ref(next)]:
// a walk that follows references without remembering them does 2^levels work.
func sharedChain(levels int) []byte {
	var b []byte
	for range levels {
		b = append(b, 0x7a) // a list of two
	}
	b = append(b, 0x78) // the empty innermost list
	for i := levels; i >= 1; i-- {
		b = hessian2.AppendInt32(append(b, 0x51), int32(i)) // ref
	}
	return b
}

// conn is a raw connection to the target.
type conn struct {
	t *testing.T
	net.Conn
	r frameReader
}

func dial(t *testing.T, addr string) *conn {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return &conn{t: t, Conn: c, r: frameReader{c: c}}
}

func (c *conn) send(b []byte) int64 {
	c.t.Helper()
	if _, err := c.Write(b); err != nil {
		c.t.Fatal(err)
	}
	return int64(len(b))
}

// reply reads the next frame: its header and, for a non-OK status, the message.
func (c *conn) reply() (dubbo.Header, []byte, string) {
	c.t.Helper()
	_ = c.SetReadDeadline(time.Now().Add(30 * time.Second))
	f, err := c.r.next()
	if err != nil {
		c.t.Fatalf("no reply: %v", err)
	}
	h, err := dubbo.ParseHeader(f)
	if err != nil {
		c.t.Fatal(err)
	}
	b := f[dubbo.HeaderLength:]
	if h.Status != dubbo.StatusOK {
		msg, _ := dubbo.DecodeErrorBody(b)
		return h, b, msg
	}
	return h, b, ""
}

// expect reads a reply and checks its status and that its message holds text.
func (c *conn) expect(status dubbo.Status, text string) dubbo.Header {
	c.t.Helper()
	h, _, msg := c.reply()
	if h.Status != status || !strings.Contains(msg, text) {
		c.t.Fatalf("reply %v %q, want %v with %q", h.Status, cut(msg), status, text)
	}
	return h
}

// closed waits for the server to close the connection.
func (c *conn) closed(within time.Duration) {
	c.t.Helper()
	_ = c.SetReadDeadline(time.Now().Add(within))
	for {
		if _, err := c.r.next(); err != nil {
			if ne, ok := err.(net.Error); ok && ne.Timeout() {
				c.t.Fatal("the server kept the connection open")
			}
			return
		}
	}
}

func cut(s string) string {
	if len(s) > 300 {
		return s[:300] + "..."
	}
	return s
}

// be32 is a big-endian int32, for hand-made headers.
func be32(n int) []byte { return binary.BigEndian.AppendUint32(nil, uint32(n)) }

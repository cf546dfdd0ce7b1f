package dubbo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/cloudwego/kitex/server"

	"github.com/kitexdubbo/kitexdubbo/pkg/hessian2"
)

func factory(opts ...Option) server.Option {
	return server.WithTransHandlerFactory(NewSvrTransHandlerFactory(NewDubboCodec(opts...)))
}

// expectStatus reads one reply and checks its id, status and message.
func expectStatus(t *testing.T, c *rawConn, id int64, status Status, text string) {
	t.Helper()
	h, body := c.recv()
	msg, _ := DecodeErrorBody(body)
	if h.ID != id || h.Status != status || !strings.Contains(msg, text) {
		t.Fatalf("reply %d %v %q, want %d %v containing %q", h.ID, h.Status, msg, id, status, text)
	}
}

func expectEcho(t *testing.T, c *rawConn, id int64, want string) {
	t.Helper()
	h, body := c.recv()
	r, err := DecodeResponseBody(body)
	if err != nil || h.ID != id || h.Status != StatusOK || r.Value != "string:"+want {
		t.Fatalf("reply %+v %+v %v, want %d %q", h, r, err, id, want)
	}
}

// expectClosed waits for the server to close c: a read ends, with EOF or, when
// the server dropped bytes it never read, a reset.
func expectClosed(t *testing.T, c net.Conn, within time.Duration) {
	t.Helper()
	_ = c.SetReadDeadline(time.Now().Add(within))
	if _, err := io.Copy(io.Discard, c); err != nil && !errors.Is(err, syscall.ECONNRESET) {
		t.Fatalf("connection not closed by the server: %v", err)
	}
}

// Past WithMaxConnCalls calls in flight, a request is answered at once with
// SERVER_THREADPOOL_EXHAUSTED_ERROR, as Dubbo-Java answers when its pool is
// full; the calls in flight finish and the connection serves on.
func TestServerFactoryConnCallLimit(t *testing.T) {
	impl := &greetImpl{gate: make(chan struct{}), entered: make(chan struct{}, 8)}
	addr := startServer(t, impl, factory(WithMaxConnCalls(2)))
	c := dialRaw(t, addr)
	for id := int64(1); id <= 2; id++ {
		c.send(echoRequest(t, id, "wait"))
		<-impl.entered
	}
	c.send(echoRequest(t, 3, "third"))
	expectStatus(t, c, 3, StatusServerThreadpoolExhaustedError, "thread pool is exhausted, detail msg:2 calls in flight on this connection")
	// Heartbeats need no call: still answered.
	c.send(frameOf(Header{Request: true, TwoWay: true, Event: true, Serialization: 2, ID: 4}, AppendHeartbeatBody(nil)))
	if h, _ := c.recv(); h.ID != 4 || !h.Event {
		t.Fatalf("heartbeat: %+v", h)
	}
	// Another connection is not limited by this one.
	other := dialRaw(t, addr)
	other.send(echoRequest(t, 5, "other"))
	expectEcho(t, other, 5, "other")
	close(impl.gate)
	for range 2 { // 1 and 2, in the order they finish
		if h, _ := c.recv(); h.Status != StatusOK || h.ID != 1 && h.ID != 2 {
			t.Fatalf("%+v", h)
		}
	}
	c.send(echoRequest(t, 6, "after"))
	expectEcho(t, c, 6, "after")
}

// WithMaxServerCalls counts the calls of every connection.
func TestServerFactoryServerCallLimit(t *testing.T) {
	impl := &greetImpl{gate: make(chan struct{}), entered: make(chan struct{}, 8)}
	addr := startServer(t, impl, factory(WithMaxServerCalls(2)))
	a, b := dialRaw(t, addr), dialRaw(t, addr)
	a.send(echoRequest(t, 1, "wait"))
	<-impl.entered
	b.send(echoRequest(t, 2, "wait"))
	<-impl.entered
	a.send(echoRequest(t, 3, "x"))
	expectStatus(t, a, 3, StatusServerThreadpoolExhaustedError, "2 calls in flight on this server (dubbo.WithMaxServerCalls)")
	close(impl.gate)
	expectEcho(t, a, 1, "wait")
	expectEcho(t, b, 2, "wait")
}

// WithMaxPendingBytes bounds the request bytes the server holds. A frame past
// it that has arrived is refused and the connection serves on; one still
// arriving is refused, and its connection closes after its calls in flight.
func TestServerFactoryPendingBytes(t *testing.T) {
	impl := &greetImpl{gate: make(chan struct{}), entered: make(chan struct{}, 8)}
	addr := startServer(t, impl, factory(WithMaxPendingBytes(4096)))
	c := dialRaw(t, addr)
	c.send(echoRequest(t, 1, "wait")) // held while it waits
	<-impl.entered
	c.send(echoRequest(t, 2, strings.Repeat("x", 5000)))
	expectStatus(t, c, 2, StatusServerThreadpoolExhaustedError, "held request bytes past 4096 (dubbo.WithMaxPendingBytes)")

	partial := echoRequest(t, 3, strings.Repeat("y", 5000))
	c.send(partial[:HeaderLength+100])
	expectStatus(t, c, 3, StatusServerThreadpoolExhaustedError, "dubbo.WithMaxPendingBytes")
	c.send(partial[HeaderLength+100:]) // dropped: the connection reads no more
	close(impl.gate)
	expectEcho(t, c, 1, "wait") // the call in flight still answers
	expectClosed(t, c, 5*time.Second)

	// The bytes were given back: the next connection is served.
	d := dialRaw(t, addr)
	d.send(echoRequest(t, 4, strings.Repeat("z", 3000)))
	expectEcho(t, d, 4, strings.Repeat("z", 3000))
}

// On the plain codec path, frames still arriving count against
// WithMaxPendingBytes too.
func TestCodecPendingBytes(t *testing.T) {
	addr := startServer(t, &greetImpl{}, server.WithCodec(NewDubboCodec(WithMaxPendingBytes(4096))))
	c := dialRaw(t, addr)
	req := echoRequest(t, 1, strings.Repeat("x", 5000))
	c.send(req[:HeaderLength+10])
	expectStatus(t, c, 1, StatusServerThreadpoolExhaustedError, "dubbo.WithMaxPendingBytes")
	expectClosed(t, c, 5*time.Second)
	d := dialRaw(t, addr)
	d.send(echoRequest(t, 2, "small"))
	expectEcho(t, d, 2, "small")
}

// A malformed frame after a good request: the good request still gets its
// answer, then the connection closes, and nothing after the bad frame is read.
func TestServerFactoryOrderlyClose(t *testing.T) {
	for _, tc := range []struct {
		name string
		bad  []byte
		want Status // 0: no answer, the frame has no id
	}{
		{"bad magic", []byte("GET / HTTP/1.1\r\nHost: x\r\n\r\n"), 0},
		{"length over the limit, not arrived", frameOf(Header{Request: true, TwoWay: true, Serialization: 2, ID: 2}, make([]byte, 100))[:HeaderLength+50], StatusBadRequest},
	} {
		t.Run(tc.name, func(t *testing.T) {
			impl := &greetImpl{gate: make(chan struct{}), entered: make(chan struct{}, 1)}
			addr := startServer(t, impl, factory(WithMaxPayload(512)))
			c := dialRaw(t, addr)
			c.send(echoRequest(t, 1, "wait"))
			<-impl.entered
			bad := append([]byte(nil), tc.bad...)
			if tc.want != 0 {
				PutBodyLength(bad, 1000) // over the 512-byte limit, and never sent whole
			}
			c.send(bad)
			if tc.want != 0 {
				expectStatus(t, c, 2, tc.want, "max payload: 512")
			}
			c.send(echoRequest(t, 3, "ignored"))
			time.Sleep(100 * time.Millisecond)
			close(impl.gate)
			expectEcho(t, c, 1, "wait")
			expectClosed(t, c, 5*time.Second)
		})
	}
}

// A peer that sends requests and never reads the replies is closed after the
// write timeout, and what its calls held is given back.
func TestServerFactoryWriteTimeout(t *testing.T) {
	addr := startServer(t, &greetImpl{}, factory(WithWriteTimeout(300*time.Millisecond)))
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	big := strings.Repeat("r", 512<<10)
	go func() {
		for id := int64(1); id <= 64; id++ { // ~32 MiB of replies: more than the socket buffers hold
			if _, err := conn.Write(echoRequest(t, id, big)); err != nil {
				return
			}
		}
	}()
	time.Sleep(3 * time.Second) // the replies back up, the timeout passes
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	n, err := io.Copy(io.Discard, conn)
	if err != nil && !errors.Is(err, syscall.ECONNRESET) {
		t.Fatalf("after %d bytes: %v, want the server to have closed the connection", n, err)
	}
	if n >= 64*int64(len(big)) {
		t.Fatalf("read all %d bytes: the server never gave up", n)
	}
	c := dialRaw(t, addr)
	c.send(echoRequest(t, 100, "next"))
	expectEcho(t, c, 100, "next")
}

// A response that is not the call's (a duplicate, or a late answer to an
// earlier call) is skipped: the call gets its own.
func TestClientSkipsOtherResponses(t *testing.T) {
	addr := fakeProvider(t, func(h Header, body []byte) []byte {
		ok, _ := AppendResponseBody(nil, &Response{Flag: ResponseValue, Value: "mine"})
		stale, _ := AppendResponseBody(nil, &Response{Flag: ResponseValue, Value: "stale"})
		// The previous call's answer again, then this one's.
		return append(frameOf(Header{Serialization: 2, Status: StatusOK, ID: h.ID - 1}, stale),
			frameOf(Header{Serialization: 2, Status: StatusOK, ID: h.ID}, ok)...)
	})
	cli := newDubboClient(t, addr, nil)
	for range 3 {
		if s, err := callString(context.Background(), cli, "EchoS", &EchoSArgs{S: "x"}); err != nil || s != "mine" {
			t.Fatalf("%q %v", s, err)
		}
	}
}

// Attachments arrive as what Dubbo puts there: an object of a registered
// class is not built, and its key is left out.
func TestAttachmentsArePlain(t *testing.T) {
	addr := startServer(t, &greetImpl{}, server.WithCodec(NewDubboCodec()))
	body, err := AppendRequestBody(nil, &Request{
		RequestHead: RequestHead{DubboVersion: DubboVersion, Path: "org.example.GreetProvider", Method: "Attach"},
		Attachments: map[string]any{"path": "org.example.GreetProvider", "k": "v",
			"obj": &GreetRequest{Req: "x"}, "list": []any{int32(1), "s"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	d := hessian2.NewDecoder(body)
	if _, err := ReadRequestHead(d); err != nil {
		t.Fatal(err)
	}
	atts, err := ReadAttachments(d)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := atts["obj"]; ok || atts["k"] != "v" || len(atts["list"].([]any)) != 2 {
		t.Fatalf("attachments %#v", atts)
	}
	c := dialRaw(t, addr)
	c.send(frameOf(Header{Request: true, TwoWay: true, Serialization: 2, ID: 1}, body))
	h, rb := c.recv()
	r, err := DecodeResponseBody(rb)
	if err != nil || h.Status != StatusOK || r.Value != "v|org.example.GreetProvider" {
		t.Fatalf("%+v %+v %v", h, r, err)
	}
}

// The decoding budget answers BAD_REQUEST naming the limit and the option.
// At one byte per body byte, a map of many tiny attachments is past it: each
// entry is counted at what holding it costs, more than its few bytes.
func TestDecodeBudgetAnswer(t *testing.T) {
	addr := startServer(t, &greetImpl{}, server.WithCodec(NewDubboCodec(WithDecodeBudget(1, 1))))
	atts := map[string]any{"path": "org.example.GreetProvider"}
	for i := range 30 {
		atts[fmt.Sprintf("k%d", i)] = "v"
	}
	body, err := AppendRequestBody(nil, &Request{
		RequestHead: RequestHead{DubboVersion: DubboVersion, Path: "org.example.GreetProvider", Method: "echo", ParamTypes: "Ljava/lang/String;"},
		Args:        []any{"b"},
		Attachments: atts,
	})
	if err != nil {
		t.Fatal(err)
	}
	c := dialRaw(t, addr)
	c.send(frameOf(Header{Request: true, TwoWay: true, Serialization: 2, ID: 1}, body))
	expectStatus(t, c, 1, StatusBadRequest, "need more than the budget of")
	c.send(frameOf(Header{Request: true, TwoWay: true, Serialization: 2, ID: 2}, body))
	expectStatus(t, c, 2, StatusBadRequest, "dubbo.WithDecodeBudget")
}

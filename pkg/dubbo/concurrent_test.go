package dubbo

import (
	"fmt"
	"io"
	"net"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/cloudwego/kitex/pkg/remote"
	"github.com/cloudwego/kitex/pkg/remote/trans/detection"
	"github.com/cloudwego/kitex/pkg/remote/trans/netpoll"
	"github.com/cloudwego/kitex/server"
)

// A Dubbo consumer sends every call over one connection: a call that waits
// must not hold up the ones behind it.
func TestServerFactoryServesConnectionConcurrently(t *testing.T) {
	impl := &greetImpl{gate: make(chan struct{})}
	addr := startServer(t, impl, server.WithTransHandlerFactory(NewSvrTransHandlerFactory(NewDubboCodec())))
	c := dialRaw(t, addr)
	c.send(echoRequest(t, 1, "wait"))
	c.send(echoRequest(t, 2, "fast"))
	c.send(frameOf(Header{Request: true, TwoWay: true, Event: true, Serialization: 2, ID: 3}, AppendHeartbeatBody(nil)))
	got := map[int64]bool{}
	for range 2 {
		h, _ := c.recv()
		got[h.ID] = true
	}
	if !got[2] || !got[3] || got[1] {
		t.Fatalf("answered first %v, want the call and heartbeat behind the waiting call", got)
	}
	close(impl.gate)
	h, body := c.recv()
	if r, err := DecodeResponseBody(body); err != nil || h.ID != 1 || r.Value != "string:wait" {
		t.Fatalf("%+v %+v %v", h, r, err)
	}
}

func genericRequest(t *testing.T, id int64, method string, types []string, args []any, mode string) []byte {
	t.Helper()
	atts := map[string]any{"path": "org.example.GreetProvider"}
	if mode != "" {
		atts["generic"] = mode
	}
	body, err := AppendRequestBody(nil, &Request{
		RequestHead: RequestHead{DubboVersion: DubboVersion, Path: "org.example.GreetProvider", Method: "$invoke", ParamTypes: genericParamTypes},
		Args:        []any{method, types, args},
		ArgTypes:    []string{"java.lang.String", "java.lang.String[]", "java.lang.Object[]"},
		Attachments: atts,
	})
	if err != nil {
		t.Fatal(err)
	}
	return frameOf(Header{Request: true, TwoWay: true, Serialization: 2, ID: id}, body)
}

// Generic invocation as a Dubbo-Java GenericService sends it: POJOs as maps
// with their class, overloads told apart by the type names, the result
// generalized back.
func TestGenericInvoke(t *testing.T) {
	addr := startServer(t, &greetImpl{}, server.WithCodec(NewDubboCodec()))
	c := dialRaw(t, addr)
	for _, tc := range []struct {
		name   string
		method string
		types  []string
		args   []any
		mode   string
		want   any
		status Status
		msg    string
	}{
		{name: "struct as map", method: "greet", types: []string{"org.example.GreetRequest"},
			args: []any{map[any]any{"class": "org.example.GreetRequest", "req": "gen", "n": int32(3)}}, mode: "true",
			want: map[any]any{"class": "org.example.GreetResponse", "msg": "hello gen", "count": int64(3), "tags": []any{"x", "y"}}},
		{name: "overload by type name", method: "echo", types: []string{"java.lang.Boolean"}, args: []any{true}, want: "bool:true"},
		{name: "primitive arrays", method: "sum", types: []string{"int", "int[]"}, args: []any{int32(1), []any{int32(2), int32(3)}}, want: int64(6)},
		{name: "argument count", method: "sum", types: []string{"int", "int[]"}, args: []any{int32(1)},
			status: StatusBadRequest, msg: "generic call of GreetService.Sum: 1 arguments for 2 parameters"},
		{name: "argument type", method: "greet", types: []string{"org.example.GreetRequest"}, args: []any{map[any]any{"n": "three"}},
			status: StatusBadRequest, msg: "GreetService.Greet: argument 1 (org.example.GreetRequest)"},
		{name: "unknown method", method: "nope", types: []string{"int"}, args: []any{int32(1)},
			status: StatusBadRequest, msg: "Service not found:org.example.GreetProvider, nope"},
		{name: "other generic modes", method: "echo", types: []string{"java.lang.String"}, args: []any{"x"}, mode: "nativejava",
			status: StatusServiceError, msg: "Generic serialization [nativejava] is not supported"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c.send(genericRequest(t, 7, tc.method, tc.types, tc.args, tc.mode))
			h, body := c.recv()
			if tc.msg != "" {
				msg, _ := DecodeErrorBody(body)
				if h.Status != tc.status || !strings.Contains(msg, tc.msg) {
					t.Fatalf("%v %q, want %v %q", h.Status, msg, tc.status, tc.msg)
				}
				return
			}
			r, err := DecodeResponseBody(body)
			if err != nil || h.Status != StatusOK || !reflect.DeepEqual(r.Value, tc.want) {
				t.Fatalf("%v %#v %v, want %#v", h.Status, r, err, tc.want)
			}
		})
	}
}

// A call still running when its consumer hangs up finds the connection gone
// when it answers: dropped, and the server serves the next connection.
func TestServerFactoryReplyAfterClose(t *testing.T) {
	impl := &greetImpl{gate: make(chan struct{})}
	addr := startServer(t, impl, server.WithTransHandlerFactory(NewSvrTransHandlerFactory(NewDubboCodec())))
	c := dialRaw(t, addr)
	c.send(echoRequest(t, 1, "wait"))
	time.Sleep(50 * time.Millisecond) // the call is waiting in the handler
	c.Close()
	time.Sleep(50 * time.Millisecond)
	close(impl.gate)
	time.Sleep(50 * time.Millisecond)
	c2 := dialRaw(t, addr)
	c2.send(echoRequest(t, 2, "again"))
	if h, body := c2.recv(); h.ID != 2 {
		t.Fatalf("%+v %q", h, body)
	}
}

// Stopping the server lets a call in flight finish and answer before the
// connection closes, within the exit wait time.
func TestServerFactoryGracefulShutdown(t *testing.T) {
	impl := &greetImpl{gate: make(chan struct{}), entered: make(chan struct{}, 1)}
	addr, stop := runServer(t, impl, server.WithExitWaitTime(5*time.Second),
		server.WithTransHandlerFactory(NewSvrTransHandlerFactory(NewDubboCodec())))
	c := dialRaw(t, addr)
	c.send(echoRequest(t, 1, "wait"))
	<-impl.entered // the call is waiting in the handler
	stopped := make(chan struct{})
	go func() {
		stop()
		close(stopped)
	}()
	// Kitex waits 100ms for late requests, then closes idle connections, and
	// to netpoll a connection whose call runs on its own goroutine is idle.
	time.Sleep(400 * time.Millisecond)
	select {
	case <-stopped:
		t.Fatal("Stop returned with a call in flight")
	default:
	}
	close(impl.gate)
	if h, body := c.recv(); h.ID != 1 || h.Status != StatusOK {
		t.Fatalf("%+v %q", h, body)
	}
	<-stopped
}

// Every reply arrives, however the writers of a connection meet: a call
// answered while the reply before it is still being flushed (one call at a
// time on a connection, as Kitex's pooled clients send them), and bursts of
// pipelined calls (as a Dubbo-Java consumer sends them).
func TestServerFactoryEveryReplyArrives(t *testing.T) {
	addr := startServer(t, &greetImpl{}, server.WithTransHandlerFactory(NewSvrTransHandlerFactory(NewDubboCodec())))
	for _, tc := range []struct {
		name                 string
		conns, rounds, burst int
	}{
		{"one at a time", 8, 2000, 1},
		{"pipelined", 4, 100, 32},
	} {
		t.Run(tc.name, func(t *testing.T) {
			errs := make(chan error, tc.conns)
			for range tc.conns {
				frames := make([][]byte, tc.rounds*tc.burst)
				for i := range frames {
					frames[i] = echoRequest(t, int64(i+1), "x")
				}
				go func() { errs <- exchange(addr, frames, tc.burst) }()
			}
			for range tc.conns {
				if err := <-errs; err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}

// exchange sends frames (requests numbered from 1) burst at a time over one
// connection, reading every burst's replies before the next.
func exchange(addr string, frames [][]byte, burst int) error {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return err
	}
	defer c.Close()
	for start := 0; start < len(frames); start += burst {
		var out []byte
		for _, f := range frames[start : start+burst] {
			out = append(out, f...)
		}
		if _, err := c.Write(out); err != nil {
			return err
		}
		want := map[int64]bool{}
		for i := range burst {
			want[int64(start+i+1)] = true
		}
		for len(want) > 0 {
			_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
			hb := make([]byte, HeaderLength)
			if _, err := io.ReadFull(c, hb); err != nil {
				return fmt.Errorf("waiting for the replies to %v: %w", want, err)
			}
			h, err := ParseHeader(hb)
			if err != nil {
				return err
			}
			if _, err := io.CopyN(io.Discard, c, int64(h.BodyLength)); err != nil {
				return err
			}
			if !want[h.ID] || h.Status != StatusOK {
				return fmt.Errorf("unexpected reply %+v", h)
			}
			delete(want, h.ID)
		}
	}
	return nil
}

// keptFactory is the server factory, with the handler it built at hand.
type keptFactory struct {
	remote.ServerTransHandlerFactory
	h *concurrentHandler
}

func (f *keptFactory) NewTransHandler(opt *remote.ServerOption) (remote.ServerTransHandler, error) {
	h, err := f.ServerTransHandlerFactory.NewTransHandler(opt)
	if d, ok := h.(*detectableHandler); ok {
		f.h = d.concurrentHandler
	}
	return h, err
}

// waitKept waits for the server to keep n finished calls.
func waitKept(t *testing.T, h *concurrentHandler, n int64, what string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for h.kept.Load() != n {
		if time.Now().After(deadline) {
			t.Fatalf("%s: %d calls kept, want %d", what, h.kept.Load(), n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// A connection keeps its finished calls for the next ones, as many as it
// had in flight at once; the server no more than WithMaxServerCalls in all;
// a closed connection lets them go.
func TestServerFactoryKeepsCalls(t *testing.T) {
	impl := &greetImpl{gate: make(chan struct{}), entered: make(chan struct{}, 8)}
	f := &keptFactory{ServerTransHandlerFactory: NewDetectableSvrTransHandlerFactory(NewDubboCodec(WithMaxServerCalls(4)))}
	addr := startServer(t, impl, server.WithTransHandlerFactory(
		detection.NewSvrTransHandlerFactory(netpoll.NewSvrTransHandlerFactory(), f)))
	a := dialRaw(t, addr)
	for id := int64(1); id <= 3; id++ {
		a.send(echoRequest(t, id, "wait"))
		<-impl.entered
	}
	close(impl.gate)
	for range 3 {
		if h, _ := a.recv(); h.Status != StatusOK {
			t.Fatalf("%+v", h)
		}
	}
	waitKept(t, f.h, 3, "3 calls at once")
	for id := int64(4); id <= 10; id++ {
		a.send(echoRequest(t, id, "again"))
		expectEcho(t, a, id, "again")
	}
	waitKept(t, f.h, 3, "7 calls one at a time after them")

	b := dialRaw(t, addr)
	for id := int64(11); id <= 13; id++ {
		b.send(echoRequest(t, id, "b"))
	}
	for range 3 {
		if h, _ := b.recv(); h.Status != StatusOK {
			t.Fatalf("%+v", h)
		}
	}
	if n := f.h.kept.Load(); n < 3 || n > 4 {
		t.Fatalf("%d calls kept with WithMaxServerCalls(4)", n)
	}
	a.Close()
	b.Close()
	waitKept(t, f.h, 0, "both connections closed")
}

package dubbo

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bytedance/gopkg/cloud/metainfo"
	"github.com/cloudwego/kitex/client"
	"github.com/cloudwego/kitex/pkg/kerrors"
	"github.com/cloudwego/kitex/pkg/klog"
	"github.com/cloudwego/kitex/pkg/serviceinfo"
	"github.com/cloudwego/kitex/server"
	"github.com/cloudwego/kitex/transport"

	"github.com/kitexdubbo/kitexdubbo/pkg/hessian2"
)

// Kitex logs each server start, and the codec each request it refuses; the
// tests check those answers themselves.
func init() { klog.SetLevel(klog.LevelError) }

type greetImpl struct {
	notified chan string
	gate     chan struct{} // EchoS("wait") blocks until it is closed
	entered  chan struct{} // if set, EchoS("wait") says so before it blocks
}

func (g *greetImpl) Greet(ctx context.Context, req *GreetRequest) (*GreetResponse, error) {
	if req.Req == "bad" {
		return nil, &GreetError{Code: 7, Message: "bad name"}
	}
	return &GreetResponse{Msg: "hello " + req.Req, Count: int64(req.N), Tags: []string{"x", "y"}}, nil
}

func (g *greetImpl) Sum(ctx context.Context, a int32, b []int32) (int64, error) {
	n := int64(a)
	for _, v := range b {
		n += int64(v)
	}
	return n, nil
}

func (g *greetImpl) EchoB(ctx context.Context, b bool) (string, error) {
	return fmt.Sprint("bool:", b), nil
}
func (g *greetImpl) EchoS(ctx context.Context, s string) (string, error) {
	if s == "wait" && g.gate != nil {
		if g.entered != nil {
			g.entered <- struct{}{}
		}
		<-g.gate
	}
	return "string:" + s, nil
}

func (g *greetImpl) Mix(ctx context.Context, x int64, d float64, m map[string]int64, l []*GreetRequest, bin []byte) (string, error) {
	names := make([]string, len(l))
	for i, r := range l {
		names[i] = r.Req
	}
	return fmt.Sprintf("%d %.2f %v %v %x", x, d, m, names, bin), nil
}

func (g *greetImpl) Fail(ctx context.Context, msg string) (string, error) {
	switch msg {
	case "java":
		return "", hessian2.NewJavaException("java.lang.IllegalStateException", "chosen class")
	case "biz":
		return "", kerrors.NewBizStatusError(1001, "biz said no")
	}
	return "", errors.New(msg)
}

func (g *greetImpl) Attach(ctx context.Context) (string, error) {
	v, _ := metainfo.GetValue(ctx, "k")
	metainfo.SendBackwardValue(ctx, "back", "v:"+v)
	return fmt.Sprintf("%s|%v", v, RequestAttachments(ctx)["path"]), nil
}

func (g *greetImpl) Notify(ctx context.Context, msg string) error {
	g.notified <- msg
	return nil
}

func (g *greetImpl) Big(ctx context.Context, data []byte) (int32, error) {
	return int32(len(data)), nil
}
func (g *greetImpl) Nothing(ctx context.Context) error { return nil }

// startServer runs a Kitex server with the test service on a free port.
func startServer(t *testing.T, impl greetHandler, opts ...server.Option) string {
	t.Helper()
	addr, stop := runServer(t, impl, opts...)
	t.Cleanup(stop)
	return addr
}

// runServer is startServer for a test that stops the server itself: stop
// returns once Stop and Run have.
func runServer(t *testing.T, impl greetHandler, opts ...server.Option) (addr string, stop func()) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr = ln.Addr().String()
	opts = append([]server.Option{server.WithListener(ln), server.WithExitWaitTime(10 * time.Millisecond)}, opts...)
	svr := server.NewServer(opts...)
	if err := svr.RegisterService(newGreetServiceInfo(), impl); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- svr.Run() }()
	stop = func() {
		svr.Stop()
		<-done
	}
	for i := 0; i < 200; i++ {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return addr, stop
		}
		time.Sleep(5 * time.Millisecond)
	}
	stop()
	t.Fatal("server did not start")
	return "", nil
}

func newDubboClient(t *testing.T, addr string, svc *serviceinfo.ServiceInfo, opts ...Option) client.Client {
	t.Helper()
	if svc == nil {
		svc = newGreetServiceInfo()
	}
	cli, err := client.NewClient(svc, client.WithDestService("greet"), client.WithHostPorts(addr), client.WithRPCTimeout(5*time.Second),
		client.WithCodec(NewDubboCodec(opts...)))
	if err != nil {
		t.Fatal(err)
	}
	return cli
}

// greet mirrors the generated client method: an IDL exception in the Result
// becomes the returned error.
func greet(ctx context.Context, cli client.Client, req *GreetRequest) (*GreetResponse, error) {
	var res GreetResult
	if err := cli.Call(ctx, "Greet", &GreetArgs{Req: req}, &res); err != nil {
		return nil, err
	}
	if res.E != nil {
		return nil, res.E
	}
	return res.Success, nil
}

func callString(ctx context.Context, cli client.Client, method string, args any) (string, error) {
	var res StringResult
	if err := cli.Call(ctx, method, args, &res); err != nil {
		return "", err
	}
	if res.Success == nil {
		return "", errors.New("no result")
	}
	return *res.Success, nil
}

func TestLoopback(t *testing.T) {
	impl := &greetImpl{notified: make(chan string, 1)}
	addr := startServer(t, impl, server.WithCodec(NewDubboCodec()))
	cli := newDubboClient(t, addr, nil)
	ctx := context.Background()

	t.Run("struct", func(t *testing.T) {
		resp, err := greet(ctx, cli, &GreetRequest{Req: "kitex", N: 3})
		if err != nil {
			t.Fatal(err)
		}
		if resp.Msg != "hello kitex" || resp.Count != 3 || strings.Join(resp.Tags, ",") != "x,y" {
			t.Errorf("resp = %+v", resp)
		}
	})
	t.Run("argsType", func(t *testing.T) {
		var res SumResult
		if err := cli.Call(ctx, "Sum", &SumArgs{A: 1, B: []int32{2, 3, 4}}, &res); err != nil {
			t.Fatal(err)
		}
		if res.Success == nil || *res.Success != 10 {
			t.Errorf("sum = %v", res.Success)
		}
	})
	t.Run("overloads", func(t *testing.T) {
		s, err := callString(ctx, cli, "EchoB", &EchoBArgs{B: true})
		if err != nil || s != "bool:true" {
			t.Errorf("EchoB = %q, %v", s, err)
		}
		s, err = callString(ctx, cli, "EchoS", &EchoSArgs{S: "é😀"})
		if err != nil || s != "string:é😀" {
			t.Errorf("EchoS = %q, %v", s, err)
		}
	})
	t.Run("mixed types", func(t *testing.T) {
		s, err := callString(ctx, cli, "Mix", &MixArgs{X: -1 << 40, D: 2.5, M: map[string]int64{"a": 1, "b": 2},
			L: []*GreetRequest{{Req: "p"}, {Req: "q"}}, Bin: []byte{0xca, 0xfe}})
		if want := "-1099511627776 2.50 map[a:1 b:2] [p q] cafe"; err != nil || s != want {
			t.Errorf("Mix = %q, %v; want %q", s, err, want)
		}
	})
	t.Run("void", func(t *testing.T) {
		if err := cli.Call(ctx, "Nothing", &EmptyArgs{}, &EmptyResult{}); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("IDL exception", func(t *testing.T) {
		_, err := greet(ctx, cli, &GreetRequest{Req: "bad"})
		var ge *GreetError
		if !errors.As(err, &ge) || ge.Code != 7 || ge.Message != "bad name" {
			t.Fatalf("err = %#v", err)
		}
	})
	t.Run("Go error", func(t *testing.T) {
		_, err := callString(ctx, cli, "Fail", &FailArgs{Msg: "boom"})
		var je *hessian2.JavaException
		if !errors.As(err, &je) || je.Class != "java.lang.RuntimeException" || je.Message != "boom" {
			t.Fatalf("err = %#v", err)
		}
		var jerr *JavaError
		if !errors.As(err, &jerr) {
			t.Errorf("err %T is not a *JavaError", err)
		}
		_, err = callString(ctx, cli, "Fail", &FailArgs{Msg: "java"})
		if !errors.As(err, &je) || je.Class != "java.lang.IllegalStateException" || je.Message != "chosen class" {
			t.Fatalf("err = %#v", err)
		}
		_, err = callString(ctx, cli, "Fail", &FailArgs{Msg: "biz"})
		if !errors.As(err, &je) || je.Class != "java.lang.RuntimeException" || je.Message != "biz said no" {
			t.Fatalf("err = %#v", err)
		}
	})
	t.Run("attachments", func(t *testing.T) {
		ctx := metainfo.WithBackwardValues(metainfo.WithValue(ctx, "k", "v1"))
		s, err := callString(ctx, cli, "Attach", &EmptyArgs{})
		if err != nil || s != "v1|org.example.GreetProvider" {
			t.Fatalf("Attach = %q, %v", s, err)
		}
		if v, ok := metainfo.RecvBackwardValue(ctx, "back"); !ok || v != "v:v1" {
			t.Errorf("backward value = %q, %v", v, ok)
		}
	})
	t.Run("oneway", func(t *testing.T) {
		if err := cli.Call(ctx, "Notify", &NotifyArgs{Msg: "n1"}, &EmptyResult{}); err != nil {
			t.Fatal(err)
		}
		select {
		case got := <-impl.notified:
			if got != "n1" {
				t.Errorf("notified %q", got)
			}
		case <-time.After(3 * time.Second):
			t.Fatal("oneway call did not reach the handler")
		}
	})
	t.Run("concurrent", func(t *testing.T) {
		var wg sync.WaitGroup
		errs := make(chan error, 32)
		for i := 0; i < 32; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				resp, err := greet(ctx, cli, &GreetRequest{Req: fmt.Sprint(i), N: int32(i)})
				if err == nil && (resp.Msg != fmt.Sprint("hello ", i) || resp.Count != int64(i)) {
					err = fmt.Errorf("call %d got %+v", i, resp)
				}
				errs <- err
			}(i)
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Error(err)
			}
		}
	})
}

func TestLoopbackUnknownServiceAndMethod(t *testing.T) {
	addr := startServer(t, &greetImpl{}, server.WithCodec(NewDubboCodec()))
	ctx := context.Background()

	svc := newGreetServiceInfo()
	svc.Methods["Missing"] = method(func(context.Context, any, any, any) error { return nil },
		func() any { return &EmptyArgs{} }, newStringResult, false)
	cli := newDubboClient(t, addr, svc)
	_, err := callString(ctx, cli, "Missing", &EmptyArgs{})
	var se *StatusError
	// Dubbo-Java 2.7.7+ rejects an unknown method or interface while decoding.
	if !errors.As(err, &se) || se.Status != StatusBadRequest ||
		!strings.Contains(se.Message, "Fail to decode request due to: java.lang.IllegalArgumentException: Service not found:org.example.GreetProvider, Missing") {
		t.Fatalf("err = %v", err)
	}

	other := newDubboClient(t, addr, nil, WithJavaClassName("org.example.Nope"))
	_, err = greet(ctx, other, &GreetRequest{Req: "x"})
	if !errors.As(err, &se) || se.Status != StatusBadRequest ||
		!strings.Contains(se.Message, "Service not found:org.example.Nope, greet") {
		t.Fatalf("err = %v", err)
	}

	versioned := newDubboClient(t, addr, nil, WithServiceVersion("2.0.0"))
	if _, err = greet(ctx, versioned, &GreetRequest{Req: "x"}); !errors.As(err, &se) || !strings.Contains(se.Message, "org.example.GreetProvider:2.0.0") {
		t.Fatalf("err = %v", err)
	}
	grouped := newDubboClient(t, addr, nil, WithServiceGroup("g1"))
	if _, err = greet(ctx, grouped, &GreetRequest{Req: "x"}); !errors.As(err, &se) || !strings.Contains(se.Message, "g1/org.example.GreetProvider") {
		t.Fatalf("err = %v", err)
	}

	// The server still serves.
	if _, err := greet(ctx, cli, &GreetRequest{Req: "again"}); err != nil {
		t.Fatal(err)
	}
}

func TestLoopbackPayloadLimit(t *testing.T) {
	addr := startServer(t, &greetImpl{}, server.WithCodec(NewDubboCodec(WithMaxPayload(4096))))
	ctx := context.Background()

	// The client's own limit stops the request before it is sent.
	small := newDubboClient(t, addr, nil, WithMaxPayload(1024))
	var res Int32Result
	err := small.Call(ctx, "Big", &BigArgs{Data: make([]byte, 2000)}, &res)
	if !errors.Is(err, ErrPayloadTooLarge) || !strings.Contains(err.Error(), "max payload: 1024") {
		t.Fatalf("err = %v", err)
	}

	// The server's limit: it answers BAD_REQUEST and keeps serving.
	big := newDubboClient(t, addr, nil)
	err = big.Call(ctx, "Big", &BigArgs{Data: make([]byte, 8000)}, &res)
	var se *StatusError
	if !errors.As(err, &se) || se.Status != StatusBadRequest || !errors.Is(err, ErrPayloadTooLarge) ||
		!strings.Contains(err.Error(), "max payload: 4096") {
		t.Fatalf("err = %v", err)
	}
	if err := big.Call(ctx, "Big", &BigArgs{Data: make([]byte, 100)}, &res); err != nil || *res.Success != 100 {
		t.Fatalf("normal call after the refused one: %v", err)
	}
}

// rawConn speaks Dubbo frames over a plain TCP connection, as a Java peer would.
type rawConn struct {
	t *testing.T
	net.Conn
}

func dialRaw(t *testing.T, addr string) *rawConn {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return &rawConn{t, c}
}

func (c *rawConn) send(frame []byte) {
	c.t.Helper()
	if _, err := c.Write(frame); err != nil {
		c.t.Fatal(err)
	}
}

func (c *rawConn) recv() (Header, []byte) {
	c.t.Helper()
	_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
	hb := make([]byte, HeaderLength)
	if _, err := io.ReadFull(c, hb); err != nil {
		c.t.Fatal(err)
	}
	h, err := ParseHeader(hb)
	if err != nil {
		c.t.Fatal(err)
	}
	body := make([]byte, h.BodyLength)
	if _, err := io.ReadFull(c, body); err != nil {
		c.t.Fatal(err)
	}
	return h, body
}

func echoRequest(t testing.TB, id int64, s string) []byte {
	body, err := AppendRequestBody(nil, &Request{
		RequestHead: RequestHead{DubboVersion: DubboVersion, Path: "org.example.GreetProvider", Method: "echo", ParamTypes: "Ljava/lang/String;"},
		Args:        []any{s},
		Attachments: map[string]any{"path": "org.example.GreetProvider"},
	})
	if err != nil {
		t.Fatal(err)
	}
	return frameOf(Header{Request: true, TwoWay: true, Serialization: 2, ID: id}, body)
}

func TestRawConnection(t *testing.T) {
	addr := startServer(t, &greetImpl{}, server.WithCodec(NewDubboCodec()))
	c := dialRaw(t, addr)

	// A heartbeat is answered with the same id, without a handler.
	c.send(frameOf(Header{Request: true, TwoWay: true, Event: true, Serialization: 2, ID: 1 << 40}, AppendHeartbeatBody(nil)))
	h, body := c.recv()
	if !h.Event || h.Request || h.Status != StatusOK || h.ID != 1<<40 || !IsHeartbeatBody(body) {
		t.Fatalf("heartbeat reply %+v %q", h, body)
	}

	// A 64-bit id and the "string" overload chosen by its descriptor.
	c.send(echoRequest(t, 1<<33+5, "raw"))
	h, body = c.recv()
	r, err := DecodeResponseBody(body)
	if err != nil || h.ID != 1<<33+5 || h.Status != StatusOK || r.Flag != ResponseValueWithAttachments || r.Value != "string:raw" ||
		r.Attachments["dubbo"] != DubboVersion {
		t.Fatalf("%+v %+v %v", h, r, err)
	}

	// Unknown method, then a body that does not decode: answered, connection kept.
	unknown, _ := AppendRequestBody(nil, &Request{RequestHead: RequestHead{DubboVersion: DubboVersion, Path: "org.example.GreetProvider", Method: "nope", ParamTypes: "I"}, Args: []any{int32(1)}})
	c.send(frameOf(Header{Request: true, TwoWay: true, Serialization: 2, ID: 8}, unknown))
	if h, body = c.recv(); h.Status != StatusBadRequest || h.ID != 8 {
		t.Fatalf("unknown method: %+v", h)
	}
	if msg, _ := DecodeErrorBody(body); !strings.Contains(msg, "Service not found:org.example.GreetProvider, nope") {
		t.Errorf("message %q", msg)
	}
	bad := hessian(DubboVersion, "org.example.GreetProvider", "", "sum", "I[I", byte(0x91), []byte{0x58, 'I', 0x7f, 0xff, 0xff, 0xff})
	c.send(frameOf(Header{Request: true, TwoWay: true, Serialization: 2, ID: 9}, bad))
	h, body = c.recv()
	msg, _ := DecodeErrorBody(body)
	if h.Status != StatusBadRequest || h.ID != 9 || !strings.Contains(msg, "Fail to decode request due to: dubbo: decode request GreetService.Sum: argument 2 (int[])") {
		t.Fatalf("bad body: %+v %q", h, msg)
	}

	// A request without the two-way flag gets no answer: the next frame read is
	// the answer to the request after it.
	oneway := echoRequest(t, 10, "quiet")
	oneway[2] &^= FlagTwoWay
	c.send(oneway)
	c.send(echoRequest(t, 11, "loud"))
	if h, _ = c.recv(); h.ID != 11 {
		t.Fatalf("got a reply to %d", h.ID)
	}

	// A heartbeat reply sent to the server is ignored.
	c.send(frameOf(Header{Event: true, Serialization: 2, Status: StatusOK, ID: 12}, AppendHeartbeatBody(nil)))
	c.send(echoRequest(t, 13, "after"))
	if h, _ = c.recv(); h.ID != 13 {
		t.Fatalf("got a reply to %d", h.ID)
	}
}

// fakeProvider answers each request with a heartbeat request first (as a
// Dubbo-Java provider may on an idle connection) and then reply(id).
func fakeProvider(t *testing.T, reply func(h Header, body []byte) []byte) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				var buf []byte
				tmp := make([]byte, 4096)
				for {
					n, err := conn.Read(tmp)
					if err != nil {
						return
					}
					buf = append(buf, tmp[:n]...)
					for {
						h, body, used, err := ConsumeFrame(buf, 0)
						if err != nil {
							break
						}
						buf = buf[used:]
						var out bytes.Buffer
						out.Write(frameOf(Header{Request: true, TwoWay: true, Event: true, Serialization: 2, ID: 424242}, AppendHeartbeatBody(nil)))
						out.Write(reply(h, body))
						if _, err := conn.Write(out.Bytes()); err != nil {
							return
						}
					}
				}
			}()
		}
	}()
	return ln.Addr().String()
}

func TestClientAgainstFakeProvider(t *testing.T) {
	addr := fakeProvider(t, func(h Header, body []byte) []byte {
		req, err := DecodeRequestBody(body)
		if err != nil {
			return frameOf(Header{Serialization: 2, Status: StatusBadRequest, ID: h.ID}, AppendErrorBody(nil, err.Error()))
		}
		var resp *Response
		switch req.Method {
		case "echo":
			resp = &Response{Flag: ResponseValueWithAttachments, Value: "java:" + req.Args[0].(string),
				Attachments: map[string]any{"dubbo": "2.0.2", "traceId": "t-1", "n": int32(5)}}
		default:
			exc := hessian2.NewJavaException("org.example.VendorException", "vendor said no")
			exc.Cause = hessian2.NewJavaException("java.io.IOException", "disk")
			resp = &Response{Flag: ResponseWithException, Exception: exc}
		}
		b, _ := AppendResponseBody(nil, resp)
		return frameOf(Header{Serialization: 2, Status: StatusOK, ID: h.ID}, b)
	})
	cli := newDubboClient(t, addr, nil)
	ctx := metainfo.WithBackwardValues(context.Background())
	s, err := callString(ctx, cli, "EchoS", &EchoSArgs{S: "x"})
	if err != nil || s != "java:x" {
		t.Fatalf("EchoS = %q, %v", s, err)
	}
	if v, _ := metainfo.RecvBackwardValue(ctx, "traceId"); v != "t-1" {
		t.Errorf("traceId = %q", v)
	}
	if _, ok := metainfo.RecvBackwardValue(ctx, "dubbo"); ok {
		t.Error("the protocol's own attachment reached metainfo")
	}

	_, err = greet(ctx, cli, &GreetRequest{Req: "x"})
	var je *hessian2.JavaException
	if !errors.As(err, &je) || je.Class != "org.example.VendorException" || je.Cause == nil || je.Cause.Class != "java.io.IOException" {
		t.Fatalf("err = %#v", err)
	}
	var ioe *hessian2.JavaException
	if !errors.As(je.Unwrap(), &ioe) || ioe.Message != "disk" {
		t.Errorf("cause = %v", je.Unwrap())
	}
}

func TestProtocolDetection(t *testing.T) {
	addr := startServer(t, &greetImpl{}, server.WithTransHandlerFactory(NewSvrTransHandlerFactory(NewDubboCodec())))
	ctx := context.Background()

	dc := newDubboClient(t, addr, nil)
	if s, err := callString(ctx, dc, "EchoS", &EchoSArgs{S: "d"}); err != nil || s != "string:d" {
		t.Fatalf("dubbo: %q, %v", s, err)
	}
	for _, tp := range []transport.Protocol{transport.TTHeaderFramed, transport.Framed} {
		tc, err := client.NewClient(newGreetServiceInfo(), client.WithDestService("greet"), client.WithHostPorts(addr), client.WithTransportProtocol(tp),
			client.WithRPCTimeout(5*time.Second))
		if err != nil {
			t.Fatal(err)
		}
		if s, err := callString(ctx, tc, "EchoS", &EchoSArgs{S: "t"}); err != nil || s != "string:t" {
			t.Fatalf("thrift %v: %q, %v", tp, s, err)
		}
	}
	// Dubbo again, on a fresh connection, after the Thrift ones.
	if _, err := greet(ctx, newDubboClient(t, addr, nil), &GreetRequest{Req: "d2"}); err != nil {
		t.Fatal(err)
	}
}

func TestRawOversizeKeepsConnection(t *testing.T) {
	addr := startServer(t, &greetImpl{}, server.WithCodec(NewDubboCodec(WithMaxPayload(1024))))
	c := dialRaw(t, addr)
	// One write: on loopback the whole frame is there when the server reads,
	// so it drops the body and answers instead of closing.
	c.send(echoRequest(t, 50, strings.Repeat("x", 2000)))
	h, body := c.recv()
	msg, _ := DecodeErrorBody(body)
	if h.Status != StatusBadRequest || h.ID != 50 || !strings.Contains(msg, "payload too large: Data length too large") ||
		!strings.Contains(msg, "max payload: 1024") {
		t.Fatalf("%+v %q", h, msg)
	}
	c.send(echoRequest(t, 51, "small"))
	h, body = c.recv()
	if r, err := DecodeResponseBody(body); err != nil || h.ID != 51 || r.Value != "string:small" {
		t.Fatalf("%+v %+v %v", h, r, err)
	}
}

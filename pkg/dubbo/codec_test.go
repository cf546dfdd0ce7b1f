package dubbo

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cloudwego/kitex/pkg/remote"
	"github.com/cloudwego/kitex/pkg/rpcinfo"
	"github.com/cloudwego/kitex/pkg/serviceinfo"

	"github.com/kitexdubbo/kitexdubbo/pkg/hessian2"
)

// oneService is a remote.ServiceSearcher with a single service, as a Kitex
// server with one registered service behaves.
type oneService struct{ svc *serviceinfo.ServiceInfo }

func (s oneService) SearchService(svcName, method string, strict bool, _ serviceinfo.PayloadCodec) *serviceinfo.ServiceInfo {
	if svcName == s.svc.ServiceName || (!strict && svcName == "" && s.svc.Methods[method] != nil) {
		return s.svc
	}
	return nil
}

var testSvc = newGreetServiceInfo()

// serverMsg is what Kitex's server hands the codec for a new request.
func serverMsg() (context.Context, remote.Message) {
	ri := rpcinfo.NewRPCInfo(rpcinfo.NewMutableEndpointInfo("", "", nil, nil).ImmutableView(),
		rpcinfo.NewMutableEndpointInfo("", "", nil, nil).ImmutableView(),
		rpcinfo.NewServerInvocation(), rpcinfo.NewRPCConfig(), rpcinfo.NewRPCStats())
	ctx := remote.WithServiceSearcher(rpcinfo.NewCtxWithRPCInfo(context.Background(), ri), oneService{testSvc})
	return ctx, remote.NewMessage(nil, ri, remote.Call, remote.Server)
}

// clientMsg is what Kitex's client hands the codec for a call.
func clientMsg(method string, seq int32, data any, mt remote.MessageType) (context.Context, remote.Message) {
	return clientMsgFor(testSvc, method, seq, data, mt)
}

// clientMsgFor is clientMsg for a call of svc.
func clientMsgFor(svc *serviceinfo.ServiceInfo, method string, seq int32, data any, mt remote.MessageType) (context.Context, remote.Message) {
	ink := rpcinfo.NewInvocation(svc.ServiceName, method)
	ink.SetSeqID(seq)
	ink.SetExtra(rpcinfo.InvocationServiceInfoKey, svc)
	ink.SetMethodInfo(svc.Methods[method])
	cfg := rpcinfo.NewRPCConfig()
	_ = rpcinfo.AsMutableRPCConfig(cfg).SetRPCTimeout(time.Second)
	ri := rpcinfo.NewRPCInfo(rpcinfo.NewMutableEndpointInfo("", "", nil, nil).ImmutableView(),
		rpcinfo.NewMutableEndpointInfo("greet", method, nil, nil).ImmutableView(), ink, cfg, rpcinfo.NewRPCStats())
	return rpcinfo.NewCtxWithRPCInfo(context.Background(), ri), remote.NewMessage(data, ri, mt, remote.Client)
}

func encoded(t *testing.T, c *DubboCodec, ctx context.Context, msg remote.Message) []byte {
	t.Helper()
	out := remote.NewWriterBuffer(256)
	if err := c.Encode(ctx, msg, out); err != nil {
		t.Fatal(err)
	}
	b, _ := out.Bytes()
	return b
}

func TestCodecRequestGolden(t *testing.T) {
	c := NewDubboCodec(WithServiceVersion("1.0.0"), WithServiceGroup("g"))
	ctx, msg := clientMsg("Sum", 7, &SumArgs{A: 1, B: []int32{2, 3}}, remote.Call)
	checkGolden(t, "codec_request_sum", encoded(t, c, ctx, msg))

	// What a server makes of it.
	sctx, smsg := serverMsg()
	in := remote.NewReaderBuffer(readGolden(t, "codec_request_sum"))
	if err := NewDubboCodec(WithServiceVersion("1.0.0"), WithServiceGroup("g")).Decode(sctx, smsg, in); err != nil {
		t.Fatal(err)
	}
	args, ok := smsg.Data().(*SumArgs)
	if !ok || args.A != 1 || len(args.B) != 2 || args.B[1] != 3 || smsg.MessageType() != remote.Call {
		t.Fatalf("args = %#v, type %v", smsg.Data(), smsg.MessageType())
	}
	ri := smsg.RPCInfo()
	if ri.Invocation().MethodName() != "Sum" || ri.Invocation().SeqID() != 7 || ri.Config().RPCTimeout() != time.Second {
		t.Errorf("invocation %s seq %d timeout %v", ri.Invocation().MethodName(), ri.Invocation().SeqID(), ri.Config().RPCTimeout())
	}
	atts := RequestAttachments(sctx)
	if atts["group"] != "g" || atts["version"] != "1.0.0" || atts["interface"] != "org.example.GreetProvider" || atts["timeout"] != "1000" {
		t.Errorf("attachments %v", atts)
	}

	// The reply, as the server writes it for a caller speaking 2.0.2.
	n := int64(6)
	reply := remote.NewMessage(&SumResult{Success: &n}, ri, remote.Reply, remote.Server)
	checkGolden(t, "codec_response_sum", encoded(t, NewDubboCodec(), sctx, reply))
	if atts := RequestAttachments(sctx); atts != nil {
		t.Errorf("after the reply, the call's attachments are still there: %v", atts)
	}

	// And the client reads it back.
	var res SumResult
	_, cmsg := clientMsg("Sum", 7, &res, remote.Reply)
	if err := c.Decode(context.Background(), cmsg, remote.NewReaderBuffer(readGolden(t, "codec_response_sum"))); err != nil || *res.Success != 6 {
		t.Fatalf("client decode: %v %v", res.Success, err)
	}
}

func TestCodecOnewayRequest(t *testing.T) {
	ctx, msg := clientMsg("Notify", 3, &NotifyArgs{Msg: "m"}, remote.Oneway)
	h, err := ParseHeader(encoded(t, NewDubboCodec(), ctx, msg))
	if err != nil || !h.Request || h.TwoWay || h.ID != 3 {
		t.Fatalf("%+v %v", h, err)
	}
}

func TestServerDecodeOversize(t *testing.T) {
	c := NewDubboCodec(WithMaxPayload(50))
	frame := echoRequest(t, 21, strings.Repeat("x", 100))

	// All of it here: dropped, answered, the next frame readable.
	in := remote.NewReaderBuffer(append(append([]byte(nil), frame...), frame[:HeaderLength]...))
	ctx, msg := serverMsg()
	if err := c.Decode(ctx, msg, in); err != nil || msg.MessageType() != remote.Heartbeat {
		t.Fatalf("Decode = %v, type %v", err, msg.MessageType())
	}
	if in.ReadableLen() != HeaderLength {
		t.Errorf("%d bytes left, want the next frame's %d", in.ReadableLen(), HeaderLength)
	}
	out := encoded(t, c, ctx, remote.NewMessage(nil, msg.RPCInfo(), remote.Heartbeat, remote.Server))
	h, body, _, err := ConsumeFrame(out, 0)
	text, _ := DecodeErrorBody(body)
	if err != nil || h.Status != StatusBadRequest || h.ID != 21 ||
		!strings.Contains(text, "Data length too large: "+strconv.Itoa(len(frame)-HeaderLength)+", max payload: 50") {
		t.Fatalf("reply %+v %q %v", h, text, err)
	}

	// Only part of it here: an error naming both numbers, answered before Kitex
	// closes the connection.
	ctx, msg = serverMsg()
	err = c.Decode(ctx, msg, remote.NewReaderBuffer(frame[:40]))
	if !errors.Is(err, ErrPayloadTooLarge) || !strings.Contains(err.Error(), "max payload: 50") {
		t.Fatalf("Decode = %v", err)
	}
	var te *remote.TransError
	if !errors.As(err, &te) {
		t.Fatalf("%T is not a *remote.TransError, so Kitex would not answer", err)
	}
	out = encoded(t, c, ctx, remote.NewMessage(te, msg.RPCInfo(), remote.Exception, remote.Server))
	if h, _, _, err := ConsumeFrame(out, 0); err != nil || h.Status != StatusBadRequest || h.ID != 21 {
		t.Fatalf("reply %+v %v", h, err)
	}

	// A client refuses an oversized response too.
	_, cmsg := clientMsg("EchoS", 21, &StringResult{}, remote.Reply)
	resp := frameOf(Header{Serialization: 2, Status: StatusOK, ID: 21}, make([]byte, 60))
	if err := c.Decode(context.Background(), cmsg, remote.NewReaderBuffer(resp)); !errors.Is(err, ErrPayloadTooLarge) {
		t.Fatalf("client Decode = %v", err)
	}
}

func TestServerDecodeErrors(t *testing.T) {
	c := NewDubboCodec()
	tests := []struct {
		name  string
		in    []byte
		want  error
		reply bool // whether Kitex gets something to write back
	}{
		{"bad magic", append([]byte{0xca, 0xfe}, echoRequest(t, 1, "x")[2:]...), ErrBadMagic, false},
		{"negative length", func() []byte {
			b := echoRequest(t, 1, "x")
			b[12] = 0x80
			return b
		}(), ErrPayloadTooLarge, false},
		{"short", echoRequest(t, 1, "x")[:10], nil, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx, msg := serverMsg()
			err := c.Decode(ctx, msg, remote.NewReaderBuffer(tc.in))
			if err == nil || (tc.want != nil && !errors.Is(err, tc.want)) {
				t.Fatalf("Decode = %v, want %v", err, tc.want)
			}
			var te *remote.TransError
			errors.As(err, &te)
			out := encoded(t, c, ctx, remote.NewMessage(te, msg.RPCInfo(), remote.Exception, remote.Server))
			if len(out) != 0 {
				t.Errorf("wrote % x for a frame without a header", out)
			}
		})
	}

	// Unsupported serialization: the frame is read whole, so it is answered
	// and the connection kept.
	ctx, msg := serverMsg()
	f := echoRequest(t, 4, "x")
	f[2] = f[2]&^SerializationMask | 6
	if err := c.Decode(ctx, msg, remote.NewReaderBuffer(f)); err != nil || msg.MessageType() != remote.Heartbeat {
		t.Fatalf("Decode = %v", err)
	}
	out := encoded(t, c, ctx, remote.NewMessage(nil, msg.RPCInfo(), remote.Heartbeat, remote.Server))
	_, body, _, _ := ConsumeFrame(out, 0)
	if text, _ := DecodeErrorBody(body); !strings.Contains(text, "unsupported serialization: id 6") {
		t.Errorf("reply %q", text)
	}
}

func TestHandlerErrorEncoding(t *testing.T) {
	c := NewDubboCodec()
	ctx, msg := serverMsg()
	if err := c.Decode(ctx, msg, remote.NewReaderBuffer(echoRequest(t, 30, "x"))); err != nil {
		t.Fatal(err)
	}
	handlerErr := remote.NewTransError(remote.InternalError, errors.New("db down"))
	out := encoded(t, c, ctx, remote.NewMessage(handlerErr, msg.RPCInfo(), remote.Exception, remote.Server))
	checkGolden(t, "codec_handler_error", out)
	_, body, _, _ := ConsumeFrame(out, 0)
	r, err := DecodeResponseBody(body)
	if err != nil || r.Flag != ResponseWithExceptionWithAttachments {
		t.Fatalf("%+v %v", r, err)
	}
	if je := exceptionOf(t, r); je.Class != "java.lang.RuntimeException" || je.Message != "db down" {
		t.Errorf("exception %+v", je)
	}
}

func exceptionOf(t *testing.T, r *Response) *hessian2.JavaException {
	t.Helper()
	je, ok := r.Exception.(*hessian2.JavaException)
	if !ok {
		t.Fatalf("exception is %T", r.Exception)
	}
	return je
}

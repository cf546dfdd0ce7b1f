package dubbo

import (
	"bytes"
	"context"
	"testing"

	"github.com/cloudwego/kitex/pkg/remote"

	"github.com/kitexdubbo/kitexdubbo/pkg/hessian2"
)

// countedArgs and countedResult are EchoS's Args and Result with the methods
// kitexdubbo-gen writes (argsCodec, resultCodec), counting their calls.
type (
	countedArgs struct {
		S     string
		calls *int
	}
	countedResult struct {
		Success *string
		calls   *int
	}
)

func (p *countedArgs) MarshalHessian2Arg(e *hessian2.Encoder, i int) error {
	*p.calls++
	e.WriteString(p.S)
	return nil
}

func (p *countedArgs) UnmarshalHessian2Arg(d *hessian2.Decoder, i int) (err error) {
	*p.calls++
	p.S, err = d.DecodeString()
	return err
}

func (p *countedResult) Hessian2Outcome() (any, bool) {
	*p.calls++
	return nil, p.Success != nil
}

func (p *countedResult) MarshalHessian2Value(e *hessian2.Encoder) error {
	*p.calls++
	e.WriteString(*p.Success)
	return nil
}

func (p *countedResult) UnmarshalHessian2Value(d *hessian2.Decoder) error {
	*p.calls++
	s, err := d.DecodeString()
	p.Success = &s
	return err
}

// TestCodecUsesGeneratedCallMethods: where the Args and Result have
// kitexdubbo-gen's methods, the codec writes and reads the arguments and the
// reply's value through them, and the bytes are those reflection writes;
// WithReflection leaves the methods out (and its reply is the same).
func TestCodecUsesGeneratedCallMethods(t *testing.T) {
	calls := 0
	svc := newGreetServiceInfo()
	echo := svc.Methods["EchoS"]
	svc.Methods["EchoS"] = method(echo.Handler(), func() any { return &countedArgs{calls: &calls} },
		func() any { return &countedResult{calls: &calls} }, false)
	ctxFor := func(ctx context.Context) context.Context {
		return remote.WithServiceSearcher(ctx, oneService{svc})
	}
	var replies [][]byte
	for _, tc := range []struct {
		name      string
		opts      []Option
		wantCalls int
	}{{"generated", nil, 5}, {"reflection", []Option{WithReflection()}, 0}} {
		t.Run(tc.name, func(t *testing.T) {
			calls = 0
			c := NewDubboCodec(tc.opts...)

			// The request: as the reflective path writes it for EchoSArgs.
			ctx, msg := clientMsg("EchoS", 3, &EchoSArgs{S: "héllo"}, remote.Call)
			want := encoded(t, NewDubboCodec(), ctx, msg)
			ctx, msg = clientMsgFor(svc, "EchoS", 3, &countedArgs{S: "héllo", calls: &calls}, remote.Call)
			req := encoded(t, c, ctx, msg)
			if !bytes.Equal(req, want) {
				t.Fatalf("request\n% x\nwant\n% x", req, want)
			}

			// The server reads it into its Args and answers.
			sctx, smsg := serverMsg()
			sctx = ctxFor(sctx)
			if err := c.Decode(sctx, smsg, remote.NewReaderBuffer(req)); err != nil {
				t.Fatal(err)
			}
			if a, ok := smsg.Data().(*countedArgs); !ok || a.S != "héllo" {
				t.Fatalf("server read %#v", smsg.Data())
			}
			s := "hi"
			reply := encoded(t, c, sctx, remote.NewMessage(&countedResult{Success: &s, calls: &calls}, smsg.RPCInfo(), remote.Reply, remote.Server))

			replies = append(replies, reply)
			if !bytes.Equal(reply, replies[0]) {
				t.Fatalf("reply\n% x\nwant, as the generated methods wrote it,\n% x", reply, replies[0])
			}

			// The client reads the value.
			res := &countedResult{calls: &calls}
			_, cmsg := clientMsgFor(svc, "EchoS", 3, res, remote.Reply)
			if err := c.Decode(context.Background(), cmsg, remote.NewReaderBuffer(reply)); err != nil || res.Success == nil || *res.Success != "hi" {
				t.Fatalf("client read %v, %v", res.Success, err)
			}
			if calls != tc.wantCalls {
				t.Errorf("the generated methods were called %d times, want %d", calls, tc.wantCalls)
			}
		})
	}
}

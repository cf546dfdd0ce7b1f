package tests

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/cloudwego/kitex/pkg/remote"
	"github.com/cloudwego/kitex/pkg/rpcinfo"
	"github.com/cloudwego/kitex/pkg/serviceinfo"

	"github.com/kitexdubbo/kitexdubbo/pkg/dubbo"
	"github.com/kitexdubbo/kitexdubbo/tests/kitex_gen/interop/interopservice"
)

type interopSearcher struct{ svc *serviceinfo.ServiceInfo }

func (s interopSearcher) SearchService(svcName, method string, strict bool, _ serviceinfo.PayloadCodec) *serviceinfo.ServiceInfo {
	if svcName == s.svc.ServiceName || (!strict && svcName == "" && s.svc.Methods[method] != nil) {
		return s.svc
	}
	return nil
}

// FuzzJavaRequests grows inputs from the requests the real Dubbo-Java
// consumer sent (testdata/java/consumer: generic calls, Java types,
// overloads, primitive arrays) and has the codec decode each as a Kitex
// server of InteropService, the Go handler run on what it decoded, and the
// answer encoded. Any input may be refused, but with an answer the server can
// write, never a panic.
func FuzzJavaRequests(f *testing.F) {
	files, err := filepath.Glob(filepath.Join(javaGoldenDir, "consumer", "*.golden"))
	if err != nil || len(files) == 0 {
		f.Fatalf("no seeds under %s: %v", javaGoldenDir, err)
	}
	for _, path := range files {
		req, _ := readExchange(f, path)
		f.Add(req)
	}
	svc := interopservice.NewServiceInfo()
	f.Fuzz(func(t *testing.T, b []byte) {
		c := dubbo.NewDubboCodec(dubbo.WithJavaClassName(JavaInterface), dubbo.WithMaxPayload(1<<20))
		ri := rpcinfo.NewRPCInfo(rpcinfo.NewMutableEndpointInfo("", "", nil, nil).ImmutableView(),
			rpcinfo.NewMutableEndpointInfo("", "", nil, nil).ImmutableView(),
			rpcinfo.NewServerInvocation(), rpcinfo.NewRPCConfig(), rpcinfo.NewRPCStats())
		ctx := remote.WithServiceSearcher(rpcinfo.NewCtxWithRPCInfo(context.Background(), ri), interopSearcher{svc})
		msg := remote.NewMessage(nil, ri, remote.Call, remote.Server)
		err := c.Decode(ctx, msg, remote.NewReaderBuffer(b))
		var reply remote.Message
		var te *remote.TransError
		switch {
		case err == nil && msg.MessageType() == remote.Heartbeat:
			reply = remote.NewMessage(nil, ri, remote.Heartbeat, remote.Server)
		case err == nil:
			mi := ri.Invocation().MethodInfo()
			result := mi.NewResult()
			// slow sleeps as long as its argument says.
			if ri.Invocation().MethodName() != "slow" {
				if herr := mi.Handler()(ctx, &Handler{}, msg.Data(), result); herr != nil {
					reply = remote.NewMessage(remote.NewTransError(remote.InternalError, herr), ri, remote.Exception, remote.Server)
					break
				}
			}
			reply = remote.NewMessage(result, ri, remote.Reply, remote.Server)
		case errors.As(err, &te):
			reply = remote.NewMessage(te, ri, remote.Exception, remote.Server)
		}
		if reply != nil {
			if err := c.Encode(ctx, reply, remote.NewWriterBuffer(256)); err != nil {
				t.Fatalf("the server could not answer: %v", err)
			}
		}
	})
}

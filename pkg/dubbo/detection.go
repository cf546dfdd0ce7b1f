package dubbo

import (
	"context"
	"errors"
	"net"

	"github.com/cloudwego/kitex/pkg/remote"
	"github.com/cloudwego/kitex/pkg/remote/trans/detection"
	"github.com/cloudwego/kitex/pkg/remote/trans/netpoll"
	"github.com/cloudwego/kitex/pkg/remote/trans/nphttp2"
	"github.com/cloudwego/kitex/pkg/remote/trans/ttstream"
	np "github.com/cloudwego/netpoll"
)

// NewSvrTransHandlerFactory returns a server transport that answers Dubbo
// with dc and, on the same port, everything a Kitex server answers by default
// (Thrift framed/TTHeader and Kitex Protobuf through the server's own codec,
// gRPC, TTHeader streaming). Each connection is told apart by its first
// bytes: Dubbo frames start with 0xdabb.
//
//	svr := greetservice.NewServer(handler,
//		server.WithTransHandlerFactory(dubbo.NewSvrTransHandlerFactory(dubbo.NewDubboCodec())))
//
// Leave the server's codec (server.WithCodec) at Kitex's default: it serves
// the non-Dubbo connections.
func NewSvrTransHandlerFactory(dc *DubboCodec) remote.ServerTransHandlerFactory {
	return detection.NewSvrTransHandlerFactory(
		netpoll.NewSvrTransHandlerFactory(),
		// Dubbo first: its two-byte check never waits, while gRPC's looks
		// for a 24-byte preface a 17-byte Dubbo heartbeat never completes.
		NewDetectableSvrTransHandlerFactory(dc),
		nphttp2.NewSvrTransHandlerFactory(),
		ttstream.NewSvrTransHandlerFactory(),
	)
}

// NewDetectableSvrTransHandlerFactory returns only the Dubbo part of
// NewSvrTransHandlerFactory, for composing Kitex's detection factory by hand:
//
//	detection.NewSvrTransHandlerFactory(netpoll.NewSvrTransHandlerFactory(),
//		dubbo.NewDetectableSvrTransHandlerFactory(dc))
//
// Its handlers implement detection.DetectableServerTransHandler.
func NewDetectableSvrTransHandlerFactory(dc *DubboCodec) remote.ServerTransHandlerFactory {
	if dc == nil {
		dc = NewDubboCodec()
	}
	return &detectableFactory{codec: dc}
}

type detectableFactory struct{ codec *DubboCodec }

// NewTransHandler builds Kitex's netpoll handler around the Dubbo codec. The
// server option is copied: its Codec belongs to the other protocols.
func (f *detectableFactory) NewTransHandler(opt *remote.ServerOption) (remote.ServerTransHandler, error) {
	o := *opt
	o.Codec = f.codec
	h, err := netpoll.NewSvrTransHandlerFactory().NewTransHandler(&o)
	if err != nil {
		return nil, err
	}
	return &detectableHandler{&concurrentHandler{ServerTransHandler: h, opt: &o, codec: f.codec, workers: newWorkers(workerIdle)}}, nil
}

var errNotDubbo = errors.New("dubbo: not a Dubbo connection")

// detectableHandler is the concurrent Dubbo handler plus the protocol check;
// SetInvokeHandleFunc and GracefulShutdown come from concurrentHandler.
type detectableHandler struct {
	*concurrentHandler
}

var _ detection.DetectableServerTransHandler = (*detectableHandler)(nil)

// ProtocolMatch peeks at the connection's first two bytes for Dubbo's magic.
func (h *detectableHandler) ProtocolMatch(ctx context.Context, conn net.Conn) error {
	r, ok := conn.(interface{ Reader() np.Reader })
	if !ok {
		return errNotDubbo
	}
	b, err := r.Reader().Peek(2)
	if err != nil || b[0] != MagicHigh || b[1] != MagicLow {
		return errNotDubbo
	}
	return nil
}

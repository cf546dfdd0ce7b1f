package dubbo_test

import (
	"fmt"

	"github.com/cloudwego/kitex/client"
	"github.com/cloudwego/kitex/server"

	"github.com/kitexdubbo/kitexdubbo/pkg/dubbo"
)

// A Kitex service generated with `kitex -protocol hessian2` talks Dubbo with
// one option on each side. Give each server its own codec.
func ExampleNewDubboCodec() {
	newCodec := func() *dubbo.DubboCodec {
		return dubbo.NewDubboCodec(
			dubbo.WithJavaClassName("org.example.GreetProvider"), // else the IDL's JavaClassName
			dubbo.WithServiceVersion("1.0.0"),                    // optional, as exported by Dubbo-Java
		)
	}
	serverOpt := server.WithCodec(newCodec()) // greetservice.NewServer(handler, serverOpt)
	clientOpt := client.WithCodec(newCodec()) // greetservice.NewClient("greet", client.WithHostPorts(...), clientOpt)
	_, _ = serverOpt, clientOpt
	fmt.Println(newCodec().Name())
	// Output: dubbo
}

// One port for Dubbo callers and Kitex's own Thrift, Protobuf and gRPC callers.
func ExampleNewSvrTransHandlerFactory() {
	opt := server.WithTransHandlerFactory(dubbo.NewSvrTransHandlerFactory(dubbo.NewDubboCodec()))
	_ = opt // greetservice.NewServer(handler, opt), without server.WithCodec
}

func ExampleAppendHeader() {
	b := dubbo.AppendHeader(nil, dubbo.Header{
		Request: true, TwoWay: true, Event: true, // a heartbeat
		Serialization: dubbo.SerializationHessian2,
		ID:            5,
		BodyLength:    1,
	})
	b = dubbo.AppendHeartbeatBody(b)
	fmt.Printf("% x\n", b)
	// Output: da bb e2 00 00 00 00 00 00 00 00 05 00 00 00 01 4e
}

func ExampleConsumeFrame() {
	frame := []byte{0xda, 0xbb, 0x02, 0x46, 0, 0, 0, 0, 0, 0, 0, 9, 0, 0, 0, 3, 0x02, 'n', 'o'}
	h, body, n, err := dubbo.ConsumeFrame(frame, dubbo.DefaultMaxPayload)
	if err != nil {
		panic(err)
	}
	msg, _ := dubbo.DecodeErrorBody(body)
	fmt.Println(h.Status, h.ID, n, msg)
	// Output: SERVICE_ERROR 9 19 no
}

func ExampleDecodeRequestBody() {
	body, _ := dubbo.AppendRequestBody(nil, &dubbo.Request{
		RequestHead: dubbo.RequestHead{
			DubboVersion: dubbo.DubboVersion,
			Path:         "org.example.GreetProvider",
			Method:       "sum",
			ParamTypes:   "I[I",
		},
		Args:     []any{int32(1), []int32{2, 3}},
		ArgTypes: []string{"int", "int[]"}, // hessian.argsType
	})
	r, err := dubbo.DecodeRequestBody(body)
	if err != nil {
		panic(err)
	}
	fmt.Println(r.Path, r.Method, r.Args)
	// Output: org.example.GreetProvider sum [1 [2 3]]
}

package dubbo

// A hand-written Kitex service, shaped like what `kitex -protocol hessian2`
// generates (per-method Args/Result structs, a ServiceInfo, an IDL descriptor
// registered with thrift_reflection), for the loopback tests.

import (
	"context"
	"errors"

	"github.com/cloudwego/gopkg/protocol/thrift"
	"github.com/cloudwego/kitex/pkg/serviceinfo"
	"github.com/cloudwego/thriftgo/thrift_reflection"
)

const testIDLPath = "/kitexdubbo/pkg/dubbo/testdata/greet.thrift"

// The IDL this file mirrors:
//
//	service GreetService {
//	  GreetResponse Greet(1: GreetRequest req) throws (1: GreetError e) (JavaMethodName="greet")
//	  i64 Sum(1: i32 a, 2: list<i32> b) (hessian.argsType="int,int[]", JavaMethodName="sum")
//	  string EchoB(1: bool b) (JavaMethodName="echo")
//	  string EchoS(1: string s) (JavaMethodName="echo")
//	  string Mix(1: i64 x, 2: double d, 3: map<string,i64> m, 4: list<GreetRequest> l, 5: binary bin)
//	  string Fail(1: string msg)
//	  string Attach()
//	  oneway void Notify(1: string msg)
//	  i32 Big(1: binary data)
//	  void Nothing()
//	} (JavaClassName="org.example.GreetProvider")
func init() {
	m := func(name string, ann map[string][]string) *thrift_reflection.MethodDescriptor {
		if ann == nil {
			ann = map[string][]string{}
		}
		return &thrift_reflection.MethodDescriptor{Filepath: testIDLPath, Name: name, Annotations: ann}
	}
	fd := &thrift_reflection.FileDescriptor{
		Filepath: testIDLPath,
		Services: []*thrift_reflection.ServiceDescriptor{{
			Filepath:    testIDLPath,
			Name:        "GreetService",
			Annotations: map[string][]string{"JavaClassName": {"org.example.GreetProvider"}},
			Methods: []*thrift_reflection.MethodDescriptor{
				m("Greet", map[string][]string{"JavaMethodName": {"greet"}}),
				m("Sum", map[string][]string{"hessian.argsType": {"int,int[]"}, "JavaMethodName": {"sum"}}),
				m("EchoB", map[string][]string{"JavaMethodName": {"echo"}}),
				m("EchoS", map[string][]string{"JavaMethodName": {"echo"}}),
				m("Mix", nil), m("Fail", nil), m("Attach", nil), m("Notify", nil), m("Big", nil), m("Nothing", nil),
			},
		}},
	}
	b, err := fd.Marshal()
	if err != nil {
		panic(err)
	}
	thrift_reflection.BuildFileDescriptor(&thrift_reflection.FileDescriptorBuilder{Bytes: b, GoPackagePath: "github.com/kitexdubbo/kitexdubbo/pkg/dubbo"})
}

type greetHandler interface {
	Greet(ctx context.Context, req *GreetRequest) (*GreetResponse, error)
	Sum(ctx context.Context, a int32, b []int32) (int64, error)
	EchoB(ctx context.Context, b bool) (string, error)
	EchoS(ctx context.Context, s string) (string, error)
	Mix(ctx context.Context, x int64, d float64, m map[string]int64, l []*GreetRequest, bin []byte) (string, error)
	Fail(ctx context.Context, msg string) (string, error)
	Attach(ctx context.Context) (string, error)
	Notify(ctx context.Context, msg string) error
	Big(ctx context.Context, data []byte) (int32, error)
	Nothing(ctx context.Context) error
}

type (
	GreetArgs struct {
		Req *GreetRequest `thrift:"req,1"`
	}
	GreetResult struct {
		Success *GreetResponse `thrift:"success,0,optional"`
		E       *GreetError    `thrift:"e,1,optional"`
	}
	SumArgs struct {
		A int32   `thrift:"a,1"`
		B []int32 `thrift:"b,2"`
	}
	SumResult    struct{ Success *int64 }
	EchoBArgs    struct{ B bool }
	EchoSArgs    struct{ S string }
	StringResult struct{ Success *string }
	MixArgs      struct {
		X   int64
		D   float64
		M   map[string]int64
		L   []*GreetRequest
		Bin []byte
	}
	FailArgs    struct{ Msg string }
	EmptyArgs   struct{}
	NotifyArgs  struct{ Msg string }
	BigArgs     struct{ Data []byte }
	Int32Result struct{ Success *int32 }
	EmptyResult struct{}
)

// EchoSArgs and StringResult also speak Thrift (gopkg FastCodec), so the
// protocol-detection test can call EchoS through Kitex's own codec.
func (p *EchoSArgs) BLength() int { return 3 + 4 + len(p.S) + 1 }
func (p *EchoSArgs) FastWriteNocopy(buf []byte, _ thrift.NocopyWriter) int {
	off := thrift.Binary.WriteFieldBegin(buf, thrift.STRING, 1)
	off += thrift.Binary.WriteString(buf[off:], p.S)
	return off + thrift.Binary.WriteFieldStop(buf[off:])
}
func (p *EchoSArgs) FastRead(buf []byte) (int, error) {
	return readStringField(buf, 1, &p.S)
}

func (p *StringResult) BLength() int {
	if p.Success == nil {
		return 1
	}
	return 3 + 4 + len(*p.Success) + 1
}
func (p *StringResult) FastWriteNocopy(buf []byte, _ thrift.NocopyWriter) int {
	off := 0
	if p.Success != nil {
		off += thrift.Binary.WriteFieldBegin(buf, thrift.STRING, 0)
		off += thrift.Binary.WriteString(buf[off:], *p.Success)
	}
	return off + thrift.Binary.WriteFieldStop(buf[off:])
}
func (p *StringResult) FastRead(buf []byte) (int, error) {
	var s string
	n, err := readStringField(buf, 0, &s)
	if err == nil {
		p.Success = &s
	}
	return n, err
}

func readStringField(buf []byte, id int16, dst *string) (int, error) {
	off := 0
	for {
		tt, fid, l, err := thrift.Binary.ReadFieldBegin(buf[off:])
		if err != nil {
			return off, err
		}
		off += l
		if tt == thrift.STOP {
			return off, nil
		}
		if fid == id && tt == thrift.STRING {
			s, l, err := thrift.Binary.ReadString(buf[off:])
			if err != nil {
				return off, err
			}
			*dst, off = s, off+l
			continue
		}
		l, err = thrift.Binary.Skip(buf[off:], tt)
		if err != nil {
			return off, err
		}
		off += l
	}
}

func method(h serviceinfo.MethodHandler, args, result func() any, oneway bool) serviceinfo.MethodInfo {
	return serviceinfo.NewMethodInfo(h, args, result, oneway, serviceinfo.WithStreamingMode(serviceinfo.StreamingNone))
}

func stringResult(r any, s string, err error) error {
	if err != nil {
		return err
	}
	r.(*StringResult).Success = &s
	return nil
}

func newStringResult() any { return &StringResult{} }

// newGreetServiceInfo returns a fresh ServiceInfo, as NewServiceInfo does in
// generated code.
func newGreetServiceInfo() *serviceinfo.ServiceInfo {
	methods := map[string]serviceinfo.MethodInfo{
		"Greet": method(func(ctx context.Context, h, a, r any) error {
			resp, err := h.(greetHandler).Greet(ctx, a.(*GreetArgs).Req)
			if err != nil {
				var ge *GreetError
				if errors.As(err, &ge) {
					r.(*GreetResult).E = ge
					return nil
				}
				return err
			}
			r.(*GreetResult).Success = resp
			return nil
		}, func() any { return &GreetArgs{} }, func() any { return &GreetResult{} }, false),
		"Sum": method(func(ctx context.Context, h, a, r any) error {
			args := a.(*SumArgs)
			n, err := h.(greetHandler).Sum(ctx, args.A, args.B)
			if err == nil {
				r.(*SumResult).Success = &n
			}
			return err
		}, func() any { return &SumArgs{} }, func() any { return &SumResult{} }, false),
		"EchoB": method(func(ctx context.Context, h, a, r any) error {
			s, err := h.(greetHandler).EchoB(ctx, a.(*EchoBArgs).B)
			return stringResult(r, s, err)
		}, func() any { return &EchoBArgs{} }, newStringResult, false),
		"EchoS": method(func(ctx context.Context, h, a, r any) error {
			s, err := h.(greetHandler).EchoS(ctx, a.(*EchoSArgs).S)
			return stringResult(r, s, err)
		}, func() any { return &EchoSArgs{} }, newStringResult, false),
		"Mix": method(func(ctx context.Context, h, a, r any) error {
			x := a.(*MixArgs)
			s, err := h.(greetHandler).Mix(ctx, x.X, x.D, x.M, x.L, x.Bin)
			return stringResult(r, s, err)
		}, func() any { return &MixArgs{} }, newStringResult, false),
		"Fail": method(func(ctx context.Context, h, a, r any) error {
			s, err := h.(greetHandler).Fail(ctx, a.(*FailArgs).Msg)
			return stringResult(r, s, err)
		}, func() any { return &FailArgs{} }, newStringResult, false),
		"Attach": method(func(ctx context.Context, h, a, r any) error {
			s, err := h.(greetHandler).Attach(ctx)
			return stringResult(r, s, err)
		}, func() any { return &EmptyArgs{} }, newStringResult, false),
		"Notify": method(func(ctx context.Context, h, a, r any) error {
			return h.(greetHandler).Notify(ctx, a.(*NotifyArgs).Msg)
		}, func() any { return &NotifyArgs{} }, func() any { return &EmptyResult{} }, true),
		"Big": method(func(ctx context.Context, h, a, r any) error {
			n, err := h.(greetHandler).Big(ctx, a.(*BigArgs).Data)
			if err == nil {
				r.(*Int32Result).Success = &n
			}
			return err
		}, func() any { return &BigArgs{} }, func() any { return &Int32Result{} }, false),
		"Nothing": method(func(ctx context.Context, h, a, r any) error {
			return h.(greetHandler).Nothing(ctx)
		}, func() any { return &EmptyArgs{} }, func() any { return &EmptyResult{} }, false),
	}
	return &serviceinfo.ServiceInfo{
		ServiceName: "GreetService",
		HandlerType: (*greetHandler)(nil),
		Methods:     methods,
		Extra:       map[string]any{"PackageName": "greet", "ServiceFilePath": testIDLPath},
	}
}

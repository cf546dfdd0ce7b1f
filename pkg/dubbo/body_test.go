package dubbo

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/kitexdubbo/kitexdubbo/pkg/hessian2"
)

// GreetRequest, GreetResponse and GreetError stand for the Java classes a
// Kitex-generated IDL (with JavaClassName annotations) maps to.
type GreetRequest struct {
	Req string `thrift:"req,1"`
	N   int32  `thrift:"n,2"`
}

func (*GreetRequest) JavaClassName() string { return "org.example.GreetRequest" }

type GreetResponse struct {
	Msg   string   `thrift:"msg,1"`
	Count int64    `thrift:"count,2"`
	Tags  []string `thrift:"tags,3"`
}

func (*GreetResponse) JavaClassName() string { return "org.example.GreetResponse" }

type GreetError struct {
	Code    int32  `thrift:"code,1"`
	Message string `thrift:"message,2"`
}

func (*GreetError) JavaClassName() string { return "org.example.GreetError" }
func (e *GreetError) Error() string       { return "greet error: " + e.Message }

func init() { hessian2.Register(&GreetRequest{}, &GreetResponse{}, &GreetError{}) }

// frameOf is a whole frame: h with its length, then body.
func frameOf(h Header, body []byte) []byte {
	h.BodyLength = len(body)
	return append(AppendHeader(nil, h), body...)
}

func mustBody(t testing.TB) func([]byte, error) []byte {
	return func(b []byte, err error) []byte {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
}

var (
	reqHeader  = Header{Request: true, TwoWay: true, Serialization: SerializationHessian2, ID: 1}
	respHeader = Header{Serialization: SerializationHessian2, Status: StatusOK, ID: 1}
)

// bodyCases are the body forms, each a whole frame in testdata/<name>.golden.
func bodyCases(t testing.TB) []struct {
	name  string
	frame []byte
} {
	must := mustBody(t)
	greet := &Request{
		RequestHead: RequestHead{DubboVersion: DubboVersion, Path: "org.example.GreetProvider", Method: "greet",
			ParamTypes: "Lorg/example/GreetRequest;"},
		Args:        []any{&GreetRequest{Req: "hi", N: 3}},
		Attachments: map[string]any{"path": "org.example.GreetProvider", "interface": "org.example.GreetProvider", "timeout": "1000"},
	}
	sum := &Request{
		RequestHead: RequestHead{DubboVersion: DubboVersion, Path: "org.example.GreetProvider", Version: "1.0.0",
			Method: "sum", ParamTypes: "I[I"},
		Args:     []any{int32(1), []int32{2, 3}},
		ArgTypes: []string{"int", "int[]"},
	}
	exc := hessian2.NewJavaException("java.lang.RuntimeException", "boom")
	dubboAtt := map[string]any{"dubbo": DubboVersion}
	return []struct {
		name  string
		frame []byte
	}{
		{"request_greet", frameOf(reqHeader, must(AppendRequestBody(nil, greet)))},
		{"request_sum_argstype", frameOf(reqHeader, must(AppendRequestBody(nil, sum)))},
		{"request_oneway", frameOf(Header{Request: true, Serialization: 2, ID: 2},
			must(AppendRequestBody(nil, &Request{RequestHead: RequestHead{DubboVersion: DubboVersion, Path: "p", Method: "notify", ParamTypes: "Ljava/lang/String;"}, Args: []any{"x"}})))},
		{"response_value", frameOf(respHeader, must(AppendResponseBody(nil, &Response{Flag: ResponseValue, Value: "hello"})))},
		{"response_value_attachments", frameOf(respHeader, must(AppendResponseBody(nil, &Response{Flag: ResponseValueWithAttachments, Value: int64(42), Attachments: dubboAtt})))},
		{"response_struct", frameOf(respHeader, must(AppendResponseBody(nil, &Response{Flag: ResponseValue, Value: &GreetResponse{Msg: "hi", Count: 2, Tags: []string{"a"}}})))},
		{"response_null", frameOf(respHeader, must(AppendResponseBody(nil, &Response{Flag: ResponseNullValue})))},
		{"response_null_attachments", frameOf(respHeader, must(AppendResponseBody(nil, &Response{Flag: ResponseNullValueWithAttachments, Attachments: dubboAtt})))},
		{"response_exception", frameOf(respHeader, must(AppendResponseBody(nil, &Response{Flag: ResponseWithException, Exception: exc})))},
		{"response_exception_attachments", frameOf(respHeader, must(AppendResponseBody(nil, &Response{Flag: ResponseWithExceptionWithAttachments, Exception: exc, Attachments: dubboAtt})))},
		{"heartbeat_request", frameOf(Header{Request: true, TwoWay: true, Event: true, Serialization: 2, ID: 5}, AppendHeartbeatBody(nil))},
		{"heartbeat_response", frameOf(Header{Event: true, Serialization: 2, Status: StatusOK, ID: 5}, AppendHeartbeatBody(nil))},
		{"error_service_error", frameOf(Header{Serialization: 2, Status: StatusServiceError, ID: 1}, AppendErrorBody(nil, "org.apache.dubbo.remoting.RemotingException: Not found exported service: x"))},
	}
}

func TestBodyGolden(t *testing.T) {
	for _, tc := range bodyCases(t) {
		t.Run(tc.name, func(t *testing.T) { checkGolden(t, tc.name, tc.frame) })
	}
}

func TestDecodeRequestGolden(t *testing.T) {
	_, body, _, err := ConsumeFrame(readGolden(t, "request_greet"), DefaultMaxPayload)
	if err != nil {
		t.Fatal(err)
	}
	r, err := DecodeRequestBody(body)
	if err != nil {
		t.Fatal(err)
	}
	want := RequestHead{DubboVersion: "2.0.2", Path: "org.example.GreetProvider", Method: "greet", ParamTypes: "Lorg/example/GreetRequest;"}
	if r.RequestHead != want {
		t.Errorf("head = %+v", r.RequestHead)
	}
	if g, ok := r.Args[0].(*GreetRequest); !ok || *g != (GreetRequest{Req: "hi", N: 3}) {
		t.Errorf("arg = %#v", r.Args[0])
	}
	if r.Attachments["timeout"] != "1000" || len(r.Attachments) != 3 {
		t.Errorf("attachments = %v", r.Attachments)
	}

	_, body, _, _ = ConsumeFrame(readGolden(t, "request_sum_argstype"), DefaultMaxPayload)
	if r, err = DecodeRequestBody(body); err != nil {
		t.Fatal(err)
	}
	if r.Version != "1.0.0" || r.Args[0] != int32(1) || !reflect.DeepEqual(r.Args[1], []any{int32(2), int32(3)}) || len(r.Attachments) != 0 {
		t.Errorf("sum = %+v", r)
	}
}

func TestDecodeResponseGolden(t *testing.T) {
	tests := []struct {
		name string
		flag ResponseFlag
		val  any
		exc  string
		atts map[string]any
	}{
		{"response_value", ResponseValue, "hello", "", nil},
		{"response_value_attachments", ResponseValueWithAttachments, int64(42), "", map[string]any{"dubbo": "2.0.2"}},
		{"response_struct", ResponseValue, &GreetResponse{Msg: "hi", Count: 2, Tags: []string{"a"}}, "", nil},
		{"response_null", ResponseNullValue, nil, "", nil},
		{"response_null_attachments", ResponseNullValueWithAttachments, nil, "", map[string]any{"dubbo": "2.0.2"}},
		{"response_exception", ResponseWithException, nil, "java.lang.RuntimeException: boom", nil},
		{"response_exception_attachments", ResponseWithExceptionWithAttachments, nil, "java.lang.RuntimeException: boom", map[string]any{"dubbo": "2.0.2"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h, body, _, err := ConsumeFrame(readGolden(t, tc.name), DefaultMaxPayload)
			if err != nil || h.Request || h.Status != StatusOK {
				t.Fatalf("%+v %v", h, err)
			}
			r, err := DecodeResponseBody(body)
			if err != nil {
				t.Fatal(err)
			}
			if r.Flag != tc.flag || !reflect.DeepEqual(r.Value, tc.val) || !reflect.DeepEqual(r.Attachments, tc.atts) {
				t.Errorf("got %+v", r)
			}
			if tc.exc != "" {
				je, ok := r.Exception.(*hessian2.JavaException)
				if !ok || je.Error() != tc.exc {
					t.Errorf("exception = %#v", r.Exception)
				}
			}
		})
	}
}

func TestDecodeEventAndErrorGolden(t *testing.T) {
	h, body, _, err := ConsumeFrame(readGolden(t, "heartbeat_request"), 0)
	if err != nil || !h.Event || !h.Request || !h.TwoWay || h.ID != 5 || !IsHeartbeatBody(body) {
		t.Fatalf("%+v %q %v", h, body, err)
	}
	h, body, _, err = ConsumeFrame(readGolden(t, "heartbeat_response"), 0)
	if err != nil || !h.Event || h.Request || h.Status != StatusOK || !IsHeartbeatBody(body) {
		t.Fatalf("%+v %q %v", h, body, err)
	}
	h, body, _, err = ConsumeFrame(readGolden(t, "error_service_error"), 0)
	if err != nil || h.Status != StatusServiceError {
		t.Fatal(h, err)
	}
	if msg, err := DecodeErrorBody(body); err != nil || !strings.HasPrefix(msg, "org.apache.dubbo.remoting.RemotingException") {
		t.Fatal(msg, err)
	}
}

// hessian builds hand-made Hessian bytes for bad-input tests.
func hessian(parts ...any) []byte {
	var b []byte
	for _, p := range parts {
		switch v := p.(type) {
		case string:
			b = hessian2.AppendString(b, v)
		case []byte:
			b = append(b, v...)
		case byte:
			b = append(b, v)
		}
	}
	return b
}

func TestDecodeBadBodies(t *testing.T) {
	head := func(desc string) []byte { return hessian("2.0.2", "org.example.GreetProvider", "", "sum", desc) }
	tests := []struct {
		name string
		body []byte
		want error
		msg  string
	}{
		{"empty", nil, hessian2.ErrShortBuffer, "dubbo version"},
		{"cut head", head("I")[:20], hessian2.ErrShortBuffer, "service path"},
		{"list length 2^31-1", hessian(head("[I"), []byte{0x58, 'I', 0x7f, 0xff, 0xff, 0xff}), hessian2.ErrTooLarge, "argument 1 (int[])"},
		{"list length -2^31", hessian(head("[I"), []byte{0x58, 'I', 0x80, 0, 0, 0}), nil, "argument 1 (int[])"},
		{"string length past end", hessian(head("Ljava/lang/String;"), []byte{'S', 0xff, 0xff, 'a'}), hessian2.ErrShortBuffer, "argument 1 (java.lang.String)"},
		{"binary length 2^31", hessian(head("[B"), []byte{'B', 0xff, 0xff}), hessian2.ErrShortBuffer, "argument 1 (byte[])"},
		{"more params than bytes", hessian(head("IIIIIIIIII"), byte(0x90)), hessian2.ErrShortBuffer, "parameter types"},
		{"bad descriptor", hessian(head("Lunterminated"), byte(0x90)), hessian2.ErrSyntax, "unterminated"},
		{"attachments not a map", hessian(head("I"), byte(0x90), "x"), hessian2.ErrType, "attachments"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := DecodeRequestBody(tc.body)
			var be *BodyError
			if !errors.As(err, &be) {
				t.Fatalf("err = %v, want a *BodyError", err)
			}
			if tc.want != nil && !errors.Is(err, tc.want) {
				t.Errorf("err = %v, want %v", err, tc.want)
			}
			if !strings.Contains(err.Error(), tc.msg) || !strings.HasPrefix(err.Error(), "dubbo: decode request") {
				t.Errorf("err %q does not mention %q", err, tc.msg)
			}
		})
	}

	for _, body := range [][]byte{nil, {0x97}, {0x91, 'S', 0x7f}, {0x94, 0x80, 'H', 'S', 0x7f, 0xff}} {
		if _, err := DecodeResponseBody(body); err == nil {
			t.Errorf("DecodeResponseBody(% x) did not fail", body)
		}
	}
	if _, err := DecodeErrorBody([]byte{'S', 0, 10}); !errors.Is(err, hessian2.ErrShortBuffer) {
		t.Errorf("DecodeErrorBody: %v", err)
	}
}

func TestSplitParamTypes(t *testing.T) {
	tests := []struct {
		in   string
		want []string
		java []string
	}{
		{"", nil, nil},
		{"Ljava/lang/String;I[I", []string{"Ljava/lang/String;", "I", "[I"}, []string{"java.lang.String", "int", "int[]"}},
		{"[[Lorg/example/A;JZ", []string{"[[Lorg/example/A;", "J", "Z"}, []string{"org.example.A[][]", "long", "boolean"}},
		{"I,Ljava/util/Map;", []string{"I", "Ljava/util/Map;"}, []string{"int", "java.util.Map"}},
	}
	for _, tc := range tests {
		got, err := SplitParamTypes(tc.in)
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("SplitParamTypes(%q) = %q, %v", tc.in, got, err)
		}
		for i, d := range got {
			if JavaTypeName(d) != tc.java[i] {
				t.Errorf("JavaTypeName(%q) = %q, want %q", d, JavaTypeName(d), tc.java[i])
			}
		}
	}
	for _, bad := range []string{"[", "Lx", "Q", "I["} {
		if _, err := SplitParamTypes(bad); !errors.Is(err, hessian2.ErrSyntax) {
			t.Errorf("SplitParamTypes(%q): %v", bad, err)
		}
	}
}

func TestResponseFlags(t *testing.T) {
	for f := ResponseWithException; f <= ResponseNullValueWithAttachments; f++ {
		if f.HasAttachments() != (f >= 3) || f.IsException() != (f%3 == 0) || f.IsNull() != (f%3 == 2) {
			t.Errorf("flag %d: attachments %v exception %v null %v", f, f.HasAttachments(), f.IsException(), f.IsNull())
		}
		if w := f.WithAttachments(); !w.HasAttachments() || w%3 != f%3 {
			t.Errorf("flag %d WithAttachments = %d", f, w)
		}
	}
	if _, err := AppendResponseBody(nil, &Response{Flag: 9}); err == nil {
		t.Error("flag 9 encoded")
	}
}

func TestSupportsResponseAttachments(t *testing.T) {
	for v, want := range map[string]bool{
		"2.0.2": true, "2.0.99": true, "2.0.1": false, "2.6.2": false, "": false, "x": false, "2.0.2.1": true, "3.0.0": false, "2.0.2.1.5": false, "2": false, "2.0.": false,
	} {
		if SupportsResponseAttachments(v) != want {
			t.Errorf("%q: want %v", v, want)
		}
	}
}

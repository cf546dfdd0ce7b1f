package dubbo

// Dubbo 2 bodies with hessian2 serialization, as dubbo-rpc's DubboCodec writes
// them. A body is one Hessian stream (class definitions and back-references are
// numbered from its first byte), so each is written by one Encoder and read by
// one Decoder.
//
//	request   dubbo version  "2.0.2"                         string
//	          service path   "org.example.GreetProvider"     string
//	          service version "1.0.0" (or null/"" for none)  string
//	          method name    "greet"                         string
//	          parameter types "Lorg/example/GreetRequest;I"  string (JVM descriptors)
//	          arguments      one value per parameter
//	          attachments    map<String,Object>
//
//	response  flag           int: ResponseFlag
//	          value or exception (absent for the null-value flags)
//	          attachments    map<String,Object>, for the *WithAttachments flags
//
//	error     message        string, when the header status is not OK
//	event     null 'N'       heartbeat request and reply

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/kitexdubbo/kitexdubbo/pkg/hessian2"
)

// DubboVersion is the protocol version written in requests. Dubbo 2.7 and 3.x
// write "2.0.2"; it is also the lowest version a provider answers with
// response attachments.
const DubboVersion = "2.0.2"

// ResponseFlag is the first value of a response body (DubboCodec.RESPONSE_*).
// Java writes it with writeByte, which Hessian2ObjectOutput turns into an int.
type ResponseFlag int32

const (
	ResponseWithException                ResponseFlag = 0
	ResponseValue                        ResponseFlag = 1
	ResponseNullValue                    ResponseFlag = 2
	ResponseWithExceptionWithAttachments ResponseFlag = 3
	ResponseValueWithAttachments         ResponseFlag = 4
	ResponseNullValueWithAttachments     ResponseFlag = 5
)

// HasAttachments reports whether an attachments map follows the value.
func (f ResponseFlag) HasAttachments() bool { return f >= 3 && f <= 5 }

// IsException reports whether the value is a Throwable.
func (f ResponseFlag) IsException() bool { return f == 0 || f == 3 }

// IsNull reports whether the flag stands for a null value, with no value written.
func (f ResponseFlag) IsNull() bool { return f == 2 || f == 5 }

// WithAttachments returns the flag's variant that carries attachments.
func (f ResponseFlag) WithAttachments() ResponseFlag {
	if f <= 2 {
		return f + 3
	}
	return f
}

// Valid reports whether f is one of the six flags.
func (f ResponseFlag) Valid() bool { return f >= 0 && f <= 5 }

// SupportsResponseAttachments reports whether a caller that wrote dubboVersion
// in its request reads attachments in the response, by the rule of Dubbo-Java's
// Version.isSupportResponseAttachment: versions 2.0.2 up to 2.0.99 (2.0.10 to
// 2.6.2 wrote other numbers there and do not).
func SupportsResponseAttachments(dubboVersion string) bool {
	v := intVersion(dubboVersion)
	return v >= 2000200 && v <= 2009900
}

// intVersion mirrors Version.getIntVersion: two decimal digits per part, four
// parts, a missing fourth counting as 0.
func intVersion(s string) int {
	v, parts := 0, 0
	for rest, more := s, true; more; parts++ {
		var p string
		p, rest, more = strings.Cut(rest, ".")
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || n > 99 || parts == 4 {
			return 0
		}
		v = v*100 + n
	}
	if parts < 2 {
		return 0
	}
	for i := parts; i < 4; i++ {
		v *= 100
	}
	return v
}

// BodyError says which part of which call's body failed, in the form
// "dubbo: decode request GreetService.Greet: argument 1 (org.example.GreetRequest): ...".
type BodyError struct {
	Op     string // "decode request", "encode response", ...
	Method string // "Service.Method", when known
	Part   string // "argument 1 (int)", "attachments", "response flag", ...
	Err    error
}

func (e *BodyError) Error() string {
	var b strings.Builder
	b.WriteString("dubbo: ")
	b.WriteString(e.Op)
	if e.Method != "" {
		b.WriteByte(' ')
		b.WriteString(e.Method)
	}
	if e.Part != "" {
		b.WriteString(": ")
		b.WriteString(e.Part)
	}
	b.WriteString(": ")
	b.WriteString(e.Err.Error())
	return b.String()
}

func (e *BodyError) Unwrap() error { return e.Err }

// ArgumentPart names argument i (from 1, as people count) and its Java type for
// a BodyError.
func ArgumentPart(i int, javaType string) string {
	if javaType == "" {
		return "argument " + strconv.Itoa(i+1)
	}
	return "argument " + strconv.Itoa(i+1) + " (" + javaType + ")"
}

// RequestHead is what a request body says before the arguments.
type RequestHead struct {
	DubboVersion string
	Path         string // the Java interface, e.g. "org.example.GreetProvider"
	Version      string // the service version; "" and "0.0.0" both mean none
	Method       string // the Java method name
	ParamTypes   string // JVM descriptors of the parameters, concatenated
}

// WriteRequestHead writes the five strings of h.
func WriteRequestHead(e *hessian2.Encoder, h *RequestHead) {
	e.WriteString(h.DubboVersion)
	e.WriteString(h.Path)
	e.WriteString(h.Version)
	e.WriteString(h.Method)
	e.WriteString(h.ParamTypes)
}

// ReadRequestHead reads the five strings of a request head. Java writes a
// missing version as null, which reads as "".
func ReadRequestHead(d *hessian2.Decoder) (RequestHead, error) {
	var h RequestHead
	fields := [...]struct {
		name string
		dst  *string
	}{
		{"dubbo version", &h.DubboVersion},
		{"service path", &h.Path},
		{"service version", &h.Version},
		{"method name", &h.Method},
		{"parameter types", &h.ParamTypes},
	}
	for _, f := range fields {
		s, err := d.ReadString()
		if err != nil {
			return h, &BodyError{Op: "decode request", Part: f.name, Err: err}
		}
		*f.dst = s
	}
	return h, nil
}

// Request is a whole request body in natural Go values, for tools, tests and
// fuzzing. The codec reads straight into Kitex's typed Args instead.
type Request struct {
	RequestHead
	Args        []any
	ArgTypes    []string // Java types for EncodeAs (hessian.argsType entries); may be shorter than Args
	Attachments map[string]any
}

// AppendRequestBody appends r's body to b. ParamTypes is written as given.
func AppendRequestBody(b []byte, r *Request) ([]byte, error) {
	e := hessian2.NewEncoder(b)
	WriteRequestHead(e, &r.RequestHead)
	for i, a := range r.Args {
		var jt string
		if i < len(r.ArgTypes) {
			jt = r.ArgTypes[i]
		}
		if err := e.EncodeAs(a, jt); err != nil {
			return b, &BodyError{Op: "encode request", Method: r.Path + "." + r.Method, Part: ArgumentPart(i, jt), Err: err}
		}
	}
	if err := WriteAttachments(e, r.Attachments); err != nil {
		return b, &BodyError{Op: "encode request", Method: r.Path + "." + r.Method, Part: "attachments", Err: err}
	}
	return e.Bytes(), nil
}

// DecodeRequestBody reads a request body; the number of arguments comes from
// the parameter types. Arguments decode as Decoder.DecodeValue does.
func DecodeRequestBody(body []byte) (*Request, error) {
	d := hessian2.NewDecoder(body)
	head, err := ReadRequestHead(d)
	if err != nil {
		return nil, err
	}
	r := &Request{RequestHead: head}
	method := head.Path + "." + head.Method
	types, err := SplitParamTypes(head.ParamTypes)
	if err != nil {
		return nil, &BodyError{Op: "decode request", Method: method, Part: "parameter types", Err: err}
	}
	// Each argument takes at least one byte: a hostile descriptor list cannot
	// make this allocate past the body.
	if len(types) > d.Remaining() {
		return nil, &BodyError{Op: "decode request", Method: method, Part: "parameter types",
			Err: fmt.Errorf("%w: %d parameters but %d bytes left", hessian2.ErrShortBuffer, len(types), d.Remaining())}
	}
	r.Args = make([]any, len(types))
	for i, t := range types {
		if r.Args[i], err = d.DecodeValue(); err != nil {
			return nil, &BodyError{Op: "decode request", Method: method, Part: ArgumentPart(i, JavaTypeName(t)), Err: err}
		}
	}
	if r.Attachments, err = ReadAttachments(d); err != nil {
		return nil, &BodyError{Op: "decode request", Method: method, Part: "attachments", Err: err}
	}
	return r, nil
}

// Response is a whole OK-status response body in natural Go values.
type Response struct {
	Flag        ResponseFlag
	Value       any // the return value (value flags)
	Exception   any // the Throwable (exception flags): *hessian2.JavaException or a registered type
	Attachments map[string]any
}

// AppendResponseBody appends r's body to b, writing Value or Exception as the
// flag says and the attachments when it carries them.
func AppendResponseBody(b []byte, r *Response) ([]byte, error) {
	if !r.Flag.Valid() {
		return b, &BodyError{Op: "encode response", Part: "response flag", Err: fmt.Errorf("%w: %d", hessian2.ErrType, r.Flag)}
	}
	e := hessian2.NewEncoder(b)
	e.WriteInt32(int32(r.Flag))
	var err error
	switch {
	case r.Flag.IsException():
		err = e.Encode(r.Exception)
	case !r.Flag.IsNull():
		err = e.Encode(r.Value)
	}
	if err != nil {
		return b, &BodyError{Op: "encode response", Part: "value", Err: err}
	}
	if r.Flag.HasAttachments() {
		if err := WriteAttachments(e, r.Attachments); err != nil {
			return b, &BodyError{Op: "encode response", Part: "attachments", Err: err}
		}
	}
	return e.Bytes(), nil
}

// ReadResponseFlag reads and checks the flag that starts a response body.
func ReadResponseFlag(d *hessian2.Decoder) (ResponseFlag, error) {
	n, err := d.ReadInt32()
	if err != nil {
		return 0, err
	}
	f := ResponseFlag(n)
	if !f.Valid() {
		return 0, fmt.Errorf("%w: unknown response flag %d", hessian2.ErrSyntax, n)
	}
	return f, nil
}

// DecodeResponseBody reads an OK-status response body.
func DecodeResponseBody(body []byte) (*Response, error) {
	d := hessian2.NewDecoder(body)
	f, err := ReadResponseFlag(d)
	if err != nil {
		return nil, &BodyError{Op: "decode response", Part: "response flag", Err: err}
	}
	r := &Response{Flag: f}
	switch {
	case f.IsException():
		if r.Exception, err = d.DecodeValue(); err != nil {
			return nil, &BodyError{Op: "decode response", Part: "exception", Err: err}
		}
	case !f.IsNull():
		if r.Value, err = d.DecodeValue(); err != nil {
			return nil, &BodyError{Op: "decode response", Part: "value", Err: err}
		}
	}
	if f.HasAttachments() {
		if r.Attachments, err = ReadAttachments(d); err != nil {
			return nil, &BodyError{Op: "decode response", Part: "attachments", Err: err}
		}
	}
	return r, nil
}

// AppendErrorBody appends the body of a response whose status is not OK: the
// error message as one string (Java's Response.errorMessage).
func AppendErrorBody(b []byte, message string) []byte {
	return hessian2.AppendString(b, message)
}

// DecodeErrorBody reads the message of a non-OK response.
func DecodeErrorBody(body []byte) (string, error) {
	s, err := hessian2.NewDecoder(body).ReadString()
	if err != nil {
		return "", &BodyError{Op: "decode response", Part: "error message", Err: err}
	}
	return s, nil
}

// AppendHeartbeatBody appends the body of a heartbeat request or reply: the
// serialized null (Dubbo-Java compares the body with exactly these bytes).
func AppendHeartbeatBody(b []byte) []byte { return hessian2.AppendNull(b) }

// IsHeartbeatBody reports whether an event body is a heartbeat's.
func IsHeartbeatBody(body []byte) bool { return len(body) == 1 && body[0] == 'N' }

// SplitParamTypes splits a parameter-types string into one JVM descriptor per
// parameter: "Ljava/lang/String;I[I" -> ["Ljava/lang/String;", "I", "[I"].
// Dubbo-Java also accepts ',' between descriptors (old consumers), so does this.
func SplitParamTypes(desc string) ([]string, error) {
	var out []string
	for i := 0; i < len(desc); {
		if desc[i] == ',' {
			i++
			continue
		}
		start := i
		for i < len(desc) && desc[i] == '[' {
			i++
		}
		if i == len(desc) {
			return nil, fmt.Errorf("%w: descriptor %q ends inside an array type", hessian2.ErrSyntax, desc)
		}
		switch desc[i] {
		case 'Z', 'B', 'C', 'S', 'I', 'J', 'F', 'D', 'V':
			i++
		case 'L':
			end := strings.IndexByte(desc[i:], ';')
			if end < 0 {
				return nil, fmt.Errorf("%w: descriptor %q has an unterminated class name", hessian2.ErrSyntax, desc)
			}
			i += end + 1
		default:
			return nil, fmt.Errorf("%w: descriptor %q: unexpected %q at %d", hessian2.ErrSyntax, desc, desc[i], i)
		}
		out = append(out, desc[start:i])
	}
	return out, nil
}

var primitiveNames = map[byte]string{
	'Z': "boolean", 'B': "byte", 'C': "char", 'S': "short",
	'I': "int", 'J': "long", 'F': "float", 'D': "double", 'V': "void",
}

// JavaTypeName turns one JVM descriptor into the name Java source uses:
// "I" -> "int", "[I" -> "int[]", "Ljava/lang/String;" -> "java.lang.String".
func JavaTypeName(desc string) string {
	dims := 0
	for dims < len(desc) && desc[dims] == '[' {
		dims++
	}
	elem := desc[dims:]
	var name string
	switch {
	case len(elem) == 1 && primitiveNames[elem[0]] != "":
		name = primitiveNames[elem[0]]
	case len(elem) > 2 && elem[0] == 'L' && elem[len(elem)-1] == ';':
		name = strings.ReplaceAll(elem[1:len(elem)-1], "/", ".")
	default:
		return desc
	}
	return name + strings.Repeat("[]", dims)
}

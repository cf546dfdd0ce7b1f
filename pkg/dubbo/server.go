package dubbo

// The server side of DubboCodec.
//
// Kitex closes a server connection whenever Decode fails, but a Dubbo provider
// keeps the connection when it answers a heartbeat, an unknown service or a
// request it cannot decode. So for those frames Decode succeeds and marks the
// message remote.Heartbeat: Kitex's server loop then skips the handler and
// writes a heartbeat-typed reply, which Encode turns into whatever the codec
// decided (a heartbeat reply, a status with a message, or nothing). What was
// decided travels from Decode to Encode on the call's rpcinfo invocation,
// which the two share.

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/bytedance/gopkg/cloud/metainfo"
	"github.com/cloudwego/kitex/pkg/kerrors"
	"github.com/cloudwego/kitex/pkg/klog"
	"github.com/cloudwego/kitex/pkg/remote"
	"github.com/cloudwego/kitex/pkg/remote/codec"
	"github.com/cloudwego/kitex/pkg/rpcinfo"

	"github.com/kitexdubbo/kitexdubbo/pkg/hessian2"
)

// callKey is the invocation extra holding the *serverCall of the request being served.
const callKey = "github.com/kitexdubbo/kitexdubbo/pkg/dubbo.call"

type replyKind uint8

const (
	replyHandler   replyKind = iota // answer with the handler's result or error
	replyNone                       // send nothing (one-way, or a frame that wants no answer)
	replyHeartbeat                  // a heartbeat reply
	replyStatus                     // a non-OK status and a message
	replyValue                      // an OK response with value (the codec's own services: discovery.go)
)

type reply struct {
	kind    replyKind
	status  Status
	message string
	value   any
}

// serverCall is what Decode learned about a request and Encode needs to answer it.
type serverCall struct {
	id           int64 // Kitex's seqID holds only 32 bits of Java's long id
	twoWay       bool
	dubboVersion string
	method       *methodMeta
	attachments  attachments
	attBuf       [8]attachment // what a Dubbo-Java consumer sends fits
	reply        reply
	generic      bool // a $invoke call: the result goes back generalized
}

// serverCalls keeps finished calls for the next requests: a serverCall
// (attachments and all) is half a KiB, and a server would otherwise
// allocate, zero and collect one per request.
var serverCalls = sync.Pool{New: func() any { return new(serverCall) }}

// newServerCall starts a request's call, which encodeServer lets go.
func newServerCall(id int64, twoWay bool) *serverCall {
	call := serverCalls.Get().(*serverCall)
	call.id, call.twoWay = id, twoWay
	return call
}

// release is the end of a call: its reply is written, and nothing reads
// it after (RequestAttachments is for the handler, which has returned).
func (call *serverCall) release(ri rpcinfo.RPCInfo) {
	setCall(ri, nil)
	*call = serverCall{}
	serverCalls.Put(call)
}

func setCall(ri rpcinfo.RPCInfo, call *serverCall) {
	if s, ok := ri.Invocation().(rpcinfo.InvocationSetter); ok {
		s.SetExtra(callKey, call)
	}
}

func getCall(ri rpcinfo.RPCInfo) *serverCall {
	call, _ := ri.Invocation().Extra(callKey).(*serverCall)
	return call
}

// RequestAttachments returns the attachments of the Dubbo request a server
// handler is serving, all of them: Dubbo's own keys ("path", "version",
// "timeout", ...) and non-string values included. The handler reads string
// attachments more simply as metainfo values (metainfo.GetValue). Outside a
// Dubbo call it returns nil, and so it does once the reply has been written
// (in a tracer's Finish, say): the codec reuses what it kept for the call.
func RequestAttachments(ctx context.Context) map[string]any {
	ri := rpcinfo.GetRPCInfo(ctx)
	if ri == nil || ri.Invocation() == nil {
		return nil
	}
	if call := getCall(ri); call != nil {
		return call.attachments.toMap()
	}
	return nil
}

func statusReply(s Status, message string) *reply {
	return &reply{kind: replyStatus, status: s, message: message}
}

// badRequest is Dubbo-Java's answer to a request it cannot decode.
func badRequest(err error) *reply {
	msg := "Fail to decode request due to: " + err.Error()
	if errors.Is(err, hessian2.ErrBudget) {
		msg += " (the server's limit: dubbo.WithDecodeBudget)"
	}
	return statusReply(StatusBadRequest, msg)
}

func (c *DubboCodec) decodeServer(ctx context.Context, msg remote.Message, in remote.ByteBuffer) error {
	ri := msg.RPCInfo()
	h, body, consumed, err := c.readFrame(in, true)
	if err != nil {
		var te *remote.TransError
		if !h.Request || !errors.As(err, &te) {
			// No header, or the connection failed: nothing to answer.
			return err
		}
		r := statusReply(StatusBadRequest, te.Error())
		if busy := (*errServerBusy)(nil); errors.As(err, &busy) {
			r = statusReply(StatusServerThreadpoolExhaustedError, exhaustedMessage(localAddr(ri), busy.detail))
		}
		call := newServerCall(h.ID, h.TwoWay)
		call.reply = *r
		setCall(ri, call)
		klog.CtxWarnf(ctx, "KITEX: dubbo: refused request %d from %v: %s", h.ID, ri.From().Address(), te.Error())
		_ = codec.SetOrCheckSeqID(int32(h.ID), msg)
		if consumed {
			msg.SetMessageType(remote.Heartbeat)
			return nil
		}
		// The rest of the frame is not here: answer, and let Kitex close the connection.
		return err
	}
	call := newServerCall(h.ID, h.TwoWay && h.Request)
	setCall(ri, call)
	if err := codec.SetOrCheckSeqID(int32(h.ID), msg); err != nil {
		return err
	}
	msg.SetPayloadLen(h.BodyLength)
	switch {
	case !h.Request: // a response sent to a server (a late heartbeat reply): ignore
		call.reply.kind = replyNone
	case h.Event:
		// Dubbo-Java answers heartbeats (body 'N') and nothing else; the
		// readonly event tells a consumer to stop sending, which a Kitex
		// server never says, so it does not expect one either.
		call.reply.kind = replyNone
		if IsHeartbeatBody(body) {
			call.reply.kind = replyHeartbeat
		}
	default:
		r, err := c.decodeRequest(ctx, msg, call, body)
		if err != nil {
			return err
		}
		if r == nil {
			return nil
		}
		call.reply = *r
		if r.kind == replyValue {
			break
		}
		// Kitex's tracers never see these calls, so say what happened here,
		// as a Dubbo-Java provider logs a request it cannot serve.
		klog.CtxWarnf(ctx, "KITEX: dubbo: answered %s to request %d from %v: %s",
			r.status, h.ID, ri.From().Address(), firstLine(r.message))
	}
	msg.SetMessageType(remote.Heartbeat)
	return nil
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// decodeRequest reads a request into the method's Args. A non-nil reply means
// the codec answers by itself; an error is one Kitex should see.
func (c *DubboCodec) decodeRequest(ctx context.Context, msg remote.Message, call *serverCall, body []byte) (*reply, error) {
	ri := msg.RPCInfo()
	d := c.decoder(body)
	defer putDecoder(d)
	head, err := ReadRequestHead(d)
	if err != nil {
		return badRequest(err), nil
	}
	call.dubboVersion = head.DubboVersion
	if r, ok := c.serveMetadata(ri, &head, d); ok {
		return r, nil
	}
	var gen *genericCall
	if isGeneric(&head) {
		if gen, err = readGenericCall(d); err != nil {
			return badRequest(err), nil
		}
		head.Method = gen.method
		if head.ParamTypes, err = gen.paramTypes(); err != nil {
			return badRequest(err), nil
		}
	}
	meta := c.resolveService(ctx, ri, head.Path, head.Method)
	if meta == nil {
		return serviceNotFound(&head), nil
	}
	if !sameVersion(c.opts.version, head.Version) {
		values := 1 // $invoke's Object[]
		if gen == nil {
			types, err := SplitParamTypes(head.ParamTypes)
			if values = len(types); err != nil {
				values = -1
			}
		}
		return c.notFound(ri, &head, d, values, ""), nil
	}
	mm := meta.lookup(head.Method, head.ParamTypes)
	if mm == nil {
		return serviceNotFound(&head), nil
	}
	if mm.err != nil {
		return statusReply(StatusServiceError, mm.err.Error()), nil
	}
	// The service name first: with it SetOrCheckMethodName looks the method up
	// in this service, not in whichever service has a method of that name.
	if s, ok := ri.Invocation().(rpcinfo.InvocationSetter); ok {
		s.SetServiceName(meta.svcInfo.ServiceName)
	}
	if err := codec.SetOrCheckMethodName(ctx, mm.idl, msg); err != nil {
		return nil, err
	}
	if err := codec.NewDataIfNeeded(mm.idl, msg); err != nil {
		return nil, err
	}
	call.method = mm
	args := reflect.ValueOf(msg.Data())
	if args.Kind() != reflect.Pointer || args.IsNil() || args.Elem().Kind() != reflect.Struct {
		return nil, fmt.Errorf("dubbo: decode request %s: Args is %T", mm.display, msg.Data())
	}
	args = args.Elem()
	argErr := func(i int, err error) *reply {
		if i < 0 {
			return badRequest(err)
		}
		name := mm.args[i].javaName
		if types, _ := SplitParamTypes(head.ParamTypes); i < len(types) {
			name = JavaTypeName(types[i]) // what the caller says it sent
		}
		return badRequest(&BodyError{Op: "decode request", Method: mm.display, Part: ArgumentPart(i, name), Err: err})
	}
	into := func(i int) any { return args.Field(mm.args[i].field).Addr().Interface() }
	if gen != nil {
		if i, err := readGenericArgs(d, mm, into); err != nil {
			return argErr(i, err), nil
		}
	} else if gen, ok := msg.Data().(argsCodec); ok && !c.opts.reflectOnly {
		for i := range mm.args {
			if err := gen.UnmarshalHessian2Arg(d, i); err != nil {
				return argErr(i, err), nil
			}
		}
	} else {
		for i := range mm.args {
			if err := d.Decode(into(i)); err != nil {
				return argErr(i, err), nil
			}
		}
	}
	atts, _, err := readAttachments(d, call.attBuf[:0])
	if err != nil {
		return badRequest(&BodyError{Op: "decode request", Method: mm.display, Part: "attachments", Err: err}), nil
	}
	if g := atts.str(attachmentGroup); g != c.opts.group {
		return c.notFound(ri, &head, nil, 0, g), nil
	}
	if gen != nil {
		if mode := atts.str(attachmentGeneric); mode != "" && mode != genericDefaultMode {
			return statusReply(StatusServiceError, fmt.Sprintf("Generic serialization [%s] is not supported by this Kitex provider, only [%s]: %s", mode, genericDefaultMode, mm.display)), nil
		}
		call.generic = true
	}
	call.attachments = atts
	applyAttachments(msg, ri, atts, c.opts.tagKeys)
	return nil, nil
}

// applyAttachments hands the request's attachments to Kitex: string values as
// transient metainfo (Kitex's default server MetaHandler puts them into the
// handler's context, read with metainfo.GetValue), the timeout as the call's
// RPC timeout, the caller's application as its service name.
func applyAttachments(msg remote.Message, ri rpcinfo.RPCInfo, atts attachments, tagKeys []string) {
	if kvs := atts.stringValues(metainfo.PrefixTransient, true); kvs != nil {
		msg.TransInfo().PutTransStrInfo(kvs)
	}
	if s := atts.str(attachmentTimeout); s != "" {
		if ms, err := strconv.ParseInt(s, 10, 64); err == nil && ms > 0 {
			if cfg := rpcinfo.AsMutableRPCConfig(ri.Config()); cfg != nil {
				_ = cfg.SetRPCTimeout(time.Duration(ms) * time.Millisecond)
			}
		}
	}
	ei := rpcinfo.AsMutableEndpointInfo(ri.From())
	if ei == nil {
		return
	}
	if app := atts.str(attachmentRemoteApp); app != "" {
		_ = ei.SetServiceName(app)
	}
	for _, k := range tagKeys {
		if v := atts.str(k); v != "" {
			_ = ei.SetTag(k, v)
		}
	}
}

func sameVersion(a, b string) bool {
	norm := func(v string) string {
		if v == "0.0.0" {
			return ""
		}
		return v
	}
	return norm(a) == norm(b)
}

// resolveService finds the server's service for a Java interface: a service
// whose IDL annotation names it, one named like its simple name, or one with
// a method of the requested name; the candidate must answer to iface.
func (c *DubboCodec) resolveService(ctx context.Context, ri rpcinfo.RPCInfo, iface, javaMethod string) *serviceMeta {
	if m, ok := c.ifaces.Load(iface); ok {
		return m.(*serviceMeta)
	}
	searcher := remote.GetServiceSearcher(ctx)
	if searcher == nil || iface == "" {
		return nil
	}
	pc := ri.Config().PayloadCodec()
	try := func(name, method string, strict bool) *serviceMeta {
		svcInfo := searcher.SearchService(name, method, strict, pc)
		if svcInfo == nil {
			return nil
		}
		if m := c.serviceMeta(svcInfo); m.iface == iface {
			c.ifaces.Store(iface, m)
			return m
		}
		return nil
	}
	for _, name := range interfacesByAnnotation(iface) {
		if m := try(name, "", true); m != nil {
			return m
		}
	}
	if m := try(simpleName(iface), "", true); m != nil {
		return m
	}
	return try("", javaMethod, false)
}

// exported lists the interfaces this codec has served, for "not found" messages.
func (c *DubboCodec) exported() []string {
	var keys []string
	c.ifaces.Range(func(k, _ any) bool {
		keys = append(keys, serviceKey(c.opts.group, k.(string), c.opts.version))
		return true
	})
	if len(keys) == 0 && c.opts.javaClassName != "" {
		keys = append(keys, serviceKey(c.opts.group, c.opts.javaClassName, c.opts.version))
	}
	slices.Sort(keys)
	return keys
}

// serviceKey is ProtocolUtils.serviceKey without the port: group/path:version.
func serviceKey(group, path, version string) string {
	k := path
	if group != "" {
		k = group + "/" + k
	}
	if version != "" && version != "0.0.0" {
		k += ":" + version
	}
	return k
}

// invocationString mimics RpcInvocation.toString, which Dubbo-Java puts at the
// end of its "not found" messages.
func invocationString(head *RequestHead) string {
	types, _ := SplitParamTypes(head.ParamTypes)
	names := make([]string, len(types))
	for i, t := range types {
		names[i] = JavaTypeName(t)
	}
	return "RpcInvocation [methodName=" + head.Method + ", parameterTypes=[" + strings.Join(names, ", ") + "]]"
}

// notFound answers a request for a service this server does not export, as
// DubboProtocol.getInvoker does: SERVICE_ERROR with a RemotingException. The
// group is in the attachments, after the arguments, which d (when given)
// skips, values of them, to read it; without d, group is the caller's.
func (c *DubboCodec) notFound(ri rpcinfo.RPCInfo, head *RequestHead, d *hessian2.Decoder, values int, group string) *reply {
	if d != nil && values >= 0 {
		skipped := true
		for range values {
			if d.Skip() != nil {
				skipped = false
				break
			}
		}
		if skipped {
			if atts, _, err := readAttachments(d, nil); err == nil {
				group = atts.str(attachmentGroup)
			}
		}
	}
	consumer := "unknown"
	if addr := ri.From().Address(); addr != nil {
		consumer = addr.String()
	}
	return statusReply(StatusServiceError, fmt.Sprintf(
		"org.apache.dubbo.remoting.RemotingException: Not found exported service: %s in [%s], may be version or group mismatch , channel: consumer: %s --> provider: kitex, message:%s",
		serviceKey(group, head.Path, head.Version), strings.Join(c.exported(), ", "), consumer, invocationString(head)))
}

// noSuchMethod answers a request for a method the service lacks, in the words
// of the exception a Dubbo-Java provider's proxy throws.
// serviceNotFound is what a Dubbo-Java 2.7.7+ provider answers when no exported
// interface has the path, or it has no method with that name and parameter
// types: DecodeableRpcInvocation throws while decoding, and HeaderExchangeHandler
// reports the broken request as BAD_REQUEST with the exception's text (Java adds
// its stack trace after the first line).
func serviceNotFound(head *RequestHead) *reply {
	return statusReply(StatusBadRequest, fmt.Sprintf(
		"Fail to decode request due to: java.lang.IllegalArgumentException: Service not found:%s, %s\n",
		head.Path, head.Method))
}

func (c *DubboCodec) encodeServer(ctx context.Context, msg remote.Message, out remote.ByteBuffer) error {
	ri := msg.RPCInfo()
	call := getCall(ri)
	if call == nil {
		// Kitex reports an error from before the frame header was read: there
		// is no id to answer to.
		return nil
	}
	defer call.release(ri)
	if !call.twoWay {
		return nil // the caller wants no answer
	}
	switch msg.MessageType() {
	case remote.Heartbeat:
		return c.writeReply(out, call)
	case remote.Exception:
		if call.reply.kind != replyHandler {
			return c.writeReply(out, call)
		}
		err, _ := msg.Data().(error)
		if err == nil {
			err = errors.New("unknown error")
		}
		return c.writeResult(ctx, out, ri, call, nil, exceptionFor(err))
	case remote.Reply:
		return c.writeResult(ctx, out, ri, call, msg.Data(), nil)
	}
	return fmt.Errorf("dubbo: a server cannot send message type %d", msg.MessageType())
}

// writeReply writes a reply the codec decided on in Decode.
func (c *DubboCodec) writeReply(out remote.ByteBuffer, call *serverCall) error {
	var f *frame
	switch call.reply.kind {
	case replyHeartbeat:
		f = newFrame(Header{Event: true, Serialization: SerializationHessian2, Status: StatusOK, ID: call.id})
		f.enc.WriteNull()
	case replyStatus:
		f = newFrame(Header{Serialization: SerializationHessian2, Status: call.reply.status, ID: call.id})
		f.enc.WriteString(call.reply.message)
	case replyValue:
		return c.writeValue(out, call)
	default:
		return nil
	}
	defer f.release()
	return f.writeTo(out, 0)
}

// exceptionFor turns a handler's error into the exception a Java caller gets.
// A handler may choose the class by returning a *hessian2.JavaException;
// anything else becomes a RuntimeException with the handler's own message
// (without the "biz error: " Kitex puts before it).
func exceptionFor(err error) *hessian2.JavaException {
	var je *hessian2.JavaException
	if errors.As(err, &je) {
		return je
	}
	msg := err.Error()
	var de *kerrors.DetailedError
	if errors.As(err, &de) && errors.Is(de, kerrors.ErrBiz) && de.Unwrap() != nil {
		msg = de.Unwrap().Error()
	}
	return hessian2.NewJavaException("java.lang.RuntimeException", msg)
}

// writeResult writes an OK response: the Result's declared exception if set,
// else its Success value (null for void), or exc when the handler failed. If
// the body cannot be written or is over the limit, the caller gets
// BAD_RESPONSE with the reason, as from a Dubbo-Java provider.
func (c *DubboCodec) writeResult(ctx context.Context, out remote.ByteBuffer, ri rpcinfo.RPCInfo, call *serverCall, result any, exc *hessian2.JavaException) error {
	var exception, value any
	var gen resultCodec // set when the value is there for it to write
	if exc != nil {
		exception = exc
	} else if biz := ri.Invocation().BizStatusErr(); biz != nil {
		// A JavaError keeps its exception; other business statuses (Kitex's
		// kerrors.NewBizStatusError) have only a code and a message for Java.
		var je *hessian2.JavaException
		if errors.As(biz, &je) {
			exception = je
		} else {
			exception = hessian2.NewJavaException("java.lang.RuntimeException", biz.BizMessage())
		}
	} else if r, ok := result.(resultCodec); ok && call.method != nil && !call.generic && !c.opts.reflectOnly {
		var has bool
		if exception, has = r.Hessian2Outcome(); has && exception == nil && call.method.result.success >= 0 {
			gen = r
		}
	} else if rv := reflect.ValueOf(result); call.method != nil && rv.Kind() == reflect.Pointer && !rv.IsNil() && rv.Elem().Kind() == reflect.Struct {
		rv = rv.Elem()
		for _, i := range call.method.result.exceptions {
			if f := rv.Field(i); !f.IsNil() {
				exception = f.Interface()
				break
			}
		}
		if exception == nil && call.method.result.success >= 0 {
			if f := rv.Field(call.method.result.success); !isNil(f) {
				value = f.Interface()
			}
		}
	}
	flag := ResponseNullValue
	switch {
	case exception != nil:
		flag = ResponseWithException
	case value != nil || gen != nil:
		flag = ResponseValue
	}
	attach := SupportsResponseAttachments(call.dubboVersion)
	if attach {
		flag = flag.WithAttachments()
	}

	f := c.frame(Header{Serialization: SerializationHessian2, Status: StatusOK, ID: call.id})
	defer f.release()
	e := f.enc
	e.WriteInt32(int32(flag))
	var err error
	switch {
	case exception != nil:
		err = e.Encode(exception)
	case gen != nil:
		err = gen.MarshalHessian2Value(e)
	case value != nil && call.generic:
		// Each value generalized takes a byte of the reply at least.
		var g any
		if g, err = hessian2.GeneralizeLimit(value, c.opts.maxPayload); err == nil {
			err = e.Encode(g)
		}
	case value != nil:
		err = e.Encode(value)
	}
	if err == nil && attach {
		var buf [4]attachment
		err = writeAttachments(e, responseAttachments(ctx, buf[:0]))
	}
	if err == nil {
		if err = f.writeTo(out, c.opts.maxPayload); err == nil {
			return nil
		}
	}
	name := "response"
	if call.method != nil {
		name = call.method.display
	}
	f.enc.Reset(AppendHeader(f.enc.Bytes()[:0], Header{Serialization: SerializationHessian2, Status: StatusBadResponse, ID: call.id}))
	f.enc.WriteString(fmt.Sprintf("Failed to send response: %s, cause: %v", name, err))
	return f.writeTo(out, 0)
}

// responseAttachments are the handler's backward metainfo values, plus the
// protocol version, which Dubbo-Java always adds.
func responseAttachments(ctx context.Context, as attachments) attachments {
	for k, v := range metainfo.AllBackwardValuesToSend(ctx) {
		as = append(as, attachment{key: k, str: v})
	}
	return append(as, attachment{key: attachmentDubbo, str: DubboVersion})
}

func isNil(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface, reflect.Map, reflect.Slice, reflect.Func, reflect.Chan:
		return v.IsNil()
	}
	return false
}

package dubbo

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/bytedance/gopkg/cloud/metainfo"
	"github.com/cloudwego/kitex/pkg/klog"
	"github.com/cloudwego/kitex/pkg/remote"
	"github.com/cloudwego/kitex/pkg/remote/codec"
	"github.com/cloudwego/kitex/pkg/rpcinfo"
	"github.com/cloudwego/kitex/pkg/serviceinfo"

	"github.com/kitexdubbo/kitexdubbo/pkg/hessian2"
)

// DubboCodec is a Kitex remote.Codec speaking the Dubbo 2 protocol with
// hessian2 bodies. One value serves both roles: as a client codec it writes
// requests and reads responses, as a server codec the reverse. It is safe for
// concurrent use; give each server its own (it remembers which of that
// server's services answers which Java interface).
type DubboCodec struct {
	opts     options
	services sync.Map       // *serviceinfo.ServiceInfo -> *serviceMeta
	ifaces   sync.Map       // Java interface -> *serviceMeta (server side)
	pending  atomic.Int64   // request bytes held, against WithMaxPendingBytes (server side)
	metadata metadataServer // Dubbo 3's MetadataService, when a registry asks (discovery.go)
}

var _ remote.Codec = (*DubboCodec)(nil)

// NewDubboCodec returns a codec configured by opts.
func NewDubboCodec(opts ...Option) *DubboCodec {
	return &DubboCodec{opts: newOptions(opts)}
}

// Name implements remote.Codec.
func (c *DubboCodec) Name() string { return "dubbo" }

// Encode implements remote.Codec: a request on a client, a response (or a
// reply the codec makes itself, see Decode) on a server.
func (c *DubboCodec) Encode(ctx context.Context, msg remote.Message, out remote.ByteBuffer) (err error) {
	start := out.WrittenLen()
	switch {
	case msg.RPCRole() == remote.Server:
		err = c.encodeServer(ctx, msg, out)
	case msg.MessageType() == remote.Call, msg.MessageType() == remote.Oneway:
		err = c.encodeRequest(ctx, msg, out)
	default:
		err = fmt.Errorf("dubbo: a client cannot send message type %d", msg.MessageType())
	}
	// Sizes for Kitex's tracers, as its default codec records them.
	if ms := rpcinfo.AsMutableRPCStats(msg.RPCInfo().Stats()); err == nil && ms != nil {
		ms.SetSendSize(uint64(out.WrittenLen() - start))
	}
	return err
}

// Decode implements remote.Codec: a request on a server, a response on a client.
func (c *DubboCodec) Decode(ctx context.Context, msg remote.Message, in remote.ByteBuffer) (err error) {
	if msg.RPCRole() == remote.Server {
		err = c.decodeServer(ctx, msg, in)
	} else {
		err = c.decodeResponse(ctx, msg, in)
	}
	if ms := rpcinfo.AsMutableRPCStats(msg.RPCInfo().Stats()); err == nil && ms != nil {
		ms.SetRecvSize(uint64(HeaderLength + msg.PayloadLen()))
	}
	return err
}

// serviceMeta returns the cached Dubbo view of svcInfo.
func (c *DubboCodec) serviceMeta(svcInfo *serviceinfo.ServiceInfo) *serviceMeta {
	if m, ok := c.services.Load(svcInfo); ok {
		return m.(*serviceMeta)
	}
	m, _ := c.services.LoadOrStore(svcInfo, newServiceMeta(svcInfo, c.opts.javaClassName))
	return m.(*serviceMeta)
}

// frame is a pooled buffer holding one outgoing frame: the header, written
// first with a zero length, then the body, written by one Encoder.
type frame struct {
	enc *hessian2.Encoder
	buf []byte
}

var framePool = sync.Pool{New: func() any { return &frame{enc: hessian2.NewEncoder(nil)} }}

func newFrame(h Header) *frame {
	f := framePool.Get().(*frame)
	f.enc.Reset(AppendHeader(f.buf[:0], h))
	f.enc.SetReflectOnly(false)
	f.enc.SetMaxSize(0)
	return f
}

// frame is newFrame for this codec: by reflection alone if WithReflection.
func (c *DubboCodec) frame(h Header) *frame {
	f := newFrame(h)
	f.enc.SetReflectOnly(c.opts.reflectOnly)
	// A body past the payload limit is refused when it is done anyway;
	// stopping there bounds what writing a (shared, or runaway) value costs.
	f.enc.SetMaxSize(HeaderLength + c.opts.maxPayload)
	return f
}

// maxPooledFrame keeps one huge body from pinning its buffer in the pool.
const maxPooledFrame = 1 << 20

func (f *frame) release() {
	if b := f.enc.Bytes(); cap(b) <= maxPooledFrame {
		f.buf = b[:0]
	} else {
		f.buf = nil
	}
	f.enc.Reset(nil)
	framePool.Put(f)
}

// writeTo fills in the body length (reserved when the header was written, the
// way Kitex's own codecs do) after checking it against limit, and copies the
// frame into out. Copying rather than WriteBinary lets the buffer go back to
// the pool: netpoll may keep a WriteBinary slice until the flush.
func (f *frame) writeTo(out remote.ByteBuffer, limit int) error {
	b := f.enc.Bytes()
	n := len(b) - HeaderLength
	if err := CheckBodyLength(n, limit); err != nil {
		return err
	}
	PutBodyLength(b, n)
	dst, err := out.Malloc(len(b))
	if err != nil {
		return err
	}
	copy(dst, b)
	return nil
}

var decoderPool = sync.Pool{New: func() any { return hessian2.NewDecoder(nil) }}

func getDecoder(body []byte) *hessian2.Decoder {
	d := decoderPool.Get().(*hessian2.Decoder)
	d.Reset(body)
	return d
}

func putDecoder(d *hessian2.Decoder) {
	d.Reset(nil)
	decoderPool.Put(d)
}

// readFrame reads one frame from in. consumed reports whether the frame's
// bytes were taken off the connection (so the next frame can be read) when
// err is not nil. The body aliases in's buffer and is valid until it is
// released. On a server, waiting for a frame that has not fully arrived
// counts against WithMaxPendingBytes.
func (c *DubboCodec) readFrame(in remote.ByteBuffer, server bool) (h Header, body []byte, consumed bool, err error) {
	hb, err := in.Peek(HeaderLength)
	if err != nil {
		return h, nil, false, err
	}
	if h, err = ParseHeader(hb); err != nil {
		return h, nil, false, remote.NewTransError(remote.ProtocolError, err)
	}
	total := HeaderLength + h.BodyLength
	if err = CheckBodyLength(h.BodyLength, c.opts.maxPayload); err != nil {
		// Drop the frame only if it is all here already: waiting for the rest
		// would buffer exactly what the limit is there to refuse.
		if in.ReadableLen() >= total {
			consumed = in.Skip(total) == nil
		}
		return h, nil, consumed, remote.NewTransError(remote.ProtocolError, err)
	}
	if server && in.ReadableLen() < total {
		if !c.reserve(total) {
			return h, nil, false, remote.NewTransError(remote.ProtocolError, c.pendingFull(total))
		}
		defer c.unreserve(total)
	}
	if err = in.Skip(HeaderLength); err != nil {
		return h, nil, false, err
	}
	if body, err = in.Next(h.BodyLength); err != nil {
		return h, nil, false, err
	}
	if err = h.CheckSerialization(); err != nil {
		return h, nil, true, remote.NewTransError(remote.ProtocolError, err)
	}
	return h, body, true, nil
}

// encodeRequest writes a client's request: the Args fields in order, each as
// its hessian.argsType Java type, and the attachments.
func (c *DubboCodec) encodeRequest(ctx context.Context, msg remote.Message, out remote.ByteBuffer) error {
	ri := msg.RPCInfo()
	ink := ri.Invocation()
	svcInfo, _ := ink.Extra(rpcinfo.InvocationServiceInfoKey).(*serviceinfo.ServiceInfo)
	if svcInfo == nil {
		return fmt.Errorf("dubbo: encode request %s: no service info in the call", ink.MethodName())
	}
	meta := c.serviceMeta(svcInfo)
	mm := meta.byIDL[ink.MethodName()]
	if mm == nil {
		return fmt.Errorf("dubbo: encode request %s.%s: no such method", svcInfo.ServiceName, ink.MethodName())
	}
	if mm.err != nil {
		return mm.err
	}
	args := reflect.ValueOf(msg.Data())
	if args.Kind() != reflect.Pointer || args.IsNil() || args.Elem().Kind() != reflect.Struct {
		return fmt.Errorf("dubbo: encode request %s: arguments are %T, want the Args struct pointer", mm.display, msg.Data())
	}
	args = args.Elem()

	f := c.frame(Header{
		Request:       true,
		TwoWay:        msg.MessageType() != remote.Oneway && !mm.oneway,
		Serialization: SerializationHessian2,
		ID:            int64(ink.SeqID()),
	})
	defer f.release()
	e := f.enc
	WriteRequestHead(e, &RequestHead{
		DubboVersion: DubboVersion,
		Path:         meta.iface,
		Version:      c.opts.version,
		Method:       mm.java,
		ParamTypes:   mm.paramTypes,
	})
	gen, _ := msg.Data().(argsCodec)
	if c.opts.reflectOnly {
		gen = nil
	}
	for i, a := range mm.args {
		var err error
		if gen != nil && a.javaType == "" {
			err = gen.MarshalHessian2Arg(e, i)
		} else {
			err = e.EncodeAs(args.Field(a.field).Interface(), a.javaType)
		}
		if err != nil {
			return &BodyError{Op: "encode request", Method: mm.display, Part: ArgumentPart(i, a.javaName), Err: err}
		}
	}
	var buf [8]attachment
	if err := writeAttachments(e, c.requestAttachments(ctx, ri, meta.iface, buf[:0])); err != nil {
		return &BodyError{Op: "encode request", Method: mm.display, Part: "attachments", Err: err}
	}
	if err := f.writeTo(out, c.opts.maxPayload); err != nil {
		return &BodyError{Op: "encode request", Method: mm.display, Err: err}
	}
	return nil
}

// Attachment keys Dubbo itself defines. A server keeps them out of the
// metainfo it hands the handler; a client's own values for them win over
// metainfo keys of the same name.
const (
	attachmentPath      = "path"
	attachmentInterface = "interface"
	attachmentVersion   = "version"
	attachmentGroup     = "group"
	attachmentTimeout   = "timeout"
	attachmentDubbo     = "dubbo"
	attachmentRemoteApp = "remote.application"
)

func isReservedAttachment(k string) bool {
	switch k {
	case attachmentPath, attachmentInterface, attachmentVersion, attachmentGroup, attachmentTimeout, attachmentDubbo:
		return true
	}
	return false
}

// requestAttachments builds what a Dubbo-Java consumer sends, plus the
// caller's Kitex metainfo as plain keys. Transient values go one hop, as with
// Kitex's own TTHeader: those the caller received from upstream are not passed
// on. They are appended to as; of a key added twice, writeAttachments writes
// the later (Dubbo's own keys over metainfo, transient over persistent).
func (c *DubboCodec) requestAttachments(ctx context.Context, ri rpcinfo.RPCInfo, iface string, as attachments) attachments {
	add := func(k, v string) { as = append(as, attachment{key: k, str: v}) }
	for k, v := range metainfo.GetAllPersistentValues(ctx) {
		add(k, v)
	}
	for k, v := range metainfo.GetAllValues(metainfo.TransferForward(ctx)) {
		add(k, v)
	}
	add(attachmentPath, iface)
	add(attachmentInterface, iface)
	if c.opts.version != "" {
		add(attachmentVersion, c.opts.version)
	}
	if c.opts.group != "" {
		add(attachmentGroup, c.opts.group)
	}
	if to := ri.Config().RPCTimeout(); to > 0 {
		// Dubbo-Java sends its timeout as a string of milliseconds.
		add(attachmentTimeout, strconv.FormatInt(to.Milliseconds(), 10))
	}
	if app := ri.From().ServiceName(); app != "" {
		add(attachmentRemoteApp, app)
	}
	for _, k := range c.opts.tagKeys {
		if v, ok := ri.To().Tag(k); ok && v != "" {
			add(k, v)
		}
	}
	return as
}

// decodeResponse reads a client's response. Frames that are not the answer to
// this call are skipped: heartbeat requests from the provider (Dubbo-Java
// sends them on idle connections; the caller's next read finds them) and
// heartbeat replies.
func (c *DubboCodec) decodeResponse(ctx context.Context, msg remote.Message, in remote.ByteBuffer) error {
	ri := msg.RPCInfo()
	for {
		h, body, _, err := c.readFrame(in, false)
		if err != nil {
			return err
		}
		if h.Request || h.Event {
			continue
		}
		if h.ID != int64(ri.Invocation().SeqID()) {
			// Not this call's answer: a duplicate, or a late one to a call
			// that gave up. The call's own answer may follow; its timeout
			// bounds the wait.
			klog.CtxDebugf(ctx, "KITEX: dubbo: dropped response %d while waiting for %d", h.ID, ri.Invocation().SeqID())
			continue
		}
		if err := codec.SetOrCheckSeqID(int32(h.ID), msg); err != nil {
			return err
		}
		msg.SetPayloadLen(h.BodyLength)
		if h.Status != StatusOK {
			text, err := DecodeErrorBody(body)
			if err != nil {
				return err
			}
			return &StatusError{Status: h.Status, Message: text}
		}
		d := c.decoder(body)
		err = c.decodeResult(ctx, msg, d)
		putDecoder(d)
		return err
	}
}

// decodeResult reads an OK response body into the Result struct: the value
// into Success, a declared exception into its field, any other exception into
// the call's business error (see JavaError).
func (c *DubboCodec) decodeResult(ctx context.Context, msg remote.Message, d *hessian2.Decoder) error {
	ri := msg.RPCInfo()
	bodyErr := func(part string, err error) error {
		// Only failures pay for the name.
		return &BodyError{Op: "decode response", Method: ri.Invocation().ServiceName() + "." + ri.Invocation().MethodName(), Part: part, Err: err}
	}
	flag, err := ReadResponseFlag(d)
	if err != nil {
		return bodyErr("response flag", err)
	}
	var mm *methodMeta
	if svcInfo, _ := ri.Invocation().Extra(rpcinfo.InvocationServiceInfoKey).(*serviceinfo.ServiceInfo); svcInfo != nil {
		mm = c.serviceMeta(svcInfo).byIDL[ri.Invocation().MethodName()]
	}
	var result reflect.Value
	if rv := reflect.ValueOf(msg.Data()); rv.Kind() == reflect.Pointer && !rv.IsNil() && rv.Elem().Kind() == reflect.Struct {
		result = rv.Elem()
	}
	switch {
	case flag.IsException():
		v, err := d.DecodeValue()
		if err != nil {
			return bodyErr("exception", err)
		}
		if err := c.storeException(ri, mm, result, v); err != nil {
			return bodyErr("exception", err)
		}
	case flag.IsNull():
	case mm != nil && mm.result.success >= 0 && result.IsValid():
		var err error
		if gen, ok := msg.Data().(resultCodec); ok && !c.opts.reflectOnly {
			err = gen.UnmarshalHessian2Value(d)
		} else {
			err = d.Decode(result.Field(mm.result.success).Addr().Interface())
		}
		if err != nil {
			return bodyErr("value", err)
		}
	default: // a void method, or no Result to hold it
		if err := d.Skip(); err != nil {
			return bodyErr("value", err)
		}
	}
	if flag.HasAttachments() {
		var buf [4]attachment
		atts, _, err := readAttachments(d, buf[:0])
		if err != nil {
			return bodyErr("attachments", err)
		}
		if kvs := atts.stringValues("", true); len(kvs) > 0 {
			metainfo.SetBackwardValuesFromMap(ctx, kvs)
		}
	}
	return nil
}

// storeException puts a Java exception where Kitex's generated client looks:
// into the Result field whose type it has (an IDL throws clause), else into
// the invocation's business error.
func (c *DubboCodec) storeException(ri rpcinfo.RPCInfo, mm *methodMeta, result reflect.Value, v any) error {
	if mm != nil && result.IsValid() && v != nil {
		rv := reflect.ValueOf(v)
		for _, i := range mm.result.exceptions {
			f := result.Field(i)
			switch {
			case rv.Type().AssignableTo(f.Type()):
				f.Set(rv)
				return nil
			case f.Type().Kind() == reflect.Pointer && rv.Type().AssignableTo(f.Type().Elem()):
				p := reflect.New(f.Type().Elem())
				p.Elem().Set(rv)
				f.Set(p)
				return nil
			}
		}
	}
	var je *hessian2.JavaException
	switch x := v.(type) {
	case *hessian2.JavaException:
		je = x
	case *hessian2.JavaObject:
		je = hessian2.NewJavaException(x.Class, "")
	case error:
		// A registered Go type the IDL does not declare for this method.
		if !errors.As(x, &je) {
			je = hessian2.NewJavaException(fmt.Sprintf("%T", x), x.Error())
		}
	default:
		return fmt.Errorf("%w: an exception flag with a %T value", hessian2.ErrType, v)
	}
	setter, ok := ri.Invocation().(rpcinfo.InvocationSetter)
	if !ok {
		return &JavaError{Exception: je}
	}
	setter.SetBizStatusErr(&JavaError{Exception: je})
	return nil
}

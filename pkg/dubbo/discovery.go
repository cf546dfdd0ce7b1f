package dubbo

// What a registry needs from the codec: how a Kitex service looks to Dubbo
// (Describe), and Dubbo 3's MetadataService, which a consumer discovering a
// provider by application calls on the provider's own port to learn what it
// exports (ServeMetadata). The codec answers that call itself, as it answers
// heartbeats, so no handler or IDL is needed for it.

import (
	"slices"
	"sync"
	"sync/atomic"

	"github.com/cloudwego/kitex/pkg/remote"
	"github.com/cloudwego/kitex/pkg/rpcinfo"
	"github.com/cloudwego/kitex/pkg/serviceinfo"

	"github.com/kitexdubbo/kitexdubbo/pkg/hessian2"
)

// Dubbo 3's MetadataService as a consumer calls it over Dubbo
// (org.apache.dubbo.metadata.MetadataService, meta-v 1.0.0): group is the
// provider's application.
const (
	MetadataServiceInterface = "org.apache.dubbo.metadata.MetadataService"
	MetadataServiceVersion   = "1.0.0"
	MetadataServiceMethod    = "getMetadataInfo"
	MetadataServiceParams    = "Ljava/lang/String;"
)

// ServiceDescription is a Kitex service as a Dubbo registry shows it.
type ServiceDescription struct {
	Interface string   // the Java interface (WithJavaClassName or the IDL's JavaClassName)
	Methods   []string // the Java method names, sorted, overloads once
	Version   string   // WithServiceVersion, "" for none
	Group     string   // WithServiceGroup, "" for none
}

// Describe reports how svcInfo looks to Dubbo through this codec, so a
// registry writes what the codec sends and answers, stated once in its options.
func (c *DubboCodec) Describe(svcInfo *serviceinfo.ServiceInfo) ServiceDescription {
	d := ServiceDescription{Version: c.opts.version, Group: c.opts.group}
	if d.Version == "0.0.0" {
		d.Version = "" // the same as none to Dubbo, and none is what matches
	}
	if svcInfo == nil {
		d.Interface = c.opts.javaClassName
		return d
	}
	m := c.serviceMeta(svcInfo)
	d.Interface = m.iface
	for java := range m.byJava {
		d.Methods = append(d.Methods, java)
	}
	slices.Sort(d.Methods)
	return d
}

// metadataServer is what ServeMetadata registered.
type metadataServer struct {
	served atomic.Bool // ServeMetadata was called: the codec answers MetadataService
	mu     sync.RWMutex
	apps   map[string]func(revision string) any
}

// ServeMetadata makes a server with this codec answer
// MetadataService#getMetadataInfo(revision) for application app (the call's
// group) with what metadata returns: a value the Java side reads as
// org.apache.dubbo.metadata.MetadataInfo (pkg/registry's), or nil for "none",
// which a Java consumer takes as a failed fetch and retries. A nil metadata
// stops answering for app; calls for an application not served are answered
// as for any service the server lacks. Registries call it; users do not need to.
func (c *DubboCodec) ServeMetadata(app string, metadata func(revision string) any) {
	ms := &c.metadata
	ms.mu.Lock()
	defer ms.mu.Unlock()
	if metadata == nil {
		delete(ms.apps, app)
		return
	}
	if ms.apps == nil {
		ms.apps = make(map[string]func(string) any)
	}
	ms.apps[app] = metadata
	ms.served.Store(true)
}

func (c *DubboCodec) metadataFor(app string) func(string) any {
	ms := &c.metadata
	ms.mu.RLock()
	defer ms.mu.RUnlock()
	return ms.apps[app]
}

// serveMetadata answers a MetadataService request when this codec serves
// metadata; ok is false for any other request, which decodeRequest then
// serves as usual.
func (c *DubboCodec) serveMetadata(ri rpcinfo.RPCInfo, head *RequestHead, d *hessian2.Decoder) (r *reply, ok bool) {
	if head.Path != MetadataServiceInterface {
		return nil, false
	}
	if !c.metadata.served.Load() {
		return nil, false
	}
	if head.Method != MetadataServiceMethod || head.ParamTypes != MetadataServiceParams {
		return serviceNotFound(head), true
	}
	revision, err := d.ReadString()
	if err != nil {
		return badRequest(&BodyError{Op: "decode request", Method: MetadataServiceInterface + "." + head.Method, Part: ArgumentPart(0, "java.lang.String"), Err: err}), true
	}
	atts, _, err := readAttachments(d, nil)
	if err != nil {
		return badRequest(&BodyError{Op: "decode request", Method: MetadataServiceInterface + "." + head.Method, Part: "attachments", Err: err}), true
	}
	group := atts.str(attachmentGroup)
	metadata := c.metadataFor(group)
	if metadata == nil || !sameVersion(head.Version, MetadataServiceVersion) {
		return c.notFound(ri, head, nil, 0, group), true
	}
	return &reply{kind: replyValue, value: metadata(revision)}, true
}

// writeValue writes the OK response of a call the codec served itself.
func (c *DubboCodec) writeValue(out remote.ByteBuffer, call *serverCall) error {
	flag := ResponseValue
	if call.reply.value == nil {
		flag = ResponseNullValue
	}
	attach := SupportsResponseAttachments(call.dubboVersion)
	if attach {
		flag = flag.WithAttachments()
	}
	f := newFrame(Header{Serialization: SerializationHessian2, Status: StatusOK, ID: call.id})
	defer f.release()
	f.enc.WriteInt32(int32(flag))
	var err error
	if call.reply.value != nil {
		err = f.enc.Encode(call.reply.value)
	}
	if err == nil && attach {
		err = writeAttachments(f.enc, attachments{{key: attachmentDubbo, str: DubboVersion}})
	}
	if err == nil {
		err = f.writeTo(out, c.opts.maxPayload)
	}
	if err != nil {
		f.enc.Reset(AppendHeader(f.enc.Bytes()[:0], Header{Serialization: SerializationHessian2, Status: StatusBadResponse, ID: call.id}))
		f.enc.WriteString("Failed to send response: " + MetadataServiceInterface + ", cause: " + err.Error())
		return f.writeTo(out, 0)
	}
	return nil
}

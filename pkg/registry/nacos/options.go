package nacos

import (
	"fmt"
	"net"
	"strconv"
	"time"

	"github.com/cloudwego/kitex/pkg/serviceinfo"
	"github.com/nacos-group/nacos-sdk-go/v2/common/constant"

	"github.com/kitexdubbo/kitexdubbo/pkg/dubbo"
)

// RegisterMode says which entries a provider writes, as Dubbo's
// dubbo.application.register-mode does.
type RegisterMode int

const (
	// RegisterAll writes both (Dubbo 3's default): every consumer finds it.
	RegisterAll RegisterMode = iota
	// RegisterInterface writes only the providers:<iface>:<version>:<group>
	// services, what Dubbo 2 reads.
	RegisterInterface
	// RegisterInstance writes only the application's service and the mapping.
	RegisterInstance
)

// Discovery says which entries a resolver reads, as Dubbo's migration step does.
type Discovery int

const (
	// DiscoveryApplicationFirst reads both, and takes the application-level
	// instances when there are any, else the interface-level ones (Dubbo
	// 3.3's default, APPLICATION_FIRST).
	DiscoveryApplicationFirst Discovery = iota
	// DiscoveryInterface reads only the providers:<iface>:... services (FORCE_INTERFACE).
	DiscoveryInterface
	// DiscoveryApplication reads only the mapping and the applications'
	// services (FORCE_APPLICATION).
	DiscoveryApplication
)

func (d Discovery) String() string {
	switch d {
	case DiscoveryInterface:
		return "interface"
	case DiscoveryApplication:
		return "application"
	}
	return "application_first"
}

// Defaults.
const (
	// DefaultServerAddress is where a Nacos server listens by default; its
	// gRPC API, which the client speaks, is on the port + 1000.
	DefaultServerAddress = "127.0.0.1:8848"
	// DefaultGroup is the Nacos group of Dubbo's services when its registry
	// URL names none.
	DefaultGroup = constant.DEFAULT_GROUP
	// DefaultTimeout bounds one request to Nacos.
	DefaultTimeout = 5 * time.Second
	// DefaultConnectTimeout bounds waiting for the first connection, and a
	// target's first read of Nacos.
	DefaultConnectTimeout = 10 * time.Second
	// DefaultFetchTimeout bounds one metadata fetch from an instance.
	DefaultFetchTimeout = 5 * time.Second
)

// MappingGroup is the Nacos config group of Dubbo's interface-to-application
// mappings (dataId = the interface, content "app1,app2").
const MappingGroup = "mapping"

// mappingCheck is how often a registry checks that its applications are
// still in their mappings, and a resolver reads its mappings again without
// being told of a change.
const mappingCheck = 30 * time.Second

// Option configures a registry or a resolver.
type Option func(*options)

type service struct {
	codec   *dubbo.DubboCodec
	svcInfo *serviceinfo.ServiceInfo
}

type options struct {
	addrs          []string
	namespace      string
	group          string
	timeout        time.Duration
	connectTimeout time.Duration
	fetchTimeout   time.Duration
	registerMode   RegisterMode
	discovery      Discovery
	services       []service
	codec          *dubbo.DubboCodec
	application    string
	host           string
	clientOptions  []constant.ClientOption
	mappingCheck   time.Duration
}

func newOptions(opts []Option) *options {
	o := &options{
		group:          DefaultGroup,
		timeout:        DefaultTimeout,
		connectTimeout: DefaultConnectTimeout,
		fetchTimeout:   DefaultFetchTimeout,
		mappingCheck:   mappingCheck,
	}
	for _, opt := range opts {
		if opt != nil {
			opt(o)
		}
	}
	if len(o.addrs) == 0 {
		o.addrs = []string{DefaultServerAddress}
	}
	return o
}

// serverConfigs checks the addresses and makes the SDK's server configs.
func (o *options) serverConfigs() ([]constant.ServerConfig, error) {
	var out []constant.ServerConfig
	for _, a := range o.addrs {
		host, ps, err := net.SplitHostPort(a)
		if err != nil || host == "" {
			return nil, fmt.Errorf("nacos: server address %q: want host:port (the HTTP port, 8848 by default)", a)
		}
		port, err := strconv.Atoi(ps)
		if err != nil || port <= 0 || port+1000 > 65535 {
			return nil, fmt.Errorf("nacos: server address %q: port out of range (the gRPC API is on port + 1000)", a)
		}
		out = append(out, *constant.NewServerConfig(host, uint64(port)))
	}
	return out, nil
}

// WithServerAddress sets the Nacos servers, each "host:port" with the port
// of its HTTP API (default DefaultServerAddress); the client speaks its gRPC
// API, on that port + 1000, as every Nacos 2 client assumes.
func WithServerAddress(addrs ...string) Option {
	return func(o *options) { o.addrs = append([]string(nil), addrs...) }
}

// WithNamespace sets the Nacos namespace id (default: the public one).
func WithNamespace(id string) Option { return func(o *options) { o.namespace = id } }

// WithGroup sets the Nacos group of the services (Dubbo's registry group,
// the "group" of its registry URL; default DefaultGroup). Mappings are
// always in MappingGroup, as Dubbo keeps them.
func WithGroup(group string) Option {
	return func(o *options) {
		if group != "" {
			o.group = group
		}
	}
}

// WithService names a Dubbo service a registry registers: svcInfo (the
// generated NewServiceInfo()) as codec presents it, so its Java interface,
// methods, version and group are those the codec's options give. Call it
// once per service the server serves; with application-level registration,
// codec also answers Dubbo's MetadataService for the application.
func WithService(codec *dubbo.DubboCodec, svcInfo *serviceinfo.ServiceInfo) Option {
	return func(o *options) {
		if codec != nil && svcInfo != nil {
			o.services = append(o.services, service{codec, svcInfo})
		}
	}
}

// WithCodec is the client codec a resolver reads the Java interface, version
// and group from (with the call's service info). Without it the Kitex
// target service name stands for the interface, with no version or group.
func WithCodec(codec *dubbo.DubboCodec) Option {
	return func(o *options) { o.codec = codec }
}

// WithRegisterMode chooses the entries a registry writes (RegisterAll).
func WithRegisterMode(m RegisterMode) Option { return func(o *options) { o.registerMode = m } }

// WithDiscovery chooses the entries a resolver reads (DiscoveryApplicationFirst).
func WithDiscovery(d Discovery) Option { return func(o *options) { o.discovery = d } }

// WithApplication sets the Dubbo application name: a provider's (default:
// the Kitex server's service name, server.WithServerBasicInfo) or a
// consumer's (default: the client's, client.WithClientBasicInfo).
func WithApplication(app string) Option { return func(o *options) { o.application = app } }

// WithHost sets the address written for this process, when the listen
// address is not the one callers should dial (0.0.0.0, a NAT).
func WithHost(host string) Option { return func(o *options) { o.host = host } }

// WithTimeout bounds one request to Nacos (DefaultTimeout).
func WithTimeout(d time.Duration) Option {
	return func(o *options) {
		if d > 0 {
			o.timeout = d
		}
	}
}

// WithConnectTimeout bounds the wait for the first connection and a
// target's first read (DefaultConnectTimeout).
func WithConnectTimeout(d time.Duration) Option {
	return func(o *options) {
		if d > 0 {
			o.connectTimeout = d
		}
	}
}

// WithFetchTimeout bounds one metadata fetch (DefaultFetchTimeout).
func WithFetchTimeout(d time.Duration) Option {
	return func(o *options) {
		if d > 0 {
			o.fetchTimeout = d
		}
	}
}

// WithClientOptions passes options to nacos-sdk-go's client configuration
// after this package's own: credentials (constant.WithUsername,
// WithPassword, WithAccessKey), TLS, and where the SDK writes its log and
// snapshot files (WithLogDir, WithCacheDir; by default kitexdubbo-nacos
// under the temporary directory, not the SDK's default of the working
// directory). Do not turn off WithUpdateCacheWhenEmpty: without it the SDK
// never reports that the last provider went.
func WithClientOptions(opts ...constant.ClientOption) Option {
	return func(o *options) { o.clientOptions = append(o.clientOptions, opts...) }
}

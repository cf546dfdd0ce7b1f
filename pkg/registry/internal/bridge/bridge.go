// Package bridge is what the registry adapters (pkg/registry/zookeeper,
// pkg/registry/nacos) share between Kitex and pkg/registry: the address and
// weight a server advertises, the Dubbo service a client call is for, a
// Dubbo provider as a Kitex instance, and application-level metadata fetched
// once per application and revision.
package bridge

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"

	"github.com/cloudwego/kitex/pkg/discovery"
	kregistry "github.com/cloudwego/kitex/pkg/registry"
	"github.com/cloudwego/kitex/pkg/rpcinfo"
	"github.com/cloudwego/kitex/pkg/serviceinfo"

	"github.com/kitexdubbo/kitexdubbo/pkg/dubbo"
	"github.com/kitexdubbo/kitexdubbo/pkg/registry"
)

// ErrNoAddress is returned by Advertised for a server listening on an
// unspecified address (0.0.0.0, ::) on a machine with no other address to
// write.
var ErrNoAddress = errors.New("no address of this machine to write")

// Advertised is the host and port consumers should dial: host when not
// empty, else the listen address; an unspecified one (0.0.0.0, ::) becomes
// this machine's first non-loopback IPv4 address, as Dubbo-Java registers.
func Advertised(addr net.Addr, host string) (string, int, error) {
	h, ps, err := net.SplitHostPort(addr.String())
	if err != nil {
		return "", 0, fmt.Errorf("address %q: %w", addr, err)
	}
	port, err := strconv.Atoi(ps)
	if err != nil || port <= 0 || port > 65535 {
		return "", 0, fmt.Errorf("address %q has no port", addr)
	}
	if host != "" {
		return host, port, nil
	}
	if ip := net.ParseIP(h); ip == nil || ip.IsUnspecified() {
		if h = LocalIP(); h == "" {
			return "", 0, fmt.Errorf("listening on %q: %w", addr, ErrNoAddress)
		}
	}
	return h, port, nil
}

// LocalIP is this machine's first non-loopback IPv4 address, "" if none.
func LocalIP() string {
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return ""
	}
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && !n.IP.IsLoopback() && n.IP.To4() != nil {
			return n.IP.String()
		}
	}
	return ""
}

// Weight is Kitex's weight when the server set one, 0 (not written)
// otherwise: Kitex fills in its own default (10), which Dubbo would read
// against its default of 100.
func Weight(info *kregistry.Info) int {
	if info.Weight == discovery.DefaultWeight {
		return 0
	}
	return info.Weight
}

// Call is the Dubbo service a client call is for.
type Call struct {
	Interface string
	Group     string
	Version   string
	Methods   []string
	App       string // the consumer's application
}

// CallOf reads the Dubbo service of a call from the client codec and the
// call's service info (a nil codec: the Kitex target service name stands
// for the interface), and the consumer's application from app or else the
// client's service name.
func CallOf(ctx context.Context, target rpcinfo.EndpointInfo, codec *dubbo.DubboCodec, app string) Call {
	c := Call{App: app}
	var svcInfo *serviceinfo.ServiceInfo
	if ri := rpcinfo.GetRPCInfo(ctx); ri != nil {
		if ri.Invocation() != nil {
			svcInfo, _ = ri.Invocation().Extra(rpcinfo.InvocationServiceInfoKey).(*serviceinfo.ServiceInfo)
		}
		if c.App == "" && ri.From() != nil {
			c.App = ri.From().ServiceName()
		}
	}
	if codec != nil {
		d := codec.Describe(svcInfo)
		c.Interface, c.Group, c.Version, c.Methods = d.Interface, d.Group, d.Version, d.Methods
	}
	if c.Interface == "" && target != nil {
		c.Interface = target.ServiceName()
	}
	return c
}

// DefaultWeight is a Dubbo provider's weight when it writes none.
const DefaultWeight = 100

// KitexInstance is a provider as Kitex balances it: its weight (the URL's
// weight parameter, DefaultWeight without one), and its application, group
// and version as tags.
func KitexInstance(host string, port int, params map[string]string) discovery.Instance {
	w := DefaultWeight
	if s, ok := params[registry.KeyWeight]; ok {
		if n, err := strconv.Atoi(s); err == nil && n >= 0 {
			w = n
		}
	}
	tags := map[string]string{}
	for _, k := range []string{registry.KeyApplication, registry.KeyGroup, registry.KeyVersion} {
		if v, ok := params[k]; ok {
			tags[k] = v
		}
	}
	return discovery.NewInstance("tcp", net.JoinHostPort(host, strconv.Itoa(port)), w, tags)
}

// FromMetadata is the Kitex instance serving iface, group and version over
// Dubbo on application instance in, by its metadata md, matched against the
// consumer's subscription sub; nil when in does not export it.
func FromMetadata(sub *registry.URL, iface, group, version string, in *registry.Instance, md *registry.MetadataInfo) discovery.Instance {
	si := md.Find(iface, group, version, registry.ProtocolDubbo)
	if si == nil {
		return nil
	}
	u := &registry.URL{Protocol: si.Protocol, Host: in.Host(), Port: int(si.Port), Path: si.Path, Params: si.Params}
	if u.Protocol == "" {
		u.Protocol = registry.ProtocolDubbo
	}
	if u.Port <= 0 || u.Port > 65535 {
		u.Port = 0
		eps, _ := in.Endpoints()
		for _, ep := range eps {
			if ep.Protocol == registry.ProtocolDubbo && ep.Port > 0 && ep.Port <= 65535 {
				u.Port = ep.Port
			}
		}
	}
	if u.Port == 0 {
		u.Port = *in.Port
	}
	if !registry.IsMatch(sub, u) {
		return nil
	}
	return KitexInstance(u.Host, u.Port, u.Params)
}

package nacos

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cloudwego/kitex/pkg/discovery"
	"github.com/cloudwego/kitex/pkg/rpcinfo"

	"github.com/kitexdubbo/kitexdubbo/pkg/registry"
	"github.com/kitexdubbo/kitexdubbo/pkg/registry/internal/bridge"
)

type nacosResolver struct {
	c       *nacosClient
	naming  *namingHub
	configs *configHub // nil with DiscoveryInterface
	opts    *options
	name    string
	meta    *bridge.MetadataCache

	mu      sync.Mutex
	targets map[string]*target // by description
	closed  bool
}

var _ discovery.Resolver = (*nacosResolver)(nil)

// NewNacosResolver returns a Kitex resolver that finds Dubbo providers in
// Nacos (WithServerAddress) as a Dubbo 3.3 consumer does (WithDiscovery):
// from the interface-level services, from application instances and their
// metadata, or both. Each target is subscribed to, not polled: what Resolve
// returns follows Nacos's pushes, and Kitex's balancer cache asks Resolve
// again every refresh interval (lbcache.Options.RefreshInterval, 5s by
// default), which bounds how late a client sees a provider come or go.
// Like Dubbo's Nacos registry, it registers no consumer entries. It
// connects at once; the result also implements io.Closer.
func NewNacosResolver(opts ...Option) (discovery.Resolver, error) {
	o := newOptions(opts)
	appLevel := o.discovery != DiscoveryInterface
	c, err := dial(o, appLevel)
	if err != nil {
		return nil, err
	}
	r := &nacosResolver{c: c, naming: newNamingHub(c), opts: o, targets: map[string]*target{},
		name: fmt.Sprintf("dubbo-nacos#%d(%s)", resolvers.Add(1), strings.Join(o.addrs, ","))}
	var remote bridge.RemoteMetadata
	if appLevel {
		r.configs = newConfigHub(c)
		remote = r.remoteMetadata
	}
	r.meta = bridge.NewMetadataCache(o.fetchTimeout, remote)
	return r, nil
}

// resolvers numbers the resolvers of the process.
var resolvers atomic.Int64

// Name implements discovery.Resolver. Each resolver has its own: Kitex's
// default balancer cache is shared by every client whose resolver has the
// same name, and would keep asking the first such resolver, even closed.
func (r *nacosResolver) Name() string { return r.name }

// Target implements discovery.Resolver: the Dubbo service the call is for,
// from the codec (WithCodec) and the call's service info.
func (r *nacosResolver) Target(ctx context.Context, target rpcinfo.EndpointInfo) string {
	call := bridge.CallOf(ctx, target, r.opts.codec, r.opts.application)
	s := spec{mode: r.opts.discovery, iface: call.Interface, group: call.Group, version: call.Version, app: call.App}
	desc := s.String()
	r.mu.Lock()
	if _, ok := r.targets[desc]; !ok && !r.closed {
		r.targets[desc] = newTarget(r, s)
	}
	r.mu.Unlock()
	return desc
}

// Resolve implements discovery.Resolver: the providers known now. The first
// Resolve of a target waits for its first read of Nacos (bounded by ctx and
// the connect timeout); no providers is an empty result, not an error, so
// Kitex drops the last ones rather than keep them.
func (r *nacosResolver) Resolve(ctx context.Context, desc string) (discovery.Result, error) {
	r.mu.Lock()
	t := r.targets[desc]
	if t == nil && !r.closed {
		s, err := parseSpec(desc)
		if err != nil {
			r.mu.Unlock()
			return discovery.Result{}, err
		}
		if s.mode != DiscoveryInterface && r.configs == nil {
			r.mu.Unlock()
			return discovery.Result{}, fmt.Errorf("nacos: %q reads the application level, which a resolver made with DiscoveryInterface does not", desc)
		}
		t = newTarget(r, s)
		r.targets[desc] = t
	}
	r.mu.Unlock()
	if t == nil {
		return discovery.Result{}, errors.New("nacos: resolver closed")
	}
	if t.spec.iface == "" {
		return discovery.Result{}, errors.New("nacos: resolve: no Dubbo interface for the call: give nacos.WithCodec(codec) with the codec's Java class name")
	}
	t.start()
	wait := time.NewTimer(r.opts.connectTimeout)
	defer wait.Stop()
	select {
	case <-t.ready:
	case <-ctx.Done():
		return discovery.Result{}, fmt.Errorf("nacos: resolve %s: %w", desc, ctx.Err())
	case <-wait.C:
		return discovery.Result{}, fmt.Errorf("nacos: resolve %s: no answer from Nacos in %v", desc, r.opts.connectTimeout)
	}
	return discovery.Result{Cacheable: true, CacheKey: desc, Instances: t.instances()}, nil
}

// Diff implements discovery.Resolver.
func (r *nacosResolver) Diff(cacheKey string, prev, next discovery.Result) (discovery.Change, bool) {
	return discovery.DefaultDiff(cacheKey, prev, next)
}

// Close stops every target and closes the connections.
func (r *nacosResolver) Close() error {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return nil
	}
	r.closed = true
	targets := r.targets
	r.targets = map[string]*target{}
	r.mu.Unlock()
	for _, t := range targets {
		t.stop()
	}
	r.c.close()
	return nil
}

// remoteMetadata reads the MetadataInfo a provider with
// metadata-type=remote published: the config dataId=<app>, group=<revision>.
func (r *nacosResolver) remoteMetadata(app, revision string) ([]byte, error) {
	content, err := r.c.getConfig(app, revision)
	if err != nil {
		return nil, err
	}
	if content == "" {
		return nil, fmt.Errorf("no config %s/%s", revision, app)
	}
	if len(content) > registry.MaxDataLength {
		return nil, fmt.Errorf("%w: metadata config of %d bytes, limit %d", registry.ErrTooLarge, len(content), registry.MaxDataLength)
	}
	return []byte(content), nil
}

// spec is what a target description says.
type spec struct {
	mode    Discovery
	iface   string
	group   string
	version string
	app     string
}

// String is the target description: mode|iface|group|version|app. Kitex
// logs it and keys its balancer cache by it.
func (s spec) String() string {
	return strings.Join([]string{s.mode.String(), s.iface, s.group, s.version, s.app}, "|")
}

func parseSpec(desc string) (spec, error) {
	parts := strings.Split(desc, "|")
	if len(parts) != 5 || parts[1] == "" {
		return spec{}, fmt.Errorf("nacos: %q is not a target of this resolver", desc)
	}
	s := spec{iface: parts[1], group: parts[2], version: parts[3], app: parts[4]}
	switch parts[0] {
	case "interface":
		s.mode = DiscoveryInterface
	case "application":
		s.mode = DiscoveryApplication
	}
	return s, nil
}

// subscription is the consumer URL providers are matched against, as
// Dubbo's consumer subscribes.
func (s spec) subscription() *registry.URL {
	app := s.app
	if app == "" {
		app = "kitex-consumer"
	}
	return (&registry.Service{Interface: s.iface, Group: s.group, Version: s.version, Application: app}).Subscription()
}

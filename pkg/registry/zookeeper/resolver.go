package zookeeper

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

type zookeeperResolver struct {
	c    *zkClient
	opts *options
	name string

	mu      sync.Mutex
	targets map[string]*target // by description
	meta    *bridge.MetadataCache
	closed  bool
}

var _ discovery.Resolver = (*zookeeperResolver)(nil)

// NewZookeeperResolver returns a Kitex resolver that finds Dubbo providers
// in ZooKeeper at addrs, as a Dubbo 3.3 consumer does (WithDiscovery): from
// the interface-level entries, from application instances and their
// metadata, or both. Each target is watched: what Resolve returns follows
// ZooKeeper without reading it again, and Kitex's balancer cache asks
// Resolve again every refresh interval (lbcache.Options.RefreshInterval,
// 5s by default), which bounds how late a client sees a provider come or go.
// It connects at once; the result also implements io.Closer.
func NewZookeeperResolver(addrs []string, opts ...Option) (discovery.Resolver, error) {
	o := newOptions(opts)
	c, err := dial(addrs, o)
	if err != nil {
		return nil, err
	}
	// After a session expiry the watches end by themselves and their loops
	// set them again; the consumer entries are ephemerals the client writes
	// again.
	name := fmt.Sprintf("dubbo-zookeeper#%d(%s)", resolvers.Add(1), strings.Join(addrs, ","))
	r := &zookeeperResolver{c: c, opts: o, name: name, targets: map[string]*target{}}
	r.meta = bridge.NewMetadataCache(o.fetchTimeout, r.remoteMetadata)
	return r, nil
}

// remoteMetadata reads the MetadataInfo a provider with
// metadata-type=remote wrote under /<root>/metadata/<app>/<revision>.
func (r *zookeeperResolver) remoteMetadata(app, revision string) ([]byte, error) {
	data, _, err := r.c.conn.Get(metadataPath(r.opts.root, app, revision))
	return data, err
}

// resolvers numbers the resolvers of the process.
var resolvers atomic.Int64

// Name implements discovery.Resolver. Each resolver has its own: Kitex's
// default balancer cache is shared by every client whose resolver has the
// same name, and would keep asking the first such resolver, even closed.
func (r *zookeeperResolver) Name() string { return r.name }

// Target implements discovery.Resolver: the Dubbo service the call is for,
// from the codec (WithCodec) and the call's service info.
func (r *zookeeperResolver) Target(ctx context.Context, target rpcinfo.EndpointInfo) string {
	call := bridge.CallOf(ctx, target, r.opts.codec, r.opts.application)
	s := spec{mode: r.opts.discovery, iface: call.Interface, group: call.Group, version: call.Version,
		app: call.App, methods: call.Methods}
	desc := s.String()
	r.mu.Lock()
	if _, ok := r.targets[desc]; !ok && !r.closed {
		r.targets[desc] = newTarget(r, s)
	}
	r.mu.Unlock()
	return desc
}

// Resolve implements discovery.Resolver: the providers known now. The first
// Resolve of a target waits for its first read of ZooKeeper (bounded by ctx
// and the connect timeout); no providers is an empty result, not an error,
// so Kitex drops the last ones rather than keep them.
func (r *zookeeperResolver) Resolve(ctx context.Context, desc string) (discovery.Result, error) {
	r.mu.Lock()
	t := r.targets[desc]
	if t == nil && !r.closed {
		s, err := parseSpec(desc)
		if err != nil {
			r.mu.Unlock()
			return discovery.Result{}, err
		}
		t = newTarget(r, s)
		r.targets[desc] = t
	}
	r.mu.Unlock()
	if t == nil {
		return discovery.Result{}, errors.New("zookeeper: resolver closed")
	}
	t.start()
	wait := time.NewTimer(r.opts.connectTimeout)
	defer wait.Stop()
	select {
	case <-t.ready:
	case <-ctx.Done():
		return discovery.Result{}, fmt.Errorf("zookeeper: resolve %s: %w", desc, ctx.Err())
	case <-wait.C:
		return discovery.Result{}, fmt.Errorf("zookeeper: resolve %s: no answer from ZooKeeper in %v", desc, r.opts.connectTimeout)
	}
	return discovery.Result{Cacheable: true, CacheKey: desc, Instances: t.instances()}, nil
}

// Diff implements discovery.Resolver.
func (r *zookeeperResolver) Diff(cacheKey string, prev, next discovery.Result) (discovery.Change, bool) {
	return discovery.DefaultDiff(cacheKey, prev, next)
}

// Close stops every watch, removes the consumer entries and closes the connection.
func (r *zookeeperResolver) Close() error {
	r.mu.Lock()
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

// spec is what a target description says.
type spec struct {
	mode    Discovery
	iface   string
	group   string
	version string
	app     string
	methods []string
}

// String is the target description: mode|iface|group|version|app. Kitex
// logs it and keys its balancer cache by it.
func (s spec) String() string {
	return strings.Join([]string{s.mode.String(), s.iface, s.group, s.version, s.app}, "|")
}

func parseSpec(desc string) (spec, error) {
	parts := strings.Split(desc, "|")
	if len(parts) != 5 || parts[1] == "" {
		return spec{}, fmt.Errorf("zookeeper: %q is not a target of this resolver", desc)
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

func (s spec) service(host string) *registry.Service {
	app := s.app
	if app == "" {
		app = "kitex-consumer"
	}
	return &registry.Service{Interface: s.iface, Group: s.group, Version: s.version, Application: app, Methods: s.methods, Host: host}
}

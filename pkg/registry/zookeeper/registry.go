package zookeeper

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/cloudwego/kitex/pkg/klog"
	kregistry "github.com/cloudwego/kitex/pkg/registry"
	"github.com/go-zookeeper/zk"

	"github.com/kitexdubbo/kitexdubbo/pkg/dubbo"
	"github.com/kitexdubbo/kitexdubbo/pkg/registry"
	"github.com/kitexdubbo/kitexdubbo/pkg/registry/internal/bridge"
)

type zookeeperRegistry struct {
	c    *zkClient
	opts *options

	mu     sync.Mutex
	regs   map[string]*registration // by Info.Addr
	served bridge.MetadataServer
}

var _ kregistry.Registry = (*zookeeperRegistry)(nil)

// registration is what one Register wrote, for Deregister.
type registration struct {
	app       string
	nodes     []string // ephemeral nodes
	codecs    []*dubbo.DubboCodec
	metadata  *registry.MetadataInfo
	providers []*registry.URL
	serving   bool // its codecs answer its metadata
}

// NewZookeeperRegistry returns a Kitex registry that makes a Kitex server a
// Dubbo provider in ZooKeeper at addrs ("127.0.0.1:2181"): under
// /dubbo/<iface>/providers and, as an application instance, under
// /services/<app> with /dubbo/mapping/<iface>, so Dubbo 2 and 3 consumers
// find it as they find a Dubbo-Java provider. Name its services with
// WithService. It connects at once; the result also implements io.Closer.
func NewZookeeperRegistry(addrs []string, opts ...Option) (kregistry.Registry, error) {
	o := newOptions(opts)
	c, err := dial(addrs, o)
	if err != nil {
		return nil, err
	}
	r := &zookeeperRegistry{c: c, opts: o, regs: map[string]*registration{}}
	c.addSessionHook(r.restoreMappings)
	return r, nil
}

// restoreMappings adds the applications to their mappings again on a new
// session. The mapping is persistent and normally outlives a session, but a
// ZooKeeper restored from nothing has lost it, and without it no Dubbo 3
// consumer finds the instances.
func (r *zookeeperRegistry) restoreMappings() {
	if r.opts.registerMode == RegisterInterface {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, reg := range r.regs {
		for _, s := range reg.metadata.Services {
			if err := r.addMapping(s.Name, reg.app); err != nil {
				klog.Warnf("KITEX: zookeeper: restore mapping of %s: %v", s.Name, err)
			}
		}
	}
}

// Register implements registry.Registry. Kitex calls it once the server listens.
func (r *zookeeperRegistry) Register(info *kregistry.Info) error {
	if info == nil || info.Addr == nil {
		return errors.New("zookeeper: register: no address in the registry info")
	}
	if len(r.opts.services) == 0 {
		return errors.New("zookeeper: register: no Dubbo service named: give zookeeper.WithService(codec, NewServiceInfo())")
	}
	host, port, err := bridge.Advertised(info.Addr, r.opts.host)
	if err != nil {
		return fmt.Errorf("zookeeper: register: %w (zookeeper.WithHost sets it)", err)
	}
	app := r.opts.application
	if app == "" {
		app = info.ServiceName
	}
	if app == "" || strings.ContainsAny(app, "/,") {
		return fmt.Errorf("zookeeper: register: application name %q: set the server's service name or zookeeper.WithApplication, without '/' or ','", app)
	}
	reg := &registration{app: app}
	var infos []*registry.ServiceInfo
	now := time.Now()
	for _, s := range r.opts.services {
		d := s.codec.Describe(s.svcInfo)
		svc := &registry.Service{
			Interface:   d.Interface,
			Group:       d.Group,
			Version:     d.Version,
			Application: app,
			Methods:     d.Methods,
			Host:        host,
			Port:        port,
			Weight:      bridge.Weight(info),
		}
		if r.opts.registerMode != RegisterInstance {
			u := svc.ProviderURL(now)
			if r.opts.registerMode == RegisterAll {
				u.SetParam("service-name-mapping", "true")
			}
			reg.providers = append(reg.providers, u)
		}
		infos = append(infos, registry.NewServiceInfo(svc))
		if !slices.Contains(reg.codecs, s.codec) {
			reg.codecs = append(reg.codecs, s.codec)
		}
	}
	reg.metadata = registry.NewMetadataInfo(app, infos...)

	key := info.Addr.String()
	r.mu.Lock()
	defer r.mu.Unlock()
	if old := r.regs[key]; old != nil {
		r.remove(old)
	}
	if r.opts.registerMode != RegisterInterface {
		// The MetadataService answers before the instance is visible: a
		// consumer calls it as soon as it sees the instance.
		for _, c := range reg.codecs {
			r.served.Serve(c, reg.metadata)
		}
		reg.serving = true
		in := registry.NewInstance(app, host, port, reg.metadata.Revision, now)
		data, err := in.JSON()
		if err != nil {
			return err
		}
		p := servicesPath(app) + "/" + in.ID
		if err := r.c.addEphemeral(p, data); err != nil {
			r.remove(reg)
			return fmt.Errorf("zookeeper: register instance %s: %w", p, err)
		}
		reg.nodes = append(reg.nodes, p)
		for _, s := range infos {
			if err := r.c.retry(func() error { return r.addMapping(s.Name, app) }); err != nil {
				r.remove(reg)
				return err
			}
		}
	}
	for _, u := range reg.providers {
		p := categoryPath(r.opts.root, u.Interface(), registry.CategoryProviders) + "/" + u.Encoded()
		if err := r.c.addEphemeral(p, nil); err != nil {
			r.remove(reg)
			return fmt.Errorf("zookeeper: register %s: %w", u, err)
		}
		reg.nodes = append(reg.nodes, p)
	}
	r.regs[key] = reg
	return nil
}

// Deregister implements registry.Registry: the entries go at once, so
// Dubbo consumers stop calling before the server closes.
func (r *zookeeperRegistry) Deregister(info *kregistry.Info) error {
	if info == nil || info.Addr == nil {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	reg := r.regs[info.Addr.String()]
	if reg == nil {
		return nil
	}
	delete(r.regs, info.Addr.String())
	return r.remove(reg)
}

func (r *zookeeperRegistry) remove(reg *registration) error {
	var errs []error
	for _, p := range reg.nodes {
		if err := r.c.removeEphemeral(p); err != nil {
			errs = append(errs, fmt.Errorf("zookeeper: deregister %s: %w", p, err))
		}
	}
	if reg.serving {
		for _, c := range reg.codecs {
			r.served.Withdraw(c, reg.metadata)
		}
		reg.serving = false
	}
	return errors.Join(errs...)
}

// Close removes what the registry wrote and closes its connection.
func (r *zookeeperRegistry) Close() error {
	r.mu.Lock()
	var errs []error
	for k, reg := range r.regs {
		errs = append(errs, r.remove(reg))
		delete(r.regs, k)
	}
	r.mu.Unlock()
	r.c.close()
	return errors.Join(errs...)
}

// maxMappingTries bounds compare-and-set rounds against other writers.
const maxMappingTries = 16

// addMapping adds app to /dubbo/mapping/<iface>, compare-and-set on the
// node's version as Dubbo-Java does, so two providers starting at once both
// end up in the list. The mapping is persistent: Dubbo never removes an app.
func (r *zookeeperRegistry) addMapping(iface, app string) error {
	p := mappingPath(r.opts.root, iface)
	for try := 0; try < maxMappingTries; try++ {
		data, st, err := r.c.conn.Get(p)
		if errors.Is(err, zk.ErrNoNode) {
			if err := r.c.ensurePath(parentPath(p)); err != nil {
				return err
			}
			_, err = r.c.conn.Create(p, []byte(app), 0, acl)
			if errors.Is(err, zk.ErrNodeExists) {
				continue // someone else was first: merge with theirs
			}
			if err != nil {
				return fmt.Errorf("zookeeper: create mapping %s: %w", p, err)
			}
			return nil
		}
		if err != nil {
			return fmt.Errorf("zookeeper: read mapping %s: %w", p, err)
		}
		next, changed := registry.AddToMapping(data, app)
		if !changed {
			return nil
		}
		_, err = r.c.conn.Set(p, next, st.Version)
		if errors.Is(err, zk.ErrBadVersion) {
			continue
		}
		if err != nil {
			return fmt.Errorf("zookeeper: update mapping %s: %w", p, err)
		}
		return nil
	}
	return fmt.Errorf("zookeeper: mapping %s: changed by others %d times in a row", p, maxMappingTries)
}

// Paths, as Dubbo's ZookeeperRegistry and ZookeeperServiceDiscovery name them.
func categoryPath(root, iface, category string) string {
	return "/" + root + "/" + registry.Encode(iface) + "/" + category
}

func mappingPath(root, iface string) string { return "/" + root + "/mapping/" + iface }

func servicesPath(app string) string { return "/services/" + app }

func metadataPath(root, app, revision string) string {
	return "/" + root + "/metadata/" + app + "/" + revision
}

func parentPath(p string) string {
	for i := len(p) - 1; i > 0; i-- {
		if p[i] == '/' {
			return p[:i]
		}
	}
	return "/"
}

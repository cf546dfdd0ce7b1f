package zookeeper

import (
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/cloudwego/kitex/pkg/discovery"
	"github.com/cloudwego/kitex/pkg/klog"
	kregistry "github.com/cloudwego/kitex/pkg/registry"
	"github.com/go-zookeeper/zk"

	"github.com/kitexdubbo/kitexdubbo/pkg/dubbo"
	"github.com/kitexdubbo/kitexdubbo/pkg/registry"
)

type zookeeperRegistry struct {
	c    *zkClient
	opts *options

	mu   sync.Mutex
	regs map[string]*registration // by Info.Addr
}

var _ kregistry.Registry = (*zookeeperRegistry)(nil)

// registration is what one Register wrote, for Deregister.
type registration struct {
	app       string
	nodes     []string // ephemeral nodes
	codecs    []*dubbo.DubboCodec
	metadata  *registry.MetadataInfo
	providers []*registry.URL
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
	host, port, err := r.advertised(info.Addr)
	if err != nil {
		return err
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
			Weight:      weight(info),
		}
		if r.opts.registerMode != RegisterInstance {
			u := svc.ProviderURL(now)
			if r.opts.registerMode == RegisterAll {
				u.SetParam("service-name-mapping", "true")
			}
			reg.providers = append(reg.providers, u)
		}
		infos = append(infos, registry.NewServiceInfo(svc))
		if !containsCodec(reg.codecs, s.codec) {
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
		md := reg.metadata
		for _, c := range reg.codecs {
			c.ServeMetadata(app, func(revision string) any {
				// As Dubbo-Java: metadata of another revision is no answer.
				if revision != "" && revision != md.Revision {
					return nil
				}
				return md
			})
		}
		in := registry.NewInstance(app, host, port, md.Revision, now)
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
			if err := r.addMapping(s.Name, app); err != nil {
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
	for _, c := range reg.codecs {
		c.ServeMetadata(reg.app, nil)
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

// advertised is the host and port consumers should dial: WithHost, else the
// listen address; an unspecified one (0.0.0.0, ::) becomes this machine's
// first non-loopback address, as Dubbo-Java registers.
func (r *zookeeperRegistry) advertised(addr net.Addr) (string, int, error) {
	h, ps, err := net.SplitHostPort(addr.String())
	if err != nil {
		return "", 0, fmt.Errorf("zookeeper: register: address %q: %w", addr, err)
	}
	port, err := strconv.Atoi(ps)
	if err != nil || port <= 0 {
		return "", 0, fmt.Errorf("zookeeper: register: address %q has no port", addr)
	}
	if r.opts.host != "" {
		return r.opts.host, port, nil
	}
	if ip := net.ParseIP(h); ip == nil || ip.IsUnspecified() {
		if h = localIP(); h == "" {
			return "", 0, fmt.Errorf("zookeeper: register: listening on %q and no address of this machine to write; use zookeeper.WithHost", addr)
		}
	}
	return h, port, nil
}

func localIP() string {
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

// weight is Kitex's weight when the server set one: Kitex fills in its own
// default (10), which Dubbo would read against its default of 100.
func weight(info *kregistry.Info) int {
	if info.Weight == discovery.DefaultWeight {
		return 0
	}
	return info.Weight
}

func containsCodec(list []*dubbo.DubboCodec, c *dubbo.DubboCodec) bool {
	for _, x := range list {
		if x == c {
			return true
		}
	}
	return false
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

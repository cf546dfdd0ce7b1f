package nacos

import (
	"crypto/md5"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/cloudwego/kitex/pkg/klog"
	kregistry "github.com/cloudwego/kitex/pkg/registry"
	"github.com/nacos-group/nacos-sdk-go/v2/vo"

	"github.com/kitexdubbo/kitexdubbo/pkg/dubbo"
	"github.com/kitexdubbo/kitexdubbo/pkg/registry"
	"github.com/kitexdubbo/kitexdubbo/pkg/registry/internal/bridge"
)

type nacosRegistry struct {
	c    *nacosClient
	opts *options

	mu        sync.Mutex
	regs      map[string]*registration                       // by Info.Addr
	published map[string]map[string]vo.RegisterInstanceParam // Nacos service -> ip#port -> instance
	served    bridge.MetadataServer

	done chan struct{}
	wg   sync.WaitGroup
}

var _ kregistry.Registry = (*nacosRegistry)(nil)

// registration is what one Register wrote, for Deregister.
type registration struct {
	app      string
	entries  []entry
	codecs   []*dubbo.DubboCodec
	metadata *registry.MetadataInfo
	ifaces   []string // whose mappings name app
	serving  bool     // its codecs answer its metadata
}

// entry is one instance of one Nacos service.
type entry struct{ service, key string }

// NewNacosRegistry returns a Kitex registry that makes a Kitex server a
// Dubbo provider in Nacos (WithServerAddress), as Dubbo-Java 3.3 writes
// one: an instance of providers:<iface>:<version>:<group> per service and,
// as an application instance, one of the service named after the
// application, with the config dataId=<iface>, group=mapping naming it, so
// Dubbo 2 and 3 consumers find it as they find a Dubbo-Java provider. Name
// its services with WithService. It connects at once; the result also
// implements io.Closer.
func NewNacosRegistry(opts ...Option) (kregistry.Registry, error) {
	o := newOptions(opts)
	c, err := dial(o, o.registerMode != RegisterInterface)
	if err != nil {
		return nil, err
	}
	r := &nacosRegistry{c: c, opts: o, regs: map[string]*registration{},
		published: map[string]map[string]vo.RegisterInstanceParam{}, done: make(chan struct{})}
	if o.registerMode != RegisterInterface {
		r.wg.Add(1)
		go r.keepMappings()
	}
	return r, nil
}

// Register implements registry.Registry. Kitex calls it once the server listens.
func (r *nacosRegistry) Register(info *kregistry.Info) error {
	if info == nil || info.Addr == nil {
		return errors.New("nacos: register: no address in the registry info")
	}
	if len(r.opts.services) == 0 {
		return errors.New("nacos: register: no Dubbo service named: give nacos.WithService(codec, NewServiceInfo())")
	}
	host, port, err := bridge.Advertised(info.Addr, r.opts.host)
	if err != nil {
		return fmt.Errorf("nacos: register: %w (nacos.WithHost sets it)", err)
	}
	app := r.opts.application
	if app == "" {
		app = info.ServiceName
	}
	if app == "" || strings.ContainsAny(app, ",") || strings.Contains(app, "@@") {
		return fmt.Errorf("nacos: register: application name %q: set the server's service name or nacos.WithApplication, without ',' or '@@'", app)
	}
	reg := &registration{app: app}
	var infos []*registry.ServiceInfo
	var providers []*registry.URL
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
			providers = append(providers, u)
		}
		infos = append(infos, registry.NewServiceInfo(svc))
		if !slices.Contains(reg.codecs, s.codec) {
			reg.codecs = append(reg.codecs, s.codec)
		}
		if !slices.Contains(reg.ifaces, d.Interface) {
			reg.ifaces = append(reg.ifaces, d.Interface)
		}
	}
	reg.metadata = registry.NewMetadataInfo(app, infos...)

	key := info.Addr.String()
	r.mu.Lock()
	defer r.mu.Unlock()
	if old := r.regs[key]; old != nil {
		delete(r.regs, key)
		_ = r.remove(old)
	}
	if r.opts.registerMode != RegisterInterface {
		// The MetadataService answers before the instance is visible: a
		// consumer calls it as soon as it sees the instance.
		for _, c := range reg.codecs {
			r.served.Serve(c, reg.metadata)
		}
		reg.serving = true
		in := registry.NewInstance(app, host, port, reg.metadata.Revision, now)
		if err := r.publish(reg, app, nacosInstance(host, port, in.Payload.Metadata)); err != nil {
			r.remove(reg)
			return err
		}
		for _, iface := range reg.ifaces {
			// As with Dubbo-Java, a mapping that cannot be written does not
			// stop the provider: its interface-level entries and instance are
			// there, and keepMappings tries again every mappingCheck.
			if err := r.addMapping(iface, app); err != nil {
				klog.Warnf("KITEX: nacos: %v (will try again)", err)
			}
		}
	}
	for _, u := range providers {
		if err := r.publish(reg, serviceName(registry.CategoryProviders, u), nacosInstance(host, port, instanceMetadata(u))); err != nil {
			r.remove(reg)
			return err
		}
	}
	r.regs[key] = reg
	return nil
}

// nacosInstance is an ephemeral instance at host:port, written as
// Dubbo-Java writes it: an IPv6 host in brackets, weight 1 (Dubbo weighs by
// the weight in the metadata, not Nacos's).
func nacosInstance(host string, port int, md map[string]string) vo.RegisterInstanceParam {
	if strings.Contains(host, ":") && !strings.HasPrefix(host, "[") {
		host = "[" + host + "]"
	}
	return vo.RegisterInstanceParam{Ip: host, Port: uint64(port), Weight: 1, Enable: true, Healthy: true,
		Ephemeral: true, Metadata: md}
}

// instanceMetadata is a provider URL as Dubbo's NacosRegistry writes it:
// its parameters, with its category, protocol and path.
func instanceMetadata(u *registry.URL) map[string]string {
	md := make(map[string]string, len(u.Params)+3)
	for k, v := range u.Params {
		md[k] = v
	}
	if md[registry.KeyCategory] == "" {
		md[registry.KeyCategory] = registry.CategoryProviders
	}
	md[registry.KeyProtocol] = u.Protocol
	md["path"] = u.Path
	return md
}

// serviceName is the Nacos service of a URL's interface-level entries:
// category:interface:version:group, empty parts kept, with Java's inner
// class '$' written as "___" (as NacosNamingServiceWrapper does).
func serviceName(category string, u *registry.URL) string {
	return interfaceService(category, u.Interface(), u.Params[registry.KeyVersion], u.Params[registry.KeyGroup])
}

func interfaceService(category, iface, version, group string) string {
	return strings.ReplaceAll(category+":"+iface+":"+version+":"+group, "$", "___")
}

func instanceKey(in vo.RegisterInstanceParam) string {
	return in.Ip + "#" + strconv.FormatUint(in.Port, 10)
}

// publish adds an instance of service and registers the service's
// instances from this registry again. The SDK registers again, after a
// reconnect, only the last registration of each service, so several
// instances of one service (several servers sharing the registry) go in one
// batch.
func (r *nacosRegistry) publish(reg *registration, service string, in vo.RegisterInstanceParam) error {
	in.ServiceName, in.GroupName = service, r.opts.group
	k := instanceKey(in)
	set := r.published[service]
	if set == nil {
		set = map[string]vo.RegisterInstanceParam{}
		r.published[service] = set
	}
	set[k] = in
	reg.entries = append(reg.entries, entry{service, k})
	if err := r.sync(service); err != nil {
		return fmt.Errorf("nacos: register %s at %s: %w", service, k, err)
	}
	return nil
}

// sync registers the instances of service this registry holds.
func (r *nacosRegistry) sync(service string) error {
	set := r.published[service]
	if len(set) == 0 {
		return nil
	}
	var ok bool
	var err error
	if len(set) == 1 {
		for _, in := range set {
			ok, err = r.c.naming.RegisterInstance(in)
		}
	} else {
		keys := make([]string, 0, len(set))
		for k := range set {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		batch := vo.BatchRegisterInstanceParam{ServiceName: service, GroupName: r.opts.group}
		for _, k := range keys {
			batch.Instances = append(batch.Instances, set[k])
		}
		ok, err = r.c.naming.BatchRegisterInstance(batch)
	}
	if err == nil && !ok {
		err = errors.New("refused by the server")
	}
	return err
}

// unpublish removes an instance: it is deregistered (which on Alibaba's
// Nacos 2 drops the whole registration of the service from this client),
// and the service's other instances from this registry are registered again.
func (r *nacosRegistry) unpublish(e entry) error {
	set := r.published[e.service]
	in, ok := set[e.key]
	if !ok {
		return nil
	}
	delete(set, e.key)
	if len(set) == 0 {
		delete(r.published, e.service)
	}
	var errs []error
	done, err := r.c.naming.DeregisterInstance(vo.DeregisterInstanceParam{Ip: in.Ip, Port: in.Port,
		ServiceName: e.service, GroupName: r.opts.group, Ephemeral: true})
	if err == nil && !done {
		err = errors.New("refused by the server")
	}
	if err != nil {
		errs = append(errs, fmt.Errorf("nacos: deregister %s at %s: %w", e.service, e.key, err))
	}
	if err := r.sync(e.service); err != nil {
		errs = append(errs, fmt.Errorf("nacos: register the other instances of %s: %w", e.service, err))
	}
	return errors.Join(errs...)
}

// Deregister implements registry.Registry: the entries go at once, so
// Dubbo consumers stop calling before the server closes.
func (r *nacosRegistry) Deregister(info *kregistry.Info) error {
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

func (r *nacosRegistry) remove(reg *registration) error {
	var errs []error
	for _, e := range reg.entries {
		errs = append(errs, r.unpublish(e))
	}
	if reg.serving {
		for _, c := range reg.codecs {
			r.served.Withdraw(c, reg.metadata)
		}
		reg.serving = false
	}
	return errors.Join(errs...)
}

// Close removes what the registry wrote (but the mappings, which Dubbo
// never removes) and closes its connections.
func (r *nacosRegistry) Close() error {
	select {
	case <-r.done:
		return nil
	default:
	}
	close(r.done)
	r.wg.Wait()
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

// maxMappingTries bounds the rounds of adding an application to a mapping
// against other writers.
const maxMappingTries = 8

// addMapping adds app to the mapping config of iface (dataId=iface,
// group=mapping, "app1,app2"), read-modify-write with the casMd5 of what
// was read, as Dubbo-Java publishes it. Alibaba's Nacos refuses a publish
// whose casMd5 is stale, and the round is tried again; rnacos ignores
// casMd5 (last writer wins), so each round reads the mapping back and
// stops only once app is in it. A writer at the same moment can still
// drop app afterwards: keepMappings puts it back.
func (r *nacosRegistry) addMapping(iface, app string) error {
	var last error
	for try := 0; try < maxMappingTries; try++ {
		content, err := r.c.getConfig(iface, MappingGroup)
		if err != nil {
			return fmt.Errorf("nacos: read mapping %s: %w", iface, err)
		}
		apps, err := registry.ParseMapping([]byte(content))
		if err != nil {
			return fmt.Errorf("nacos: mapping %s: %w", iface, err)
		}
		if slices.Contains(apps, app) {
			return nil
		}
		next, _ := registry.AddToMapping([]byte(content), app)
		cas := ""
		if content != "" {
			sum := md5.Sum([]byte(content))
			cas = hex.EncodeToString(sum[:])
		}
		ok, err := r.c.config.PublishConfig(vo.ConfigParam{DataId: iface, Group: MappingGroup, Content: string(next), CasMd5: cas})
		if err == nil && !ok {
			err = errors.New("refused by the server")
		}
		if err != nil {
			last = err
		}
		// Apart from another writer before reading again.
		time.Sleep(time.Duration(10*(try+1)) * time.Millisecond)
	}
	if last == nil {
		last = errors.New("others kept replacing it")
	}
	return fmt.Errorf("nacos: add %s to mapping %s in %d tries: %w", app, iface, maxMappingTries, last)
}

// keepMappings checks, every mappingCheck, that the applications
// registered are in their mappings and adds them again where not: a Nacos
// restored without its data, or a concurrent writer on a server that
// ignores casMd5, would otherwise leave Dubbo 3 consumers unable to find
// them at application level.
func (r *nacosRegistry) keepMappings() {
	defer r.wg.Done()
	tick := time.NewTicker(r.opts.mappingCheck)
	defer tick.Stop()
	for {
		select {
		case <-r.done:
			return
		case <-tick.C:
		}
		r.mu.Lock()
		type pair struct{ iface, app string }
		var want []pair
		for _, reg := range r.regs {
			for _, iface := range reg.ifaces {
				want = append(want, pair{iface, reg.app})
			}
		}
		r.mu.Unlock()
		for _, p := range want {
			if err := r.addMapping(p.iface, p.app); err != nil {
				klog.Warnf("KITEX: nacos: keep %s in mapping %s: %v", p.app, p.iface, err)
			}
		}
	}
}

package nacos

import (
	"fmt"
	"net"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cloudwego/kitex/pkg/discovery"
	"github.com/cloudwego/kitex/pkg/klog"
	"github.com/nacos-group/nacos-sdk-go/v2/model"

	"github.com/kitexdubbo/kitexdubbo/pkg/registry"
	"github.com/kitexdubbo/kitexdubbo/pkg/registry/internal/bridge"
)

// retryInterval is how soon a failed read of Nacos or of an instance's
// metadata is tried again; a change Nacos pushes is read at once.
const retryInterval = time.Second

// maxInstances bounds the instances of one service a target reads; past
// it, the rest of the list is skipped (and logged).
const maxInstances = 4096

// target is one Dubbo service a resolver follows: the interface-level
// service, the mapping, and the services of the applications the mapping
// names, merged into the instances Resolve returns. One goroutine reads
// them all, again each time the SDK reports a change of any (its callbacks
// only wake it).
type target struct {
	r            *nacosResolver
	spec         spec
	sub          *registry.URL // what providers are matched against
	ifaceService string

	startOnce sync.Once
	stopOnce  sync.Once
	done      chan struct{}
	wg        sync.WaitGroup
	ready     chan struct{}
	wake      chan struct{}
	// mappingChanged asks the loop to read the mapping again at once: the
	// SDK's listener said it changed. mappingDue asks it to read it again
	// within mappingReadGap: a service changed (the SDK can lose a config
	// push, and a provider's mapping comes with its instances), or
	// mappingCheck passed.
	mappingChanged atomic.Bool
	mappingDue     atomic.Bool

	mu          sync.Mutex
	readyClosed bool
	current     []discovery.Instance
}

func newTarget(r *nacosResolver, s spec) *target {
	return &target{r: r, spec: s, sub: s.subscription(),
		ifaceService: interfaceService(registry.CategoryProviders, s.iface, s.version, s.group),
		done:         make(chan struct{}), ready: make(chan struct{}), wake: make(chan struct{}, 1)}
}

func (t *target) start() {
	t.startOnce.Do(func() {
		t.wg.Add(1)
		go t.loop()
	})
}

func (t *target) stop() {
	t.stopOnce.Do(func() { close(t.done) })
	t.startOnce.Do(func() {}) // a target stopped before it started never starts
	t.wg.Wait()
}

// mappingReadGap spaces the reads of a mapping a target makes unasked
// (nacos-sdk-go allows 5 reads a second of one config per process).
const mappingReadGap = time.Second

// serviceChanged is what the SDK's naming callbacks call, mappingChangedNow
// its config listener's: they never block.
func (t *target) serviceChanged() {
	t.mappingDue.Store(true)
	t.poke()
}

func (t *target) mappingChangedNow() {
	t.mappingChanged.Store(true)
	t.poke()
}

func (t *target) poke() {
	select {
	case t.wake <- struct{}{}:
	default:
	}
}

// appState is what the loop knows of one application the mapping names.
type appState struct {
	cancel func()
	loaded bool
	inst   []discovery.Instance
}

func (t *target) loop() {
	defer t.wg.Done()
	ifaceLevel := t.spec.mode != DiscoveryApplication
	appLevel := t.spec.mode != DiscoveryInterface
	var cancels []func()
	apps := map[string]*appState{}
	defer func() {
		for _, a := range apps {
			a.cancel()
		}
		for _, c := range cancels {
			c()
		}
	}()
	if ifaceLevel {
		cancels = append(cancels, t.r.naming.watch(t.ifaceService, t.serviceChanged))
	}
	mappingWatched, mapLoaded := false, false
	var lastMappingRead time.Time
	var ifaceInst []discovery.Instance
	ifaceLoaded := false
	t.mappingChanged.Store(true)
	recheck := time.NewTicker(t.r.opts.mappingCheck)
	defer recheck.Stop()
	for {
		ok := true
		var due <-chan time.Time
		if appLevel {
			if !mappingWatched {
				cancel, err := t.r.configs.watch(t.spec.iface, MappingGroup, t.mappingChangedNow)
				if err != nil {
					ok = false
					klog.Warnf("KITEX: nacos: %s: %v", t.spec, err)
				} else {
					cancels = append(cancels, cancel)
					mappingWatched = true
				}
			}
			read := t.mappingChanged.Load()
			if !read && t.mappingDue.Load() {
				if gap := time.Since(lastMappingRead); gap >= mappingReadGap {
					read = true
				} else {
					due = time.After(mappingReadGap - gap)
				}
			}
			if read {
				t.mappingChanged.Store(false)
				t.mappingDue.Store(false)
				lastMappingRead = time.Now()
				names, err := t.readMapping()
				if err != nil {
					ok = false
					t.mappingChanged.Store(true)
					klog.Warnf("KITEX: nacos: %s: mapping: %v", t.spec, err)
				} else {
					mapLoaded = true
					for name, a := range apps {
						if !slices.Contains(names, name) {
							a.cancel()
							delete(apps, name)
						}
					}
					for _, name := range names {
						if apps[name] == nil {
							apps[name] = &appState{cancel: t.r.naming.watch(name, t.serviceChanged)}
						}
					}
				}
			}
		}
		if ifaceLevel {
			inst, err := t.readProviders()
			if err != nil {
				ok = false
				klog.Warnf("KITEX: nacos: %s: %s: %v", t.spec, t.ifaceService, err)
			} else {
				ifaceInst, ifaceLoaded = inst, true
			}
		}
		if appLevel && !t.readApps(apps) {
			ok = false
		}
		t.update(ifaceInst, ifaceLoaded, apps, mapLoaded)
		var retry <-chan time.Time
		if !ok {
			retry = time.After(retryInterval)
		}
		select {
		case <-t.done:
			return
		case <-t.wake:
		case <-retry:
		case <-due:
		case <-recheck.C:
			t.mappingDue.Store(true)
		}
	}
}

// readMapping reads the applications the mapping names. A name Nacos could
// not take as a service name is left out.
func (t *target) readMapping() ([]string, error) {
	content, err := t.r.c.getConfig(t.spec.iface, MappingGroup)
	if err != nil {
		return nil, err
	}
	apps, err := registry.ParseMapping([]byte(content))
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(apps, func(a string) bool {
		if strings.Contains(a, "@@") {
			klog.Warnf("KITEX: nacos: %s: mapping names %q, not a Nacos service name", t.spec, clip(a))
			return true
		}
		return false
	}), nil
}

// readProviders reads the interface-level instances, as Dubbo's
// NacosRegistry does: the enabled ones (healthy or not), each a URL from
// its ip, port and metadata (protocol, path, the parameters), kept when
// it speaks Dubbo and matches the subscription.
func (t *target) readProviders() ([]discovery.Instance, error) {
	list, err := t.r.naming.instances(t.ifaceService)
	if err != nil {
		return nil, err
	}
	var out []discovery.Instance
	for _, in := range t.bounded(t.ifaceService, list) {
		if !in.Enable {
			continue
		}
		host, port, err := endpoint(in, registry.MaxURLLength)
		if err != nil {
			klog.Warnf("KITEX: nacos: skipped an instance of %s: %v", t.ifaceService, err)
			continue
		}
		u := &registry.URL{Protocol: in.Metadata[registry.KeyProtocol], Host: host, Port: port,
			Path: in.Metadata["path"], Params: in.Metadata}
		if u.Protocol != registry.ProtocolDubbo || !registry.IsMatch(t.sub, u) {
			continue
		}
		out = append(out, bridge.KitexInstance(host, port, u.Params))
	}
	return out, nil
}

// readApps reads the instances of each application and their metadata.
// An application whose instances could not be read keeps what it had; an
// instance whose metadata could not be had is left out. It reports whether
// everything was read.
func (t *target) readApps(apps map[string]*appState) bool {
	ok := true
	names := make([]string, 0, len(apps))
	for name := range apps {
		names = append(names, name)
	}
	slices.Sort(names)
	var found []*registry.Instance
	var owner []string
	var read []string
	for _, name := range names {
		list, err := t.r.naming.instances(name)
		if err != nil {
			ok = false
			klog.Warnf("KITEX: nacos: %s: instances of %s: %v", t.spec, name, err)
			continue
		}
		read = append(read, name)
		for _, in := range t.bounded(name, list) {
			if !in.Enable || !in.Healthy || in.Weight <= 0 {
				continue // what Dubbo's NacosServiceDiscovery selects
			}
			host, port, err := endpoint(in, registry.MaxDataLength)
			if err != nil {
				klog.Warnf("KITEX: nacos: skipped an instance of %s: %v", name, err)
				continue
			}
			p := port
			found = append(found, &registry.Instance{Name: name, ID: registry.InstanceID(host, port), Address: host, Port: &p,
				Payload: &registry.InstancePayload{Name: name, Metadata: in.Metadata}})
			owner = append(owner, name)
		}
	}
	inst := map[string][]discovery.Instance{}
	for i, md := range t.r.meta.GetAll(found) {
		in := found[i]
		if md.Err != nil {
			ok = false
			klog.Warnf("KITEX: nacos: instance %s of %s: %v (trying again in %v)", in.ID, in.Name, md.Err, retryInterval)
			continue
		}
		if ki := bridge.FromMetadata(t.sub, t.spec.iface, t.spec.group, t.spec.version, in, md.Info); ki != nil {
			inst[owner[i]] = append(inst[owner[i]], ki)
		}
	}
	for _, name := range read {
		apps[name].inst, apps[name].loaded = inst[name], true
	}
	return ok
}

// bounded is list (a copy of its own) sorted by address, cut at maxInstances.
func (t *target) bounded(service string, list []model.Instance) []model.Instance {
	list = slices.Clone(list)
	slices.SortFunc(list, func(a, b model.Instance) int {
		if c := strings.Compare(a.Ip, b.Ip); c != 0 {
			return c
		}
		return int(min(a.Port, 1<<20)) - int(min(b.Port, 1<<20))
	})
	if len(list) > maxInstances {
		klog.Warnf("KITEX: nacos: %s has %d instances; reading the first %d", service, len(list), maxInstances)
		list = list[:maxInstances]
	}
	return list
}

// endpoint checks what Nacos says of an instance: its host (an IPv6
// address may come in brackets, as Dubbo-Java writes it), its port, and
// metadata within bounds (at most registry.MaxParams entries of maxBytes
// in all).
func endpoint(in model.Instance, maxBytes int) (string, int, error) {
	host, ok := hostOf(in.Ip)
	if !ok {
		return "", 0, fmt.Errorf("%w: host %q", registry.ErrMalformed, clip(in.Ip))
	}
	if in.Port == 0 || in.Port > 65535 {
		return "", 0, fmt.Errorf("%w: %s: port %d", registry.ErrMalformed, host, in.Port)
	}
	if len(in.Metadata) > registry.MaxParams {
		return "", 0, fmt.Errorf("%w: %s: %d metadata entries, limit %d", registry.ErrTooLarge, host, len(in.Metadata), registry.MaxParams)
	}
	n := 0
	for k, v := range in.Metadata {
		n += len(k) + len(v)
	}
	if n > maxBytes {
		return "", 0, fmt.Errorf("%w: %s: %d bytes of metadata, limit %d", registry.ErrTooLarge, host, n, maxBytes)
	}
	return host, int(in.Port), nil
}

// hostOf is an instance's ip without IPv6 brackets, if it is an IP address
// or a host name.
func hostOf(ip string) (string, bool) {
	h := ip
	if strings.HasPrefix(h, "[") && strings.HasSuffix(h, "]") {
		h = h[1 : len(h)-1]
	}
	if h == "" || len(h) > 253 {
		return "", false
	}
	if net.ParseIP(h) != nil {
		return h, true
	}
	for i := 0; i < len(h); i++ {
		c := h[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '-' || c == '_') {
			return "", false
		}
	}
	return h, true
}

// update merges the sources into the current instances, by the target's
// mode, and closes ready once every source it reads was read.
func (t *target) update(ifaceInst []discovery.Instance, ifaceLoaded bool, apps map[string]*appState, mapLoaded bool) {
	var appInst []discovery.Instance
	appsLoaded := mapLoaded
	names := make([]string, 0, len(apps))
	for name := range apps {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		appInst = append(appInst, apps[name].inst...)
		appsLoaded = appsLoaded && apps[name].loaded
	}
	var current []discovery.Instance
	var loaded bool
	switch t.spec.mode {
	case DiscoveryInterface:
		current, loaded = ifaceInst, ifaceLoaded
	case DiscoveryApplication:
		current, loaded = appInst, appsLoaded
	default:
		// Dubbo's APPLICATION_FIRST: the application level when it has
		// addresses, else the interface level.
		current = appInst
		if len(appInst) == 0 {
			current = ifaceInst
		}
		loaded = ifaceLoaded && appsLoaded
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.current = current
	if loaded && !t.readyClosed {
		t.readyClosed = true
		close(t.ready)
	}
}

func (t *target) instances() []discovery.Instance {
	t.mu.Lock()
	defer t.mu.Unlock()
	return slices.Clone(t.current)
}

// DefaultWeight is a Dubbo provider's weight when it writes none.
const DefaultWeight = bridge.DefaultWeight

// clip shortens hostile input quoted in a message.
func clip(s string) string {
	const max = 120
	if len(s) > max {
		return s[:max] + "..."
	}
	return s
}

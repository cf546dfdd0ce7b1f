package zookeeper

import (
	"errors"
	"path"
	"slices"
	"sync"
	"time"

	"github.com/cloudwego/kitex/pkg/discovery"
	"github.com/cloudwego/kitex/pkg/klog"
	"github.com/go-zookeeper/zk"

	"github.com/kitexdubbo/kitexdubbo/pkg/registry"
	"github.com/kitexdubbo/kitexdubbo/pkg/registry/internal/bridge"
)

// retryInterval is how soon a failed read of ZooKeeper or of an instance's
// metadata is tried again; a watch that fired is read again at once.
const retryInterval = time.Second

// target is one watched Dubbo service: the interface-level providers, the
// mapping, and the instances of each application the mapping names, merged
// into the instances Resolve returns.
type target struct {
	r    *zookeeperResolver
	spec spec
	sub  *registry.URL // what providers are matched against

	startOnce sync.Once
	done      chan struct{}
	wg        sync.WaitGroup
	ready     chan struct{}

	mu          sync.Mutex
	consumer    string // the consumer node, if written
	ifaceInst   []discovery.Instance
	ifaceLoaded bool
	mapLoaded   bool
	apps        map[string]*appWatch
	readyClosed bool
	current     []discovery.Instance
}

type appWatch struct {
	done   chan struct{}
	loaded bool
	inst   []discovery.Instance
}

func newTarget(r *zookeeperResolver, s spec) *target {
	t := &target{r: r, spec: s, done: make(chan struct{}), ready: make(chan struct{}), apps: map[string]*appWatch{}}
	t.sub = s.service("").Subscription()
	return t
}

func (t *target) start() {
	t.startOnce.Do(func() {
		if t.spec.mode != DiscoveryApplication {
			t.wg.Add(1)
			go t.loop(t.done, t.readProviders)
		}
		if t.spec.mode != DiscoveryInterface {
			t.wg.Add(1)
			go t.loop(t.done, t.readMapping)
		}
		if t.r.opts.registerConsumer {
			t.registerConsumer()
		}
	})
}

func (t *target) stop() {
	select {
	case <-t.done:
		return
	default:
	}
	close(t.done)
	t.mu.Lock()
	consumer := t.consumer
	t.mu.Unlock()
	if consumer != "" {
		_ = t.r.c.removeEphemeral(consumer)
	}
	t.wg.Wait()
}

// registerConsumer writes the consumer entry Dubbo's consumers write, for
// admin tools; a failure only costs that, so it is logged.
func (t *target) registerConsumer() {
	host := t.r.opts.host
	if host == "" {
		if host = bridge.LocalIP(); host == "" {
			host = "127.0.0.1"
		}
	}
	u := t.spec.service(host).ConsumerURL(time.Now())
	p := categoryPath(t.r.opts.root, t.spec.iface, registry.CategoryConsumers) + "/" + u.Encoded()
	if err := t.r.c.addEphemeral(p, nil); err != nil {
		klog.Warnf("KITEX: zookeeper: register consumer %s: %v", p, err)
		return
	}
	t.mu.Lock()
	t.consumer = p
	t.mu.Unlock()
}

// loop runs read, which reads ZooKeeper and sets a watch, again each time
// the watch fires, until done. A failed read is tried again after
// retryInterval; a watch ended by an expired session or a closed connection
// (EventNotWatching) is set again by the next read.
func (t *target) loop(done <-chan struct{}, read func(done <-chan struct{}) (<-chan zk.Event, <-chan time.Time, error)) {
	defer t.wg.Done()
	for {
		ch, retry, err := read(done)
		if err != nil {
			select {
			case <-done:
				return
			default:
			}
			klog.Warnf("KITEX: zookeeper: %s: %v (trying again in %v)", t.spec, err, retryInterval)
			ch, retry = nil, time.After(retryInterval)
		}
		select {
		case <-done:
			return
		case <-ch:
		case <-retry:
		}
	}
}

// childrenW reads p's children and watches them; a missing p reads as no
// children, watched until it appears.
func childrenW(c *zkClient, p string) ([]string, <-chan zk.Event, error) {
	for {
		kids, _, ch, err := c.conn.ChildrenW(p)
		if !errors.Is(err, zk.ErrNoNode) {
			return kids, ch, err
		}
		ok, _, ch, err := c.conn.ExistsW(p)
		if err != nil || !ok {
			return nil, ch, err
		}
	}
}

// dataW reads p's data and watches it; a missing p reads as nil, watched.
func dataW(c *zkClient, p string) ([]byte, <-chan zk.Event, error) {
	for {
		data, _, ch, err := c.conn.GetW(p)
		if !errors.Is(err, zk.ErrNoNode) {
			return data, ch, err
		}
		ok, _, ch, err := c.conn.ExistsW(p)
		if err != nil || !ok {
			return nil, ch, err
		}
	}
}

func (t *target) readProviders(<-chan struct{}) (<-chan zk.Event, <-chan time.Time, error) {
	p := categoryPath(t.r.opts.root, t.spec.iface, registry.CategoryProviders)
	kids, ch, err := childrenW(t.r.c, p)
	if err != nil {
		return nil, nil, err
	}
	slices.Sort(kids)
	var inst []discovery.Instance
	for _, k := range kids {
		u, err := registry.ParseEncodedURL(k)
		if err != nil {
			klog.Warnf("KITEX: zookeeper: skipped a provider entry under %s: %v", p, err)
			continue
		}
		if u.Protocol != registry.ProtocolDubbo || u.Port <= 0 || u.Host == "" || !registry.IsMatch(t.sub, u) {
			continue
		}
		inst = append(inst, bridge.KitexInstance(u.Host, u.Port, u.Params))
	}
	t.mu.Lock()
	t.ifaceInst, t.ifaceLoaded = inst, true
	t.updateLocked()
	t.mu.Unlock()
	return ch, nil, nil
}

func (t *target) readMapping(<-chan struct{}) (<-chan zk.Event, <-chan time.Time, error) {
	data, ch, err := dataW(t.r.c, mappingPath(t.r.opts.root, t.spec.iface))
	if err != nil {
		return nil, nil, err
	}
	apps, err := registry.ParseMapping(data)
	if err != nil {
		klog.Warnf("KITEX: zookeeper: mapping of %s: %v", t.spec.iface, err)
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.mapLoaded = true
	for app, w := range t.apps {
		if !slices.Contains(apps, app) {
			close(w.done)
			delete(t.apps, app)
		}
	}
	for _, app := range apps {
		if t.apps[app] == nil {
			w := &appWatch{done: make(chan struct{})}
			t.apps[app] = w
			t.wg.Add(1)
			go t.watchApp(app, w, mergeDone(t.done, w.done))
		}
	}
	t.updateLocked()
	return ch, nil, nil
}

// mergeDone is closed when either is.
func mergeDone(a, b <-chan struct{}) <-chan struct{} {
	c := make(chan struct{})
	go func() {
		select {
		case <-a:
		case <-b:
		}
		close(c)
	}()
	return c
}

// watchApp follows the instances of app: the list under /services/<app>
// and each instance's data (a provider's revision changes with its services),
// each watched once at a time, so the watches a long run sets do not pile
// up. After each change it works out the instances anew, fetching metadata
// it has not seen; an instance whose metadata could not be had is tried
// again after retryInterval.
func (t *target) watchApp(app string, w *appWatch, done <-chan struct{}) {
	defer t.wg.Done()
	dir := servicesPath(app)
	fired := make(chan string)
	forward := func(p string, src <-chan zk.Event) {
		select {
		case <-src:
			select {
			case fired <- p:
			case <-done:
			}
		case <-done:
		}
	}
	var (
		kids      []string
		kidsArmed bool
		nodes     = map[string]*nodeState{}
	)
	for {
		var retry <-chan time.Time
		ok := true
		if !kidsArmed {
			k, ch, err := childrenW(t.r.c, dir)
			if err != nil {
				ok = false
				klog.Warnf("KITEX: zookeeper: %s: instances of %s: %v", t.spec, app, err)
			} else {
				slices.Sort(k)
				kids, kidsArmed = k, true
				go forward("", ch)
			}
		}
		for p := range nodes {
			if !slices.Contains(kids, path.Base(p)) && !nodes[p].armed {
				delete(nodes, p)
			}
		}
		var found []*registry.Instance
		for _, k := range kids {
			p := path.Join(dir, k)
			n := nodes[p]
			if n == nil {
				n = &nodeState{}
				nodes[p] = n
			}
			if !n.armed {
				data, ch, err := dataW(t.r.c, p)
				if err != nil {
					ok = false
					klog.Warnf("KITEX: zookeeper: %s: instance %s: %v", t.spec, p, err)
					continue
				}
				n.data, n.armed = data, true
				go forward(p, ch)
			}
			if n.data == nil {
				continue // gone since the list was read; the list's watch fires
			}
			in, err := registry.ParseInstance(n.data)
			if err != nil {
				klog.Warnf("KITEX: zookeeper: skipped instance %s: %v", p, err)
				continue
			}
			found = append(found, in)
		}
		var inst []discovery.Instance
		for i, md := range t.r.meta.GetAll(found) {
			in := found[i]
			if md.Err != nil {
				ok = false
				klog.Warnf("KITEX: zookeeper: instance %s/%s: %v (trying again in %v)", dir, in.ID, md.Err, retryInterval)
				continue
			}
			if ki := bridge.FromMetadata(t.sub, t.spec.iface, t.spec.group, t.spec.version, in, md.Info); ki != nil {
				inst = append(inst, ki)
			}
		}
		if !ok {
			retry = time.After(retryInterval)
		}
		t.mu.Lock()
		if t.apps[app] == w {
			w.inst, w.loaded = inst, true
			t.updateLocked()
		}
		t.mu.Unlock()
		select {
		case <-done:
			return
		case p := <-fired:
			if p == "" {
				kidsArmed = false
			} else if n := nodes[p]; n != nil {
				n.armed = false
			}
		case <-retry:
		}
	}
}

type nodeState struct {
	data  []byte
	armed bool // a watch is set and has not fired
}

// updateLocked merges the sources into the current instances, by the
// target's mode, and closes ready once every source it reads was read.
func (t *target) updateLocked() {
	var appInst []discovery.Instance
	appsLoaded := t.mapLoaded
	names := make([]string, 0, len(t.apps))
	for app := range t.apps {
		names = append(names, app)
	}
	slices.Sort(names)
	for _, app := range names {
		w := t.apps[app]
		appInst = append(appInst, w.inst...)
		appsLoaded = appsLoaded && w.loaded
	}
	var loaded bool
	switch t.spec.mode {
	case DiscoveryInterface:
		t.current, loaded = t.ifaceInst, t.ifaceLoaded
	case DiscoveryApplication:
		t.current, loaded = appInst, appsLoaded
	default:
		// Dubbo's APPLICATION_FIRST: the application level when it has
		// addresses, else the interface level.
		t.current = appInst
		if len(appInst) == 0 {
			t.current = t.ifaceInst
		}
		loaded = t.ifaceLoaded && appsLoaded
	}
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

package nacos

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/cloudwego/kitex/pkg/klog"
	"github.com/nacos-group/nacos-sdk-go/v2/clients"
	"github.com/nacos-group/nacos-sdk-go/v2/clients/config_client"
	"github.com/nacos-group/nacos-sdk-go/v2/clients/naming_client"
	"github.com/nacos-group/nacos-sdk-go/v2/common/constant"
	"github.com/nacos-group/nacos-sdk-go/v2/model"
	"github.com/nacos-group/nacos-sdk-go/v2/vo"
)

// nacosClient is the SDK's naming client and, when the application level
// is used, its config client, each one gRPC connection that the SDK keeps
// up: it reconnects by itself and then registers again (per service, the
// last registration it was given), subscribes and listens again.
type nacosClient struct {
	naming naming_client.INamingClient
	config config_client.IConfigClient // nil when not needed
	group  string
}

// sdkDir is where the SDK writes its log and snapshot files unless told
// otherwise (its own default is the working directory).
func sdkDir(sub string) string { return filepath.Join(os.TempDir(), "kitexdubbo-nacos", sub) }

func clientConfig(o *options) *constant.ClientConfig {
	cc := constant.NewClientConfig(append([]constant.ClientOption{
		constant.WithNamespaceId(o.namespace),
		constant.WithTimeoutMs(uint64(o.timeout.Milliseconds())),
		// Snapshots on disk would hand a restarted process the last run's
		// providers, and a failed read stale content as if it were Nacos's.
		constant.WithNotLoadCacheAtStart(true),
		constant.WithDisableUseSnapShot(true),
		constant.WithLogDir(sdkDir("log")),
		constant.WithCacheDir(sdkDir("cache")),
		constant.WithLogLevel("warn"),
	}, o.clientOptions...)...)
	// Without it the SDK drops an empty push: the last provider would never go.
	cc.UpdateCacheWhenEmpty = true
	return cc
}

// sdkSettle is how long dial leaves the SDK to handle its connection event.
const sdkSettle = 50 * time.Millisecond

// dial makes the clients and waits, up to the connect timeout, for the
// naming client's connection.
func dial(o *options, withConfig bool) (*nacosClient, error) {
	servers, err := o.serverConfigs()
	if err != nil {
		return nil, err
	}
	naming, err := clients.NewNamingClient(vo.NacosClientParam{ClientConfig: clientConfig(o), ServerConfigs: servers})
	if err != nil {
		return nil, fmt.Errorf("nacos: naming client for %v: %w", o.addrs, err)
	}
	c := &nacosClient{naming: naming, group: o.group}
	for deadline := time.Now().Add(o.connectTimeout); !naming.ServerHealthy(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			naming.CloseClient()
			return nil, fmt.Errorf("nacos: no connection to %v within %v (the gRPC API is on each port + 1000)", o.addrs, o.connectTimeout)
		}
	}
	// The SDK handles its connection's first "connected" event on a goroutine
	// of its own, re-subscribing whatever is subscribed by then; a Subscribe
	// at the same moment sorts and serializes the same instance list in the
	// SDK, unsynchronized (nacos-sdk-go issue 818: fixed upstream in 2026,
	// in no release up to v2.3.5, the newest the module proxy serves).
	// Giving the event a moment first takes the first subscriptions out of
	// that window.
	time.Sleep(sdkSettle)
	if withConfig {
		c.config, err = clients.NewConfigClient(vo.NacosClientParam{ClientConfig: clientConfig(o), ServerConfigs: servers})
		if err != nil {
			naming.CloseClient()
			return nil, fmt.Errorf("nacos: config client for %v: %w", o.addrs, err)
		}
	}
	return c, nil
}

func (c *nacosClient) close() {
	c.naming.CloseClient()
	if c.config != nil {
		c.config.CloseClient()
	}
}

// instances lists a service's instances as the SDK holds them (its cache,
// which the server's pushes keep current, once subscribed). None is not an
// error.
func (c *nacosClient) instances(service string) ([]model.Instance, error) {
	list, err := c.naming.SelectAllInstances(vo.SelectAllInstancesParam{ServiceName: service, GroupName: c.group})
	if err != nil && strings.Contains(err.Error(), "instance list is empty") {
		return nil, nil
	}
	return list, err
}

// getConfig reads a config from the server; a config that does not exist
// reads as "". nacos-sdk-go allows 5 reads a second of one config per
// process, whatever the client (its own listener's reads included), and
// fails the rest at once ("ConfigQueryRequest is limited"): such a read is
// tried again, for up to limitedWait.
func (c *nacosClient) getConfig(dataID, group string) (string, error) {
	if c.config == nil {
		return "", errors.New("nacos: no config client")
	}
	for waited := time.Duration(0); ; waited += limitedRetry {
		content, err := c.config.GetConfig(vo.ConfigParam{DataId: dataID, Group: group})
		if err == nil || !strings.Contains(err.Error(), "is limited") || waited >= limitedWait {
			return content, err
		}
		time.Sleep(limitedRetry)
	}
}

const (
	limitedRetry = 250 * time.Millisecond
	limitedWait  = 5 * time.Second
)

// namingHub shares one SDK subscription per service among the watchers of
// a resolver: the SDK keys callbacks by pointer and drops a service's cache
// when it is unsubscribed, which would leave any other watcher of it blind.
type namingHub struct {
	c *nacosClient

	op sync.Mutex // serialises Subscribe and Unsubscribe
	mu sync.Mutex // guards subs; the SDK's callbacks take only this one
	// (Subscribe runs the callback before it returns)
	subs map[string]*subscription
	next int
}

type subscription struct {
	param *vo.SubscribeParam
	fns   map[int]func()
	// What the SDK last reported, copied as it reported it: the SDK sorts
	// the instances of the list it replaces in place, so a list it handed
	// out earlier may change under a reader. Its pushes are handled one at
	// a time, so the copy is made before the next one.
	hosts  []model.Instance
	loaded bool
}

func newNamingHub(c *nacosClient) *namingHub {
	return &namingHub{c: c, subs: map[string]*subscription{}}
}

// watch calls fn (which must not block) whenever the SDK reports a change
// of service, until cancel is called. A failed subscription is logged: the
// next read of the service (instances) subscribes again.
func (h *namingHub) watch(service string, fn func()) (cancel func()) {
	h.op.Lock()
	defer h.op.Unlock()
	h.mu.Lock()
	h.next++
	id := h.next
	s := h.subs[service]
	fresh := s == nil
	if fresh {
		s = &subscription{fns: map[int]func(){}}
		s.param = &vo.SubscribeParam{ServiceName: service, GroupName: h.c.group,
			SubscribeCallback: func(hosts []model.Instance, _ error) { h.changed(service, s, hosts) }}
		h.subs[service] = s
	}
	s.fns[id] = fn
	h.mu.Unlock()
	if fresh {
		if err := h.c.naming.Subscribe(s.param); err != nil {
			klog.Warnf("KITEX: nacos: subscribe %s: %v (reading it again subscribes again)", service, err)
		}
	}
	return func() { h.cancel(service, id) }
}

func (h *namingHub) changed(service string, s *subscription, hosts []model.Instance) {
	hosts = slices.Clone(hosts)
	h.mu.Lock()
	s.hosts, s.loaded = hosts, true
	var fns []func()
	if h.subs[service] == s {
		for _, fn := range s.fns {
			fns = append(fns, fn)
		}
	}
	h.mu.Unlock()
	for _, fn := range fns {
		fn()
	}
}

// instances is what the SDK last reported of a watched service. Before its
// first report it asks the SDK, which subscribes again if the subscription
// failed (and then reports).
func (h *namingHub) instances(service string) ([]model.Instance, error) {
	if hosts, ok := h.reported(service); ok {
		return hosts, nil
	}
	list, err := h.c.instances(service)
	if err != nil {
		return nil, err
	}
	if hosts, ok := h.reported(service); ok {
		return hosts, nil
	}
	return slices.Clone(list), nil
}

func (h *namingHub) reported(service string) ([]model.Instance, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if s := h.subs[service]; s != nil && s.loaded {
		return s.hosts, true
	}
	return nil, false
}

func (h *namingHub) cancel(service string, id int) {
	h.op.Lock()
	defer h.op.Unlock()
	h.mu.Lock()
	s := h.subs[service]
	if s == nil {
		h.mu.Unlock()
		return
	}
	delete(s.fns, id)
	last := len(s.fns) == 0
	if last {
		delete(h.subs, service)
	}
	h.mu.Unlock()
	if last {
		if err := h.c.naming.Unsubscribe(s.param); err != nil {
			klog.Debugf("KITEX: nacos: unsubscribe %s: %v", service, err)
		}
	}
}

// configHub shares one SDK listener per config among the watchers of a
// resolver: the SDK keeps the first listener of a config and ignores later
// ones.
type configHub struct {
	c *nacosClient

	mu      sync.Mutex
	listens map[string]map[int]func() // by group + "\x00" + dataId
	next    int
}

func newConfigHub(c *nacosClient) *configHub {
	return &configHub{c: c, listens: map[string]map[int]func(){}}
}

// watch calls fn (which must not block) when the SDK reports a change of
// the config, until cancel is called. The SDK calls listeners in goroutines
// of their own, so the content they are given may arrive out of order: a
// watcher reads the config again instead. The SDK tells the server it
// listens at its next listen round (every 5 s), and from then on the server
// pushes changes.
func (h *configHub) watch(dataID, group string, fn func()) (cancel func(), err error) {
	key := group + "\x00" + dataID
	h.mu.Lock()
	defer h.mu.Unlock()
	h.next++
	id := h.next
	fns := h.listens[key]
	if fns == nil {
		err := h.c.config.ListenConfig(vo.ConfigParam{DataId: dataID, Group: group,
			OnChange: func(_, _, _, _ string) { h.changed(key) }})
		if err != nil {
			return nil, fmt.Errorf("nacos: listen to config %s/%s: %w", group, dataID, err)
		}
		fns = map[int]func(){}
		h.listens[key] = fns
	}
	fns[id] = fn
	return func() { h.cancel(key, dataID, group, id) }, nil
}

func (h *configHub) changed(key string) {
	h.mu.Lock()
	var fns []func()
	for _, fn := range h.listens[key] {
		fns = append(fns, fn)
	}
	h.mu.Unlock()
	for _, fn := range fns {
		fn()
	}
}

func (h *configHub) cancel(key, dataID, group string, id int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	fns := h.listens[key]
	if fns == nil {
		return
	}
	delete(fns, id)
	if len(fns) == 0 {
		delete(h.listens, key)
		_ = h.c.config.CancelListenConfig(vo.ConfigParam{DataId: dataID, Group: group})
	}
}

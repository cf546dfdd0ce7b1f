package main

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"time"

	"github.com/cloudwego/kitex/pkg/discovery"
	kregistry "github.com/cloudwego/kitex/pkg/registry"

	"github.com/kitexdubbo/kitexdubbo/pkg/dubbo"
	"github.com/kitexdubbo/kitexdubbo/pkg/registry/zookeeper"
	"github.com/kitexdubbo/kitexdubbo/tests/kitex_gen/interop/interopservice"
)

// registryPeer is what the -registry flags ask for.
type registryPeer struct {
	url, mode, app, readyFile string
}

var (
	registerModes = map[string]zookeeper.RegisterMode{"": zookeeper.RegisterAll, "all": zookeeper.RegisterAll,
		"interface": zookeeper.RegisterInterface, "instance": zookeeper.RegisterInstance}
	discoveries = map[string]zookeeper.Discovery{"": zookeeper.DiscoveryApplicationFirst, "interface": zookeeper.DiscoveryInterface,
		"application": zookeeper.DiscoveryApplication, "application_first": zookeeper.DiscoveryApplicationFirst}
)

// zookeeperAddr reads zookeeper://host:port, the form Dubbo-Java's
// RegistryConfig takes, so both sides of a compose file share one variable.
func (p registryPeer) zookeeperAddr() (string, error) {
	u, err := url.Parse(p.url)
	if err != nil || u.Scheme != "zookeeper" || u.Host == "" {
		return "", fmt.Errorf("-registry %q: want zookeeper://host:port", p.url)
	}
	return u.Host, nil
}

func (p registryPeer) registry(codec *dubbo.DubboCodec) (kregistry.Registry, error) {
	addr, err := p.zookeeperAddr()
	if err != nil {
		return nil, err
	}
	m, ok := registerModes[p.mode]
	if !ok {
		return nil, fmt.Errorf("-mode %q: with -serve, all, interface or instance", p.mode)
	}
	reg, err := zookeeper.NewZookeeperRegistry([]string{addr}, zookeeper.WithService(codec, interopservice.NewServiceInfo()),
		zookeeper.WithRegisterMode(m))
	if err != nil {
		return nil, err
	}
	return readyRegistry{reg, p}, nil
}

func (p registryPeer) resolver(codec *dubbo.DubboCodec) (discovery.Resolver, error) {
	addr, err := p.zookeeperAddr()
	if err != nil {
		return nil, err
	}
	d, ok := discoveries[p.mode]
	if !ok {
		return nil, fmt.Errorf("-mode %q: with a client, interface, application or application_first", p.mode)
	}
	return zookeeper.NewZookeeperResolver([]string{addr}, zookeeper.WithCodec(codec), zookeeper.WithDiscovery(d))
}

func (p registryPeer) ready() error {
	if p.readyFile == "" {
		return nil
	}
	return os.WriteFile(p.readyFile, []byte("ready\n"), 0o644)
}

// readyRegistry marks the server ready once Kitex has registered it, which
// it does a moment after Run: a consumer started on the health check then
// finds the provider at once (Dubbo-Java's check=true fails without one).
type readyRegistry struct {
	kregistry.Registry
	peer registryPeer
}

func (r readyRegistry) Register(info *kregistry.Info) error {
	if err := r.Registry.Register(info); err != nil {
		return err
	}
	fmt.Println("REGISTERED", r.peer.url)
	return r.peer.ready()
}

// waitForProvider calls until the resolver has given the client a provider:
// one started alongside may register a little after this client starts.
func waitForProvider(c interopservice.Client) error {
	deadline := time.Now().Add(time.Minute)
	for {
		_, err := c.EchoString(context.Background(), "hello")
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("no provider answered through the registry within a minute: %w", err)
		}
		time.Sleep(500 * time.Millisecond)
	}
}

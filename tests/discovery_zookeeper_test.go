package tests

import (
	"testing"
	"time"

	"github.com/cloudwego/kitex/pkg/discovery"
	"github.com/cloudwego/kitex/pkg/registry"

	"github.com/kitexdubbo/kitexdubbo/internal/testenv"
	"github.com/kitexdubbo/kitexdubbo/pkg/dubbo"
	"github.com/kitexdubbo/kitexdubbo/pkg/registry/zookeeper"
	"github.com/kitexdubbo/kitexdubbo/tests/kitex_gen/interop/interopservice"
)

// The discovery matrix's ZooKeeper column: a real ZooKeeper 3.9.5.
func TestDiscoveryMatrixZooKeeper(t *testing.T) {
	zkAddr := testenv.ZooKeeper(t)
	const session = 4 * time.Second // the least ZooKeeper grants: 2 ticks
	runDiscoveryMatrix(t, &backend{
		name:       "ZooKeeper",
		javaURL:    "zookeeper://" + zkAddr,
		addr:       zkAddr,
		killWithin: testenv.ZooKeeperMaxSession + 2*time.Second, // the killed provider's session, then ZooKeeper's sweep
		register: func(t *testing.T, addr string, codec *dubbo.DubboCodec, mode string) registry.Registry {
			reg, err := zookeeper.NewZookeeperRegistry([]string{addr}, zookeeper.WithService(codec, interopservice.NewServiceInfo()),
				zookeeper.WithRegisterMode(map[string]zookeeper.RegisterMode{"all": zookeeper.RegisterAll,
					"interface": zookeeper.RegisterInterface, "instance": zookeeper.RegisterInstance}[mode]),
				zookeeper.WithSessionTimeout(session))
			if err != nil {
				t.Fatal(err)
			}
			closeWith(t, reg)
			return reg
		},
		resolve: func(t *testing.T, codec *dubbo.DubboCodec, mode string) discovery.Resolver {
			res, err := zookeeper.NewZookeeperResolver([]string{zkAddr}, zookeeper.WithCodec(codec),
				zookeeper.WithDiscovery(map[string]zookeeper.Discovery{"interface": zookeeper.DiscoveryInterface,
					"application": zookeeper.DiscoveryApplication, "application_first": zookeeper.DiscoveryApplicationFirst}[mode]))
			if err != nil {
				t.Fatal(err)
			}
			closeWith(t, res)
			return res
		},
		// The provider's registry reaches ZooKeeper through a link the test
		// cuts for longer than the session: ZooKeeper expires the session and
		// drops its entries, and the registry finds a new session on return.
		outageName: "session expired",
		outage: func(t *testing.T) (string, func(t *testing.T)) {
			link := testenv.Partitioned(t, zkAddr)
			return link.Addr, func(t *testing.T) {
				link.Cut()
				time.Sleep(session + 4*time.Second)
				link.Heal()
			}
		},
	})
}

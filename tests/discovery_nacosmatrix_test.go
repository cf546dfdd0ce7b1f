package tests

import (
	"testing"
	"time"

	"github.com/cloudwego/kitex/pkg/discovery"
	"github.com/cloudwego/kitex/pkg/registry"

	"github.com/kitexdubbo/kitexdubbo/internal/testenv"
	"github.com/kitexdubbo/kitexdubbo/pkg/dubbo"
	nacosreg "github.com/kitexdubbo/kitexdubbo/pkg/registry/nacos"
	"github.com/kitexdubbo/kitexdubbo/tests/kitex_gen/interop/interopservice"
)

// The discovery matrix's Nacos column: a real Nacos server (rnacos 0.8.8,
// see docs/NACOS-FACTS.md for how it differs from Alibaba's).
func TestDiscoveryMatrixNacos(t *testing.T) {
	nacos := testenv.Nacos(t)
	sdk := newNacosSDK(t, nacos)
	runDiscoveryMatrix(t, &backend{
		name:    "Nacos",
		javaURL: nacos.URL(),
		addr:    nacos.Addr,
		// Nacos drops the instances of a client whose connection ends,
		// which the kernel ends for a killed process.
		killWithin: 10 * time.Second,
		register: func(t *testing.T, addr string, codec *dubbo.DubboCodec, mode string) registry.Registry {
			reg, err := nacosreg.NewNacosRegistry(sdk.adapterOptions(nacosreg.WithService(codec, interopservice.NewServiceInfo()),
				nacosreg.WithRegisterMode(map[string]nacosreg.RegisterMode{"all": nacosreg.RegisterAll,
					"interface": nacosreg.RegisterInterface, "instance": nacosreg.RegisterInstance}[mode]))...)
			if err != nil {
				t.Fatal(err)
			}
			closeWith(t, reg)
			return reg
		},
		resolve: func(t *testing.T, codec *dubbo.DubboCodec, mode string) discovery.Resolver {
			res, err := nacosreg.NewNacosResolver(sdk.adapterOptions(nacosreg.WithCodec(codec),
				nacosreg.WithDiscovery(map[string]nacosreg.Discovery{"interface": nacosreg.DiscoveryInterface,
					"application": nacosreg.DiscoveryApplication, "application_first": nacosreg.DiscoveryApplicationFirst}[mode]))...)
			if err != nil {
				t.Fatal(err)
			}
			closeWith(t, res)
			return res
		},
		// rnacos keeps instances in memory only: a restart forgets them all,
		// and the registry must register them again on its new connection.
		outageName: "server restarted",
		outage: func(t *testing.T) (string, func(t *testing.T)) {
			return nacos.Addr, func(t *testing.T) { nacos.Restart(t) }
		},
		// nacos-sdk-go v2.3.2 races with itself when it reconnects, which the
		// race detector reports: make test runs this row without it too.
		outageNeedsNoRace: true,
	})
}

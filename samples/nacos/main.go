// Command nacos is the Nacos sample: a Kitex provider that registers in
// Nacos exactly as a Dubbo-Java provider does (interface and application
// level), and a Kitex client that finds it there, as it would find a
// Dubbo-Java provider. It uses samples/greet's generated code.
//
//	make sample-nacos                     # starts a Nacos (rnacos), runs this, stops it
//	go run ./samples/nacos -nacos 127.0.0.1:8848
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"net"
	"os"
	"path/filepath"
	"time"

	"github.com/cloudwego/kitex/client"
	"github.com/cloudwego/kitex/pkg/klog"
	"github.com/cloudwego/kitex/pkg/loadbalance"
	"github.com/cloudwego/kitex/pkg/loadbalance/lbcache"
	"github.com/cloudwego/kitex/pkg/rpcinfo"
	"github.com/cloudwego/kitex/server"
	"github.com/nacos-group/nacos-sdk-go/v2/common/constant"

	"github.com/kitexdubbo/kitexdubbo/pkg/dubbo"
	nacosreg "github.com/kitexdubbo/kitexdubbo/pkg/registry/nacos"
	"github.com/kitexdubbo/kitexdubbo/samples/greet/kitex_gen/greet"
	"github.com/kitexdubbo/kitexdubbo/samples/greet/kitex_gen/greet/greetservice"
)

const javaInterface = "org.example.greet.GreetProvider"

type handler struct{}

func (handler) Greet(ctx context.Context, req *greet.GreetRequest) (*greet.GreetResponse, error) {
	return &greet.GreetResponse{Message: "hello, " + req.Name + ", found through Nacos"}, nil
}
func (handler) Sum(ctx context.Context, a int32, b []int32) (int64, error) { return int64(a), nil }
func (handler) EchoBool(ctx context.Context, b bool) (string, error)       { return fmt.Sprint(b), nil }
func (handler) EchoString(ctx context.Context, s string) (string, error)   { return s, nil }
func (handler) Ping(ctx context.Context) error                             { return nil }

func main() {
	addr := flag.String("nacos", "127.0.0.1:8848", "the Nacos server (its HTTP port; gRPC is that + 1000)")
	flag.Parse()
	klog.SetLevel(klog.LevelWarn)
	dir, err := os.MkdirTemp("", "nacos-sample-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	// nacos-sdk-go keeps logs and a cache on disk: somewhere of the sample's own.
	sdkFiles := nacosreg.WithClientOptions(constant.WithLogDir(filepath.Join(dir, "log")), constant.WithCacheDir(filepath.Join(dir, "cache")))

	// The provider: its Dubbo interface, methods, version and group come
	// from the codec and the service; the application name from the server.
	codec := dubbo.NewDubboCodec(dubbo.WithJavaClassName(javaInterface))
	reg, err := nacosreg.NewNacosRegistry(nacosreg.WithServerAddress(*addr), sdkFiles,
		nacosreg.WithService(codec, greetservice.NewServiceInfo()))
	if err != nil {
		log.Fatal(err)
	}
	// [::1]: a Dubbo-Java consumer dials a registered 127.x as the machine's own address.
	ln, err := net.Listen("tcp", "[::1]:0")
	if err != nil {
		log.Fatal(err)
	}
	svr := greetservice.NewServer(&handler{}, server.WithListener(ln),
		server.WithTransHandlerFactory(dubbo.NewSvrTransHandlerFactory(codec)),
		server.WithRegistry(reg), server.WithServerBasicInfo(&rpcinfo.EndpointBasicInfo{ServiceName: "greet-provider"}))
	go func() {
		if err := svr.Run(); err != nil {
			log.Fatal(err)
		}
	}()
	defer svr.Stop()
	fmt.Printf("provider on %s registering in Nacos %s as %s (application greet-provider)\n", ln.Addr(), *addr, javaInterface)

	// The client: a codec of its own, the resolver reading what Dubbo writes.
	ccodec := dubbo.NewDubboCodec(dubbo.WithJavaClassName(javaInterface))
	res, err := nacosreg.NewNacosResolver(nacosreg.WithServerAddress(*addr), sdkFiles, nacosreg.WithCodec(ccodec))
	if err != nil {
		log.Fatal(err)
	}
	cli := greetservice.MustNewClient("greet", client.WithResolver(res), client.WithCodec(ccodec),
		client.WithRPCTimeout(3*time.Second),
		// Kitex re-reads the resolver at each balancer refresh (5s by default).
		client.WithLoadBalancer(loadbalance.NewWeightedRoundRobinBalancer(), &lbcache.Options{RefreshInterval: 500 * time.Millisecond}))
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := cli.Greet(context.Background(), &greet.GreetRequest{Name: "kitex"})
		if err == nil {
			fmt.Printf("client found it in Nacos: Greet(kitex) -> %q\n", resp.Message)
			return
		}
		if time.Now().After(deadline) {
			log.Fatalf("no provider found after 30s: %v", err)
		}
		time.Sleep(300 * time.Millisecond) // Kitex registers a server a second after it starts
	}
}

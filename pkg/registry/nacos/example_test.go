package nacos_test

import (
	"log"

	"github.com/cloudwego/kitex/client"
	"github.com/cloudwego/kitex/pkg/rpcinfo"
	"github.com/cloudwego/kitex/server"

	"github.com/kitexdubbo/kitexdubbo/pkg/dubbo"
	"github.com/kitexdubbo/kitexdubbo/pkg/registry/nacos"
	"github.com/kitexdubbo/kitexdubbo/tests"
	"github.com/kitexdubbo/kitexdubbo/tests/kitex_gen/interop/interopservice"
)

// A Kitex server registered in Nacos as a Dubbo provider, at both of
// Dubbo's levels, and a Kitex client finding Dubbo providers there as a
// Dubbo 3.3 consumer does.
func Example() {
	codec := dubbo.NewDubboCodec(dubbo.WithJavaClassName("org.kitexdubbo.interop.InteropService"))

	reg, err := nacos.NewNacosRegistry(nacos.WithServerAddress("127.0.0.1:8848"),
		nacos.WithService(codec, interopservice.NewServiceInfo()))
	if err != nil {
		log.Fatal(err)
	}
	svr := interopservice.NewServer(&tests.Handler{},
		server.WithTransHandlerFactory(dubbo.NewSvrTransHandlerFactory(codec)),
		server.WithRegistry(reg),
		server.WithServerBasicInfo(&rpcinfo.EndpointBasicInfo{ServiceName: "interop-app"})) // the Dubbo application
	go svr.Run()

	// A client, in some other process, with its own codec.
	clientCodec := dubbo.NewDubboCodec(dubbo.WithJavaClassName("org.kitexdubbo.interop.InteropService"))
	res, err := nacos.NewNacosResolver(nacos.WithServerAddress("127.0.0.1:8848"), nacos.WithCodec(clientCodec))
	if err != nil {
		log.Fatal(err)
	}
	cli, err := interopservice.NewClient("interop", client.WithResolver(res), client.WithCodec(clientCodec))
	if err != nil {
		log.Fatal(err)
	}
	_ = cli
}

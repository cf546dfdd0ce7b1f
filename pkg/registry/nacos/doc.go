// Package nacos puts Kitex servers and clients that speak Dubbo (pkg/dubbo)
// into Nacos as Dubbo-Java 3.3 providers and consumers are, through
// nacos-sdk-go v2 (gRPC):
//
//	codec := dubbo.NewDubboCodec(dubbo.WithJavaClassName("org.example.GreetProvider"))
//	reg, err := nacos.NewNacosRegistry(nacos.WithServerAddress("127.0.0.1:8848"),
//		nacos.WithService(codec, greetservice.NewServiceInfo()))
//	svr := greetservice.NewServer(handler, server.WithCodec(codec), server.WithRegistry(reg),
//		server.WithServerBasicInfo(&rpcinfo.EndpointBasicInfo{ServiceName: "greet-app"}))
//
//	cliCodec := dubbo.NewDubboCodec(dubbo.WithJavaClassName("org.example.GreetProvider"))
//	res, err := nacos.NewNacosResolver(nacos.WithServerAddress("127.0.0.1:8848"), nacos.WithCodec(cliCodec))
//	cli, err := greetservice.NewClient("greet", client.WithResolver(res), client.WithCodec(cliCodec))
//
// The Java interface, methods, version and group come from the codec (its
// options and the IDL), the application from the Kitex service name, so
// they are stated once.
//
// # What a registry writes
//
// By default both levels, as Dubbo 3's register-mode=all (WithRegisterMode),
// all in the Nacos group of WithGroup (DEFAULT_GROUP) and ephemeral:
//
//	service providers:<iface>:<version>:<group>   an instance per server; metadata: the provider URL's
//	                                              parameters with category, protocol and path
//	service <app>                                 an instance per server; metadata: Dubbo 3's instance
//	                                              metadata (revision, endpoints, MetadataService params)
//	config dataId=<iface>, group=mapping          "app1,app2", persistent
//
// Empty parts of a service name stay ("providers:org.example.GreetProvider::"),
// an IPv6 host is written in brackets, as Dubbo-Java writes both. The codec
// then answers Dubbo's MetadataService#getMetadataInfo on the server's own
// port, which a consumer that discovers by application calls. Deregister
// (Kitex calls it when the server stops) removes the instances at once; the
// mapping stays, as Dubbo leaves it. The SDK registers the instances again
// after it reconnects (a Nacos restart forgets them). The mapping is
// read-modify-write with the casMd5 of what was read, as Dubbo-Java
// publishes it; a server that ignores casMd5 (rnacos) lets concurrent
// writers drop each other's names, so the registry reads the mapping back
// after writing and checks it every 30 seconds, adding its application
// again when it is missing.
//
// # What a resolver reads
//
// By default what a Dubbo 3.3 consumer reads, APPLICATION_FIRST
// (WithDiscovery): the application instances the mapping names (enabled,
// healthy), each one's metadata from its MetadataService (or the config
// dataId=<app>, group=<revision> when it says storage-type=remote), and,
// when there are none, the enabled interface-level instances, filtered as
// Dubbo filters them (registry.IsMatch: group, version, enabled, category).
// Like Dubbo's Nacos registry it writes no consumer entries.
//
// Services are subscribed to, not polled: rnacos pushes a change in 0.5-1 s,
// and Kitex's balancer cache picks it up at its next refresh
// (lbcache.Options.RefreshInterval, 5s by default; a refresh only reads
// memory). The mapping is listened to; nacos-sdk-go tells the server so at
// its next listen round (up to 5 s after a resolver starts) and can lose a
// push, so the resolver also reads the mapping again whenever one of its
// services changes, and every 30 seconds.
package nacos

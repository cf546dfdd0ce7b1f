// Package zookeeper puts Kitex servers and clients that speak Dubbo
// (pkg/dubbo) into a Dubbo ZooKeeper registry, as Dubbo-Java 3.3 providers
// and consumers are:
//
//	codec := dubbo.NewDubboCodec(dubbo.WithJavaClassName("org.example.GreetProvider"))
//	reg, err := zookeeper.NewZookeeperRegistry([]string{"127.0.0.1:2181"},
//		zookeeper.WithService(codec, greetservice.NewServiceInfo()))
//	svr := greetservice.NewServer(handler, server.WithCodec(codec), server.WithRegistry(reg),
//		server.WithServerBasicInfo(&rpcinfo.EndpointBasicInfo{ServiceName: "greet-app"}))
//
//	cliCodec := dubbo.NewDubboCodec(dubbo.WithJavaClassName("org.example.GreetProvider"))
//	res, err := zookeeper.NewZookeeperResolver([]string{"127.0.0.1:2181"}, zookeeper.WithCodec(cliCodec))
//	cli, err := greetservice.NewClient("greet", client.WithResolver(res), client.WithCodec(cliCodec))
//
// The Java interface, methods, version and group come from the codec (its
// options and the IDL), the application from the Kitex service name, so
// they are stated once.
//
// # What a registry writes
//
// By default both levels, as Dubbo 3's register-mode=all (WithRegisterMode):
//
//	/dubbo/<iface>/providers/<URL-encoded provider URL>   ephemeral, parents persistent
//	/services/<app>/<host>:<port>                         ephemeral, Curator ServiceInstance JSON
//	/dubbo/mapping/<iface>                                persistent, "app1,app2", compare-and-set
//
// and the codec then answers Dubbo's MetadataService#getMetadataInfo on the
// server's own port, which a consumer that discovers by application calls.
// Deregister (Kitex calls it when the server stops) removes the ephemerals
// at once. When a ZooKeeper session expires, the entries are written again
// on the next session. A Register that loses its connection half way
// (ZooKeeper restarting) makes its writes again on the next connection, for
// up to WithConnectTimeout, rather than failing: Kitex stops a server whose
// Register fails.
//
// # What a resolver reads
//
// By default what a Dubbo 3.3 consumer reads, APPLICATION_FIRST
// (WithDiscovery): the application instances the mapping names, each one's
// metadata from its MetadataService (or /dubbo/metadata/<app>/<revision>
// when it says storage-type=remote), and, when there are none, the
// interface-level providers, filtered as Dubbo filters them
// (registry.IsMatch: group, version, enabled, category). It writes its
// consumer entry under /dubbo/<iface>/consumers.
//
// Every path is watched, not polled: a change reaches the resolver's state
// within milliseconds, and Kitex's balancer cache picks it up at its next
// refresh (lbcache.Options.RefreshInterval, 5s by default; set it lower with
// client.WithLoadBalancer(lb, &lbcache.Options{RefreshInterval: time.Second})
// for quicker changes: a refresh only reads memory). A session that expires
// ends the watches; they are set again on the next session.
package zookeeper

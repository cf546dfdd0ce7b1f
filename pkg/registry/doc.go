// Package registry is what Dubbo's registries hold, written and read as
// Dubbo-Java 3.3 writes and reads it, for the ZooKeeper and Nacos adapters
// under it:
//
//   - URL: the interface-level entry, "dubbo://host:port/iface?k=v&...",
//     its encoding as a ZooKeeper node name (Encode, URL.Encoded,
//     ParseEncodedURL: Java's URLEncoder), and IsMatch, Dubbo's test of a
//     provider against what a consumer asks for;
//   - Service: one exported or referred service, and the provider and
//     consumer URLs it makes (ProviderURL, ConsumerURL);
//   - the application level of Dubbo 3: MetadataInfo and ServiceInfo (the
//     Hessian types a provider's MetadataService returns, with Java's
//     revision), Instance (Curator's ServiceInstance JSON under
//     /services/<app>), the interface-to-application mapping, and
//     FetchMetadata, the MetadataService call a consumer makes.
//
// A provider's URL, as the ZooKeeper adapter writes it:
//
//	svc := &registry.Service{Interface: "org.example.GreetProvider", Application: "greet",
//		Methods: []string{"greet"}, Host: "10.0.0.7", Port: 20880}
//	node := svc.ProviderURL(time.Now()).Encoded() // under /dubbo/org.example.GreetProvider/providers
//
// Everything read here comes from the network and may be hostile: lengths
// and counts are bounded (MaxURLLength, MaxParams, MaxDataLength), nothing
// panics, and errors match ErrMalformed or ErrTooLarge and name what was wrong.
package registry

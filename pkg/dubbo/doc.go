// Package dubbo lets Kitex clients and servers speak the Dubbo 2 protocol
// (the "dubbo://" protocol, hessian2 bodies) to Dubbo-Java, in both directions.
// A service generated with `kitex -protocol hessian2` needs one option on each side:
//
//	svr := greetservice.NewServer(handler, server.WithCodec(dubbo.NewDubboCodec(dubbo.WithJavaClassName("org.example.GreetProvider"))))
//	cli, err := greetservice.NewClient("greet", client.WithHostPorts("127.0.0.1:20880"),
//		client.WithCodec(dubbo.NewDubboCodec(dubbo.WithJavaClassName("org.example.GreetProvider"))))
//
// To serve Dubbo and Kitex's own protocols on one port, use
// server.WithTransHandlerFactory(dubbo.NewSvrTransHandlerFactory(codec)) instead
// of server.WithCodec.
//
// # Wire format
//
// frame.go is the 16-byte header (ParseHeader, AppendHeader, ConsumeFrame);
// body.go the hessian2 bodies of requests, responses, errors and heartbeats.
// Both work on byte slices and can be used without Kitex.
//
// # Mapping Kitex to Dubbo
//
// The Java interface is WithJavaClassName, else the IDL service's
// JavaClassName annotation. A method's Java name is its JavaMethodName
// annotation, else its IDL name; several IDL methods may share a Java name
// (Java overloads), and a server tells them apart by the parameter types the
// caller sends, which come from the hessian.argsType annotation ("int,int[]")
// or, without it, from the Go types (int32 -> java.lang.Integer, ...). These
// annotations are read through the thrift_reflection descriptor that Kitex's
// generated api-reflection.go registers.
//
// Arguments are the exported fields of the generated XxxArgs struct in
// order. A response carries the Result's Success value, or, when one of the
// Result's exception fields (IDL throws) is set, that exception.
//
// # Errors
//
// A Java exception the IDL declares arrives in its Result field, so the
// generated client returns it as its Go type. Any other Java exception makes
// the call return a *JavaError (errors.As to *hessian2.JavaException works);
// it travels as a Kitex business status error, so the connection stays up and
// retry or circuit-breaker middleware do not count it as a failure. A response
// with a non-OK status (no such service, bad request, ...) returns a
// *StatusError, as a transport error.
//
// On a server, an error returned by a handler is sent as
// java.lang.RuntimeException with the error's message, in an OK response, as a
// Dubbo-Java provider reports a thrown exception; return a
// *hessian2.JavaException to choose the class. A request for an unknown
// service or method gets BAD_REQUEST with the message Dubbo-Java's decoder gives
// ("Service not found:<path>, <method>"), a version or group mismatch
// SERVICE_ERROR with "Not found exported service: ...", a request
// that cannot be decoded BAD_REQUEST, and a request over the payload limit
// (WithMaxPayload, 8 MiB by default) BAD_REQUEST naming its length and the
// limit. In each case the connection stays usable, as it does with Dubbo-Java
// (except for an oversized frame whose bytes have not all arrived: the server
// answers and closes the connection rather than buffer them).
//
// # Attachments and metainfo
//
// Dubbo attachments map to Kitex metainfo with plain keys, no prefixes:
//
//   - A client sends its transient and persistent metainfo values
//     (metainfo.WithValue, metainfo.WithPersistentValue) as attachments, next to
//     Dubbo's own: path, interface, version and group (when set), timeout (the
//     RPC timeout in milliseconds, as a string, as Dubbo-Java sends it) and
//     remote.application (the client's service name).
//   - A server hands the string attachments, Dubbo's own keys left out, to the
//     handler as transient metainfo values (metainfo.GetValue). It does this
//     through Kitex's default server MetaHandler, so nothing needs adding.
//     RequestAttachments(ctx) returns all of them, non-string values included.
//     The timeout attachment becomes the call's RPC timeout (honoured with
//     server.WithEnableContextTimeout), remote.application the caller's name.
//   - A handler's metainfo.SendBackwardValue values go back as response
//     attachments (with "dubbo": "2.0.2", which Dubbo-Java always adds), and a
//     client reads the provider's response attachments with
//     metainfo.RecvBackwardValue on a context made by metainfo.WithBackwardValues.
//
// Kitex tags named by WithTagKeys (default "dubbo.tag", Dubbo's tag routing key) go
// as attachments of the same key, and arrive as tags of the caller's endpoint.
//
// Dubbo has no persistent/transient distinction, so values that were
// persistent on the client arrive as transient on a Go server.
//
// # Heartbeats and one-way calls
//
// A server answers heartbeat requests without calling a handler (Dubbo-Java
// consumers send one on idle connections); a client skips heartbeats a
// provider sends it. A oneway IDL method is sent without the two-way flag and
// gets no response; a request a Java caller sends without the two-way flag gets
// none either.
package dubbo

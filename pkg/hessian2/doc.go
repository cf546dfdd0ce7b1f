// Package hessian2 reads and writes Hessian 2.0, the serialization Dubbo uses
// by default, and maps Go types (as Kitex generates them from Thrift IDL) to the
// Java types a Dubbo-Java peer expects.
//
//	b, err := hessian2.Marshal(&GreetRequest{Req: "hi"})   // one value
//	err = hessian2.Unmarshal(b, &req)
//	hessian2.Register(&GreetRequest{})                      // Java class -> Go type, for `any` targets
//
// # Streams
//
// A Dubbo body is one Hessian stream: class definitions, list/map type names and
// back-references are numbered from its start. An Encoder or Decoder owns those
// tables for one body, and everything in the body (generated code, the reflective
// path, Java extension types) goes through it. The Append* functions are the
// stateless layer underneath, in the style of tinylib/msgp.
//
// # Go <-> Java
//
//	Go                      Java (written)                   Java (accepted on read)
//	bool                    boolean / Boolean                same
//	int8, int16, int32      int / Integer (Hessian int)      int, long, whole double (range-checked)
//	int64, int              long / Long                      int, long, whole double
//	float32, float64        double / Double                  double, int, long
//	string                  String (UTF-16 length)           String
//	[]byte                  byte[]                           byte[]
//	[]T, [N]T               ArrayList (untyped list)         any list, typed or not
//	map[K]V                 HashMap (untyped map)            any map; an object into map[string]V
//	*T / T with JavaClassName   that class (object)          that class, any class with matching fields, a map
//	struct without JavaClassName HashMap of its fields      an object or a map, by field name
//	integer with JavaClassName+String  Java enum (name)      Java enum via FromJavaEnumName
//	time.Time               java.util.Date                   Date
//	any                     by the dynamic value             see Decoder.DecodeValue
//	*JavaList, *JavaMap     its Type (LinkedList, Integer[],  a typed list or map, into an interface
//	                        TreeMap, ...), a map in order
//	*JavaException          its Throwable class              any Throwable without a Go type
//
// A field's Java name is its `hessian:"name"` tag, else the IDL name in the
// `thrift:"name,id"` tag Kitex writes, else the Go name with a lower-case initial.
// Method parameter types (hessian.argsType) go through EncodeAs and TypeDescriptor,
// and so does a field with a `java:"T"` tag (a java.util.Queue field, a char).
//
// # Limits
//
// Decoding checks every length against the input left before allocating, bounds
// nesting (DefaultMaxDepth), and fails with an error naming the field path and
// Java class; errors match ErrShortBuffer, ErrTooLarge, ErrType or ErrSyntax.
package hessian2

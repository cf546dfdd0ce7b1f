package dubbo

// How a Kitex service looks to Dubbo: its Java interface, each method's Java
// name and parameter types, and where in Kitex's Args/Result structs the
// arguments, the return value and the declared exceptions live. All of it is
// worked out once per ServiceInfo and cached; the hot path only indexes.

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/cloudwego/kitex/pkg/serviceinfo"
	"github.com/cloudwego/thriftgo/thrift_reflection"

	"github.com/kitexdubbo/kitexdubbo/pkg/hessian2"
)

// IDL annotations this package reads (the names kitex -protocol hessian2 uses).
const (
	annotationJavaClassName  = "JavaClassName"    // service: the Java interface
	annotationJavaMethodName = "JavaMethodName"   // method: its Java name (overloads share one)
	annotationArgsType       = "hessian.argsType" // method: Java parameter types, comma-separated
)

// serviceMeta is one Kitex service as Dubbo sees it.
type serviceMeta struct {
	svcInfo *serviceinfo.ServiceInfo
	iface   string                   // the Java interface: request path and "interface" attachment
	byIDL   map[string]*methodMeta   // Kitex method name -> method
	byJava  map[string][]*methodMeta // Java method name -> its overloads
}

// methodMeta is one method: how its Args are written and its Result read.
type methodMeta struct {
	idl        string // Kitex (IDL) method name
	java       string // Java method name on the wire
	display    string // "GreetService.Greet", for errors
	oneway     bool
	args       []argMeta
	paramTypes string // the JVM descriptors of all parameters
	result     resultMeta
	err        error // why the method cannot be called over Dubbo; reported per call
}

type argMeta struct {
	field    int    // index in the Args struct
	javaType string // hessian.argsType entry, "" to derive it from the Go type
	javaName string // for errors: "int[]", "org.example.GreetRequest"
}

type resultMeta struct {
	success    int   // index of the Success field, -1 for void
	exceptions []int // indexes of the declared exception fields (IDL throws)
}

// argsCodec and resultCodec are the methods kitexdubbo-gen gives Kitex's
// Args and Result types (hessian2-codec-<idl>.go): the codec writes and reads
// the arguments and the reply's value through them, with no reflection,
// unless told to use reflection only (WithReflection). An argument with a
// declared Java type (hessian.argsType, a set) is still written by
// EncodeAs, which makes the Go value into that type.
type argsCodec interface {
	MarshalHessian2Arg(e *hessian2.Encoder, i int) error
	UnmarshalHessian2Arg(d *hessian2.Decoder, i int) error
}

type resultCodec interface {
	Hessian2Outcome() (exception any, value bool)
	MarshalHessian2Value(e *hessian2.Encoder) error
	UnmarshalHessian2Value(d *hessian2.Decoder) error
}

// findFD returns the thrift_reflection descriptor Kitex registered for the
// service's IDL file (api-reflection.go registers it at init).
func findFD(svcInfo *serviceinfo.ServiceInfo) *thrift_reflection.ServiceDescriptor {
	gd := thrift_reflection.GetGlobalDescriptor(&thrift_reflection.FileDescriptor{})
	if path, _ := svcInfo.Extra["ServiceFilePath"].(string); path != "" {
		if sd := gd.LookupFD(path).GetServiceDescriptor(svcInfo.ServiceName); sd != nil {
			return sd
		}
	}
	// The path Kitex saw at generation time may differ from the one the
	// descriptor was registered under (generated elsewhere, vendored); a
	// service name found in exactly one file is still unambiguous.
	var found *thrift_reflection.ServiceDescriptor
	for path := range gd.ShowRegisterInfo() {
		if sd := gd.LookupFD(path).GetServiceDescriptor(svcInfo.ServiceName); sd != nil {
			if found != nil {
				return nil
			}
			found = sd
		}
	}
	return found
}

// annotation returns the first value of an annotation, trimmed.
func annotation(a map[string][]string, key string) string {
	if v := a[key]; len(v) > 0 {
		return strings.TrimSpace(v[0])
	}
	return ""
}

// methodDescriptor finds a method in the service or the services it extends.
func methodDescriptor(sd *thrift_reflection.ServiceDescriptor, name string) *thrift_reflection.MethodDescriptor {
	if sd == nil {
		return nil
	}
	if m := sd.GetMethodByName(name); m != nil {
		return m
	}
	if sd.Base == "" {
		return nil
	}
	return sd.GetMethodByNameFromAll(name)
}

// newServiceMeta works out svcInfo's Dubbo view. javaClassName, when set,
// overrides the service's JavaClassName annotation.
func newServiceMeta(svcInfo *serviceinfo.ServiceInfo, javaClassName string) *serviceMeta {
	sd := findFD(svcInfo)
	m := &serviceMeta{
		svcInfo: svcInfo,
		iface:   javaClassName,
		byIDL:   make(map[string]*methodMeta, len(svcInfo.Methods)),
		byJava:  make(map[string][]*methodMeta, len(svcInfo.Methods)),
	}
	if m.iface == "" && sd != nil {
		m.iface = annotation(sd.GetAnnotations(), annotationJavaClassName)
	}
	if m.iface == "" {
		// Without a Java name the Kitex name stands in, so two Kitex peers
		// still find each other.
		m.iface = svcInfo.ServiceName
	}
	for name, mi := range svcInfo.Methods {
		if mi == nil || mi.IsStreaming() {
			continue
		}
		mm := newMethodMeta(svcInfo.ServiceName, name, mi, methodDescriptor(sd, name))
		m.byIDL[name] = mm
		m.byJava[mm.java] = append(m.byJava[mm.java], mm)
	}
	return m
}

func newMethodMeta(service, name string, mi serviceinfo.MethodInfo, md *thrift_reflection.MethodDescriptor) *methodMeta {
	var ann map[string][]string
	var idlArgs []*thrift_reflection.FieldDescriptor
	if md != nil { // thriftgo's getters do not accept nil receivers
		ann, idlArgs = md.GetAnnotations(), md.GetArgs()
	}
	mm := &methodMeta{
		idl:     name,
		java:    name,
		display: service + "." + name,
		oneway:  mi.OneWay(),
		result:  resultMeta{success: -1},
	}
	if jn := annotation(ann, annotationJavaMethodName); jn != "" {
		mm.java = jn
	}
	var argsTypes []string
	if at := annotation(ann, annotationArgsType); at != "" {
		argsTypes = strings.Split(at, ",")
	}
	at := structType(mi.NewArgs())
	if at == nil {
		mm.err = fmt.Errorf("dubbo: %s: Args is not a pointer to a struct", mm.display)
		return mm
	}
	var desc strings.Builder
	for i := 0; i < at.NumField(); i++ {
		f := at.Field(i)
		if !f.IsExported() {
			continue
		}
		a := argMeta{field: i}
		if n := len(mm.args); n < len(argsTypes) {
			a.javaType = strings.TrimSpace(argsTypes[n])
		} else if n < len(idlArgs) && idlArgs[n].Type != nil && idlArgs[n].Type.Name == "set" {
			// Go has no set type: Kitex makes set<T> a slice, which would
			// otherwise be described as a java.util.List.
			a.javaType = "java.util.Set"
		}
		d, err := hessian2.TypeDescriptor(f.Type, a.javaType)
		if err != nil {
			mm.err = fmt.Errorf("dubbo: %s: %s: %w", mm.display, ArgumentPart(len(mm.args), a.javaType), err)
			return mm
		}
		a.javaName = JavaTypeName(d)
		desc.WriteString(d)
		mm.args = append(mm.args, a)
	}
	mm.paramTypes = desc.String()
	if len(argsTypes) > len(mm.args) {
		mm.err = fmt.Errorf("dubbo: %s: %s lists %d types for %d parameters", mm.display, annotationArgsType, len(argsTypes), len(mm.args))
		return mm
	}
	if mi.OneWay() {
		return mm // no Result: Kitex generates no constructor for it
	}
	if rt := structType(mi.NewResult()); rt != nil {
		for i := 0; i < rt.NumField(); i++ {
			f := rt.Field(i)
			switch {
			case !f.IsExported():
			case f.Name == "Success":
				mm.result.success = i
			case f.Type.Kind() == reflect.Pointer || f.Type.Kind() == reflect.Interface:
				mm.result.exceptions = append(mm.result.exceptions, i)
			}
		}
	}
	return mm
}

// structType returns the struct type v points to, or nil.
func structType(v any) reflect.Type {
	t := reflect.TypeOf(v)
	if t == nil || t.Kind() != reflect.Pointer || t.Elem().Kind() != reflect.Struct {
		return nil
	}
	return t.Elem()
}

// lookup picks the method a request names: by Java name, then by parameter
// types among overloads. A single method of that name is taken even when the
// descriptors differ (a Java caller may declare Integer where the IDL says int),
// as the argument decoding then converts or fails with a clear error.
func (m *serviceMeta) lookup(javaMethod, paramTypes string) *methodMeta {
	cands := m.byJava[javaMethod]
	for _, mm := range cands {
		if mm.paramTypes == paramTypes {
			return mm
		}
	}
	if len(cands) == 1 {
		return cands[0]
	}
	return nil
}

// interfacesByAnnotation lists the Kitex service names whose IDL says they
// implement the Java interface iface, from every IDL registered in the process.
func interfacesByAnnotation(iface string) []string {
	gd := thrift_reflection.GetGlobalDescriptor(&thrift_reflection.FileDescriptor{})
	var names []string
	for path := range gd.ShowRegisterInfo() {
		fd := gd.LookupFD(path)
		if fd == nil {
			continue
		}
		for _, sd := range fd.Services {
			if annotation(sd.GetAnnotations(), annotationJavaClassName) == iface {
				names = append(names, sd.Name)
			}
		}
	}
	return names
}

// simpleName is the class name without its package: a common Kitex service
// name for a Java interface.
func simpleName(iface string) string {
	if i := strings.LastIndexByte(iface, '.'); i >= 0 {
		return iface[i+1:]
	}
	return iface
}

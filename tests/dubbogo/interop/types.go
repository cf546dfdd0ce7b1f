// Package interop holds the Go side of the Java types of
// org.kitexdubbo.interop.InteropService (tests/idl/interop.thrift) for
// Apache dubbo-go v3 and dubbo-go-hessian2: the POJOs, the Status enum, the
// BizException, and the small wrappers that make dubbo-go write a parameter
// descriptor Java would accept. init registers every class with
// dubbo-go-hessian2 under its Java name, so importing the package is enough.
//
// Field names on the wire are the Java field names (the IDL's), given by
// `hessian` tags.
package interop

import (
	"fmt"
	"reflect"
	"time"

	hessian "github.com/apache/dubbo-go-hessian2"
	"github.com/apache/dubbo-go-hessian2/java8_time"
	"github.com/apache/dubbo-go-hessian2/java_exception"
	big "github.com/dubbogo/gost/math/big"
)

// JavaInterface is the Java interface the provider exports and the consumer calls.
const JavaInterface = "org.kitexdubbo.interop.InteropService"

// Java class names.
const (
	ClassBasic        = "org.kitexdubbo.interop.Basic"
	ClassCollections  = "org.kitexdubbo.interop.Collections"
	ClassContainers   = "org.kitexdubbo.interop.Containers"
	ClassOptionals    = "org.kitexdubbo.interop.Optionals"
	ClassTree         = "org.kitexdubbo.interop.Tree"
	ClassJavaTypes    = "org.kitexdubbo.interop.JavaTypes"
	ClassStatus       = "org.kitexdubbo.interop.Status"
	ClassBizException = "org.kitexdubbo.interop.BizException"
)

// Basic is org.kitexdubbo.interop.Basic: one field of each scalar type.
type Basic struct {
	Flag bool    `hessian:"flag"`
	B    int8    `hessian:"b"`
	S    int16   `hessian:"s"`
	I    int32   `hessian:"i"`
	L    int64   `hessian:"l"`
	D    float64 `hessian:"d"`
	Str  string  `hessian:"str"`
	Bin  []byte  `hessian:"bin"`
}

// JavaClassName implements hessian.POJO.
func (Basic) JavaClassName() string { return ClassBasic }

// Collections is org.kitexdubbo.interop.Collections. Sets are Go slices
// (dubbo-go-hessian2 has no set type). Three fields cannot have their natural
// Go types with dubbo-go-hessian2 v1.12.5, and are java.lang.Object-typed
// instead, holding what it decodes:
//   - Bins: a [][]byte cannot be encoded ("no this type name: [][]uint8").
//   - Nested: an untyped list of lists cannot be decoded into [][]int32 (the
//     decoder panics: []interface{} is not assignable to []int32).
//   - Multi: a map whose values are lists cannot be decoded into
//     map[string][]string (SetMapIndex panics the same way).
//
// Bins and Nested are interface{} rather than []interface{}: dubbo-go-hessian2
// writes a nil []interface{} as an empty list, not null.
type Collections struct {
	Bools   []bool                 `hessian:"bools"`
	Shorts  []int16                `hessian:"shorts"`
	Ints    []int32                `hessian:"ints"`
	Longs   []int64                `hessian:"longs"`
	Doubles []float64              `hessian:"doubles"`
	Strings []string               `hessian:"strings"`
	Bins    interface{}            `hessian:"bins"`
	IntSet  []int32                `hessian:"intSet"`
	StrSet  []string               `hessian:"strSet"`
	StrInt  map[string]int32       `hessian:"strInt"`
	LongStr map[int64]string       `hessian:"longStr"`
	ByName  map[string]*Basic      `hessian:"byName"`
	Basics  []*Basic               `hessian:"basics"`
	Nested  interface{}            `hessian:"nested"`
	Multi   map[string]interface{} `hessian:"multi"`
}

// JavaClassName implements hessian.POJO.
func (Collections) JavaClassName() string { return ClassCollections }

// Containers is org.kitexdubbo.interop.Containers. Sets are Go slices.
type Containers struct {
	Bytes       []int8             `hessian:"bytes"`
	BoolSet     []bool             `hessian:"boolSet"`
	ByteSet     []int8             `hessian:"byteSet"`
	ShortSet    []int16            `hessian:"shortSet"`
	LongSet     []int64            `hessian:"longSet"`
	DoubleSet   []float64          `hessian:"doubleSet"`
	StrBool     map[string]bool    `hessian:"strBool"`
	StrByte     map[string]int8    `hessian:"strByte"`
	StrShort    map[string]int16   `hessian:"strShort"`
	StrLong     map[string]int64   `hessian:"strLong"`
	StrDouble   map[string]float64 `hessian:"strDouble"`
	StrBin      map[string][]byte  `hessian:"strBin"`
	IntStr      map[int32]string   `hessian:"intStr"`
	ShortDouble map[int16]float64  `hessian:"shortDouble"`
}

// JavaClassName implements hessian.POJO.
func (Containers) JavaClassName() string { return ClassContainers }

// Optionals is org.kitexdubbo.interop.Optionals: boxed Java fields, nil is null.
type Optionals struct {
	Flag   *bool             `hessian:"flag"`
	I      *int32            `hessian:"i"`
	L      *int64            `hessian:"l"`
	D      *float64          `hessian:"d"`
	S      *string           `hessian:"s"`
	Bin    []byte            `hessian:"bin"`
	Basic  *Basic            `hessian:"basic"`
	Ints   []int32           `hessian:"ints"`
	M      map[string]string `hessian:"m"`
	Status *Status           `hessian:"status"`
}

// JavaClassName implements hessian.POJO.
func (Optionals) JavaClassName() string { return ClassOptionals }

// Tree is org.kitexdubbo.interop.Tree: recursive, with shared subtrees.
// Level has no Java class: it is a plain int.
type Tree struct {
	Name     string  `hessian:"name"`
	Left     *Tree   `hessian:"left"`
	Right    *Tree   `hessian:"right"`
	Status   Status  `hessian:"status"`
	Level    int32   `hessian:"level"`
	Children []*Tree `hessian:"children"`
}

// JavaClassName implements hessian.POJO.
func (Tree) JavaClassName() string { return ClassTree }

// JavaTypes is org.kitexdubbo.interop.JavaTypes: the java.* types the IDL
// names through java.thrift, in dubbo-go-hessian2's representation of each.
type JavaTypes struct {
	Obj           interface{}               `hessian:"obj"`
	Date          *time.Time                `hessian:"date"`
	Decimal       *big.Decimal              `hessian:"decimal"`
	BigInt        *big.Integer              `hessian:"bigInt"`
	LocalDateTime *java8_time.LocalDateTime `hessian:"localDateTime"`
	LocalDate     *java8_time.LocalDate     `hessian:"localDate"`
	Instant       *java8_time.Instant       `hessian:"instant"`
	Objects       []interface{}             `hessian:"objects"`
}

// JavaClassName implements hessian.POJO.
func (JavaTypes) JavaClassName() string { return ClassJavaTypes }

// Untyped has no Java class: it travels as a java.util.Map {"key", "value"}.
type Untyped struct {
	Key   string
	Value int32
}

// ToMap is the map Untyped travels as.
func (u Untyped) ToMap() map[interface{}]interface{} {
	return map[interface{}]interface{}{"key": u.Key, "value": u.Value}
}

// UntypedFromMap reads the map form back.
func UntypedFromMap(m map[interface{}]interface{}) (Untyped, error) {
	var u Untyped
	k, ok := m["key"].(string)
	if !ok {
		return u, fmt.Errorf("untyped: key is %T, want string", m["key"])
	}
	u.Key = k
	switch v := m["value"].(type) {
	case int32:
		u.Value = v
	case int64:
		u.Value = int32(v)
	default:
		return u, fmt.Errorf("untyped: value is %T, want int", m["value"])
	}
	return u, nil
}

// Status is the Java enum org.kitexdubbo.interop.Status, written as an object
// of that class with one field, "name". The numbers are the IDL's.
type Status hessian.JavaEnum

// The constants of Status.
const (
	StatusActive    Status = 1
	StatusSuspended Status = 2
)

var statusNames = map[Status]string{StatusActive: "ACTIVE", StatusSuspended: "SUSPENDED"}

// JavaClassName implements hessian.POJO.
func (Status) JavaClassName() string { return ClassStatus }

// String is the Java constant's name.
func (s Status) String() string {
	if n, ok := statusNames[s]; ok {
		return n
	}
	return fmt.Sprintf("Status(%d)", int32(s))
}

// EnumValue implements hessian.POJOEnum: the constant of a Java name.
func (Status) EnumValue(name string) hessian.JavaEnum {
	for s, n := range statusNames {
		if n == name {
			return hessian.JavaEnum(s)
		}
	}
	return hessian.InvalidJavaEnum
}

// BizException is org.kitexdubbo.interop.BizException extends Exception, with
// the Throwable fields Java writes and reads.
type BizException struct {
	DetailMessage        string                             `hessian:"detailMessage"`
	Cause                java_exception.Throwabler          `hessian:"cause"`
	StackTrace           []java_exception.StackTraceElement `hessian:"stackTrace"`
	SuppressedExceptions []java_exception.Throwabler        `hessian:"suppressedExceptions"`
	Code                 string                             `hessian:"code"`
	Detail               int32                              `hessian:"detail"`
}

// NewBizException is the exception the service throws for code.
func NewBizException(code string) *BizException {
	return &BizException{DetailMessage: code, Code: code, Detail: int32(len(code)),
		StackTrace: []java_exception.StackTraceElement{}, SuppressedExceptions: []java_exception.Throwabler{}}
}

// Error implements error.
func (e BizException) Error() string {
	return fmt.Sprintf("%s: code=%s detail=%d", ClassBizException, e.Code, e.Detail)
}

// JavaClassName implements hessian.POJO.
func (BizException) JavaClassName() string { return ClassBizException }

// GetStackTrace implements java_exception.Throwabler.
func (e BizException) GetStackTrace() []java_exception.StackTraceElement { return e.StackTrace }

// HashSet is a java.util.HashSet as a parameter declared java.util.Set:
// dubbo-go writes a typed list "java.util.HashSet" (a
// hessian.JavaCollectionObject) with the descriptor Ljava/util/Set;
// (hessian.Param). A plain []string would be written as a "[string" array with
// the descriptor [Ljava/lang/String;, which a Java provider does not match.
// Typed lists of that name decode into *HashSet too.
type HashSet struct {
	Items []interface{}
}

// NewHashSet makes a HashSet of the given elements.
func NewHashSet[T any](items ...T) *HashSet {
	s := &HashSet{Items: make([]interface{}, len(items))}
	for i, v := range items {
		s.Items[i] = v
	}
	return s
}

// JavaClassName implements hessian.POJO: the class written on the wire.
func (HashSet) JavaClassName() string { return "java.util.HashSet" }

// JavaParamName implements hessian.Param: the declared parameter type.
func (HashSet) JavaParamName() string { return "java.util.Set" }

// Get implements hessian.JavaCollectionObject.
func (s *HashSet) Get() []interface{} { return s.Items }

// Set implements hessian.JavaCollectionObject.
func (s *HashSet) Set(v []interface{}) { s.Items = v }

// HashMap is a map argument declared java.util.HashMap: written as a plain
// untyped map, with the descriptor Ljava/util/HashMap; (a Go map alone gets
// Ljava/util/Map;).
type HashMap struct {
	Entries map[string]int32
}

// JavaClassName implements hessian.POJO (used only to find the serializer).
func (HashMap) JavaClassName() string { return "java.util.HashMap" }

// JavaParamName implements hessian.Param.
func (HashMap) JavaParamName() string { return "java.util.HashMap" }

// hashMapSerializer writes a HashMap as its entries.
type hashMapSerializer struct{}

func (hashMapSerializer) EncObject(e *hessian.Encoder, v hessian.POJO) error {
	switch m := v.(type) {
	case *HashMap:
		return e.Encode(m.Entries)
	case HashMap:
		return e.Encode(m.Entries)
	}
	return fmt.Errorf("interop: %T is not a HashMap", v)
}

func (hashMapSerializer) DecObject(*hessian.Decoder, reflect.Type, *hessian.ClassInfo) (interface{}, error) {
	return nil, fmt.Errorf("interop: java.util.HashMap is never an object")
}

func init() {
	hessian.RegisterPOJO(&Basic{})
	hessian.RegisterPOJO(&Collections{})
	hessian.RegisterPOJO(&Containers{})
	hessian.RegisterPOJO(&Optionals{})
	hessian.RegisterPOJO(&Tree{})
	hessian.RegisterPOJO(&JavaTypes{})
	hessian.RegisterPOJO(&BizException{})
	hessian.RegisterJavaEnum(StatusActive)
	hessian.SetCollectionSerialize(&HashSet{})
	// Only the serializer, not RegisterPOJO: a registered "java.util.HashMap"
	// would make the decoder read typed maps of that name into the struct.
	hessian.SetSerializer("java.util.HashMap", hashMapSerializer{})
}

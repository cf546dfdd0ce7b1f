// The cross-language test service: every row of the README's type table, the
// annotations, exceptions and void methods. The Java mirror lives in
// java-interop/ (org.kitexdubbo.interop); method and field names are the Java ones.
namespace go interop

include "java.thrift"

enum Status {
  ACTIVE = 1
  SUSPENDED = 2
} (JavaClassName="org.kitexdubbo.interop.Status")

// No Java class: travels as its number.
enum Level {
  LOW = 1
  HIGH = 2
}

struct Basic {
  1: bool flag
  2: byte b
  3: i16 s
  4: i32 i
  5: i64 l
  6: double d
  7: string str
  8: binary bin
} (JavaClassName="org.kitexdubbo.interop.Basic")

struct Collections {
  1: list<bool> bools
  2: list<i16> shorts
  3: list<i32> ints
  4: list<i64> longs
  5: list<double> doubles
  6: list<string> strings
  7: list<binary> bins
  8: set<i32> intSet
  9: set<string> strSet
  10: map<string, i32> strInt
  11: map<i64, string> longStr
  12: map<string, Basic> byName
  13: list<Basic> basics
  14: list<list<i32>> nested
  15: map<string, list<string>> multi
} (JavaClassName="org.kitexdubbo.interop.Collections")

// The element kinds Collections leaves out: a list of bytes, sets and map
// values of the other base types, keys other than string and i64.
struct Containers {
  1: list<byte> bytes
  2: set<bool> boolSet
  3: set<byte> byteSet
  4: set<i16> shortSet
  5: set<i64> longSet
  6: set<double> doubleSet
  7: map<string, bool> strBool
  8: map<string, byte> strByte
  9: map<string, i16> strShort
  10: map<string, i64> strLong
  11: map<string, double> strDouble
  12: map<string, binary> strBin
  13: map<i32, string> intStr
  14: map<i16, double> shortDouble
} (JavaClassName="org.kitexdubbo.interop.Containers")

struct Optionals {
  1: optional bool flag
  2: optional i32 i
  3: optional i64 l
  4: optional double d
  5: optional string s
  6: optional binary bin
  7: optional Basic basic
  8: optional list<i32> ints
  9: optional map<string, string> m
  10: optional Status status
} (JavaClassName="org.kitexdubbo.interop.Optionals")

struct Tree {
  1: string name
  2: optional Tree left
  3: optional Tree right
  4: Status status
  5: Level level
  6: list<Tree> children
} (JavaClassName="org.kitexdubbo.interop.Tree")

struct JavaTypes {
  1: java.Object obj
  2: java.Date date
  3: java.BigDecimal decimal
  4: java.BigInteger bigInt
  5: java.LocalDateTime localDateTime
  6: java.LocalDate localDate
  7: java.Instant instant
  8: list<java.Object> objects
} (JavaClassName="org.kitexdubbo.interop.JavaTypes")

// The JDK types Dubbo-Java POJOs commonly carry (java.thrift names them; a
// char and a Character are both java.Char, a char[] is a string).
// Java's Queue and ConcurrentMap fields are interfaces a Hessian reader
// cannot fill from an untyped list or map, so their Go tag names the class to
// send; the concrete TreeMap, LinkedList, Integer[] fields take untyped ones.
// A LinkedHashMap keeps its order as a java.Map (a Go map has none).
struct JdkTypes {
  1: java.Timestamp timestamp
  2: java.SQLDate sqlDate
  3: java.SQLTime sqlTime
  4: java.UUID uuid
  5: java.Locale locale
  6: java.Currency currency
  7: java.Duration duration
  8: java.Period period
  9: java.Year year
  10: java.YearMonth yearMonth
  11: java.MonthDay monthDay
  12: java.ZoneOffset zoneOffset
  13: java.ZoneID zoneId
  14: java.ZonedDateTime zonedDateTime
  15: java.OffsetDateTime offsetDateTime
  16: java.OffsetTime offsetTime
  17: java.Calendar calendar
  18: java.EnumSet statuses
  19: java.BitSet bits
  20: java.AtomicLong atomicLong
  21: java.AtomicInteger atomicInteger
  22: java.Char ch
  23: java.Char boxedChar
  24: optional string chars
  25: list<i32> boxedInts
  26: list<i64> boxedLongs
  27: map<string, i32> treeMap
  28: map<string, i32> concurrentMap (go.tag = 'java:"java.util.concurrent.ConcurrentHashMap"')
  29: java.Map linkedMap
  30: list<string> linkedList
  31: list<string> queue (go.tag = 'java:"java.util.LinkedList"')
  32: list<java.Object> objects
} (JavaClassName="org.kitexdubbo.interop.JdkTypes")

// A struct the Java side does not know: written as a map.
struct Untyped {
  1: string key
  2: i32 value
}

exception BizException {
  1: string code
  2: i32 detail
} (JavaClassName="org.kitexdubbo.interop.BizException")

service InteropService {
  Basic echoBasic(1: Basic v)
  Collections echoCollections(1: Collections v)
  Containers echoContainers(1: Containers v)
  Optionals echoOptionals(1: Optionals v)
  Tree echoTree(1: Tree v)
  JavaTypes echoJavaTypes(1: JavaTypes v)
  Untyped echoUntyped(1: Untyped v)

  bool echoBool(1: bool v)
  byte echoByte(1: byte v)
  i16 echoShort(1: i16 v)
  i32 echoInt(1: i32 v)
  i64 echoLong(1: i64 v)
  double echoDouble(1: double v)
  string echoString(1: string v)
  binary echoBinary(1: binary v)
  Status echoStatus(1: Status v)
  Level echoLevel(1: Level v)
  list<i32> echoIntList(1: list<i32> v)
  set<string> echoStringSet(1: set<string> v)
  map<string, Basic> echoBasicMap(1: map<string, Basic> v)
  list<Basic> echoBasicList(1: list<Basic> v)
  java.Object echoObject(1: java.Object v)
  java.Date echoDate(1: java.Date v)
  java.BigDecimal echoDecimal(1: java.BigDecimal v)
  java.BigInteger echoBigInteger(1: java.BigInteger v)
  java.LocalDateTime echoLocalDateTime(1: java.LocalDateTime v)
  java.LocalDate echoLocalDate(1: java.LocalDate v)
  java.Instant echoInstant(1: java.Instant v)
  list<i64> echoLongList(1: list<i64> v)

  i64 sumPrimitive(1: i32 a, 2: i64 b, 3: list<i32> c) (hessian.argsType="int,long,int[]")
  double average(1: list<double> v) (hessian.argsType="double[]")
  i32 countMap(1: map<string, i32> m) (hessian.argsType="java.util.HashMap")
  double echoFloat(1: double v) (hessian.argsType="float")
  i32 countSet(1: set<string> v) (hessian.argsType="java.util.Set")
  i32 echoBoxedInt(1: i32 v) (hessian.argsType="java.lang.Integer")
  double sumFloats(1: list<double> v) (hessian.argsType="float[]")
  i32 sumShorts(1: list<i16> v) (hessian.argsType="short[]")
  string primitives(1: bool z, 2: byte b, 3: i16 s, 4: i32 i, 5: i64 j, 6: double d) (hessian.argsType="boolean,byte,short,int,long,double")

  string overloadString(1: string s) (JavaMethodName="overload")
  string overloadInt(1: i32 i) (JavaMethodName="overload", hessian.argsType="int")
  string overloadTwo(1: string s, 2: i32 i) (JavaMethodName="overload", hessian.argsType="java.lang.String,int")

  void nothing()
  void throwBiz(1: string code) throws (1: BizException e)
  string throwRuntime(1: string msg)
  string slow(1: i32 millis)
  map<string, string> echoAttachments(1: list<string> keys)

  JdkTypes echoJdkTypes(1: JdkTypes v)
  java.Timestamp echoTimestamp(1: java.Timestamp v)
  java.UUID echoUUID(1: java.UUID v)
  java.Duration echoDuration(1: java.Duration v)
  java.ZonedDateTime echoZonedDateTime(1: java.ZonedDateTime v)
  java.EnumSet echoStatuses(1: java.EnumSet v)
  java.Char echoChar(1: java.Char c) (hessian.argsType="char")
  java.Char echoCharacter(1: java.Char c)
  string echoChars(1: string v) (hessian.argsType="char[]")
  list<i32> echoBoxedInts(1: list<i32> v) (hessian.argsType="java.lang.Integer[]")
  list<i64> echoBoxedLongs(1: list<i64> v) (hessian.argsType="java.lang.Long[]")
  map<string, i32> echoTreeMap(1: map<string, i32> v) (hessian.argsType="java.util.TreeMap")
  java.Map echoLinkedHashMap(1: java.Map v) (hessian.argsType="java.util.LinkedHashMap")
  map<string, i32> echoConcurrentMap(1: map<string, i32> v) (hessian.argsType="java.util.concurrent.ConcurrentHashMap")
  list<string> echoLinkedList(1: list<string> v) (hessian.argsType="java.util.LinkedList")
} (JavaClassName="org.kitexdubbo.interop.InteropService")

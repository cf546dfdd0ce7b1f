// Java types a Thrift IDL cannot spell, for Dubbo interop. Put this file next to
// your IDL (kitexdubbo-gen -java-thrift DIR writes it), then:
//
//   include "java.thrift"
//   struct Order { 1: java.BigDecimal total, 2: java.LocalDateTime at, 3: java.Object extra }
//
// After the Kitex CLI, kitexdubbo-gen points the generated code at the Go package
// github.com/kitexdubbo/kitexdubbo/pkg/hessian2/java, whose types write what
// Dubbo-Java's Hessian reads. A field whose Java type no name here says (a
// java.util.Queue, a ConcurrentMap, a char) takes a Go tag naming it:
//   1: list<string> queue (go.tag = 'java:"java.util.LinkedList"')
namespace go java

struct Object {} (JavaClassName="java.lang.Object")
struct Date {} (JavaClassName="java.util.Date")
struct BigDecimal {} (JavaClassName="java.math.BigDecimal")
struct BigInteger {} (JavaClassName="java.math.BigInteger")
struct LocalDateTime {} (JavaClassName="java.time.LocalDateTime")
struct LocalDate {} (JavaClassName="java.time.LocalDate")
struct LocalTime {} (JavaClassName="java.time.LocalTime")
struct Instant {} (JavaClassName="java.time.Instant")
exception Exception {} (JavaClassName="java.lang.Exception")

// java.sql
struct Timestamp {} (JavaClassName="java.sql.Timestamp")
struct SQLDate {} (JavaClassName="java.sql.Date")
struct SQLTime {} (JavaClassName="java.sql.Time")

// java.time
struct Duration {} (JavaClassName="java.time.Duration")
struct Period {} (JavaClassName="java.time.Period")
struct Year {} (JavaClassName="java.time.Year")
struct YearMonth {} (JavaClassName="java.time.YearMonth")
struct MonthDay {} (JavaClassName="java.time.MonthDay")
struct ZoneOffset {} (JavaClassName="java.time.ZoneOffset")
struct ZoneID {} (JavaClassName="java.time.ZoneId")
struct ZonedDateTime {} (JavaClassName="java.time.ZonedDateTime")
struct OffsetDateTime {} (JavaClassName="java.time.OffsetDateTime")
struct OffsetTime {} (JavaClassName="java.time.OffsetTime")

// java.util, java.lang
struct UUID {} (JavaClassName="java.util.UUID")
struct Locale {} (JavaClassName="java.util.Locale")
struct Currency {} (JavaClassName="java.util.Currency")
struct Calendar {} (JavaClassName="java.util.Calendar")
struct EnumSet {} (JavaClassName="java.util.EnumSet")
struct BitSet {} (JavaClassName="java.util.BitSet")
struct AtomicLong {} (JavaClassName="java.util.concurrent.atomic.AtomicLong")
struct AtomicInteger {} (JavaClassName="java.util.concurrent.atomic.AtomicInteger")
struct Char {} (JavaClassName="java.lang.Character")
struct Class {} (JavaClassName="java.lang.Class")

// A Java collection or array, or a map, that keeps its class (LinkedList,
// Integer[], TreeMap, ...) and, for a map, its order (LinkedHashMap).
struct List {} (JavaClassName="java.util.List")
struct Map {} (JavaClassName="java.util.Map")

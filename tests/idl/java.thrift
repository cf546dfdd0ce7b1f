// Java types a Thrift IDL cannot spell, for Dubbo interop. Put this file next to
// your IDL (kitexdubbo-gen -java-thrift DIR writes it), then:
//
//   include "java.thrift"
//   struct Order { 1: java.BigDecimal total, 2: java.LocalDateTime at, 3: java.Object extra }
//
// After the Kitex CLI, kitexdubbo-gen points the generated code at the Go package
// github.com/kitexdubbo/kitexdubbo/pkg/hessian2/java, whose types write what
// Dubbo-Java's Hessian reads.
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

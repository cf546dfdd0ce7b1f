// Includes another IDL in another Go package; both have Java classes.
namespace go shop

include "common.thrift"
include "java.thrift"

struct Order {
  1: string id
  2: common.Money total
  3: list<common.Money> parts
  4: java.BigDecimal tax
  5: optional java.Date at
  6: java.Object extra
  7: common.Currency currency
  // JDK types from java.thrift, and a field whose Java type is a Queue.
  8: java.Timestamp placed
  9: java.UUID ref
  10: java.Duration ttl
  11: java.Map attrs
  12: list<string> queue (go.tag = 'java:"java.util.LinkedList"')
} (JavaClassName="org.example.shop.Order")

service ShopService {
  Order echo(1: Order o)
  // A java type in a signature: kitex -service puts it in handler.go.
  java.BigDecimal tax(1: Order o)
} (JavaClassName="org.example.shop.ShopService")

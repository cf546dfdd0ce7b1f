// The payloads the benchmarks measure, in three sizes: small (~128 bytes of
// scalars and a short string), medium (~1 KiB: an order of 10 items, each
// with a list, a map and a nested struct) and large (~64 KiB: 500 items).
// thrift_shapes.thrift is the same without Java classes, for Kitex's Thrift.
namespace go hessianshapes

struct Small {
  1: i64 id
  2: i32 count
  3: double ratio
  4: bool active
  5: string name
  6: i16 kind
} (JavaClassName="org.kitexdubbo.bench.Small")

struct Money {
  1: i64 cents
  2: string currency
} (JavaClassName="org.kitexdubbo.bench.Money")

struct Item {
  1: string sku
  2: i32 qty
  3: Money price
  4: list<string> tags
  5: map<string, i32> attrs
} (JavaClassName="org.kitexdubbo.bench.Item")

struct Order {
  1: i64 id
  2: string customer
  3: list<Item> items
  4: map<string, string> notes
  5: Money total
  6: bool paid
  7: double weight
} (JavaClassName="org.kitexdubbo.bench.Order")

struct Batch {
  1: list<Item> items
} (JavaClassName="org.kitexdubbo.bench.Batch")

service BenchService {
  Small echoSmall(1: Small v)
  Order echoOrder(1: Order v)
  Batch echoBatch(1: Batch v)
} (JavaClassName="org.kitexdubbo.bench.BenchService")

// The payloads the benchmarks measure, in three sizes: small (~128 bytes of
// scalars and a short string), medium (~1 KiB: an order of 10 items, each
// with a list, a map and a nested struct) and large (~64 KiB: 500 items).
// The same as shapes.thrift, without Java classes: for Kitex's own Thrift codec.
namespace go thriftshapes

struct Small {
  1: i64 id
  2: i32 count
  3: double ratio
  4: bool active
  5: string name
  6: i16 kind
}

struct Money {
  1: i64 cents
  2: string currency
}

struct Item {
  1: string sku
  2: i32 qty
  3: Money price
  4: list<string> tags
  5: map<string, i32> attrs
}

struct Order {
  1: i64 id
  2: string customer
  3: list<Item> items
  4: map<string, string> notes
  5: Money total
  6: bool paid
  7: double weight
}

struct Batch {
  1: list<Item> items
}

service BenchService {
  Small echoSmall(1: Small v)
  Order echoOrder(1: Order v)
  Batch echoBatch(1: Batch v)
}

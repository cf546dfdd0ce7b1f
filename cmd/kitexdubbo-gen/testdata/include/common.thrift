namespace go shop.common

struct Money {
  1: i64 cents
  2: string currency
} (JavaClassName="org.example.common.Money")

enum Currency {
  EUR = 1
  USD = 2
} (JavaClassName="org.example.common.Currency")

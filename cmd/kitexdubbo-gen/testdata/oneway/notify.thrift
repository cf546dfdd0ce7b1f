// A oneway method: the stock CLI fails under -protocol hessian2, so the test
// generates without that flag, as the README tells users to. (Without the flag
// Kitex also writes Thrift fast-codec methods for every struct, which the
// java.thrift types do not have: such an IDL cannot use them.)
namespace go notify

struct Event {
  1: string name
  2: i64 cents
  3: optional list<string> tags
} (JavaClassName="org.example.notify.Event")

// No Java class: must not be registered.
struct Local {
  1: string note
}

service NotifyService {
  oneway void fire(1: Event e)
  list<Event> drain()
  Local echoLocal(1: Local l)
} (JavaClassName="org.example.notify.NotifyService")

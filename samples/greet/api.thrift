// The demo's IDL: a Java interface org.example.greet.GreetProvider as Thrift.
namespace go greet

struct GreetRequest {
  1: required string name
  2: optional i32 times
} (JavaClassName="org.example.greet.GreetRequest")

struct GreetResponse {
  1: required string message
  2: list<string> lines
  3: map<string, i64> counts
} (JavaClassName="org.example.greet.GreetResponse")

exception GreetException {
  1: string reason
} (JavaClassName="org.example.greet.GreetException")

service GreetService {
  GreetResponse Greet(1: GreetRequest req) throws (1: GreetException err)
  i64 Sum(1: i32 a, 2: list<i32> b) (hessian.argsType="int,int[]")
  string EchoBool(1: bool b) (JavaMethodName="echo")
  string EchoString(1: string s) (JavaMethodName="echo")
  void Ping()
} (JavaClassName="org.example.greet.GreetProvider")

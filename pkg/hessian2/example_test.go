package hessian2_test

import (
	"fmt"

	"github.com/kitexdubbo/kitexdubbo/pkg/hessian2"
)

// GreetRequest stands for what Kitex generates from
// `struct GreetRequest { 1: required string req } (JavaClassName="org.example.GreetRequest")`.
type GreetRequest struct {
	Req string `thrift:"req,1,required"`
}

func (*GreetRequest) JavaClassName() string { return "org.example.GreetRequest" }

func ExampleMarshal() {
	b, err := hessian2.Marshal(&GreetRequest{Req: "hi"})
	if err != nil {
		panic(err)
	}
	fmt.Printf("%q\n", b)
	// Output: "C\x18org.example.GreetRequest\x91\x03req`\x02hi"
}

func ExampleUnmarshal() {
	// A java.util.ArrayList<Integer> as Dubbo-Java writes it: untyped.
	var v []int32
	if err := hessian2.Unmarshal([]byte{0x7a, 0x91, 0x92}, &v); err != nil {
		panic(err)
	}
	fmt.Println(v)
	// Output: [1 2]
}

func ExampleRegister() {
	hessian2.Register(&GreetRequest{})
	b, _ := hessian2.Marshal(&GreetRequest{Req: "hi"})
	v, _ := hessian2.NewDecoder(b).DecodeValue() // no target type: the registered one is used
	fmt.Printf("%T %s\n", v, v.(*GreetRequest).Req)
	// Output: *hessian2_test.GreetRequest hi
}

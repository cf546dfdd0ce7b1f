package registry_test

import (
	"fmt"
	"time"

	"github.com/kitexdubbo/kitexdubbo/pkg/registry"
)

// A provider's interface-level entry: the URL, and the ZooKeeper node name a
// consumer reads it back from.
func ExampleService_ProviderURL() {
	svc := &registry.Service{
		Interface:   "org.example.GreetProvider",
		Application: "greet",
		Methods:     []string{"greet", "echo"},
		Host:        "::1",
		Port:        20880,
	}
	u := svc.ProviderURL(time.UnixMilli(1700000000000))
	fmt.Println(u)
	node := u.Encoded() // under /dubbo/org.example.GreetProvider/providers
	back, _ := registry.ParseEncodedURL(node)
	consumer := (&registry.Service{Interface: "org.example.GreetProvider"}).Subscription()
	fmt.Println(back.Address(), registry.IsMatch(consumer, back))
	// Output:
	// dubbo://[::1]:20880/org.example.GreetProvider?application=greet&deprecated=false&dubbo=2.0.2&dynamic=true&generic=false&interface=org.example.GreetProvider&methods=echo,greet&prefer.serialization=hessian2&release=kitexdubbo-0.1&serialization=hessian2&side=provider&timestamp=1700000000000
	// [::1]:20880 true
}

// Application-level metadata and the revision a provider advertises.
func ExampleNewMetadataInfo() {
	svc := &registry.Service{Interface: "org.example.GreetProvider", Application: "greet", Host: "10.0.0.7", Port: 20880}
	md := registry.NewMetadataInfo("greet", registry.NewServiceInfo(svc))
	for key := range md.Services {
		fmt.Println(key)
	}
	fmt.Println(len(md.Revision))
	// Output:
	// org.example.GreetProvider:dubbo
	// 32
}

package tests

import (
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/cloudwego/kitex/pkg/klog"
	"github.com/cloudwego/kitex/server"

	"github.com/kitexdubbo/kitexdubbo/internal/testenv"
	"github.com/kitexdubbo/kitexdubbo/pkg/dubbo"
)

const (
	colKitexToJava = "Kitex → Dubbo-Java"
	colJavaToKitex = "Dubbo-Java → Kitex"
)

// Every case from a Kitex client against the real Dubbo-Java provider
// (java-interop, Dubbo 3.3 from Maven Central).
func TestJavaProvider(t *testing.T) {
	klog.SetLevel(klog.LevelFatal)
	port := testenv.FreePort(t, "127.0.0.1")
	p := testenv.Start(t, "Dubbo-Java provider",
		testenv.JavaCommand(t, "org.kitexdubbo.interop.Provider", "-port", strconv.Itoa(port)), 3*time.Minute)
	runCases(t, colKitexToJava, newClient(t, fmt.Sprintf("127.0.0.1:%d", p.Port)))
}

// The real Dubbo-Java consumer runs its cases against a Kitex server.
func TestJavaConsumer(t *testing.T) {
	klog.SetLevel(klog.LevelFatal)
	// Dubbo-Java swaps a 127.x or "localhost" address for the machine's own
	// before it connects (NetUtils.filterLocalHost), which a server bound to
	// 127.0.0.1 never answers; the IPv6 loopback it leaves alone.
	addr := startServerOn(t, "::1", server.WithTransHandlerFactory(
		dubbo.NewSvrTransHandlerFactory(dubbo.NewDubboCodec(dubbo.WithJavaClassName(JavaInterface)))))
	runPeerConsumer(t, colJavaToKitex, "Dubbo-Java consumer",
		testenv.JavaCommand(t, "org.kitexdubbo.interop.Consumer", "-addr", addr))
}

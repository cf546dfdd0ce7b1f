// Command provider serves org.kitexdubbo.interop.InteropService with Apache
// dubbo-go v3 over the classic dubbo protocol with Hessian2 bodies, no
// registry, on 127.0.0.1:<-port>. Once the port accepts connections it prints
// "READY <port>"; SIGTERM or an interrupt stops it with status 0.
package main

import (
	"flag"
	"fmt"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"dubbo.apache.org/dubbo-go/v3"
	"dubbo.apache.org/dubbo-go/v3/common"
	"dubbo.apache.org/dubbo-go/v3/graceful_shutdown"
	_ "dubbo.apache.org/dubbo-go/v3/imports"
	dglogger "dubbo.apache.org/dubbo-go/v3/logger"
	"dubbo.apache.org/dubbo-go/v3/protocol"
	dubboprotocol "dubbo.apache.org/dubbo-go/v3/protocol/dubbo"
	"dubbo.apache.org/dubbo-go/v3/server"

	"github.com/kitexdubbo/kitexdubbo/tests/dubbogo/interop"
)

// maxMsgLen is the largest Dubbo body the getty transport accepts (its default
// is 100 KiB); Dubbo-Java's default payload limit is 8 MiB.
const maxMsgLen = 8 << 20

func main() {
	port := flag.Int("port", 0, "loopback port to serve on (0 picks a free one)")
	flag.Parse()
	if err := run(*port); err != nil {
		fmt.Fprintln(os.Stderr, "dubbogo provider:", err)
		os.Exit(1)
	}
}

func run(port int) error {
	if port == 0 {
		// dubbo-go does not report the port it bound, so pick one first.
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return err
		}
		port = ln.Addr().(*net.TCPAddr).Port
		ln.Close()
	}
	ins, err := dubbo.NewInstance(
		dubbo.WithName("kitexdubbo-interop-provider"),
		// No MetadataService: with the "local" default dubbo-go exports one on
		// the protocol's port on every interface, which then collides with
		// the 127.0.0.1 listener.
		dubbo.WithRemoteMetadata(),
		dubbo.WithLogger(dglogger.WithLevel("error")),
		dubbo.WithShutdown(graceful_shutdown.WithoutInternalSignal()),
		dubbo.WithProtocol(
			protocol.WithDubbo(),
			protocol.WithIp("127.0.0.1"),
			protocol.WithPort(port),
			protocol.WithParams(map[string]interface{}{
				"getty-session-param": map[string]interface{}{"max-msg-len": maxMsgLen},
			}),
		),
	)
	if err != nil {
		return err
	}
	interop.QuietLogs()
	srv, err := ins.NewServer()
	if err != nil {
		return err
	}
	// The service info is only a name: with the dubbo protocol dubbo-go calls
	// the methods by reflection. (A nil info makes Serve panic in v3.3.0.)
	info := &common.ServiceInfo{InterfaceName: interop.JavaInterface}
	if err := srv.Register(&InteropService{}, info,
		server.WithInterface(interop.JavaInterface), server.WithNotRegister()); err != nil {
		return err
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve() }() // Serve exports, then blocks forever

	addr := fmt.Sprintf("127.0.0.1:%d", port)
	for i := 0; ; i++ {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.Close()
			break
		}
		select {
		case err := <-done:
			return fmt.Errorf("serve: %v", err)
		default:
		}
		if i == 1000 {
			return fmt.Errorf("%s never accepted a connection: %v", addr, err)
		}
		time.Sleep(10 * time.Millisecond)
	}
	fmt.Printf("READY %d\n", port)

	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, os.Interrupt)
	select {
	case <-sig:
		dubboprotocol.GetProtocol().Destroy()
		return nil
	case err := <-done:
		return fmt.Errorf("serve: %v", err)
	}
}

// Command consumer calls an org.kitexdubbo.interop.InteropService provider
// at -addr with Apache dubbo-go v3 (dubbo protocol, Hessian2, a direct URL,
// no registry), runs the cases of tests/cases.go that dubbo-go can express,
// prints "PASS <name>" or "FAIL <name>: <reason>" for each and then
// "<N> passed, <M> failed", and exits 1 if any failed.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"dubbo.apache.org/dubbo-go/v3"
	"dubbo.apache.org/dubbo-go/v3/client"
	"dubbo.apache.org/dubbo-go/v3/common/constant"
	"dubbo.apache.org/dubbo-go/v3/graceful_shutdown"
	_ "dubbo.apache.org/dubbo-go/v3/imports"
	dglogger "dubbo.apache.org/dubbo-go/v3/logger"
	"dubbo.apache.org/dubbo-go/v3/protocol"

	"github.com/kitexdubbo/kitexdubbo/tests/dubbogo/interop"
)

// maxMsgLen is the largest Dubbo body the getty transport accepts (its default
// is 100 KiB); Dubbo-Java's default payload limit is 8 MiB.
const maxMsgLen = 8 << 20

func main() {
	addr := flag.String("addr", "", "host:port of the provider")
	timeout := flag.Duration("timeout", 10*time.Second, "per-call timeout")
	run := flag.String("run", "", "only the cases whose name contains this")
	flag.Parse()
	if *addr == "" {
		flag.Usage()
		os.Exit(2)
	}
	c, err := dial(*addr, *timeout)
	if err != nil {
		fmt.Fprintln(os.Stderr, "dubbogo consumer:", err)
		os.Exit(1)
	}
	passed, failed := 0, 0
	for _, tc := range Cases() {
		if !strings.Contains(tc.Name, *run) {
			continue
		}
		if err := runCase(tc, c); err != nil {
			failed++
			fmt.Printf("FAIL %s: %s\n", tc.Name, oneLine(err))
		} else {
			passed++
			fmt.Printf("PASS %s\n", tc.Name)
		}
	}
	fmt.Printf("%d passed, %d failed\n", passed, failed)
	if failed > 0 {
		os.Exit(1)
	}
}

// runCase runs one case, turning a panic (dubbo-go's reflection code can
// panic on values it cannot convert) into a failure.
func runCase(tc Case, c *caller) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	return tc.Run(context.Background(), c)
}

func dial(addr string, timeout time.Duration) (*caller, error) {
	ins, err := dubbo.NewInstance(
		dubbo.WithName("kitexdubbo-interop-consumer"),
		dubbo.WithLogger(dglogger.WithLevel("error")),
		dubbo.WithShutdown(graceful_shutdown.WithoutInternalSignal()),
		// Only for the getty session parameters of the dubbo protocol.
		dubbo.WithProtocol(
			protocol.WithDubbo(),
			protocol.WithParams(map[string]interface{}{
				"getty-session-param": map[string]interface{}{"max-msg-len": maxMsgLen},
			}),
		),
	)
	if err != nil {
		return nil, err
	}
	interop.QuietLogs()
	cli, err := ins.NewClient(
		client.WithClientURL("dubbo://"+addr),
		client.WithClientProtocolDubbo(),
		client.WithClientSerialization(constant.Hessian2Serialization),
		client.WithClientClusterFailFast(), // no retries: slow(timeout) must time out once
		client.WithClientRequestTimeout(timeout),
	)
	if err != nil {
		return nil, err
	}
	// The filter goes on the reference: v3.3.0 does not apply a client-level
	// (WithClientFilter) filter to a dialed connection.
	conn, err := cli.Dial(interop.JavaInterface, client.WithFilter(attachmentsFilter))
	if err != nil {
		return nil, err
	}
	return &caller{conn: conn, timeout: timeout}, nil
}

func oneLine(err error) string {
	s := strings.Join(strings.Fields(err.Error()), " ")
	if len(s) > 600 {
		s = s[:600] + "..."
	}
	return s
}

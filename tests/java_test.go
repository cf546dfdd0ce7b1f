package tests

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

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
	// The provider's default host is ::1: Dubbo-Java binds every interface
	// when told 127.0.0.1.
	port := testenv.FreePort(t, "::1")
	p := testenv.Start(t, "Dubbo-Java provider",
		testenv.JavaCommand(t, "org.kitexdubbo.interop.Provider", "-port", strconv.Itoa(port)), 3*time.Minute)
	addr := fmt.Sprintf("[::1]:%d", p.Port)
	runCases(t, colKitexToJava, newClient(t, addr))
	t.Run("version and group", func(t *testing.T) { testJavaVersionGroup(t, addr) })
	if *update {
		captureProvider(t, addr)
	}
}

// The Java provider registers in a real ZooKeeper, in Dubbo's default mode
// (interface-level and application-level entries both), and the Java
// consumer finds it and runs every case, once through each kind of entry.
func TestJavaProviderInZooKeeper(t *testing.T) {
	registry := "zookeeper://" + testenv.ZooKeeper(t)
	port := testenv.FreePort(t, "::1")
	testenv.Start(t, "Dubbo-Java provider", testenv.JavaCommand(t, "org.kitexdubbo.interop.Provider",
		"-port", strconv.Itoa(port), "-registry", registry), 3*time.Minute)
	for _, discovery := range []string{"interface", "application"} {
		t.Run(discovery, func(t *testing.T) {
			requirePassed(t, runConsumer(t, "Dubbo-Java consumer", testenv.JavaCommand(t,
				"org.kitexdubbo.interop.Consumer", "-registry", registry, "-discovery", discovery, "-peer", "java")))
		})
	}
}

// The real Dubbo-Java consumer runs its cases against a Kitex server.
func TestJavaConsumer(t *testing.T) {
	// Dubbo-Java swaps a 127.x or "localhost" address for the machine's own
	// before it connects (NetUtils.filterLocalHost), which a server bound to
	// 127.0.0.1 never answers; the IPv6 loopback it leaves alone.
	addr := startDubboServer(t, "::1")
	var rec *testenv.Recorder
	if *update {
		rec = testenv.Record(t, "::1", addr)
		addr = rec.Addr
	}
	runPeerConsumer(t, colJavaToKitex, "Dubbo-Java consumer",
		testenv.JavaCommand(t, "org.kitexdubbo.interop.Consumer", "-addr", addr))
	if rec != nil {
		captureConsumer(t, rec)
	}
}

// A Dubbo-Java consumer sends heartbeats on an idle connection and
// reconnects when three intervals pass unanswered. With a 200ms interval and
// 2s of idleness, the Kitex server must answer every heartbeat, and the
// consumer must still be on its first connection for its last call.
func TestJavaConsumerHeartbeat(t *testing.T) {
	rec := testenv.Record(t, "::1", startDubboServer(t, "::1"))
	results := runConsumer(t, "Dubbo-Java consumer", testenv.JavaCommand(t,
		"org.kitexdubbo.interop.Consumer", "-addr", rec.Addr, "-heartbeat", "200", "-idle", "2000"))
	requirePassed(t, results)
	if last := results[len(results)-1]; last.Name != "echoString/after idle" {
		t.Fatalf("the last case is %s, not the call after idling", last.Name)
	}
	asked, answered := map[int64]bool{}, 0
	for _, f := range rec.Take() {
		switch {
		case f.Header.Event && f.Header.Request && f.FromClient:
			asked[f.Header.ID] = true
		case f.Header.Event && !f.Header.Request && !f.FromClient && asked[f.Header.ID]:
			answered++
		}
	}
	// One heartbeat may be cut off by the consumer's exit; every other one
	// must have its answer.
	if len(asked) < 3 || answered < len(asked)-1 {
		t.Fatalf("%d heartbeats in 2s idle, %d answered; want several, all answered", len(asked), answered)
	}
	t.Logf("%d heartbeats, %d answered, one connection", len(asked), answered)
	if n := rec.Conns(); n != 1 {
		t.Fatalf("the consumer opened %d connections, want 1 (it reconnects when heartbeats go unanswered)", n)
	}
}

// A Dubbo-Java provider closes a connection idle for three heartbeat
// intervals. The Kitex client's next call must open a new one and succeed.
func TestJavaProviderClosesIdle(t *testing.T) {
	port := testenv.FreePort(t, "::1")
	p := testenv.Start(t, "Dubbo-Java provider", testenv.JavaCommand(t, "org.kitexdubbo.interop.Provider",
		"-port", strconv.Itoa(port), "-heartbeat", "200"), 3*time.Minute)
	rec := testenv.Record(t, "::1", fmt.Sprintf("[::1]:%d", p.Port))
	c := newClient(t, rec.Addr)
	for i, wait := range []time.Duration{0, 2 * time.Second} {
		time.Sleep(wait)
		got, err := c.EchoString(context.Background(), "call")
		if err != nil || got != "call" {
			t.Fatalf("call %d (after %v idle): %q, %v", i+1, wait, got, err)
		}
	}
	if n := rec.Conns(); n != 2 {
		t.Fatalf("%d connections, want 2: the provider should have closed the idle one", n)
	}
}

// The Java provider exports the interface twice: plain, and as version
// 2.0.0 in group "gray". A Kitex client reaches each export by its version
// and group, and a mismatch comes back as Java's own error: "Not found
// exported service" when some export has that version, and a decoder
// failure when none does (Java looks the parameter types up by path and
// version before it reads the arguments). Part of TestJavaProvider.
func testJavaVersionGroup(t *testing.T, addr string) {
	for _, tc := range []struct {
		name string
		opts []dubbo.Option
		want string
		err  string
	}{
		{name: "plain", want: "x"},
		{name: "version and group", opts: []dubbo.Option{dubbo.WithServiceVersion("2.0.0"), dubbo.WithServiceGroup("gray")}, want: "gray 2.0.0: x"},
		{name: "unknown version", opts: []dubbo.Option{dubbo.WithServiceVersion("3.0.0"), dubbo.WithServiceGroup("gray")},
			err: "BAD_REQUEST (40): Fail to decode request due to: RpcInvocation [methodName=echoString, parameterTypes=null]"},
		{name: "group missing", opts: []dubbo.Option{dubbo.WithServiceVersion("2.0.0")},
			err: "Not found exported service: " + JavaInterface + ":2.0.0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := newClient(t, addr, tc.opts...).EchoString(context.Background(), "x")
			switch {
			case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
				t.Fatalf("got %q, %v; want an error containing %q", got, err, tc.err)
			case tc.err == "" && (err != nil || got != tc.want):
				t.Fatalf("got %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

// A Kitex server with a version and group, and the Java consumer calling it
// by them: every case passes.
func TestJavaConsumerVersionGroup(t *testing.T) {
	addr := startDubboServer(t, "::1", dubbo.WithServiceVersion("2.0.0"), dubbo.WithServiceGroup("gray"))
	requirePassed(t, runConsumer(t, "Dubbo-Java consumer", testenv.JavaCommand(t,
		"org.kitexdubbo.interop.Consumer", "-addr", addr, "-version", "2.0.0", "-group", "gray")))
}

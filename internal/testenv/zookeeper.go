package testenv

import (
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// ZooKeeper starts a standalone ZooKeeper server on a free port of 127.0.0.1,
// its data in a temporary directory, and returns its address (host:port).
// The server is the one in the org.apache.zookeeper jar java-interop
// depends on, the version Dubbo-Java's registry is tested against here, so
// no separate download is needed. It is stopped when the test ends.
func ZooKeeper(t testing.TB) string {
	t.Helper()
	return StartZooKeeper(t).Addr
}

// ZooKeeperMaxSession caps the sessions of the test ZooKeeper servers.
const ZooKeeperMaxSession = 10 * time.Second

// ZooKeeperServer is a ZooKeeper started by StartZooKeeper.
type ZooKeeperServer struct {
	Addr    string
	cfgPath string
	proc    *Process
}

// StartZooKeeper is ZooKeeper, returning the server so a test can restart it.
func StartZooKeeper(t testing.TB) *ZooKeeperServer {
	t.Helper()
	dir := t.TempDir()
	port := FreePort(t, "127.0.0.1")
	z := &ZooKeeperServer{
		Addr:    fmt.Sprintf("127.0.0.1:%d", port),
		cfgPath: filepath.Join(dir, "zoo.cfg"),
	}
	// The admin server (Jetty) is off: it would take a second, fixed port.
	cfg := strings.Join([]string{
		"tickTime=2000",
		// A session asked for longer (Dubbo-Java asks 60s) gets 10s: a
		// client killed without closing leaves within that.
		"maxSessionTimeout=" + strconv.Itoa(int(ZooKeeperMaxSession/time.Millisecond)),
		"dataDir=" + filepath.Join(dir, "data"),
		fmt.Sprintf("clientPort=%d", port),
		"clientPortAddress=127.0.0.1",
		"admin.enableServer=false",
		"4lw.commands.whitelist=srvr",
		"",
	}, "\n")
	if err := os.WriteFile(z.cfgPath, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	z.start(t)
	return z
}

func (z *ZooKeeperServer) start(t testing.TB) {
	t.Helper()
	cmd := exec.Command("java", "-cp", JavaClasspath(t),
		"-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
		"org.apache.zookeeper.server.ZooKeeperServerMain", z.cfgPath)
	z.proc = StartProbed(t, "ZooKeeper", cmd, 2*time.Minute, func() bool { return zkOK(z.Addr) })
}

// Restart stops the server and starts it again on the same port and data:
// its clients reconnect to their sessions, as after a short outage. (Wiping
// the data would not expire them: a client that has seen a later zxid than
// the server's is refused, and retries for ever.)
func (z *ZooKeeperServer) Restart(t testing.TB) {
	t.Helper()
	z.proc.Stop()
	z.start(t)
}

// zkOK asks ZooKeeper's "srvr": a server that answers with its version
// serves clients, which neither an open port nor "ruok" shows (it listens,
// and answers "imok", before it has loaded its data; a client connecting
// then is dropped and retries a second later, and after a restart under
// load those retries ate the tests' whole connect timeout).
func zkOK(addr string) bool {
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return false
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(2 * time.Second))
	if _, err := io.WriteString(c, "srvr"); err != nil {
		return false
	}
	b, _ := io.ReadAll(c)
	return strings.HasPrefix(string(b), "Zookeeper version:")
}

package testenv

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// RnacosVersion is the Nacos server the tests run: rnacos from crates.io, an
// independent implementation of Nacos's v1 HTTP and v2 gRPC APIs (Alibaba's
// own server is not published where this project's builds can fetch it).
const RnacosVersion = "0.8.8"

// rnacosBuildTime is what a first build is given: cargo needs about 8-30
// minutes on two cores.
const rnacosBuildTime = 45 * time.Minute

// NacosServer is a standalone rnacos on 127.0.0.1 started by Nacos. Its data
// (configs; instances live in memory) stays in one temporary directory
// across Stop and Start, so a restart keeps what was published.
type NacosServer struct {
	// Addr is the HTTP API's host:port, the server address Nacos clients are
	// given; they find the gRPC API at its port + 1000, where it listens.
	Addr     string
	HTTPPort int
	GRPCPort int
	DataDir  string

	bin     string
	dir     string
	proc    *Process
	started bool // once: DataDir holds what the tests put there
}

// Nacos starts rnacos on free ports of 127.0.0.1 (HTTP at P, gRPC at P+1000,
// the offset every Nacos 2 client assumes; no console), with its data in a
// temporary directory, and waits until it serves: its single-node Raft group
// has a leader, a config written reads back (config writes go through Raft;
// see Start), the naming API answers and the gRPC port accepts. It is
// stopped when the test ends. The first call on a machine builds
// rnacos with cargo into SharedCacheDir, which takes many minutes once.
func Nacos(t testing.TB) *NacosServer {
	t.Helper()
	n := &NacosServer{bin: rnacosBinary(t), dir: t.TempDir()}
	n.DataDir = filepath.Join(n.dir, "data")
	n.HTTPPort, n.GRPCPort = nacosPorts(t)
	n.Addr = net.JoinHostPort("127.0.0.1", strconv.Itoa(n.HTTPPort))
	n.Start(t)
	return n
}

// URL is the server as a Dubbo registry address: nacos://127.0.0.1:port.
func (n *NacosServer) URL() string { return "nacos://" + n.Addr }

// Start starts the server (again, after Stop) on its ports and data.
//
// rnacos 0.8.8 has a startup race on an empty data directory: its Raft
// node initialises itself before the actor that applies committed entries
// has its dependencies, that actor panics (raftapply.rs:421, an unwrap of
// None), and from then on every config write is committed but never
// applied, while publish still answers success. It happened in one fresh
// start in five to one in two here. Start therefore counts the server ready only
// once a probe config it writes reads back (it is deleted again), and starts
// a server that never applies it once more, from an empty directory when
// there was nothing in it yet.
func (n *NacosServer) Start(t testing.TB) {
	t.Helper()
	if n.proc != nil && !n.proc.exited() {
		t.Fatal("testenv: rnacos is already running")
	}
	const attempts = 3
	for attempt := 1; ; attempt++ {
		if !n.started {
			if err := os.RemoveAll(n.DataDir); err != nil {
				t.Fatal(err)
			}
		}
		var leading time.Time
		stuck := false
		n.proc = StartProbed(t, "rnacos", n.command(), time.Minute, func() bool {
			if !n.serving() {
				return false
			}
			if n.applies() {
				return true
			}
			if leading.IsZero() {
				leading = time.Now()
			}
			stuck = time.Since(leading) > 3*time.Second
			return stuck
		})
		if !stuck {
			n.started = true
			return
		}
		why := "no panic in its log"
		if strings.Contains(n.proc.Log(), "panicked at") {
			why = "its Raft apply actor panicked at startup"
		}
		n.proc.Stop()
		if attempt == attempts {
			t.Fatalf("testenv: rnacos did not apply config writes in %d starts (%s):\n%s", attempts, why, tail(n.proc.Log(), 8000))
		}
		t.Logf("testenv: rnacos serves but does not apply config writes (%s); starting it again", why)
	}
}

func (n *NacosServer) command() *exec.Cmd {
	cmd := exec.Command(n.bin)
	// rnacos reads a .env file from its working directory and the ones
	// above; a temporary directory has none.
	cmd.Dir = n.dir
	cmd.Env = append(withoutRnacosEnv(os.Environ()),
		"RNACOS_HTTP_PORT="+strconv.Itoa(n.HTTPPort),
		"RNACOS_GRPC_PORT="+strconv.Itoa(n.GRPCPort),
		"RNACOS_HTTP_CONSOLE_PORT=0", // 0: no console server
		"RNACOS_SDK_HOST=127.0.0.1",  // the HTTP and gRPC listen address
		"RNACOS_CONSOLE_HOST=127.0.0.1",
		"RNACOS_RAFT_NODE_ADDR=127.0.0.1:"+strconv.Itoa(n.GRPCPort),
		"RNACOS_DATA_DIR="+n.DataDir,
		"RUST_LOG=info", // one line per gRPC request: the test log on failure shows the traffic
	)
	return cmd
}

// Stop stops the server (SIGTERM to its process group; it exits within a
// couple of seconds, dropping its clients' connections and, with them, their
// ephemeral instances).
func (n *NacosServer) Stop() {
	if n.proc != nil {
		n.proc.Stop()
	}
}

// Restart is Stop then Start: the same ports and data, no instances until
// the clients register again.
func (n *NacosServer) Restart(t testing.TB) {
	t.Helper()
	n.Stop()
	n.Start(t)
}

// Log is what the running (or last) server process printed.
func (n *NacosServer) Log() string {
	if n.proc == nil {
		return ""
	}
	return n.proc.Log()
}

// Get asks the HTTP API (path such as /nacos/v1/ns/instance/list) and
// returns the status and body. A transport error fails the test.
func (n *NacosServer) Get(t testing.TB, path string, query url.Values) (int, []byte) {
	t.Helper()
	code, body, err := n.get(path, query)
	if err != nil {
		t.Fatalf("testenv: rnacos GET %s: %v", path, err)
	}
	return code, body
}

func (n *NacosServer) get(path string, query url.Values) (int, []byte, error) {
	return n.do(http.MethodGet, path, query, nil)
}

func (n *NacosServer) do(method, path string, query, form url.Values) (int, []byte, error) {
	u := "http://" + n.Addr + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	req, err := http.NewRequest(method, u, strings.NewReader(form.Encode()))
	if err != nil {
		return 0, nil, err
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	c := http.Client{Timeout: 2 * time.Second}
	resp, err := c.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp.StatusCode, body, err
}

// serving holds once the Raft group has elected this node (before that a
// config publish fails), the naming API answers and the gRPC port accepts.
func (n *NacosServer) serving() bool {
	code, body, err := n.get("/nacos/v1/raft/metrics", nil)
	if err != nil || code != http.StatusOK {
		return false
	}
	var m struct {
		State         string `json:"state"`
		CurrentLeader *int   `json:"current_leader"`
	}
	if json.Unmarshal(body, &m) != nil || m.State != "Leader" || m.CurrentLeader == nil {
		return false
	}
	code, _, err = n.get("/nacos/v1/ns/service/list", url.Values{"pageNo": {"1"}, "pageSize": {"1"}})
	if err != nil || code != http.StatusOK {
		return false
	}
	c, err := net.DialTimeout("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(n.GRPCPort)), time.Second)
	if err != nil {
		return false
	}
	c.Close()
	return true
}

// applies writes a probe config, reads it back and deletes it.
func (n *NacosServer) applies() bool {
	key := url.Values{"dataId": {"testenv.probe"}, "group": {"testenv"}}
	nonce := strconv.FormatInt(time.Now().UnixNano(), 36)
	form := url.Values{"dataId": key["dataId"], "group": key["group"], "content": {nonce}}
	if code, body, err := n.do(http.MethodPost, "/nacos/v1/cs/configs", nil, form); err != nil || code != http.StatusOK || string(body) != "true" {
		return false
	}
	if code, body, err := n.get("/nacos/v1/cs/configs", key); err != nil || code != http.StatusOK || string(body) != nonce {
		return false
	}
	code, body, err := n.do(http.MethodDelete, "/nacos/v1/cs/configs", key, nil)
	return err == nil && code == http.StatusOK && string(body) == "true"
}

// nacosPorts finds a free port P on 127.0.0.1 with P+1000 free too: Nacos 2
// clients (Java and Go) derive the gRPC port from the server address that
// way.
func nacosPorts(t testing.TB) (int, int) {
	t.Helper()
	for range 50 {
		p := FreePort(t, "127.0.0.1")
		if p+1000 > 65535 {
			continue
		}
		ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(p+1000)))
		if err != nil {
			continue
		}
		ln.Close()
		return p, p + 1000
	}
	t.Fatal("testenv: no free port P on 127.0.0.1 with P+1000 free")
	return 0, 0
}

// withoutRnacosEnv drops the caller's RNACOS_* and RUST_LOG settings, which
// would otherwise reach the server.
func withoutRnacosEnv(env []string) []string {
	var out []string
	for _, kv := range env {
		if strings.HasPrefix(kv, "RNACOS_") || strings.HasPrefix(kv, "RUST_LOG=") {
			continue
		}
		out = append(out, kv)
	}
	return out
}

// rnacosBinary returns SharedCacheDir/rnacos-<version>/bin/rnacos, building
// it first with `cargo install --locked` when it is missing. Test binaries of
// several packages may get here at once: a lock file lets one build while the
// others wait for it.
func rnacosBinary(t testing.TB) string {
	t.Helper()
	root := filepath.Join(SharedCacheDir(t), "rnacos-"+RnacosVersion)
	bin := filepath.Join(root, "bin", "rnacos")
	if isFile(bin) {
		return bin
	}
	lock, err := os.OpenFile(root+".lock", os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Close()
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		t.Fatalf("testenv: lock %s: %v", lock.Name(), err)
	}
	defer syscall.Flock(int(lock.Fd()), syscall.LOCK_UN)
	if isFile(bin) {
		return bin // another test binary built it while this one waited
	}

	args := []string{"install", "--locked", "rnacos", "--version", RnacosVersion, "--root", root}
	how := "cargo " + strings.Join(args, " ")
	cargo, err := exec.LookPath("cargo")
	if err != nil {
		t.Fatalf("testenv: %s is missing and cargo is not installed to build it (the Nacos tests run rnacos %s, "+
			"a Rust program from crates.io): install Rust, then run once: %s", bin, RnacosVersion, how)
	}
	ctx := context.Background()
	if d, ok := t.(interface{ Deadline() (time.Time, bool) }); ok {
		if deadline, ok := d.Deadline(); ok {
			if left := time.Until(deadline); left < rnacosBuildTime {
				t.Fatalf("testenv: %s is missing; building it takes 8-30 minutes on 2 cores, more than the %v "+
					"this test binary has left: build it once with\n\t%s\nor run go test with -timeout 60m", bin, left.Round(time.Second), how)
			}
			var cancel context.CancelFunc
			ctx, cancel = context.WithDeadline(ctx, deadline.Add(-30*time.Second))
			defer cancel()
		}
	}
	logPath := filepath.Join(SharedCacheDir(t), "rnacos-build.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	defer logFile.Close()
	msg := fmt.Sprintf("testenv: building rnacos %s into %s with `%s`: this happens once per machine and takes "+
		"many minutes (8-30 on 2 cores); cargo's output goes to %s", RnacosVersion, root, how, logPath)
	t.Log(msg)
	fmt.Fprintln(os.Stderr, msg)
	start := time.Now()
	cmd := exec.CommandContext(ctx, cargo, args...)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	if err := cmd.Run(); err != nil {
		b, _ := os.ReadFile(logPath)
		t.Fatalf("testenv: %s: %v\n%s", how, err, tail(string(b), 4000))
	}
	if !isFile(bin) {
		t.Fatalf("testenv: %s succeeded but left no %s", how, bin)
	}
	t.Logf("testenv: rnacos built in %v", time.Since(start).Round(time.Second))
	return bin
}

func isFile(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular()
}

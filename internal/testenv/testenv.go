// Package testenv starts the real peers the cross-language tests talk to
// (the Dubbo-Java provider and consumer, the dubbo-go ones, the Kitex peer
// program) as child processes on loopback, and stops them by PID when the
// test ends, also when it fails.
package testenv

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Root is the repository root: the directory holding go.mod above the test's
// working directory.
func Root(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			if _, err := os.Stat(filepath.Join(dir, "java-interop")); err == nil {
				return dir
			}
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("testenv: no repository root (go.mod beside java-interop/) above the working directory")
		}
		dir = parent
	}
}

// CacheDir is the ignored directory downloads and builds go to (.cache at the root).
func CacheDir(t testing.TB) string {
	d := filepath.Join(Root(t), ".cache")
	if err := os.MkdirAll(d, 0o755); err != nil {
		t.Fatal(err)
	}
	return d
}

// SharedCacheDir holds what outlives a clone: Maven's local repository and
// test servers built once (rnacos). It is $KITEXDUBBO_CACHE, or kitexdubbo
// under the user's cache directory (~/.cache/kitexdubbo), so a fresh clone
// on the same machine downloads and builds nothing again.
func SharedCacheDir(t testing.TB) string {
	d := os.Getenv("KITEXDUBBO_CACHE")
	if d == "" {
		base, err := os.UserCacheDir()
		if err != nil {
			t.Fatalf("testenv: no cache directory: %v", err)
		}
		d = filepath.Join(base, "kitexdubbo")
	}
	if err := os.MkdirAll(d, 0o755); err != nil {
		t.Fatal(err)
	}
	return d
}

// FreePort returns a TCP port free on host at the time of the call.
func FreePort(t testing.TB, host string) int {
	t.Helper()
	ln, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
	if err != nil {
		t.Fatalf("testenv: no free port on %s: %v", host, err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

var (
	javaOnce sync.Once
	javaCP   string
	javaErr  error
)

// JavaClasspath builds java-interop with Maven (once per test binary; the
// local repository is m2 in SharedCacheDir, so a second run needs no network) and
// returns the classpath of its classes and dependencies. A build cleans first,
// so target/lib never keeps a jar an older pom wanted. Test binaries that run at
// once (go test runs packages in parallel) take turns with a file lock, and
// one finding target/ built from the same pom and sources leaves it alone:
// cleaning it would pull the jars from under the other's running JVMs.
func JavaClasspath(t testing.TB) string {
	t.Helper()
	javaOnce.Do(func() {
		root := Root(t)
		for _, tool := range []string{"java", "mvn"} {
			if _, err := exec.LookPath(tool); err != nil {
				javaErr = fmt.Errorf("testenv: %s is not installed; the Dubbo-Java peer needs Java 17 and Maven: %w", tool, err)
				return
			}
		}
		dir := filepath.Join(root, "java-interop")
		target := filepath.Join(dir, "target")
		javaCP = filepath.Join(target, "classes") + string(os.PathListSeparator) + filepath.Join(target, "lib", "*")
		lock, err := os.OpenFile(filepath.Join(CacheDir(t), "java-interop.lock"), os.O_CREATE|os.O_RDWR, 0o644)
		if err != nil {
			javaErr = err
			return
		}
		defer lock.Close()
		if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
			javaErr = fmt.Errorf("testenv: lock java-interop's build: %w", err)
			return
		}
		defer syscall.Flock(int(lock.Fd()), syscall.LOCK_UN)
		stamp, err := sourceStamp(dir)
		if err != nil {
			javaErr = err
			return
		}
		stampFile := filepath.Join(target, "kitexdubbo-build-stamp")
		if old, err := os.ReadFile(stampFile); err == nil && string(old) == stamp {
			return
		}
		cmd := exec.Command("mvn", "-q", "-B", "-Dmaven.repo.local="+filepath.Join(SharedCacheDir(t), "m2"), "clean", "package")
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			javaErr = fmt.Errorf("testenv: mvn package in java-interop: %v\n%s", err, out)
			return
		}
		javaErr = os.WriteFile(stampFile, []byte(stamp), 0o644)
	})
	if javaErr != nil {
		t.Fatal(javaErr)
	}
	return javaCP
}

// sourceStamp is a digest of java-interop's pom and sources: what the build
// in target/ was made from.
func sourceStamp(dir string) (string, error) {
	h := sha256.New()
	files := []string{filepath.Join(dir, "pom.xml")}
	err := filepath.WalkDir(filepath.Join(dir, "src"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		return "", fmt.Errorf("testenv: java-interop sources: %w", err)
	}
	sort.Strings(files)
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "%s %d\n", f, len(b))
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// JavaCommand is `java -cp <java-interop> mainClass args...`.
func JavaCommand(t testing.TB, mainClass string, args ...string) *exec.Cmd {
	return exec.Command("java", append([]string{"-cp", JavaClasspath(t), mainClass}, args...)...)
}

// Process is a started peer.
type Process struct {
	Name  string
	Port  int // from its "READY <port>" line
	cmd   *exec.Cmd
	log   *syncBuffer
	done  chan struct{}
	ready chan int
}

// Log is everything the process printed so far.
func (p *Process) Log() string { return p.log.String() }

// exited reports whether the process has ended (and been waited for).
func (p *Process) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// Start runs cmd in a process group of its own, waits up to timeout for it to
// print "READY <port>", and stops it when the test ends. Its output goes to
// the test log if the test fails.
func Start(t testing.TB, name string, cmd *exec.Cmd, timeout time.Duration) *Process {
	t.Helper()
	p := launch(t, name, cmd)
	p.await(t, timeout, func() bool {
		select {
		case p.Port = <-p.ready:
			return true
		default:
			return false
		}
	})
	return p
}

// StartProbed is Start for a server that prints no READY line: it is ready
// once probe returns true (asked every 100ms).
func StartProbed(t testing.TB, name string, cmd *exec.Cmd, timeout time.Duration, probe func() bool) *Process {
	t.Helper()
	p := launch(t, name, cmd)
	p.await(t, timeout, probe)
	return p
}

func launch(t testing.TB, name string, cmd *exec.Cmd) *Process {
	t.Helper()
	p := &Process{Name: name, cmd: cmd, log: &syncBuffer{}, done: make(chan struct{}), ready: make(chan int, 1)}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = p.log
	if err := cmd.Start(); err != nil {
		t.Fatalf("testenv: start %s: %v", name, err)
	}
	go func() {
		sc := bufio.NewScanner(stdout)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			line := sc.Text()
			p.log.WriteString(line + "\n")
			if port, ok := strings.CutPrefix(line, "READY "); ok {
				n, _ := strconv.Atoi(strings.TrimSpace(port))
				select {
				case p.ready <- n:
				default:
				}
			}
		}
		_, _ = io.Copy(io.Discard, stdout)
		_ = cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() {
		p.Stop()
		if t.Failed() {
			t.Logf("--- output of %s (pid %d):\n%s", name, cmd.Process.Pid, tail(p.Log(), 8000))
		}
	})
	return p
}

// await polls ready until it holds, the process exits, or timeout passes.
func (p *Process) await(t testing.TB, timeout time.Duration, ready func() bool) {
	t.Helper()
	deadline := time.After(timeout)
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for !ready() {
		select {
		case <-tick.C:
		case <-p.done:
			t.Fatalf("testenv: %s exited before it was ready:\n%s", p.Name, tail(p.Log(), 8000))
		case <-deadline:
			t.Fatalf("testenv: %s not ready after %v:\n%s", p.Name, timeout, tail(p.Log(), 8000))
		}
	}
}

// Stop sends SIGTERM to the process group, then SIGKILL after 10s, and waits.
// A process already gone is left alone: its group id may belong to another
// process by now.
func (p *Process) Stop() {
	if p.exited() {
		return
	}
	pid := p.cmd.Process.Pid
	_ = syscall.Kill(-pid, syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(10 * time.Second):
		_ = syscall.Kill(-pid, syscall.SIGKILL)
		<-p.done
	}
}

// Kill ends the process group at once with SIGKILL, as a crash would: no
// shutdown hook runs (a Dubbo-Java provider cannot unregister).
func (p *Process) Kill() {
	if p.exited() {
		return
	}
	_ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
	<-p.done
}

// Result is one case a peer program ran, from its "PASS name" or
// "FAIL name: reason" line.
type Result struct {
	Name   string
	Pass   bool
	Reason string
}

// RunCases runs a peer consumer to completion (up to timeout, then kills its
// process group) and returns its per-case results, its output, and an error
// if it did not end with its "N passed, M failed" summary.
func RunCases(t testing.TB, name string, cmd *exec.Cmd, timeout time.Duration) ([]Result, string, error) {
	t.Helper()
	var out syncBuffer
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = &out
	if err := cmd.Start(); err != nil {
		return nil, "", fmt.Errorf("start %s: %w", name, err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var waitErr error
	select {
	case waitErr = <-done:
	case <-time.After(timeout):
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		<-done
		waitErr = fmt.Errorf("%s killed after %v", name, timeout)
	}
	var results []Result
	summary := false
	for _, line := range strings.Split(stdout.String(), "\n") {
		switch {
		case strings.HasPrefix(line, "PASS "):
			results = append(results, Result{Name: strings.TrimPrefix(line, "PASS "), Pass: true})
		case strings.HasPrefix(line, "FAIL "):
			n, why, _ := strings.Cut(strings.TrimPrefix(line, "FAIL "), ": ")
			results = append(results, Result{Name: n, Reason: why})
		case strings.HasSuffix(line, " failed") && strings.Contains(line, " passed, "):
			summary = true
		}
	}
	log := stdout.String() + out.String()
	if !summary {
		return results, log, fmt.Errorf("%s gave no summary line (exit: %v)", name, waitErr)
	}
	return results, log, nil
}

func tail(s string, n int) string {
	if len(s) > n {
		return "..." + s[len(s)-n:]
	}
	return s
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) WriteString(s string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.b.WriteString(s)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// GoBuild builds package pkg of the Go module in dir (a nested module such as
// tests/dubbogo, outside the root module) into .cache/bin/name.
func GoBuild(t testing.TB, dir, pkg, name string) string {
	t.Helper()
	out := filepath.Join(CacheDir(t), "bin", name)
	cmd := exec.Command("go", "build", "-o", out, pkg)
	cmd.Dir = dir
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("testenv: go build %s in %s: %v\n%s", pkg, dir, err, b)
	}
	return out
}

// Pid is the process's id.
func (p *Process) Pid() int { return p.cmd.Process.Pid }

// Exited reports whether the process has ended.
func (p *Process) Exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

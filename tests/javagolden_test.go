package tests

import (
	"context"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kitexdubbo/kitexdubbo/internal/golden"
	"github.com/kitexdubbo/kitexdubbo/internal/testenv"
	"github.com/kitexdubbo/kitexdubbo/pkg/dubbo"
	"github.com/kitexdubbo/kitexdubbo/pkg/hessian2"
)

// Golden files of real Dubbo-Java bytes, under testdata/java/: what the Java
// provider answered the Kitex client (provider/<case>.golden: our request,
// then Java's response) and what the Java consumer sent a Kitex server
// (consumer/<method>.golden: Java's request, then our response). The cases
// kept are those whose bytes are Java's own business: overloads and
// primitive parameter types, generic $invoke, Java extension types, enums,
// class-less structs, references, exceptions, attachments. TestJavaGoldens
// replays them without Java; `go test ./tests -run 'TestJava(Provider|Consumer)$' -update`
// captures them again from the real peers (review the diff: Java's side
// changes only with its version).
var update = flag.Bool("update", false, "rewrite testdata/java/ from the real Dubbo-Java peers")

var javaGoldenDir = filepath.Join("testdata", "java")

// providerGoldens are the Kitex client's cases whose exchange with the Java
// provider is kept.
var providerGoldens = []string{
	"echoBasic", "echoCollections", "echoContainers", "echoTree", "echoJavaTypes", "echoJavaTypes/nulls", "echoUntyped",
	"echoStatus", "echoDate", "echoDecimal", "echoBigInteger/negative", "echoLocalDateTime",
	"echoLocalDate", "echoInstant", "echoObject(Basic)", "echoObject(Map)", "primitives(boolean,byte,short,int,long,double)",
	"sumPrimitive(int,long,int[])", "sumFloats(float[])", "overload(int)", "overload(String,int)",
	"nothing(void)", "throwBiz(IDL exception)", "throwRuntime(Java exception)", "echoAttachments",
	// The JDK types: every case, each value through its declared type and through an Object.
	"echoJdkTypes", "echoJdkTypes/nulls", "echoJdkTypes/edges", "echoTimestamp", "echoUUID", "echoDuration",
	"echoZonedDateTime", "echoStatuses", "echoStatuses/empty", "echoChar(char)", "echoCharacter", "echoChars(char[])",
	"echoBoxedInts(Integer[])", "echoBoxedLongs(Long[])", "echoTreeMap(TreeMap)", "echoLinkedHashMap(LinkedHashMap)",
	"echoConcurrentMap(ConcurrentHashMap)", "echoLinkedList(LinkedList)", "echoObject(Timestamp)", "echoObject(SQLDate)",
	"echoObject(SQLTime)", "echoObject(UUID)", "echoObject(Locale)", "echoObject(Currency)", "echoObject(Duration)",
	"echoObject(Period)", "echoObject(Year)", "echoObject(YearMonth)", "echoObject(MonthDay)", "echoObject(ZoneOffset)",
	"echoObject(ZoneId)", "echoObject(ZonedDateTime)", "echoObject(OffsetDateTime)", "echoObject(OffsetTime)",
	"echoObject(Calendar)", "echoObject(EnumSet)", "echoObject(BitSet)", "echoObject(AtomicLong)",
	"echoObject(AtomicInteger)", "echoObject(Integer[])", "echoObject(Long[])", "echoObject(int[])",
	"echoObject(String[])", "echoObject(LinkedList)", "echoObject(HashSet)", "echoObject(TreeSet)",
	"echoObject(TreeMap)", "echoObject(ConcurrentHashMap)", "echoObject(LinkedHashMap)",
}

// consumerGoldens are the Java methods whose requests from the Java
// consumer are kept, every call of each ($invoke as invoke-<method>).
var consumerGoldens = []string{
	"$invoke", "overload", "primitives", "sumPrimitive", "sumFloats", "sumShorts", "average", "countMap",
	"countSet", "echoContainers", "echoJavaTypes", "echoUntyped", "echoTree", "echoStatus", "throwBiz", "echoAttachments",
	"echoJdkTypes", "echoTimestamp", "echoUUID", "echoDuration", "echoZonedDateTime", "echoStatuses", "echoChar",
	"echoCharacter", "echoChars", "echoBoxedInts", "echoBoxedLongs", "echoTreeMap", "echoLinkedHashMap",
	"echoConcurrentMap", "echoLinkedList", "echoObject", "echoDate",
}

func goldenFile(dir, name string) string {
	r := strings.NewReplacer("/", "_", "(", "_", ")", "", ",", "_", " ", "_", "[", "", "]", "A", "$", "", ".", "_")
	return filepath.Join(javaGoldenDir, dir, r.Replace(name)+".golden")
}

// writeExchange writes a request frame and its response as one golden file.
// Both get request id 1: Dubbo-Java starts its ids at a random number, and a
// capture should differ from the last one only where the bytes that matter do.
func writeExchange(t *testing.T, path, title string, req, resp []byte) {
	t.Helper()
	req, resp = slices.Clone(req), slices.Clone(resp)
	binary.BigEndian.PutUint64(req[4:12], 1)
	binary.BigEndian.PutUint64(resp[4:12], 1)
	text := "# " + title + "\n# captured by go test ./tests -run 'TestJava(Provider|Consumer)$' -update\n# request\n" +
		golden.Dump(req) + "# response\n" + golden.Dump(resp)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// readExchange splits a golden file into its request and response frames.
func readExchange(t testing.TB, path string) (req, resp []byte) {
	t.Helper()
	b, err := golden.Read(path)
	if err != nil {
		t.Fatal(err)
	}
	_, _, n, err := dubbo.ConsumeFrame(b, len(b))
	if err != nil {
		t.Fatalf("%s: request frame: %v", path, err)
	}
	return b[:n], b[n:]
}

// exchanges pairs each request frame with the response of the same id.
func exchanges(frames []testenv.Frame) (pairs [][2][]byte) {
	for _, f := range frames {
		if !f.FromClient || !f.Header.Request || f.Header.Event {
			continue
		}
		for _, g := range frames {
			if !g.FromClient && !g.Header.Request && g.Conn == f.Conn && g.Header.ID == f.Header.ID {
				pairs = append(pairs, [2][]byte{f.Bytes, g.Bytes})
				break
			}
		}
	}
	return pairs
}

// captureProvider runs the kept cases again through a recorder in front of
// the Java provider and writes their exchanges.
func captureProvider(t *testing.T, javaAddr string) {
	rec := testenv.Record(t, "::1", javaAddr)
	c := newClient(t, rec.Addr)
	_ = os.RemoveAll(filepath.Join(javaGoldenDir, "provider"))
	for _, tc := range Cases() {
		if !slices.Contains(providerGoldens, tc.Name) {
			continue
		}
		if err := tc.Run(context.Background(), c); err != nil {
			t.Fatalf("capture %s: %v", tc.Name, err)
		}
		pairs := exchanges(rec.Take())
		if len(pairs) != 1 {
			t.Fatalf("capture %s: %d exchanges, want 1", tc.Name, len(pairs))
		}
		writeExchange(t, goldenFile("provider", tc.Name), tc.Name+": Kitex client -> Dubbo-Java 3.3.6 provider", pairs[0][0], pairs[0][1])
	}
}

// captureConsumer writes the kept exchanges a recorder saw between the Java
// consumer and the Kitex server.
func captureConsumer(t *testing.T, rec *testenv.Recorder) {
	_ = os.RemoveAll(filepath.Join(javaGoldenDir, "consumer"))
	seen := map[string]int{}
	for _, p := range exchanges(rec.Take()) {
		method, name, err := requestName(p[0])
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(consumerGoldens, method) {
			continue
		}
		seen[name]++
		file := fmt.Sprintf("%s-%d", name, seen[name])
		writeExchange(t, goldenFile("consumer", file), file+": Dubbo-Java 3.3.6 consumer -> Kitex server", p[0], p[1])
	}
	if len(seen) == 0 {
		t.Fatal("capture: the Java consumer made none of the kept calls")
	}
}

// requestName reads a request's Java method and the name its golden file
// takes: the method, or invoke-<method> for $invoke.
func requestName(frame []byte) (method, name string, err error) {
	d := hessian2.NewDecoder(frame[dubbo.HeaderLength:])
	head, err := dubbo.ReadRequestHead(d)
	if err != nil || head.Method != "$invoke" {
		return head.Method, head.Method, err
	}
	inner, err := d.ReadString()
	return head.Method, "invoke-" + inner, err
}

// replayServer answers each request with the response of the golden
// exchange the test expects next, once the request matches its bytes (the
// id aside); otherwise with a SERVICE_ERROR naming the first differing byte.
type replayServer struct {
	mu     sync.Mutex
	path   string
	req    []byte
	resp   []byte
	served bool
}

func (s *replayServer) expect(path string, req, resp []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.path, s.req, s.resp, s.served = path, req, resp, false
}

// called reports whether a request came since the last expect.
func (s *replayServer) called() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.served
}

func (s *replayServer) answer(frame []byte) []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.served = true
	h, _ := dubbo.ParseHeader(frame)
	var out []byte
	if i := differ(frame, s.req, true); i >= 0 {
		msg := fmt.Sprintf("request differs from %s at byte %d: got % x, want % x (our encoding changed: if on purpose, capture again with -update)",
			s.path, i, window(frame, i), window(s.req, i))
		body := dubbo.AppendErrorBody(nil, msg)
		out = dubbo.AppendHeader(nil, dubbo.Header{Serialization: dubbo.SerializationHessian2, Status: dubbo.StatusServiceError, ID: h.ID, BodyLength: len(body)})
		out = append(out, body...)
	} else {
		out = append([]byte(nil), s.resp...)
	}
	binary.BigEndian.PutUint64(out[4:12], uint64(h.ID))
	return out
}

// differ is the first index where frames a and b differ, or -1; with
// ignoreID the request id (header bytes 4 to 11) does not count.
func differ(a, b []byte, ignoreID bool) int {
	for i := 0; i < max(len(a), len(b)); i++ {
		if ignoreID && i >= 4 && i < 12 {
			continue
		}
		if i >= len(a) || i >= len(b) || a[i] != b[i] {
			return i
		}
	}
	return -1
}

func window(b []byte, i int) []byte { return b[min(i, len(b)):min(i+12, len(b))] }

func (s *replayServer) serve(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	testenv.Serve(t, ln, func(c net.Conn) {
		fr := frameReader{c: c}
		for {
			frame, err := fr.next()
			if err != nil {
				return
			}
			if _, err := c.Write(s.answer(frame)); err != nil {
				return
			}
		}
	})
	return ln.Addr().String()
}

// TestJavaGoldens replays the captured Dubbo-Java exchanges, no Java needed,
// through the generated codec and through reflection alone: both must give
// the bytes Java accepted and read what Java sent alike.
func TestJavaGoldens(t *testing.T) {
	for _, mode := range []struct {
		name string
		opts []dubbo.Option
	}{{"generated", nil}, {"reflect", []dubbo.Option{dubbo.WithReflection()}}} {
		t.Run(mode.name, func(t *testing.T) { replayGoldens(t, mode.opts...) })
	}
}

func replayGoldens(t *testing.T, opts ...dubbo.Option) {
	// Kitex client against Java's recorded answers: our request must be the
	// bytes Java accepted, and Java's answer must pass the case's check.
	t.Run("provider", func(t *testing.T) {
		var srv replayServer
		c := newClient(t, srv.serve(t), opts...)
		n := 0
		for _, tc := range Cases() {
			if !slices.Contains(providerGoldens, tc.Name) {
				continue
			}
			n++
			t.Run(tc.Name, func(t *testing.T) {
				path := goldenFile("provider", tc.Name)
				req, resp := readExchange(t, path)
				srv.expect(path, req, resp)
				if err := tc.Run(context.Background(), c); err != nil {
					t.Fatal(err)
				}
				if !srv.called() {
					t.Fatal("the case made no call")
				}
			})
		}
		if n != len(providerGoldens) {
			t.Fatalf("%d of the %d kept cases exist", n, len(providerGoldens))
		}
	})
	// Java's recorded requests against a Kitex server: the answer must be
	// the bytes the Java consumer accepted.
	t.Run("consumer", func(t *testing.T) {
		addr := startDubboServer(t, "127.0.0.1", opts...)
		files, _ := filepath.Glob(filepath.Join(javaGoldenDir, "consumer", "*.golden"))
		if len(files) < len(consumerGoldens) {
			t.Fatalf("%d consumer goldens, want one or more for each of %v", len(files), consumerGoldens)
		}
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		_ = conn.SetReadDeadline(time.Now().Add(time.Minute))
		fr := frameReader{c: conn}
		for _, path := range files {
			t.Run(strings.TrimSuffix(filepath.Base(path), ".golden"), func(t *testing.T) {
				req, want := readExchange(t, path)
				if _, err := conn.Write(req); err != nil {
					t.Fatal(err)
				}
				got, err := fr.next()
				if err != nil {
					t.Fatalf("read response: %v", err)
				}
				if i := differ(got, want, false); i >= 0 {
					t.Fatalf("response differs from %s at byte %d: got % x, want % x", path, i, window(got, i), window(want, i))
				}
			})
		}
	})
}

// frameReader reads whole Dubbo frames off a connection, keeping what
// follows a frame for the next one.
type frameReader struct {
	c     net.Conn
	buf   []byte
	chunk []byte
}

func (r *frameReader) next() ([]byte, error) {
	if r.chunk == nil {
		r.chunk = make([]byte, 64<<10)
	}
	chunk := r.chunk
	for {
		_, _, n, err := dubbo.ConsumeFrame(r.buf, 16<<20)
		if err == nil {
			frame := r.buf[:n]
			r.buf = r.buf[n:]
			return frame, nil
		}
		if !errors.Is(err, dubbo.ErrShortHeader) {
			return nil, err
		}
		n, err = r.c.Read(chunk)
		r.buf = append(r.buf, chunk[:n]...)
		if err != nil && n == 0 {
			return nil, err
		}
	}
}

// sameBytesGoldens are the kept echo cases whose value has one form in
// Hessian: Dubbo-Java's answer must hold exactly the bytes our request did
// (POJOs differ only by their field order, which is the IDL's on our side).
var sameBytesGoldens = []string{
	"echoStatus", "echoDate", "echoDecimal", "echoLocalDateTime", "echoLocalDate", "echoInstant",
	"echoTimestamp", "echoUUID", "echoDuration", "echoZonedDateTime", "echoStatuses", "echoStatuses/empty",
	"echoChar(char)", "echoCharacter", "echoChars(char[])", "echoBoxedInts(Integer[])", "echoBoxedLongs(Long[])",
	"echoTreeMap(TreeMap)", "echoLinkedHashMap(LinkedHashMap)", "echoConcurrentMap(ConcurrentHashMap)", "echoLinkedList(LinkedList)",
}

// TestJavaWritesOurBytes checks, in the captured exchanges, that the value
// Dubbo-Java echoed is byte for byte the value we sent: our writer is
// Java's for these types (the echoObject cases of the JDK types included).
func TestJavaWritesOurBytes(t *testing.T) {
	names := slices.Clone(sameBytesGoldens)
	for _, o := range jdkObjects() {
		names = append(names, "echoObject("+o.name+")")
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			req, resp := readExchange(t, goldenFile("provider", name))
			d := hessian2.NewDecoder(req[dubbo.HeaderLength:])
			if _, err := dubbo.ReadRequestHead(d); err != nil {
				t.Fatal(err)
			}
			sent := valueAt(t, d, req[dubbo.HeaderLength:])
			r := hessian2.NewDecoder(resp[dubbo.HeaderLength:])
			if _, err := r.ReadInt32(); err != nil { // the response flag
				t.Fatal(err)
			}
			if got := valueAt(t, r, resp[dubbo.HeaderLength:]); !slices.Equal(got, sent) {
				t.Fatalf("Java wrote\n% x\nwe wrote\n% x", got, sent)
			}
		})
	}
}

// valueAt returns the bytes of the value d is at in body.
func valueAt(t *testing.T, d *hessian2.Decoder, body []byte) []byte {
	t.Helper()
	start := d.Offset()
	if err := d.Skip(); err != nil {
		t.Fatal(err)
	}
	return body[start:d.Offset()]
}

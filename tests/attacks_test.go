package tests

import (
	"context"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kitexdubbo/kitexdubbo/internal/allocs"
	"github.com/kitexdubbo/kitexdubbo/pkg/dubbo"
	"github.com/kitexdubbo/kitexdubbo/pkg/hessian2"
)

const (
	objectDesc  = "Ljava/lang/Object;"
	stringDesc  = "Ljava/lang/String;"
	genericDesc = "Ljava/lang/String;[Ljava/lang/String;[Ljava/lang/Object;"
	basicClass  = "org.kitexdubbo.interop.Basic"
)

// genericBody is $invoke(method, [type], [arg]) with generic=true.
func genericBody(method, typ string, arg []byte) []byte {
	args := hessian2.AppendString(nil, method)
	args = append(hessian2.AppendString(append(args, 0x71), "[string"), hessian2.AppendString(nil, typ)...) // String[]{typ}
	args = append(hessian2.AppendString(append(args, 0x71), "[object"), arg...)                             // Object[]{arg}
	return body("$invoke", genericDesc, args, hmap("path", hessian2.AppendString(nil, JavaInterface),
		"generic", hessian2.AppendString(nil, "true")))
}

// dateKeys is a map of n distinct java.util.Date keys, the values ints.
func dateKeys(n int) []byte {
	b := []byte{'H'}
	for i := range n {
		b = hessian2.AppendTime(b, time.UnixMilli(1_700_000_000_000+int64(i)))
		b = hessian2.AppendInt32(b, int32(i%40))
	}
	return append(b, 'Z')
}

func attacks() []attack {
	return []attack{
		{name: "generic list bomb", run: func(t *testing.T, tg *target) int64 {
			// Each level's two elements share one list: 2^40 to walk naively.
			c := dial(t, tg.addr)
			n := c.send(frame(1, genericBody("echoObject", "java.lang.Object", sharedChain(40))))
			c.expect(dubbo.StatusOK, "")
			return n
		}},
		{name: "typed list bomb", run: func(t *testing.T, tg *target) int64 {
			c := dial(t, tg.addr)
			n := c.send(frame(1, body("echoObject", objectDesc, sharedChain(60), nil)))
			h, b, _ := c.reply()
			if h.Status != dubbo.StatusOK || len(b) > 4*int(n) {
				t.Fatalf("%v, %d-byte answer to %d bytes: references were expanded", h.Status, len(b), n)
			}
			return n
		}},
		{name: "registered objects in attachments", run: func(t *testing.T, tg *target) int64 {
			// 7.6 MiB of one-byte objects of a registered class (defined with no fields).
			list := append(append([]byte{0x57}, classDef(basicClass)...), varList(7_600_000, 0x60)[1:]...)
			c := dial(t, tg.addr)
			n := c.send(frame(1, body("echoString", stringDesc, hessian2.AppendString(nil, "x"),
				hmap("path", hessian2.AppendString(nil, JavaInterface), "a", list))))
			c.expect(dubbo.StatusBadRequest, "budget")
			return n
		}},
		{name: "empty maps in attachments", run: func(t *testing.T, tg *target) int64 {
			c := dial(t, tg.addr)
			n := c.send(frame(1, body("echoString", stringDesc, hessian2.AppendString(nil, "x"),
				hmap("path", hessian2.AppendString(nil, JavaInterface), "m", varList(3_800_000, 'H', 'Z')))))
			c.expect(dubbo.StatusBadRequest, "budget")
			return n
		}},
		{name: "empty lists into an Object", run: func(t *testing.T, tg *target) int64 {
			c := dial(t, tg.addr)
			n := c.send(frame(1, body("echoObject", objectDesc, varList(7_600_000, 0x78), nil)))
			c.expect(dubbo.StatusBadRequest, "budget")
			return n
		}},
		{name: "registered objects into an Object", run: func(t *testing.T, tg *target) int64 {
			c := dial(t, tg.addr)
			arg := append([]byte{0x57}, classDef(basicClass)...)
			arg = append(arg, varList(7_600_000, 0x60)[1:]...)
			n := c.send(frame(1, body("echoObject", objectDesc, arg, nil)))
			c.expect(dubbo.StatusBadRequest, "budget")
			return n
		}},
		{name: "stack trace of shared elements", run: func(t *testing.T, tg *target) int64 {
			// A Throwable whose stack trace is one element and a million references to it.
			exc := classDef("java.lang.RuntimeException", "detailMessage", "stackTrace")
			exc = append(exc, 0x60)
			exc = hessian2.AppendString(exc, "x")
			exc = append(exc, 0x57)
			exc = append(exc, classDef("java.lang.StackTraceElement", "declaringClass", "methodName", "fileName", "lineNumber")...)
			exc = append(exc, 0x61)
			for _, s := range []string{"a.B", "m", "B.java"} {
				exc = hessian2.AppendString(exc, s)
			}
			exc = hessian2.AppendInt32(exc, 1)
			for range 1_000_000 {
				exc = append(exc, 0x51, 0x92) // ref 2: the element
			}
			exc = append(exc, 'Z')
			c := dial(t, tg.addr)
			n := c.send(frame(1, body("echoObject", objectDesc, exc, nil)))
			c.expect(dubbo.StatusBadRequest, "budget")
			return n
		}},
		{name: "date keys to sort", run: func(t *testing.T, tg *target) int64 {
			// 400k Date keys: once 14 s of CPU, formatting keys per comparison.
			c := dial(t, tg.addr)
			n := c.send(frame(1, body("echoObject", objectDesc, dateKeys(400_000), nil)))
			c.expect(dubbo.StatusOK, "")
			n += c.send(frame(2, genericBody("echoObject", "java.lang.Object", dateKeys(400_000))))
			c.expect(dubbo.StatusOK, "")
			return n
		}, cpu: 12 * time.Second}, // decoding and encoding 800k map entries by reflection
		{name: "huge list count", run: func(t *testing.T, tg *target) int64 {
			c := dial(t, tg.addr)
			arg := append([]byte{0x58}, hessian2.AppendInt32(nil, 1<<31-1)...) // a list of 2^31-1
			n := c.send(frame(1, body("echoIntList", "Ljava/util/List;", append(arg, 0x91), nil)))
			c.expect(dubbo.StatusBadRequest, "elements with")
			return n
		}},
		{name: "list header over large elements", run: func(t *testing.T, tg *target) int64 {
			// A count the body can hold (one byte each), of elements that are Go structs.
			const count = 7_000_000
			arg := append([]byte{0x58}, hessian2.AppendInt32(nil, count)...)
			arg = append(arg, strings.Repeat("T", count)...)
			c := dial(t, tg.addr)
			n := c.send(frame(1, body("echoBasicList", "Ljava/util/List;", arg, nil)))
			c.expect(dubbo.StatusBadRequest, "type mismatch")
			return n
		}},
		{name: "deep nesting", run: func(t *testing.T, tg *target) int64 {
			arg := []byte(strings.Repeat("\x79", 200_000)) // lists of one list of one list...
			c := dial(t, tg.addr)
			n := c.send(frame(1, body("echoObject", objectDesc, append(arg, 0x90), nil)))
			c.expect(dubbo.StatusBadRequest, "nesting deeper than")
			return n
		}},
		{name: "heartbeat flood", run: func(t *testing.T, tg *target) int64 {
			beat := dubbo.AppendHeartbeatBody(dubbo.AppendHeader(nil, dubbo.Header{Request: true, TwoWay: true, Event: true,
				Serialization: dubbo.SerializationHessian2, ID: 7, BodyLength: 1}))
			flood := []byte(strings.Repeat(string(beat), 100_000))
			c := dial(t, tg.addr)
			go c.Write(flood)
			for i := range 100_000 {
				if h, _, _ := c.reply(); !h.Event || h.ID != 7 {
					t.Fatalf("reply %d: %+v", i, h)
				}
			}
			return int64(len(flood))
		}},
		{name: "pipelined calls", run: func(t *testing.T, tg *target) int64 {
			req := frame(1, body("echoString", stringDesc, hessian2.AppendString(nil, "p"), nil))
			flood := []byte(strings.Repeat(string(req), 50_000))
			c := dial(t, tg.addr)
			go c.Write(flood)
			for range 50_000 {
				if h, _, msg := c.reply(); h.Status != dubbo.StatusOK && h.Status != dubbo.StatusServerThreadpoolExhaustedError {
					t.Fatalf("%v %q", h.Status, msg)
				}
			}
			return int64(len(flood))
		}},
		{name: "pipelined slow calls", handlers: []string{"factory"}, run: func(t *testing.T, tg *target) int64 {
			// Once 50k goroutines and 629 MiB: now 200 in flight, the rest refused at once.
			req := frame(1, body("slow", "Ljava/lang/Integer;", hessian2.AppendInt32(nil, 1500),
				hmap("path", hessian2.AppendString(nil, JavaInterface), "timeout", hessian2.AppendString(nil, "5000"))))
			flood := []byte(strings.Repeat(string(req), 50_000))
			c := dial(t, tg.addr)
			go c.Write(flood)
			refused := 0
			for i := range 50_000 {
				h, _, msg := c.reply()
				switch h.Status {
				case dubbo.StatusServerThreadpoolExhaustedError:
					refused++
				case dubbo.StatusOK:
				default:
					t.Fatalf("%v %q", h.Status, msg)
				}
				if i == 1000 {
					if g := tg.goroutines(t); g > dubbo.DefaultMaxConnCalls+200 {
						t.Errorf("%d goroutines with the calls in flight", g)
					}
				}
			}
			if refused < 40_000 {
				t.Errorf("only %d of 50000 refused", refused)
			}
			return int64(len(flood))
		}},
		{name: "reader that never reads", run: func(t *testing.T, tg *target) int64 {
			// 64 KiB answers to requests it never reads: the factory gives up
			// on the connection after its write timeout (1s here); the codec
			// path serves one call at a time and blocks on the one reply.
			big := strings.Repeat("r", 64<<10)
			req := frame(1, body("echoString", stringDesc, hessian2.AppendString(nil, big), nil))
			c := dial(t, tg.addr)
			var sent int64
			done := make(chan struct{})
			go func() {
				defer close(done)
				for range 500 {
					if _, err := c.Write(req); err != nil {
						return
					}
					sent += int64(len(req))
				}
			}()
			select {
			case <-done:
			case <-time.After(5 * time.Second):
			}
			if g := tg.goroutines(t); g > dubbo.DefaultMaxConnCalls+200 {
				t.Errorf("%d goroutines while the reader does not read", g)
			}
			c.Close()
			<-done
			return sent
		}},
		{name: "partial frames on many connections", run: func(t *testing.T, tg *target) int64 {
			// 100 connections each sending all but the last byte of a 4 MiB
			// frame: the server holds at most its WithMaxPendingBytes (64 MiB).
			payload := 4 << 20
			req := frame(1, body("echoBinary", "[B", hessian2.AppendBytes(nil, make([]byte, payload)), nil))
			var wg sync.WaitGroup
			var mu sync.Mutex
			var sent int64
			for range 100 {
				c := dial(t, tg.addr)
				wg.Add(1)
				go func() {
					defer wg.Done()
					n, _ := c.Write(req[:len(req)-1])
					mu.Lock()
					sent += int64(n)
					mu.Unlock()
				}()
			}
			wg.Wait()
			time.Sleep(500 * time.Millisecond) // what arrived is held or refused
			return sent
		}, mem: 64<<20 + 96<<20, cpu: 10 * time.Second},
		{name: "bad frame after a good request", run: func(t *testing.T, tg *target) int64 {
			c := dial(t, tg.addr)
			n := c.send(frame(1, body("slow", "Ljava/lang/Integer;", hessian2.AppendInt32(nil, 300), nil)))
			n += c.send([]byte("GET / HTTP/1.1\r\n\r\n"))
			c.expect(dubbo.StatusOK, "") // the call in flight answers first
			c.closed(10 * time.Second)
			return n
		}},
		{name: "oversize frame not arrived", run: func(t *testing.T, tg *target) int64 {
			c := dial(t, tg.addr)
			h := dubbo.AppendHeader(nil, dubbo.Header{Request: true, TwoWay: true, Serialization: dubbo.SerializationHessian2, ID: 9})
			copy(h[12:], be32(dubbo.DefaultMaxPayload+1))
			n := c.send(append(h, make([]byte, 1000)...))
			if got := c.expect(dubbo.StatusBadRequest, "Data length too large"); got.ID != 9 {
				t.Fatalf("answered %d", got.ID)
			}
			c.closed(10 * time.Second)
			return n
		}},
	}
}

// hostileProvider answers every request with answer(id): a provider that
// attacks its Kitex clients.
func hostileProvider(t *testing.T, answer func(id int64) []byte) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				r := frameReader{c: c}
				for {
					f, err := r.next()
					if err != nil {
						return
					}
					h, _ := dubbo.ParseHeader(f)
					if _, err := c.Write(answer(h.ID)); err != nil {
						return
					}
				}
			}()
		}
	}()
	return ln.Addr().String()
}

func responseFrame(id int64, body []byte) []byte {
	return append(dubbo.AppendHeader(nil, dubbo.Header{Serialization: dubbo.SerializationHessian2, Status: dubbo.StatusOK,
		ID: id, BodyLength: len(body)}), body...)
}

// A client is bounded the same way against a provider that attacks it: the
// call fails with the budget's error, having allocated about its budget,
// and the client serves the next call.
func TestHostileProvider(t *testing.T) {
	objects := append(append([]byte{0x57}, classDef(basicClass)...), varList(7_000_000, 0x60)[1:]...)
	for _, tc := range []struct {
		name   string
		answer func(id int64) []byte
		want   string
	}{
		{"registered objects in response attachments", func(id int64) []byte {
			b := hessian2.AppendInt32(nil, int32(dubbo.ResponseValueWithAttachments))
			b = hessian2.AppendString(b, "v")
			return responseFrame(id, append(b, hmap("a", objects)...))
		}, "budget"},
		{"registered objects as the value", func(id int64) []byte {
			b := hessian2.AppendInt32(nil, int32(dubbo.ResponseValue))
			return responseFrame(id, append(b, objects...))
		}, "budget"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			calls := 0
			addr := hostileProvider(t, func(id int64) []byte {
				if calls++; calls == 1 {
					return tc.answer(id)
				}
				b := hessian2.AppendString(hessian2.AppendInt32(nil, int32(dubbo.ResponseValue)), "fine")
				return responseFrame(id, b)
			})
			c := newClient(t, addr)
			var err error
			grew := allocs.Bytes(func() { _, err = c.EchoObject(context.Background(), "x") })
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
			if limit := uint64(32*len(objects) + 64<<20); grew > limit {
				t.Errorf("the client allocated %d bytes for a %d-byte answer (bound %d)", grew, len(objects), limit)
			}
			if got, err := c.EchoObject(context.Background(), "y"); err != nil || got != "fine" {
				t.Fatalf("next call: %v %v", got, err)
			}
		})
	}
}

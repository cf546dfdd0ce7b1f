package dubbo

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/cloudwego/kitex/pkg/remote"
)

// fuzzSeeds are the golden frames: every header and body form.
func fuzzSeeds(t testing.TB) map[string][]byte {
	seeds := map[string][]byte{}
	for _, tc := range bodyCases(t) {
		seeds[tc.name] = tc.frame
	}
	for _, name := range []string{"codec_request_sum", "codec_response_sum", "codec_handler_error"} {
		seeds[name] = readGolden(t, name)
	}
	return seeds
}

// TestFuzzSeeds checks that testdata/fuzz holds the seed corpus the golden
// frames and headers make (the fuzz targets also add the seeds themselves);
// -update rewrites it.
func TestFuzzSeeds(t *testing.T) {
	want := map[string]string{} // path -> contents
	for _, target := range []string{"FuzzDecodeFrame", "FuzzCodecDecode"} {
		for name, b := range fuzzSeeds(t) {
			want[filepath.Join("testdata", "fuzz", target, name)] = fmt.Sprintf("go test fuzz v1\n[]byte(%q)\n", b)
		}
	}
	for _, tc := range headerCases {
		want[filepath.Join("testdata", "fuzz", "FuzzParseHeader", tc.name)] = fmt.Sprintf("go test fuzz v1\n[]byte(%q)\n", AppendHeader(nil, tc.h))
	}
	for path, data := range want {
		if *update {
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if got, err := os.ReadFile(path); err != nil || string(got) != data {
			t.Errorf("%s is missing or stale (go test -run TestFuzzSeeds -update rewrites it)", path)
		}
	}
}

// FuzzDecodeFrame runs the byte-slice decoders (frame, then the body the
// header announces) on arbitrary input: they must fail with an error, never
// panic or allocate by a length the input does not back.
func FuzzDecodeFrame(f *testing.F) {
	for _, b := range fuzzSeeds(f) {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		h, body, _, err := ConsumeFrame(b, 1<<16)
		if err != nil {
			return
		}
		switch {
		case h.Event:
			_ = IsHeartbeatBody(body)
		case h.Request:
			if _, err := DecodeRequestBody(body); err != nil {
				var be *BodyError
				if !errors.As(err, &be) {
					t.Fatalf("request error %T is not a *BodyError: %v", err, err)
				}
			}
		case h.Status == StatusOK:
			_, _ = DecodeResponseBody(body)
		default:
			_, _ = DecodeErrorBody(body)
		}
	})
}

// FuzzCodecDecode feeds arbitrary bytes to the codec as a server and as a
// client, and has the server answer whatever it decided.
func FuzzCodecDecode(f *testing.F) {
	for _, b := range fuzzSeeds(f) {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		c := NewDubboCodec(WithMaxPayload(1 << 16))
		ctx, msg := serverMsg()
		err := c.Decode(ctx, msg, remote.NewReaderBuffer(b))
		var reply remote.Message
		var te *remote.TransError
		switch {
		case err == nil && msg.MessageType() == remote.Heartbeat:
			reply = remote.NewMessage(nil, msg.RPCInfo(), remote.Heartbeat, remote.Server)
		case err == nil:
			reply = remote.NewMessage(msg.RPCInfo().Invocation().MethodInfo().NewResult(), msg.RPCInfo(), remote.Reply, remote.Server)
		case errors.As(err, &te):
			reply = remote.NewMessage(te, msg.RPCInfo(), remote.Exception, remote.Server)
		}
		if reply != nil {
			if err := c.Encode(ctx, reply, remote.NewWriterBuffer(64)); err != nil {
				t.Fatalf("server could not answer: %v", err)
			}
		}

		_, cmsg := clientMsg("Greet", 1, &GreetResult{}, remote.Reply)
		_ = c.Decode(context.Background(), cmsg, remote.NewReaderBuffer(b))
	})
}

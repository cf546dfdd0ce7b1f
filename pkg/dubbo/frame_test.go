package dubbo

import (
	"errors"
	"math"
	"strings"
	"testing"
)

var headerCases = []struct {
	name string
	h    Header
}{
	{"header_request_twoway", Header{Request: true, TwoWay: true, Serialization: 2, ID: 1, BodyLength: 0x1234}},
	{"header_request_oneway", Header{Request: true, Serialization: 2, ID: 2, BodyLength: 10}},
	{"header_heartbeat_request", Header{Request: true, TwoWay: true, Event: true, Serialization: 2, ID: 7, BodyLength: 1}},
	{"header_heartbeat_response", Header{Event: true, Serialization: 2, Status: StatusOK, ID: 7, BodyLength: 1}},
	{"header_response_ok", Header{Serialization: 2, Status: StatusOK, ID: 0x0102030405060708, BodyLength: 300}},
	{"header_response_service_error", Header{Serialization: 2, Status: StatusServiceError, ID: math.MaxInt64, BodyLength: 0}},
	{"header_response_negative_id", Header{Serialization: 2, Status: StatusServerThreadpoolExhaustedError, ID: -1, BodyLength: math.MaxInt32}},
}

func TestHeaderGolden(t *testing.T) {
	for _, tc := range headerCases {
		t.Run(tc.name, func(t *testing.T) {
			b := AppendHeader(nil, tc.h)
			if len(b) != HeaderLength {
				t.Fatalf("len = %d", len(b))
			}
			checkGolden(t, tc.name, b)
			got, err := ParseHeader(readGolden(t, tc.name))
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.h {
				t.Errorf("ParseHeader = %+v, want %+v", got, tc.h)
			}
		})
	}
}

func TestHeaderFlagBits(t *testing.T) {
	tests := []struct {
		h    Header
		flag byte
	}{
		{Header{Serialization: 2}, 0x02},
		{Header{Request: true, Serialization: 2}, 0x82},
		{Header{Request: true, TwoWay: true, Serialization: 2}, 0xc2},
		{Header{Request: true, TwoWay: true, Event: true, Serialization: 2}, 0xe2},
		{Header{Event: true, Serialization: 2}, 0x22},
		{Header{Serialization: 0xff}, 0x1f}, // only 5 bits fit
	}
	for _, tc := range tests {
		if got := tc.h.Flag(); got != tc.flag {
			t.Errorf("%+v: flag 0x%02x, want 0x%02x", tc.h, got, tc.flag)
		}
	}
}

func TestParseHeaderErrors(t *testing.T) {
	valid := AppendHeader(nil, Header{Request: true, TwoWay: true, Serialization: 2, ID: 9, BodyLength: 4})
	negative := append([]byte(nil), valid...)
	copy(negative[12:], []byte{0x80, 0, 0, 0})
	tests := []struct {
		name string
		in   []byte
		want error
		msg  string
	}{
		{"empty", nil, ErrShortHeader, "0 of 16"},
		{"cut", valid[:15], ErrShortHeader, "15 of 16"},
		{"magic", append([]byte{0xca, 0xfe}, valid[2:]...), ErrBadMagic, "0xcafe"},
		{"half magic", append([]byte{0xda, 0xbc}, valid[2:]...), ErrBadMagic, "0xdabc"},
		{"negative length", negative, ErrPayloadTooLarge, "-2147483648"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseHeader(tc.in)
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			if !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("err %q does not mention %q", err, tc.msg)
			}
		})
	}
}

func TestConsumeFrame(t *testing.T) {
	frame := AppendHeader(nil, Header{Request: true, TwoWay: true, Serialization: 2, ID: 3, BodyLength: 3})
	frame = append(frame, 'a', 'b', 'c', 'x') // one byte of the next frame
	h, body, n, err := ConsumeFrame(frame, 0)
	if err != nil || string(body) != "abc" || n != 19 || h.ID != 3 {
		t.Fatalf("ConsumeFrame = %+v %q %d %v", h, body, n, err)
	}

	tests := []struct {
		name  string
		in    []byte
		limit int
		want  error
		msg   string
	}{
		{"truncated body", frame[:18], 0, ErrShortHeader, "2 of 3"},
		{"over limit", frame, 2, ErrPayloadTooLarge, "Data length too large: 3, max payload: 2"},
		{"json serialization", AppendHeader(nil, Header{Request: true, Serialization: 6, BodyLength: 0}), 0, ErrUnsupportedSerialization, "id 6"},
		{"short header", frame[:3], 0, ErrShortHeader, "3 of 16"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, _, err := ConsumeFrame(tc.in, tc.limit)
			if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.msg) {
				t.Fatalf("err = %v, want %v mentioning %q", err, tc.want, tc.msg)
			}
		})
	}
}

func TestCheckBodyLength(t *testing.T) {
	tests := []struct {
		n, limit int
		ok       bool
	}{
		{0, DefaultMaxPayload, true},
		{DefaultMaxPayload, DefaultMaxPayload, true},
		{DefaultMaxPayload + 1, DefaultMaxPayload, false},
		{math.MaxInt32, 0, true},
		{math.MaxInt32 + 1, 0, false},
		{-1, 0, false},
	}
	for _, tc := range tests {
		err := CheckBodyLength(tc.n, tc.limit)
		if (err == nil) != tc.ok || (err != nil && !errors.Is(err, ErrPayloadTooLarge)) {
			t.Errorf("CheckBodyLength(%d, %d) = %v", tc.n, tc.limit, err)
		}
	}
}

func TestPutBodyLength(t *testing.T) {
	b := AppendHeader(nil, Header{Serialization: 2, Status: StatusOK})
	PutBodyLength(b, 0x01020304)
	h, err := ParseHeader(b)
	if err != nil || h.BodyLength != 0x01020304 {
		t.Fatalf("%+v %v", h, err)
	}
}

func TestStatusString(t *testing.T) {
	for s, want := range map[Status]string{
		StatusOK: "OK", StatusServiceNotFound: "SERVICE_NOT_FOUND",
		StatusServerThreadpoolExhaustedError: "SERVER_THREADPOOL_EXHAUSTED_ERROR", Status(1): "STATUS_1",
	} {
		if s.String() != want {
			t.Errorf("%d: %q, want %q", s, s.String(), want)
		}
	}
}

func FuzzParseHeader(f *testing.F) {
	for _, tc := range headerCases {
		f.Add(AppendHeader(nil, tc.h))
	}
	f.Add([]byte{0xda, 0xbb})
	f.Fuzz(func(t *testing.T, b []byte) {
		h, err := ParseHeader(b)
		if err != nil {
			return
		}
		// Every bit of a valid header is kept, so it must write back unchanged.
		if got := AppendHeader(nil, h); string(got) != string(b[:HeaderLength]) {
			t.Fatalf("round trip: % x -> %+v -> % x", b[:HeaderLength], h, got)
		}
	})
}

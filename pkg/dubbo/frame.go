package dubbo

// The Dubbo 2 frame, as dubbo-remoting's ExchangeCodec writes it. Every
// request, response and event starts with this 16-byte header; all integers
// are big-endian.
//
//	 byte  0        1        2        3        4 ............ 11  12 ....... 15
//	     +--------+--------+--------+--------+------------------+--------------+
//	     |  0xda  |  0xbb  |  flag  | status |    request id    | body length  |
//	     +--------+--------+--------+--------+------------------+--------------+
//	     |     magic       |        |        |  int64 (Java     |  int32       |
//	     |                 |        |        |  long)           |              |
//	     +-----------------+--------+--------+------------------+--------------+
//
//	flag:   bit 7 (0x80)  request (clear in responses)
//	        bit 6 (0x40)  two-way: the caller waits for a response
//	        bit 5 (0x20)  event: a heartbeat (body is Hessian null 'N') or other event
//	        bits 0-4      serialization id (2 = hessian2)
//	status: responses only (OK = 20); requests write 0.
//
// The body that follows is one serialization stream: see body.go.

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
)

// Header sizes and bits (ExchangeCodec.HEADER_LENGTH, MAGIC, FLAG_*).
const (
	HeaderLength = 16

	Magic     uint16 = 0xdabb
	MagicHigh byte   = 0xda
	MagicLow  byte   = 0xbb

	FlagRequest       byte = 0x80
	FlagTwoWay        byte = 0x40
	FlagEvent         byte = 0x20
	SerializationMask byte = 0x1f

	// SerializationHessian2 is Hessian2Serialization's content type id, the only
	// serialization this package speaks.
	SerializationHessian2 uint8 = 2

	// DefaultMaxPayload is Dubbo's default "payload" limit (8 MiB) on a body.
	DefaultMaxPayload = 8 << 20
)

// Status is the response status byte (org.apache.dubbo.remoting.exchange.Response).
type Status uint8

// Response status codes, named after the constants in Response.java.
const (
	StatusOK                             Status = 20
	StatusClientTimeout                  Status = 30
	StatusServerTimeout                  Status = 31
	StatusBadRequest                     Status = 40
	StatusBadResponse                    Status = 50
	StatusServiceNotFound                Status = 60
	StatusServiceError                   Status = 70
	StatusServerError                    Status = 80
	StatusClientError                    Status = 90
	StatusServerThreadpoolExhaustedError Status = 100
)

// String returns the Java constant name, as a Java peer's logs would show it.
func (s Status) String() string {
	switch s {
	case StatusOK:
		return "OK"
	case StatusClientTimeout:
		return "CLIENT_TIMEOUT"
	case StatusServerTimeout:
		return "SERVER_TIMEOUT"
	case StatusBadRequest:
		return "BAD_REQUEST"
	case StatusBadResponse:
		return "BAD_RESPONSE"
	case StatusServiceNotFound:
		return "SERVICE_NOT_FOUND"
	case StatusServiceError:
		return "SERVICE_ERROR"
	case StatusServerError:
		return "SERVER_ERROR"
	case StatusClientError:
		return "CLIENT_ERROR"
	case StatusServerThreadpoolExhaustedError:
		return "SERVER_THREADPOOL_EXHAUSTED_ERROR"
	}
	return fmt.Sprintf("STATUS_%d", uint8(s))
}

// Sentinels for errors.Is. Frame errors wrap one of them with the detail.
var (
	// ErrShortHeader: fewer than 16 bytes, or fewer body bytes than the header
	// announces (a truncated frame).
	ErrShortHeader = errors.New("dubbo: truncated frame")
	// ErrBadMagic: the first two bytes are not 0xdabb.
	ErrBadMagic = errors.New("dubbo: bad magic")
	// ErrPayloadTooLarge: the body length is negative or over the payload limit.
	ErrPayloadTooLarge = errors.New("dubbo: payload too large")
	// ErrUnsupportedSerialization: the serialization id is not hessian2.
	ErrUnsupportedSerialization = errors.New("dubbo: unsupported serialization")
)

// Header is the decoded 16-byte frame header.
type Header struct {
	Request       bool
	TwoWay        bool
	Event         bool
	Serialization uint8  // low 5 bits of the flag byte
	Status        Status // responses only
	ID            int64  // Java's long request id, echoed by the response
	BodyLength    int    // 0..math.MaxInt32
}

// IsHeartbeat reports whether the header starts a heartbeat frame. Dubbo marks
// heartbeats (and the rarer readonly events) with the event flag alone; the
// body tells them apart, and heartbeats carry the single byte 'N'.
func (h Header) IsHeartbeat() bool { return h.Event }

// Flag returns the flag byte the header encodes to.
func (h Header) Flag() byte {
	f := h.Serialization & SerializationMask
	if h.Request {
		f |= FlagRequest
	}
	if h.TwoWay {
		f |= FlagTwoWay
	}
	if h.Event {
		f |= FlagEvent
	}
	return f
}

// AppendHeader appends the 16-byte header h to b. BodyLength is written as
// Java's int; callers keep it within 0..math.MaxInt32 (see CheckBodyLength).
func AppendHeader(b []byte, h Header) []byte {
	b = append(b, MagicHigh, MagicLow, h.Flag(), byte(h.Status))
	b = binary.BigEndian.AppendUint64(b, uint64(h.ID))
	return binary.BigEndian.AppendUint32(b, uint32(h.BodyLength))
}

// PutBodyLength stores n into the length field of a header already written to
// hdr[0:16], for writers that reserve the header before the body exists.
func PutBodyLength(hdr []byte, n int) {
	binary.BigEndian.PutUint32(hdr[12:HeaderLength], uint32(n))
}

// ParseHeader decodes the header at the start of b. It checks the magic and
// that the body length is not negative (Java reads it as a signed int); the
// payload limit and the serialization are the caller's policy (CheckBodyLength,
// CheckSerialization).
func ParseHeader(b []byte) (Header, error) {
	if len(b) < HeaderLength {
		return Header{}, fmt.Errorf("%w: %d of %d header bytes", ErrShortHeader, len(b), HeaderLength)
	}
	if b[0] != MagicHigh || b[1] != MagicLow {
		return Header{}, fmt.Errorf("%w: 0x%02x%02x, want 0xdabb", ErrBadMagic, b[0], b[1])
	}
	flag := b[2]
	h := Header{
		Request:       flag&FlagRequest != 0,
		TwoWay:        flag&FlagTwoWay != 0,
		Event:         flag&FlagEvent != 0,
		Serialization: flag & SerializationMask,
		Status:        Status(b[3]),
		ID:            int64(binary.BigEndian.Uint64(b[4:12])),
	}
	n := int32(binary.BigEndian.Uint32(b[12:16]))
	if n < 0 {
		return Header{}, fmt.Errorf("%w: body length %d is negative", ErrPayloadTooLarge, n)
	}
	h.BodyLength = int(n)
	return h, nil
}

// CheckBodyLength returns an error wrapping ErrPayloadTooLarge when n is over
// limit; limit <= 0 means no limit beyond Java's int. The message names both
// numbers and follows Dubbo's own wording, so either side's logs read alike.
func CheckBodyLength(n, limit int) error {
	if n < 0 || n > math.MaxInt32 {
		return fmt.Errorf("%w: body length %d is outside a Java int", ErrPayloadTooLarge, n)
	}
	if limit > 0 && n > limit {
		return fmt.Errorf("%w: Data length too large: %d, max payload: %d", ErrPayloadTooLarge, n, limit)
	}
	return nil
}

// CheckSerialization returns an error wrapping ErrUnsupportedSerialization
// unless the header says hessian2.
func (h Header) CheckSerialization() error {
	if h.Serialization != SerializationHessian2 {
		return fmt.Errorf("%w: id %d (only hessian2, id 2, is supported)", ErrUnsupportedSerialization, h.Serialization)
	}
	return nil
}

// ConsumeFrame parses one whole frame at the start of b: the header, the limit
// and serialization checks, and the body. It returns the body (aliasing b) and
// the number of bytes the frame takes. Nothing is allocated: the body length
// is checked against the limit and against len(b) before it is used.
func ConsumeFrame(b []byte, limit int) (h Header, body []byte, n int, err error) {
	if h, err = ParseHeader(b); err != nil {
		return Header{}, nil, 0, err
	}
	if err = CheckBodyLength(h.BodyLength, limit); err != nil {
		return h, nil, 0, err
	}
	if err = h.CheckSerialization(); err != nil {
		return h, nil, 0, err
	}
	n = HeaderLength + h.BodyLength
	if len(b) < n {
		return h, nil, 0, fmt.Errorf("%w: body has %d of %d bytes", ErrShortHeader, len(b)-HeaderLength, h.BodyLength)
	}
	return h, b[HeaderLength:n], n, nil
}

package hessian2

import (
	"bytes"
	"encoding/hex"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"
)

func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// The byte forms below are the examples of the Hessian 2.0 serialization spec,
// plus the forms Caucho's Hessian2Output chooses where the spec allows several.
var wireCases = []struct {
	name string
	v    any
	hex  string
}{
	{"null", nil, "4e"},
	{"true", true, "54"},
	{"false", false, "46"},
	{"int 0", int32(0), "90"},
	{"int -16", int32(-16), "80"},
	{"int 47", int32(47), "bf"},
	{"int 48", int32(48), "c830"},
	{"int -2048", int32(-2048), "c000"},
	{"int 2047", int32(2047), "cfff"},
	{"int -262144", int32(-262144), "d00000"},
	{"int 262143", int32(262143), "d7ffff"},
	{"int 262144", int32(262144), "4900040000"},
	{"int min", int32(math.MinInt32), "4980000000"},
	{"long 0", int64(0), "e0"},
	{"long -8", int64(-8), "d8"},
	{"long 15", int64(15), "ef"},
	{"long -2048", int64(-2048), "f000"},
	{"long 2047", int64(2047), "ffff"},
	{"long -262144", int64(-262144), "380000"},
	{"long 262143", int64(262143), "3fffff"},
	{"long int32", int64(math.MaxInt32), "597fffffff"},
	{"long 2^31", int64(1 << 31), "4c0000000080000000"},
	{"double 0", 0.0, "5b"},
	{"double 1", 1.0, "5c"},
	{"double -128", -128.0, "5d80"},
	{"double 127", 127.0, "5d7f"},
	{"double -32768", -32768.0, "5e8000"},
	{"double 32767", 32767.0, "5e7fff"},
	{"double 12.25", 12.25, "444028800000000000"},
	{"date millis", time.Date(1998, 5, 8, 9, 51, 31, 0, time.UTC), "4a000000d04b9284b8"},
	{"date minutes", time.Date(1998, 5, 8, 9, 51, 0, 0, time.UTC), "4b00e3838f"},
	{"string empty", "", "00"},
	{"string hello", "hello", "0568656c6c6f"},
	{"string latin", "\u00c3", "01c383"},
	{"string non-BMP as surrogates", "\U0001F600", "02eda0bdedb880"},
	{"binary empty", []byte{}, "20"},
	{"binary 3", []byte{1, 2, 3}, "23010203"},
	{"list untyped", []int32{0, 1}, "7a9091"},
	{"map untyped", map[int32]string{1: "fee"}, "489103666565 5a"},
}

func TestWireEncode(t *testing.T) {
	for _, c := range wireCases {
		t.Run(c.name, func(t *testing.T) {
			got, err := Marshal(c.v)
			if err != nil {
				t.Fatal(err)
			}
			if want := unhex(t, c.hex); !bytes.Equal(got, want) {
				t.Fatalf("Marshal(%#v) = %x, want %x", c.v, got, want)
			}
		})
	}
}

func TestWireDecode(t *testing.T) {
	for _, c := range wireCases {
		t.Run(c.name, func(t *testing.T) {
			var target reflect.Value
			if c.v == nil {
				var x any
				target = reflect.ValueOf(&x)
			} else {
				target = reflect.New(reflect.TypeOf(c.v))
			}
			if err := Unmarshal(unhex(t, c.hex), target.Interface()); err != nil {
				t.Fatal(err)
			}
			got := target.Elem().Interface()
			if tm, ok := c.v.(time.Time); ok {
				if !got.(time.Time).Equal(tm) {
					t.Fatalf("got %v, want %v", got, tm)
				}
				return
			}
			if !reflect.DeepEqual(got, c.v) {
				t.Fatalf("got %#v, want %#v", got, c.v)
			}
		})
	}
}

// Every proper prefix of a valid value must fail with ErrShortBuffer, never panic.
func TestWireTruncated(t *testing.T) {
	for _, c := range wireCases {
		full := unhex(t, c.hex)
		for n := 0; n < len(full); n++ {
			var x any
			err := Unmarshal(full[:n], &x)
			if !errors.Is(err, ErrShortBuffer) {
				t.Errorf("%s cut to %d bytes: err = %v, want ErrShortBuffer", c.name, n, err)
			}
		}
	}
}

// Forms Java writes that our encoder never does.
func TestDecodeJavaOnlyForms(t *testing.T) {
	cases := []struct {
		name string
		hex  string
		want any
	}{
		{"double mill (Caucho 0x5f)", "5f000004d2", 1.234},
		{"long as 'L' small", "4c0000000000000005", int64(5)},
		{"chunked string", "520001 61 01 62", "ab"},
		{"chunked binary", "410001 ff 21 ee", []byte{0xff, 0xee}},
		{"4-byte UTF-8 counted as two units", "02f09f9880", "\U0001F600"},
		{"unpaired surrogate", "01eda0bd", "\uFFFD"},
		{"variable untyped list", "57 90 91 5a", []any{int32(0), int32(1)}},
		{"typed fixed list", "72 04 5b696e74 90 91", []any{int32(0), int32(1)}},
		{"typed map", "4d 08 6a6176612e4d6170 01 61 91 5a", map[any]any{"a": int32(1)}},
		{"typed map, empty type", "4d 00 01 61 91 5a", map[any]any{"a": int32(1)}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v, err := NewDecoder(unhex(t, c.hex)).DecodeValue()
			if err != nil {
				t.Fatal(err)
			}
			if f, ok := c.want.(float64); ok {
				if math.Abs(v.(float64)-f) > 1e-12 {
					t.Fatalf("got %v, want %v", v, f)
				}
				return
			}
			if !reflect.DeepEqual(v, c.want) {
				t.Fatalf("got %#v, want %#v", v, c.want)
			}
		})
	}
}

// Long strings and binaries are split where Caucho splits them, never inside a
// surrogate pair.
func TestChunking(t *testing.T) {
	ascii := strings.Repeat("x", chunkUnits+5)
	b, _ := Marshal(ascii)
	if b[0] != tagStringChunk || b[3+chunkUnits] != 5 {
		t.Fatalf("ASCII chunk layout wrong: % x ... % x", b[:3], b[3+chunkUnits:3+chunkUnits+1])
	}
	// A pair straddling the boundary moves whole into the next chunk.
	s := strings.Repeat("y", chunkUnits-1) + "\U0001F600" + "z"
	b, _ = Marshal(s)
	if got := int(b[1])<<8 | int(b[2]); got != chunkUnits-1 {
		t.Fatalf("first chunk has %d units, want %d", got, chunkUnits-1)
	}
	var back string
	if err := Unmarshal(b, &back); err != nil || back != s {
		t.Fatalf("round trip: %v, equal=%v", err, back == s)
	}
	bin := bytes.Repeat([]byte{7}, 2*chunkUnits+1)
	b, _ = Marshal(bin)
	var bback []byte
	if err := Unmarshal(b, &bback); err != nil || !bytes.Equal(bback, bin) {
		t.Fatalf("binary round trip: %v", err)
	}
}

// A length prefix claiming more than the input holds fails before allocating.
func TestHostileLengths(t *testing.T) {
	cases := []struct {
		name string
		hex  string
		want error
	}{
		{"list of 2^31-1", "58 497fffffff 90", ErrTooLarge},
		{"typed list of 2^31-1", "56 04 5b696e74 497fffffff", ErrTooLarge},
		{"negative list length", "58 49ffffffff", ErrSyntax},
		{"class with 2^31-1 fields", "43 01 41 497fffffff", ErrTooLarge},
		{"string of 65535 units", "53ffff 61", ErrShortBuffer},
		{"binary of 65535", "42ffff 00", ErrShortBuffer},
		{"ref out of range", "51 95", ErrSyntax},
		{"object without class", "60", ErrSyntax},
		{"type ref out of range", "72 95", ErrSyntax},
		{"reserved byte", "45", ErrSyntax},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var x any
			err := Unmarshal(unhex(t, c.hex), &x)
			if !errors.Is(err, c.want) {
				t.Fatalf("err = %v, want %v", err, c.want)
			}
		})
	}
}

func TestDepthLimit(t *testing.T) {
	deep := bytes.Repeat([]byte{0x79}, DefaultMaxDepth+1) // nested one-element lists
	deep = append(deep, 0x90)
	var x any
	if err := Unmarshal(deep, &x); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("err = %v, want ErrTooLarge", err)
	}
}

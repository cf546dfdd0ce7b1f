package dubbo

import (
	"reflect"
	"testing"

	"github.com/kitexdubbo/kitexdubbo/pkg/hessian2"
)

// entries writes an attachments map entry by entry, as a peer may: keys of
// any type, repeated, values of any type.
func entries(t *testing.T, kvs ...any) []byte {
	t.Helper()
	e := hessian2.NewEncoder(nil)
	e.WriteMapStart("")
	for _, v := range kvs {
		if err := e.Encode(v); err != nil {
			t.Fatal(err)
		}
	}
	e.WriteMapEnd()
	return e.Bytes()
}

func TestReadAttachments(t *testing.T) {
	for _, tc := range []struct {
		name string
		body []byte
		want map[string]any
	}{
		{"absent", nil, nil},
		{"null", []byte{'N'}, nil},
		{"empty", entries(t), map[string]any{}},
		{"strings", entries(t, "path", "org.example.A", "k", ""), map[string]any{"path": "org.example.A", "k": ""}},
		{"the last of a key twice", entries(t, "k", "1", "j", "x", "k", "2"), map[string]any{"k": "2", "j": "x"}},
		{"other values kept", entries(t, "n", int32(7), "l", []any{"a"}), map[string]any{"n": int32(7), "l": []any{"a"}}},
		{"null and objects left out", entries(t, "nil", nil, "obj", &GreetRequest{Req: "x"}, "k", "v"), map[string]any{"k": "v"}},
		{"keys not strings left out", entries(t, int32(1), "one", nil, "null", "k", "v"), map[string]any{"k": "v"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ReadAttachments(hessian2.NewDecoder(tc.body))
			if err != nil || !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got %#v, %v; want %#v", got, err, tc.want)
			}
		})
	}
}

// The codec's lookups agree with the map: a key's last value, a string only
// where the value is one.
func TestAttachmentLookups(t *testing.T) {
	as, present, err := readAttachments(hessian2.NewDecoder(entries(t, "group", "g1", "timeout", int32(3), "group", "g2")), nil)
	if err != nil || !present {
		t.Fatal(present, err)
	}
	if as.str("group") != "g2" || as.str("timeout") != "" || as.str("none") != "" {
		t.Fatalf("str: %#v", as)
	}
	if m := as.toMap(); m["timeout"] != int32(3) || m["group"] != "g2" || len(m) != 2 {
		t.Fatalf("toMap: %v", m)
	}
	if kvs := as.stringValues("p-", false); !reflect.DeepEqual(kvs, map[string]string{"p-group": "g2"}) {
		t.Fatalf("strings: %v", kvs)
	}
}

func TestReadAttachmentsRejects(t *testing.T) {
	for _, tc := range []struct {
		name string
		body []byte
	}{
		{"not a map", entries(t)[1:]}, // the map's end alone
		{"a string", []byte{0x01, 'a'}},
		{"a value cut short", entries(t, "k", "value")[:6]},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got, err := ReadAttachments(hessian2.NewDecoder(tc.body)); err == nil {
				t.Fatalf("read %#v", got)
			}
		})
	}
}

// Written in key order, whatever the order given, a key given twice with
// its last value: the bytes do not depend on how the entries were gathered.
func TestWriteAttachments(t *testing.T) {
	e := hessian2.NewEncoder(nil)
	if err := writeAttachments(e, attachments{{key: "z", str: "1"}, {key: "a", val: int32(2)}, {key: "z", str: "3"}}); err != nil {
		t.Fatal(err)
	}
	want := entries(t, "a", int32(2), "z", "3")
	if got := e.Bytes(); !reflect.DeepEqual(got, want) {
		t.Fatalf("wrote % x, want % x", got, want)
	}
	m := hessian2.NewEncoder(nil)
	if err := WriteAttachments(m, map[string]any{"z": "3", "a": int32(2)}); err != nil || !reflect.DeepEqual(m.Bytes(), want) {
		t.Fatalf("WriteAttachments wrote % x, %v", m.Bytes(), err)
	}
}

package hessian2

import (
	"reflect"
	"testing"
	"time"
)

func TestGeneralize(t *testing.T) {
	at := time.UnixMilli(5)
	for _, tc := range []struct {
		name string
		in   any
		want any
	}{
		{"nil", nil, nil},
		{"scalar", int32(3), int32(3)},
		{"bytes stay", []byte{1}, []byte{1}},
		{"time stays", at, at},
		{"struct with class", &testItem{SKU: "a", Qty: 2, Tags: []string{"t"}},
			map[string]any{"class": "org.example.Item", "sku": "a", "qty": int32(2), "price": 0.0, "tags": []any{"t"}, "attrs": nil}},
		{"struct without class", testPlain{A: "x"}, map[string]any{"a": "x"}},
		{"enum by name", &testPalette{Main: colorGreen, Others: []testColor{colorRed}},
			map[string]any{"class": "org.example.Palette", "main": "GREEN", "others": []any{"RED"}}},
		{"map of structs", map[string]*testPlain{"k": {A: "v"}, "nil": nil}, map[any]any{"k": map[string]any{"a": "v"}, "nil": nil}},
		{"nil slice", []string(nil), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Generalize(tc.in); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got %#v\nwant %#v", got, tc.want)
			}
		})
	}
}

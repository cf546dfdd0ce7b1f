package main

import (
	"fmt"
	"reflect"
	"time"

	big "github.com/dubbogo/gost/math/big"
)

var (
	timeType    = reflect.TypeOf(time.Time{})
	decimalType = reflect.TypeOf(&big.Decimal{})
	integerType = reflect.TypeOf(&big.Integer{})
)

// same reports how got differs from want: like reflect.DeepEqual, but
// time.Time compares by instant (decoded dates are in the local zone),
// big.Decimal and big.Integer by value, and the error names the path of the
// first difference and tells null from empty.
func same(got, want interface{}) error {
	return diff("", reflect.ValueOf(got), reflect.ValueOf(want))
}

func diff(path string, got, want reflect.Value) error {
	at := func() string {
		if path == "" {
			return ""
		}
		return path + ": "
	}
	if !got.IsValid() || !want.IsValid() {
		if got.IsValid() == want.IsValid() {
			return nil
		}
		return fmt.Errorf("%sgot %s, want %s", at(), show(got), show(want))
	}
	if got.Type() != want.Type() {
		return fmt.Errorf("%sgot %s %s, want %s %s", at(), got.Type(), show(got), want.Type(), show(want))
	}
	switch got.Type() {
	case timeType:
		g, w := got.Interface().(time.Time), want.Interface().(time.Time)
		if !g.Equal(w) {
			return fmt.Errorf("%sgot %s, want %s", at(), g.Format(time.RFC3339Nano), w.Format(time.RFC3339Nano))
		}
		return nil
	case decimalType, integerType:
		if got.IsNil() || want.IsNil() {
			break
		}
		g, w := got.Interface().(fmt.Stringer).String(), want.Interface().(fmt.Stringer).String()
		if g != w {
			return fmt.Errorf("%sgot %s, want %s", at(), g, w)
		}
		return nil
	}
	switch got.Kind() {
	case reflect.Pointer, reflect.Interface:
		if got.IsNil() || want.IsNil() {
			if got.IsNil() != want.IsNil() {
				return fmt.Errorf("%sgot %s, want %s", at(), show(got), show(want))
			}
			return nil
		}
		return diff(path, got.Elem(), want.Elem())
	case reflect.Struct:
		for i := 0; i < got.NumField(); i++ {
			f := got.Type().Field(i)
			if !f.IsExported() {
				continue
			}
			if err := diff(join(path, f.Name), got.Field(i), want.Field(i)); err != nil {
				return err
			}
		}
		return nil
	case reflect.Slice:
		if got.IsNil() != want.IsNil() {
			return fmt.Errorf("%sgot %s, want %s", at(), nullOr(got), nullOr(want))
		}
		if got.Len() != want.Len() {
			return fmt.Errorf("%sgot %d elements, want %d", at(), got.Len(), want.Len())
		}
		for i := 0; i < got.Len(); i++ {
			if err := diff(fmt.Sprintf("%s[%d]", path, i), got.Index(i), want.Index(i)); err != nil {
				return err
			}
		}
		return nil
	case reflect.Map:
		if got.IsNil() != want.IsNil() {
			return fmt.Errorf("%sgot %s, want %s", at(), nullOr(got), nullOr(want))
		}
		if got.Len() != want.Len() {
			return fmt.Errorf("%sgot %s, want %s", at(), show(got), show(want))
		}
		it := want.MapRange()
		for it.Next() {
			g := got.MapIndex(it.Key())
			if !g.IsValid() {
				return fmt.Errorf("%smissing key %v in %s", at(), it.Key(), show(got))
			}
			if err := diff(fmt.Sprintf("%s[%v]", path, it.Key()), g, it.Value()); err != nil {
				return err
			}
		}
		return nil
	}
	if !reflect.DeepEqual(got.Interface(), want.Interface()) {
		return fmt.Errorf("%sgot %s, want %s", at(), show(got), show(want))
	}
	return nil
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

func nullOr(v reflect.Value) string {
	if v.IsNil() {
		return "null"
	}
	if v.Len() == 0 {
		return "empty " + v.Type().String()
	}
	return show(v)
}

func show(v reflect.Value) string {
	if !v.IsValid() {
		return "null"
	}
	s := fmt.Sprintf("%#v", v.Interface())
	if len(s) > 200 {
		s = s[:200] + "..."
	}
	return s
}

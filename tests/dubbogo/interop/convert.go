package interop

import (
	"fmt"
	"reflect"
)

// Deref undoes what dubbo-go's provider does with a null argument of an
// interface{} parameter: it passes a new *interface{} holding nil.
func Deref(v interface{}) interface{} {
	if p, ok := v.(*interface{}); ok {
		if p == nil {
			return nil
		}
		return *p
	}
	return v
}

// Items returns the elements of whatever dubbo-go-hessian2 decoded a list,
// an array or a set into: []interface{}, a typed slice ([]int32 for "[int",
// ...) or a *HashSet.
func Items(v interface{}) ([]interface{}, error) {
	v = Deref(v)
	switch l := v.(type) {
	case nil:
		return nil, nil
	case []interface{}:
		return l, nil
	case *HashSet:
		return l.Items, nil
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Slice && rv.Kind() != reflect.Array {
		return nil, fmt.Errorf("want a list, got %T", v)
	}
	out := make([]interface{}, rv.Len())
	for i := range out {
		out[i] = rv.Index(i).Interface()
	}
	return out, nil
}

// Int64 converts any Go integer dubbo-go-hessian2 produces (int32 for a
// Hessian int, int64 for a long, and the narrower ones from typed arrays).
func Int64(v interface{}) (int64, error) {
	switch n := Deref(v).(type) {
	case int8:
		return int64(n), nil
	case int16:
		return int64(n), nil
	case int32:
		return int64(n), nil
	case int64:
		return n, nil
	case int:
		return int64(n), nil
	case uint8:
		return int64(n), nil
	case *int32:
		return int64(*n), nil
	case *int64:
		return *n, nil
	}
	return 0, fmt.Errorf("want an integer, got %T", v)
}

// Float64 converts a decoded double (or integer) to float64.
func Float64(v interface{}) (float64, error) {
	switch n := Deref(v).(type) {
	case float64:
		return n, nil
	case float32:
		return float64(n), nil
	}
	i, err := Int64(v)
	if err != nil {
		return 0, fmt.Errorf("want a number, got %T", v)
	}
	return float64(i), nil
}

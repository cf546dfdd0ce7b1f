package hessian2

import (
	"sync"
	"testing"
)

// A class met again is read from the cache, and soon from its read-only
// map; readers on many goroutines at once agree (go test -race).
func TestParsedClassCache(t *testing.T) {
	e := NewEncoder(nil)
	e.WriteObjectStart("org.kitexdubbo.test.Cached", []string{"a", "b"})
	e.WriteInt32(1)
	e.WriteString("x")
	body := e.Bytes()
	raw := string(body[1:]) // what follows 'C', up to the object
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 50 {
				v, err := NewDecoder(body).DecodeValue()
				if o, ok := v.(*JavaObject); err != nil || !ok || o.Field("b") != "x" {
					t.Errorf("got %#v, %v", v, err)
					return
				}
			}
		})
	}
	wg.Wait()
	m := parsedClasses.read.Load()
	if m == nil {
		t.Fatal("nothing moved to the read-only map")
	}
	found := false
	for k, def := range *m {
		if len(k) < len(raw) && raw[:len(k)] == k && def.name == "org.kitexdubbo.test.Cached" && def.shared {
			found = true
		}
	}
	if !found {
		t.Fatal("the class is not in the read-only map")
	}
}

package dubbo

// Attachments go with every request and response as a Java
// HashMap<String,Object> of a few entries, nearly all of them strings. The
// codec holds them as a slice of entries, string values unboxed, and not as a
// Go map: making, filling and hashing a map per message in each direction,
// and boxing each value, allocated more per call than all the rest of the
// framing (tests/bench/why.md). The exported functions keep the map form.

import (
	"fmt"
	"slices"
	"strings"

	"github.com/kitexdubbo/kitexdubbo/pkg/hessian2"
)

// attachment is one entry; str holds a string value, val any other.
type attachment struct {
	key string
	str string
	val any
}

func (a *attachment) value() any {
	if a.val != nil {
		return a.val
	}
	return a.str
}

// attachments keeps the wire's order; a key sent twice reads as its last
// value, as Java's HashMap would hold it.
type attachments []attachment

// str is k's value if that is a string, else "".
func (as attachments) str(k string) string {
	for i := len(as) - 1; i >= 0; i-- {
		if as[i].key == k {
			if as[i].val != nil {
				return ""
			}
			return as[i].str
		}
	}
	return ""
}

func (as attachments) toMap() map[string]any {
	m := make(map[string]any, len(as))
	for i := range as {
		m[as[i].key] = as[i].value()
	}
	return m
}

// stringValues returns the string values, leaving out Dubbo's own keys when
// dropReserved is set, each key with prefix before it; nil if none.
func (as attachments) stringValues(prefix string, dropReserved bool) map[string]string {
	var kvs map[string]string
	for i := range as {
		a := &as[i]
		if a.val != nil || a.key == "" || a.str == "" || (dropReserved && isReservedAttachment(a.key)) {
			continue
		}
		if kvs == nil {
			kvs = make(map[string]string, len(as)-i)
		}
		kvs[prefix+a.key] = a.str
	}
	return kvs
}

// WriteAttachments writes m as Java's HashMap<String,Object> (keys in sorted
// order, so a body's bytes do not depend on map iteration). A nil map is
// written as an empty one: Java's readAttachments expects a map.
func WriteAttachments(e *hessian2.Encoder, m map[string]any) error {
	as := make(attachments, 0, len(m))
	for k, v := range m {
		if s, ok := v.(string); ok {
			as = append(as, attachment{key: k, str: s})
		} else {
			as = append(as, attachment{key: k, val: v})
		}
	}
	return writeAttachments(e, as)
}

// writeAttachments writes as in key order (sorting it in place), a key given
// twice with the value given last.
func writeAttachments(e *hessian2.Encoder, as attachments) error {
	slices.SortStableFunc(as, func(a, b attachment) int { return strings.Compare(a.key, b.key) })
	e.WriteMapStart("")
	for i := range as {
		a := &as[i]
		if i+1 < len(as) && as[i+1].key == a.key {
			continue
		}
		e.WriteString(a.key)
		if a.val == nil {
			e.WriteString(a.str)
		} else if err := e.Encode(a.val); err != nil {
			return hessian2.WrapField(err, "["+a.key+"]", "")
		}
	}
	e.WriteMapEnd()
	return nil
}

// ReadAttachments reads an attachments map. An absent map (the body ends) and a
// null read as nil: old peers and some one-way calls send neither.
//
// Attachments hold what Dubbo puts there: strings, numbers, booleans, and
// plain lists and maps of them (hessian2.Decoder.DecodePlain). An object of
// any Java class reads as null, and a key whose value is one, or whose key
// is not a string, is left out: a peer cannot make the reader build values
// of registered types there.
func ReadAttachments(d *hessian2.Decoder) (map[string]any, error) {
	as, present, err := readAttachments(d, nil)
	if err != nil || !present {
		return nil, err
	}
	return as.toMap(), nil
}

// readAttachments is ReadAttachments appending to dst; present reports
// whether there was a map.
func readAttachments(d *hessian2.Decoder, dst attachments) (as attachments, present bool, err error) {
	if d.Remaining() == 0 || d.IsNull() {
		return dst, false, nil
	}
	if !d.IsMap() {
		v, err := d.DecodePlain()
		if err != nil {
			return dst, false, err
		}
		return dst, false, fmt.Errorf("%w: attachments are %T, want a map", hessian2.ErrType, v)
	}
	if err := d.ReadMapStart(); err != nil {
		return dst, false, err
	}
	// The map takes a reference number, as every map does; a value that
	// refers back to it reads as null.
	d.AddRef(nil)
	for {
		end, err := d.MapEnd(32)
		if err != nil {
			return dst, true, err
		}
		if end {
			return dst, true, nil
		}
		var a attachment
		var k any // a key that is not a string, kept for the error path
		stringKey := d.IsString()
		if stringKey {
			a.key, err = d.ReadString()
		} else {
			k, err = d.DecodePlain()
		}
		if err != nil {
			return dst, true, hessian2.WrapField(err, "[key]", "")
		}
		keep := stringKey
		if d.IsString() {
			a.str, err = d.ReadString()
		} else if a.val, err = d.DecodePlain(); err == nil && a.val == nil {
			keep = false // null, or an object
		}
		if err != nil {
			if stringKey {
				k = a.key
			}
			return dst, true, hessian2.WrapField(err, "["+hessian2.KeyString(k)+"]", "")
		}
		if keep {
			dst = append(dst, a)
		}
	}
}

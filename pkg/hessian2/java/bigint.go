package java

import (
	"fmt"
	"math"
	"math/big"

	"github.com/kitexdubbo/kitexdubbo/pkg/hessian2"
)

// BigInteger is java.math.BigInteger. Java's serializer writes its fields:
// signum (-1, 0, 1) and mag, the magnitude as big-endian 32-bit words (an int[]),
// plus cached bit counts that readers recompute and we skip.
type BigInteger struct{ big.Int }

// NewBigInteger returns x as a java.math.BigInteger.
func NewBigInteger(x *big.Int) *BigInteger {
	b := &BigInteger{}
	b.Set(x)
	return b
}

func (*BigInteger) JavaClassName() string { return "java.math.BigInteger" }

var bigIntegerFields = []string{"signum", "mag"}

func (b *BigInteger) MarshalHessian2(e *hessian2.Encoder) error {
	e.WriteObjectStart("java.math.BigInteger", bigIntegerFields)
	e.WriteInt32(int32(b.Sign()))
	bytes := b.Bytes() // magnitude, big-endian
	words := (len(bytes) + 3) / 4
	e.WriteListStart("[int", words)
	pad := words*4 - len(bytes)
	for i := 0; i < words; i++ {
		var w uint32
		for j := 0; j < 4; j++ {
			k := i*4 + j - pad
			w <<= 8
			if k >= 0 {
				w |= uint32(bytes[k])
			}
		}
		e.WriteInt32(int32(w))
	}
	return nil
}

func (b *BigInteger) UnmarshalHessian2(d *hessian2.Decoder) error {
	class, fields, err := d.ReadObjectStart(b)
	if err != nil {
		return err
	}
	if class != "java.math.BigInteger" {
		return fmt.Errorf("%w: object of class %s where java.math.BigInteger was expected", hessian2.ErrType, class)
	}
	var sign int32
	// Java writes mag as an int[]; dubbo-go-hessian2 writes the words as
	// unsigned longs, which Java's readInt truncates back. Read them wide and
	// keep the low 32 bits likewise, refusing only what no word can be.
	var mag []int64
	for _, f := range fields {
		switch f {
		case "signum":
			sign, err = d.ReadInt32()
		case "mag":
			err = d.Decode(&mag)
		default:
			err = d.Skip()
		}
		if err != nil {
			return fmt.Errorf("java.math.BigInteger.%s: %w", f, err)
		}
	}
	bytes := make([]byte, 0, 4*len(mag))
	for i, w := range mag {
		if w < math.MinInt32 || w > math.MaxUint32 {
			return fmt.Errorf("%w: java.math.BigInteger.mag[%d] = %d is not a 32-bit word", hessian2.ErrType, i, w)
		}
		bytes = append(bytes, byte(w>>24), byte(w>>16), byte(w>>8), byte(w))
	}
	b.SetBytes(bytes)
	if sign < 0 {
		b.Neg(&b.Int)
	}
	return nil
}

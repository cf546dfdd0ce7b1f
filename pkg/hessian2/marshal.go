package hessian2

import "fmt"

// Marshal returns the Hessian 2.0 encoding of v as one stream.
func Marshal(v any) ([]byte, error) {
	e := NewEncoder(nil)
	if err := e.Encode(v); err != nil {
		return nil, err
	}
	return e.Bytes(), nil
}

// Unmarshal decodes one Hessian 2.0 value from data into v, a non-nil pointer.
// Bytes left after the value are an error: they usually mean the wrong target.
func Unmarshal(data []byte, v any) error {
	d := NewDecoder(data)
	if err := d.Decode(v); err != nil {
		return err
	}
	if d.Remaining() != 0 {
		return &DecodeError{Offset: d.pos, Err: fmt.Errorf("%w: %d bytes after the value", ErrSyntax, d.Remaining())}
	}
	return nil
}

package dubbo

import (
	"fmt"
	"strings"

	"github.com/kitexdubbo/kitexdubbo/pkg/hessian2"
)

// Generic invocation: a Dubbo caller without the interface's classes (a
// GenericService reference) calls $invoke(method, parameterTypes, args) with
// POJOs as maps. The server answers it as the named method, and with
// generic=true gives the result back generalized (hessian2.Generalize).
const (
	methodInvoke       = "$invoke"
	methodInvokeAsync  = "$invokeAsync"
	genericParamTypes  = "Ljava/lang/String;[Ljava/lang/String;[Ljava/lang/Object;"
	attachmentGeneric  = "generic"
	genericDefaultMode = "true"
)

type genericCall struct {
	method string
	types  []string // Java type names: "int", "java.lang.String", "int[]"
}

func isGeneric(h *RequestHead) bool {
	return (h.Method == methodInvoke || h.Method == methodInvokeAsync) && h.ParamTypes == genericParamTypes
}

// readGenericCall reads $invoke's method name and parameter types; the
// arguments, an Object[], follow (readArgs reads them once the method is known).
func readGenericCall(d *hessian2.Decoder) (*genericCall, error) {
	var g genericCall
	if err := d.Decode(&g.method); err != nil {
		return nil, fmt.Errorf("generic method name: %w", err)
	}
	if err := d.Decode(&g.types); err != nil {
		return nil, fmt.Errorf("generic parameter types of %s: %w", g.method, err)
	}
	return &g, nil
}

// paramTypes is the descriptor the caller would have sent calling the method
// directly, so overloads resolve as they do for a typed call.
func (g *genericCall) paramTypes() (string, error) {
	var b strings.Builder
	for _, t := range g.types {
		d, err := hessian2.TypeDescriptor(nil, t)
		if err != nil {
			return "", fmt.Errorf("generic parameter type %q of %s: %w", t, g.method, err)
		}
		b.WriteString(d)
	}
	return b.String(), nil
}

// readArgs reads the Object[] of arguments straight into the method's Go
// parameters (into(i) is where argument i goes), as the caller's Java
// generalized them: the decoder reads maps into structs, lists into slices,
// numbers into the declared widths and enum names into enums, with errors
// naming the field. An error from reading argument i comes back with i; -1
// means the list itself is wrong (not a list, another number of arguments).
func readGenericArgs(d *hessian2.Decoder, mm *methodMeta, into func(i int) any) (int, error) {
	_, n, err := d.ReadListStart()
	if err != nil {
		return -1, fmt.Errorf("generic arguments of %s: %w", mm.display, err)
	}
	want := len(mm.args)
	arity := func(got int) error {
		return fmt.Errorf("generic call of %s: %d arguments for %d parameters", mm.display, got, want)
	}
	if n >= 0 && n != want {
		return -1, arity(n)
	}
	for i := 0; ; i++ {
		more, err := d.ReadListNext(n, i)
		if err != nil {
			return -1, err
		}
		if !more {
			if i != want {
				return -1, arity(i)
			}
			return 0, nil
		}
		if i >= want {
			return -1, fmt.Errorf("generic call of %s: more than %d arguments for %d parameters", mm.display, want, want)
		}
		if err := d.Decode(into(i)); err != nil {
			return i, err
		}
	}
}

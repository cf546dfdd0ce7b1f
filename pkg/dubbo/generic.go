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
	args   []any
}

func isGeneric(h *RequestHead) bool {
	return (h.Method == methodInvoke || h.Method == methodInvokeAsync) && h.ParamTypes == genericParamTypes
}

func readGenericCall(d *hessian2.Decoder) (*genericCall, error) {
	var g genericCall
	if err := d.Decode(&g.method); err != nil {
		return nil, fmt.Errorf("generic method name: %w", err)
	}
	if err := d.Decode(&g.types); err != nil {
		return nil, fmt.Errorf("generic parameter types of %s: %w", g.method, err)
	}
	if err := d.Decode(&g.args); err != nil {
		return nil, fmt.Errorf("generic arguments of %s: %w", g.method, err)
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

// decodeArg converts generic argument i, as the caller's Java generalized it,
// into the method's Go parameter by writing it out and reading it back
// typed: the decoder already turns maps into structs, lists into slices and
// numbers into the declared widths, with its errors naming the field.
func (g *genericCall) decodeArg(i int, into any) error {
	if i >= len(g.args) {
		return fmt.Errorf("%d arguments for %d parameters", len(g.args), i+1)
	}
	b, err := hessian2.Marshal(g.args[i])
	if err != nil {
		return err
	}
	return hessian2.Unmarshal(b, into)
}

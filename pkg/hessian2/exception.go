package hessian2

import (
	"fmt"
	"reflect"
	"strings"
)

// JavaException is a java.lang.Throwable that has no registered Go type: any
// exception a Java peer throws that the IDL does not declare. It is a Go error.
type JavaException struct {
	Class      string // e.g. "java.lang.IllegalStateException"
	Message    string // Throwable.detailMessage
	StackTrace []StackTraceElement
	Cause      *JavaException
	// Fields holds the exception's other fields (those of a custom exception class).
	Fields map[string]any
}

// StackTraceElement is java.lang.StackTraceElement.
type StackTraceElement struct {
	DeclaringClass string `hessian:"declaringClass"`
	MethodName     string `hessian:"methodName"`
	FileName       string `hessian:"fileName"`
	LineNumber     int32  `hessian:"lineNumber"`
}

// JavaClassName implements JavaClassNamer.
func (StackTraceElement) JavaClassName() string { return "java.lang.StackTraceElement" }

func init() { Register(&StackTraceElement{}) }

// NewJavaException returns an exception of the given Java class, for a Go server
// to answer a Java caller with.
func NewJavaException(class, message string) *JavaException {
	return &JavaException{Class: class, Message: message}
}

func (e *JavaException) Error() string {
	if e.Message == "" {
		return e.Class
	}
	return e.Class + ": " + e.Message
}

// Unwrap exposes the cause to errors.Is and errors.As.
func (e *JavaException) Unwrap() error {
	if e.Cause == nil {
		return nil
	}
	return e.Cause
}

// StackTraceString renders the trace as Java's printStackTrace does.
func (e *JavaException) StackTraceString() string {
	var b strings.Builder
	for ex := e; ex != nil; ex = ex.Cause {
		if ex != e {
			b.WriteString("Caused by: ")
		}
		b.WriteString(ex.Error())
		b.WriteByte('\n')
		for _, s := range ex.StackTrace {
			fmt.Fprintf(&b, "\tat %s.%s(%s:%d)\n", s.DeclaringClass, s.MethodName, s.FileName, s.LineNumber)
		}
	}
	return b.String()
}

// exceptionFields is the Throwable state a Java reader needs: Hessian's Java
// deserializer sets fields by name, and Throwable treats a null cause and a null
// suppressedExceptions as "none".
var exceptionFields = []string{"detailMessage", "cause", "stackTrace"}

// stackTraceType is the list type Java writes for a StackTraceElement[].
const stackTraceType = "[java.lang.StackTraceElement"

// MarshalHessian2 writes the exception as an object of its Java class.
func (e *JavaException) MarshalHessian2(enc *Encoder) error {
	if enc.backRef(unsafePointer(e), javaExceptionType, 0) {
		return nil
	}
	enc.objectStart(e.Class+"\x00exception", e.Class, exceptionFields)
	enc.WriteString(e.Message)
	if e.Cause == nil {
		enc.WriteNull()
	} else if err := e.Cause.MarshalHessian2(enc); err != nil {
		return err
	}
	enc.WriteListStart(stackTraceType, len(e.StackTrace))
	for i := range e.StackTrace {
		if err := enc.Encode(&e.StackTrace[i]); err != nil {
			return err
		}
	}
	return nil
}

// exceptionFromObject turns a decoded Throwable into a JavaException, charging
// what it copies to the decoder's budget (a stack trace of back-references to
// one element is small on the wire and copied per entry). Causes may refer
// back to exceptions already being converted (Java's cause == this, or a
// hostile cycle); seen ends such chains.
func (d *Decoder) exceptionFromObject(o *JavaObject) (*JavaException, error) {
	return d.exceptionFrom(o, make(map[*JavaObject]*JavaException))
}

// stackTraceElementSize is what one copied StackTraceElement costs.
var stackTraceElementSize = int(reflect.TypeFor[StackTraceElement]().Size())

func (d *Decoder) exceptionFrom(o *JavaObject, seen map[*JavaObject]*JavaException) (*JavaException, error) {
	if _, ok := seen[o]; ok {
		return nil, nil // a cycle: a Go error chain must end
	}
	if err := d.charge(costObject); err != nil {
		return nil, err
	}
	e := &JavaException{Class: o.Class}
	seen[o] = e
	for i, name := range o.Fields {
		v := o.Values[i]
		switch name {
		case "detailMessage":
			e.Message, _ = v.(string)
		case "cause":
			switch c := v.(type) {
			case *JavaException:
				e.Cause = c
			case *JavaObject:
				// Throwable.cause == this means "no cause"; Java writes it as a
				// back-reference to the exception being read, which is o itself.
				if hasField(c.Fields, "detailMessage") {
					cause, err := d.exceptionFrom(c, seen)
					if err != nil {
						return nil, err
					}
					e.Cause = cause
				}
			}
		case "stackTrace":
			var list []any
			switch l := v.(type) {
			case *JavaList: // a StackTraceElement[] is a typed list
				list = l.Values
			case []any:
				list = l
			}
			if err := d.chargeN(len(list), stackTraceElementSize); err != nil {
				return nil, err
			}
			for _, s := range list {
				if el, ok := s.(*StackTraceElement); ok {
					e.StackTrace = append(e.StackTrace, *el)
				}
			}
		case "suppressedExceptions":
		default:
			if e.Fields == nil {
				if err := d.charge(costMap); err != nil {
					return nil, err
				}
				e.Fields = make(map[string]any)
			}
			if err := d.charge(costEntry + 2*costSlot); err != nil {
				return nil, err
			}
			e.Fields[name] = v
		}
	}
	return e, nil
}

// UnmarshalHessian2 reads any Java exception (for a field or result declared as
// java.lang.Exception). A class with a registered Go type keeps its class name
// and its Error text as the message.
func (e *JavaException) UnmarshalHessian2(d *Decoder) error {
	v, err := d.DecodeValue()
	if err != nil {
		return err
	}
	switch x := v.(type) {
	case *JavaException:
		*e = *x
	case *JavaObject:
		x2, err := d.exceptionFromObject(x)
		if err != nil {
			return err
		}
		*e = *x2
	case error:
		*e = JavaException{Class: DefaultJavaType(reflect.TypeOf(x)), Message: x.Error()}
	default:
		return d.fail(ErrType, "%s where a Java exception was expected", typeOfValue(v))
	}
	return nil
}

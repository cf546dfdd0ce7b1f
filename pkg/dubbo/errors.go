package dubbo

import (
	"strconv"
	"strings"

	"github.com/cloudwego/kitex/pkg/kerrors"

	"github.com/kitexdubbo/kitexdubbo/pkg/hessian2"
)

// StatusError is the error of a call whose response status is not OK: the
// provider could not run the call at all (no such service, bad request, thread
// pool exhausted, ...). Message is the provider's text; a Java provider puts the
// exception and its stack trace there.
type StatusError struct {
	Status  Status
	Message string
}

func (e *StatusError) Error() string {
	return "dubbo: " + e.Status.String() + " (" + strconv.Itoa(int(e.Status)) + "): " + e.Message
}

// Is makes errors.Is(err, ErrPayloadTooLarge) hold when the provider refused
// the request for its size; both this package and Dubbo-Java say
// "Data length too large" then.
func (e *StatusError) Is(target error) bool {
	return target == ErrPayloadTooLarge && strings.Contains(e.Message, "Data length too large")
}

// JavaError is the error of a call whose provider threw a Java exception that
// the IDL does not declare (declared ones arrive as their generated Go types).
// errors.As(err, &je) with je of type *hessian2.JavaException reaches the
// exception with its class, message, stack trace and cause.
//
// It reaches the caller as a Kitex business status error, not as a transport
// error: the call itself succeeded, so the connection is kept, and retry and
// circuit-breaker middleware do not count it as a failure. A Go server that
// returns a JavaError (or a *hessian2.JavaException) from a handler sends that
// exception to its caller unchanged.
type JavaError struct {
	Exception *hessian2.JavaException
}

var _ kerrors.BizStatusErrorIface = (*JavaError)(nil)

func (e *JavaError) Error() string { return e.Exception.Error() }

// Unwrap exposes the exception to errors.As and errors.Is.
func (e *JavaError) Unwrap() error { return e.Exception }

// BizStatusCode is StatusServiceError's number: the provider ran the call and it
// failed, which is what a Java caller sees as an RpcException of a service error.
func (e *JavaError) BizStatusCode() int32 { return int32(StatusServiceError) }

// BizMessage is the exception's "class: message" line.
func (e *JavaError) BizMessage() string { return e.Exception.Error() }

// BizExtra names the exception class, for tracers that only see biz statuses.
func (e *JavaError) BizExtra() map[string]string {
	return map[string]string{"java_exception": e.Exception.Class}
}

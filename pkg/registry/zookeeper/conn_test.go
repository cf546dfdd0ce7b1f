package zookeeper

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/go-zookeeper/zk"
)

// A write that a lost connection fails is made again until it succeeds or
// retryFor passes; any other failure is final at once.
func TestRetry(t *testing.T) {
	refused := errors.New("refused")
	for _, tc := range []struct {
		name     string
		errs     []error // what each attempt returns; nil past the end
		retryFor time.Duration
		calls    int // -1: more than one, fewer than errs (the count depends on timing)
		want     error
	}{
		{"first time", nil, time.Second, 1, nil},
		{"after a closed connection", []error{zk.ErrConnectionClosed}, time.Second, 2, nil},
		{"after a moved and an expired session", []error{zk.ErrSessionMoved, fmt.Errorf("zookeeper: create /a: %w", zk.ErrSessionExpired)}, time.Second, 3, nil},
		{"other errors are final", []error{zk.ErrNoAuth}, time.Second, 1, zk.ErrNoAuth},
		{"until retryFor", []error{zk.ErrNoServer, zk.ErrNoServer, zk.ErrNoServer, zk.ErrNoServer, zk.ErrNoServer, zk.ErrNoServer}, 150 * time.Millisecond, -1, zk.ErrNoServer},
		{"a lost connection, then another error", []error{zk.ErrConnectionClosed, refused}, time.Second, 2, refused},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := &zkClient{retryFor: tc.retryFor, done: make(chan struct{})}
			calls := 0
			err := c.retry(func() error {
				calls++
				if calls <= len(tc.errs) {
					return tc.errs[calls-1]
				}
				return nil
			})
			countOK := calls == tc.calls || tc.calls == -1 && calls > 1 && calls < len(tc.errs)
			if !errors.Is(err, tc.want) || (tc.want == nil && err != nil) || !countOK {
				t.Fatalf("%d calls, %v; want %d, %v", calls, err, tc.calls, tc.want)
			}
		})
	}
	// A client being closed stops waiting.
	c := &zkClient{retryFor: time.Hour, done: make(chan struct{})}
	close(c.done)
	if err := c.retry(func() error { return zk.ErrConnectionClosed }); !errors.Is(err, zk.ErrConnectionClosed) {
		t.Fatalf("closed client: %v", err)
	}
}

package zookeeper

import (
	"errors"
	"fmt"
	"path"
	"strings"
	"sync"
	"time"

	"github.com/cloudwego/kitex/pkg/klog"
	"github.com/go-zookeeper/zk"
)

// zkClient is one ZooKeeper connection and what must outlive its sessions:
// the ephemeral nodes this process owns, created again when a session
// expires (ZooKeeper deletes them with it), and hooks run on a new session.
// go-zookeeper reconnects by itself and keeps watches across reconnects; a
// session that expired ends every watch (EventNotWatching), which the
// watchers answer by watching again.
type zkClient struct {
	conn *zk.Conn

	mu         sync.Mutex
	ephemerals map[string][]byte // path -> data
	session    int64             // the session the ephemerals were made in
	onSession  []func()          // run after a new session replaced an expired one

	retryFor time.Duration // how long a write waits out a lost connection (retry)

	done chan struct{}
	wg   sync.WaitGroup
}

var acl = zk.WorldACL(zk.PermAll)

// dial connects and waits for the first session, up to o.connectTimeout.
func dial(addrs []string, o *options) (*zkClient, error) {
	if len(addrs) == 0 {
		return nil, errors.New("zookeeper: no server addresses")
	}
	conn, events, err := zk.Connect(addrs, o.sessionTimeout, zk.WithLogger(zkLogger{}), zk.WithLogInfo(false))
	if err != nil {
		return nil, fmt.Errorf("zookeeper: connect %v: %w", addrs, err)
	}
	c := &zkClient{conn: conn, ephemerals: map[string][]byte{}, retryFor: o.connectTimeout, done: make(chan struct{})}
	deadline := time.NewTimer(o.connectTimeout)
	defer deadline.Stop()
	for c.session == 0 {
		select {
		case ev, ok := <-events:
			if !ok {
				return nil, fmt.Errorf("zookeeper: connection to %v closed before a session", addrs)
			}
			if ev.Type == zk.EventSession && ev.State == zk.StateHasSession {
				c.session = conn.SessionID()
			}
		case <-deadline.C:
			conn.Close()
			return nil, fmt.Errorf("zookeeper: no session with %v after %v", addrs, o.connectTimeout)
		}
	}
	c.wg.Add(1)
	go c.watchSession(events)
	return c, nil
}

// watchSession follows the session: when a new one replaces an expired one,
// it makes the ephemerals again and runs the hooks.
func (c *zkClient) watchSession(events <-chan zk.Event) {
	defer c.wg.Done()
	for ev := range events {
		if ev.Type != zk.EventSession {
			continue
		}
		switch ev.State {
		case zk.StateExpired:
			klog.Warnf("KITEX: zookeeper: session expired; its ephemeral nodes are gone, making them again on the next session")
		case zk.StateHasSession:
			id := c.conn.SessionID()
			c.mu.Lock()
			renewed := id != c.session
			c.session = id
			hooks := append([]func(){}, c.onSession...)
			c.mu.Unlock()
			if renewed {
				klog.Infof("KITEX: zookeeper: new session %#x, registering again", id)
				c.restore()
				for _, h := range hooks {
					h()
				}
			}
		}
	}
}

// restore makes every ephemeral node again, retrying each second until
// each is made or the client closes (the new session may still be settling).
func (c *zkClient) restore() {
	for {
		c.mu.Lock()
		pending := make(map[string][]byte, len(c.ephemerals))
		for p, d := range c.ephemerals {
			pending[p] = d
		}
		c.mu.Unlock()
		failed := 0
		for p, d := range pending {
			if err := c.createEphemeral(p, d); err != nil {
				failed++
				klog.Warnf("KITEX: zookeeper: register %s again: %v", p, err)
			}
		}
		if failed == 0 {
			return
		}
		select {
		case <-c.done:
			return
		case <-time.After(time.Second):
		}
	}
}

// addEphemeral creates an ephemeral node and keeps it across sessions.
func (c *zkClient) addEphemeral(p string, data []byte) error {
	c.mu.Lock()
	c.ephemerals[p] = data
	c.mu.Unlock()
	return c.retry(func() error { return c.createEphemeral(p, data) })
}

// retry runs op until it succeeds, fails for another reason than a lost
// connection, or retryFor has passed. A registration that a reconnect
// interrupts (ZooKeeper restarting, the session moved or expired) then
// finishes on the next connection instead of failing the Kitex server,
// which exits when Register fails; Dubbo-Java's registry retries such a
// registration too.
func (c *zkClient) retry(op func() error) error {
	deadline := time.Now().Add(c.retryFor)
	for {
		err := op()
		if err == nil || !connectionLost(err) || !time.Now().Before(deadline) {
			return err
		}
		select {
		case <-c.done:
			return err
		case <-time.After(retryPause):
		}
	}
}

const retryPause = 100 * time.Millisecond

// connectionLost reports the errors of a request whose connection went
// away before it was answered: made again, it may succeed.
func connectionLost(err error) bool {
	for _, lost := range []error{zk.ErrConnectionClosed, zk.ErrNoServer, zk.ErrSessionMoved, zk.ErrSessionExpired} {
		if errors.Is(err, lost) {
			return true
		}
	}
	return false
}

// removeEphemeral deletes a node addEphemeral made.
func (c *zkClient) removeEphemeral(p string) error {
	c.mu.Lock()
	delete(c.ephemerals, p)
	c.mu.Unlock()
	err := c.conn.Delete(p, -1)
	if errors.Is(err, zk.ErrNoNode) {
		return nil
	}
	return err
}

// createEphemeral makes p with data, its parents persistent. A node there
// already that another session owns (this process before a restart, whose
// session has not timed out yet) is replaced, as Dubbo's Curator client does.
func (c *zkClient) createEphemeral(p string, data []byte) error {
	if err := c.ensurePath(path.Dir(p)); err != nil {
		return err
	}
	for try := 0; try < 3; try++ {
		_, err := c.conn.Create(p, data, zk.FlagEphemeral, acl)
		if !errors.Is(err, zk.ErrNodeExists) {
			return err
		}
		_, st, err := c.conn.Get(p)
		switch {
		case errors.Is(err, zk.ErrNoNode):
			continue
		case err != nil:
			return err
		case st.EphemeralOwner == c.conn.SessionID():
			_, err = c.conn.Set(p, data, -1)
			return err
		}
		if err := c.conn.Delete(p, -1); err != nil && !errors.Is(err, zk.ErrNoNode) {
			return err
		}
	}
	return fmt.Errorf("zookeeper: create %s: replaced by another session three times", p)
}

// ensurePath makes p and its parents, persistent and empty, as needed.
func (c *zkClient) ensurePath(p string) error {
	if p == "/" || p == "" {
		return nil
	}
	if ok, _, err := c.conn.Exists(p); err == nil && ok {
		return nil
	}
	parts := strings.Split(strings.TrimPrefix(p, "/"), "/")
	cur := ""
	for _, part := range parts {
		cur += "/" + part
		_, err := c.conn.Create(cur, nil, 0, acl)
		if err != nil && !errors.Is(err, zk.ErrNodeExists) {
			return fmt.Errorf("zookeeper: create %s: %w", cur, err)
		}
	}
	return nil
}

func (c *zkClient) addSessionHook(h func()) {
	c.mu.Lock()
	c.onSession = append(c.onSession, h)
	c.mu.Unlock()
}

func (c *zkClient) close() {
	select {
	case <-c.done:
		return
	default:
	}
	close(c.done)
	c.conn.Close() // ends the events channel, and so watchSession
	c.wg.Wait()
}

// zkLogger sends go-zookeeper's messages (connects, reconnects) to klog.
type zkLogger struct{}

func (zkLogger) Printf(format string, args ...any) {
	klog.Debugf("KITEX: zookeeper: "+format, args...)
}

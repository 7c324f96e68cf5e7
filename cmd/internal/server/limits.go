package server

import (
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/charmbracelet/ssh"
)

// admission counts connections, globally and per address, from the moment
// they are accepted (wish has no cap of its own). A connection within the caps
// holds a slot until it closes; one over them is still let through the
// handshake so that it can be told "dcx is full" in its session, unless its
// address is flooding, in which case it is dropped before the handshake.
type admission struct {
	maxSessions, maxPerIP int
	floodPerIP, maxOpen   int

	mu      sync.Mutex
	slots   int
	slotsIP map[string]int
	openIP  map[string]int
	conns   map[*conn]struct{}
}

func newAdmission(maxSessions, maxPerIP int) *admission {
	return &admission{
		maxSessions: maxSessions,
		maxPerIP:    maxPerIP,
		// Past these a peer is not a visitor: refusals take a moment each, so
		// a person never has this many open at once.
		floodPerIP: 4*maxPerIP + 4,
		maxOpen:    2*maxSessions + 64,
		slotsIP:    map[string]int{},
		openIP:     map[string]int{},
		conns:      map[*conn]struct{}{},
	}
}

// admit registers c. It returns false if c must be dropped before the
// handshake; otherwise c.slot says whether it got a session slot.
func (a *admission) admit(c *conn) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	if c.released {
		return false // closed already (an early handshake timeout)
	}
	if a.openIP[c.ip] >= a.floodPerIP || len(a.conns) >= a.maxOpen {
		return false
	}
	a.openIP[c.ip]++
	a.conns[c] = struct{}{}
	if a.slots < a.maxSessions && a.slotsIP[c.ip] < a.maxPerIP {
		a.slots++
		a.slotsIP[c.ip]++
		c.slot = true
	}
	return true
}

func (a *admission) release(c *conn) {
	a.mu.Lock()
	defer a.mu.Unlock()
	c.released = true
	if _, ok := a.conns[c]; !ok {
		return
	}
	delete(a.conns, c)
	if a.openIP[c.ip]--; a.openIP[c.ip] <= 0 {
		delete(a.openIP, c.ip)
	}
	if c.slot {
		a.slots--
		if a.slotsIP[c.ip]--; a.slotsIP[c.ip] <= 0 {
			delete(a.slotsIP, c.ip)
		}
	}
}

// closeIdle closes the connections that have no app running; closeAll closes
// every connection. Both are for Shutdown.
func (a *admission) closeIdle() { a.close(func(c *conn) bool { return !c.running.Load() }) }
func (a *admission) closeAll()  { a.close(func(*conn) bool { return true }) }

func (a *admission) close(match func(*conn) bool) {
	a.mu.Lock()
	var victims []*conn
	for c := range a.conns {
		if match(c) {
			victims = append(victims, c)
		}
	}
	a.mu.Unlock()
	for _, c := range victims {
		c.Close() // releases under a.mu, so outside the lock
	}
}

// conn is an accepted connection: the net.Conn wish reads and writes, plus
// what the server needs to know about it across its sessions.
type conn struct {
	net.Conn
	a    *admission
	ip   string // the address key for the per-address caps
	slot bool   // holds one of the session slots; set once in admit
	// released is guarded by a.mu: a connection closed before admit ran
	// must not be counted.
	released bool

	started  atomic.Bool  // a session has begun: the handshake timer is moot
	running  atomic.Bool  // an app is running in it
	channels atomic.Int32 // open session channels
	width    atomic.Int32 // the session's window, clamped
	height   atomic.Int32
	timer    *time.Timer
	once     sync.Once
}

func (c *conn) Close() error {
	err := c.Conn.Close()
	c.once.Do(func() {
		if c.timer != nil {
			c.timer.Stop()
		}
		c.a.release(c)
	})
	return err
}

// addrKey is the unit the per-address caps count: the IP, or for IPv6 its
// /64, since one host usually owns the whole /64.
func addrKey(addr net.Addr) string {
	var ip net.IP
	switch a := addr.(type) {
	case *net.TCPAddr:
		ip = a.IP
	default:
		host, _, err := net.SplitHostPort(addr.String())
		if err != nil {
			return addr.String()
		}
		ip = net.ParseIP(host)
		if ip == nil {
			return host
		}
	}
	if ip.To4() != nil {
		return ip.To4().String()
	}
	return ip.Mask(net.CIDRMask(64, 128)).String() + "/64"
}

type connKey struct{}

// connOf finds the connection a session or channel belongs to.
func connOf(ctx ssh.Context) *conn {
	c, _ := ctx.Value(connKey{}).(*conn)
	return c
}

// acceptConn is wish's connection callback (ssh.WrapConn): it counts the
// connection, drops floods, and starts the handshake timer.
func (s *Server) acceptConn(ctx ssh.Context, nc net.Conn) net.Conn {
	c := &conn{Conn: nc, a: s.limits, ip: addrKey(nc.RemoteAddr())}
	remote := nc.RemoteAddr().String()
	if s.isClosing() {
		return nil
	}
	if err := s.floodLimiter.Allow(peer{addr: nc.RemoteAddr()}); err != nil {
		s.log.Warn("dropped", "remote", remote, "reason", "connection rate far over the limit")
		return nil
	}
	// The timer exists before the connection is registered, so that Close,
	// which Shutdown may call from now on, always sees it.
	c.timer = time.AfterFunc(s.cfg.HandshakeTimeout, func() {
		if !c.started.Load() {
			s.log.Info("refused", "remote", remote, "reason", "no session within the handshake timeout")
			c.Close()
		}
	})
	if !s.limits.admit(c) {
		c.timer.Stop()
		s.log.Warn("dropped", "remote", remote, "reason", "too many open connections")
		return nil
	}
	ctx.SetValue(connKey{}, c)
	return c
}

// peer lets wish's rate limiter, which keys on a session's remote address,
// judge a connection before its handshake. Allow calls only RemoteAddr; the
// embedded nil Session is never touched.
type peer struct {
	ssh.Session
	addr net.Addr
}

func (p peer) RemoteAddr() net.Addr { return p.addr }

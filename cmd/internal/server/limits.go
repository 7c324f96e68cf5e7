package server

import (
	"bytes"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/charmbracelet/ssh"
)

// admission counts connections in two budgets. A connection whose session
// has not started (the SSH handshake, authentication, the PTY request) is
// pending: pending connections have a small budget of their own, globally and
// per address, so that sockets that never finish a handshake cost their
// sender and not the visitors. A session slot is taken only when a session
// starts; one over the session caps is still let in so that it can be told
// why. wish has no caps of its own.
type admission struct {
	maxSessions, maxPerIP int
	maxPending, maxPendIP int
	maxOpen               int

	mu        sync.Mutex
	slots     int
	slotsIP   map[string]int
	pending   map[*conn]struct{}
	pendingIP map[string]int
	conns     map[*conn]struct{}
}

func newAdmission(maxSessions, maxPerIP, maxPending, maxPendingPerIP int) *admission {
	return &admission{
		maxSessions: maxSessions,
		maxPerIP:    maxPerIP,
		maxPending:  maxPending,
		maxPendIP:   maxPendingPerIP,
		// Sessions and pending handshakes are bounded on their own; this
		// bounds the refusals in flight on top of them.
		maxOpen:   maxSessions + maxPending + 64,
		slotsIP:   map[string]int{},
		pending:   map[*conn]struct{}{},
		pendingIP: map[string]int{},
		conns:     map[*conn]struct{}{},
	}
}

// Why admit turned a connection away or closed another to make room.
const (
	dropSilent  = "silent while its address waits"
	dropAddress = "too many handshakes from one address"
	dropFull    = "handshake budget full"
	dropOpen    = "too many open connections"
)

// admit registers c as pending. It returns "" if c may go on to the
// handshake, or why it must be dropped first. It may pick a pending
// connection to close to make room (victim, with why); the caller closes it
// outside the lock.
func (a *admission) admit(c *conn) (drop string, victim *conn, why string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if c.released {
		return dropOpen, nil, "" // closed already (an early timeout)
	}
	if len(a.conns) >= a.maxOpen {
		return dropOpen, nil, ""
	}
	if a.pendingIP[c.ip] >= a.maxPendIP {
		// Its own address is at its budget: only a silent one of its own
		// pending connections gives way, so that a neighbour behind the
		// same NAT typing a passphrase is never cut off by a flood.
		victim = a.oldest(func(p *conn) bool { return p.ip == c.ip && !p.banner.Load() })
		if victim == nil {
			return dropAddress, nil, ""
		}
		why = dropSilent
	} else if len(a.pending) >= a.maxPending {
		victim = a.makeRoom(c.ip)
		if victim == nil {
			return dropFull, nil, ""
		}
		why = dropFull
	}
	if victim != nil {
		a.unpend(victim) // its slot in the budgets is c's from now on
	}
	a.conns[c] = struct{}{}
	a.pending[c] = struct{}{}
	a.pendingIP[c.ip]++
	c.pending = true
	return "", victim, why
}

// makeRoom picks the pending connection to close when the global budget is
// full and a connection from ip arrives: the oldest one of the address with
// the most pending, if that address has more than ip would; otherwise the
// oldest silent one anywhere. Every address thus converges on an equal share.
func (a *admission) makeRoom(ip string) *conn {
	heavy, most := "", 0
	for addr, n := range a.pendingIP {
		if n > most {
			heavy, most = addr, n
		}
	}
	if most > a.pendingIP[ip]+1 {
		// Silent ones first, then any.
		if v := a.oldest(func(p *conn) bool { return p.ip == heavy && !p.banner.Load() }); v != nil {
			return v
		}
		return a.oldest(func(p *conn) bool { return p.ip == heavy })
	}
	return a.oldest(func(p *conn) bool { return !p.banner.Load() })
}

func (a *admission) oldest(match func(*conn) bool) *conn {
	var o *conn
	for p := range a.pending {
		if match(p) && (o == nil || p.accepted.Before(o.accepted)) {
			o = p
		}
	}
	return o
}

// unpend takes c out of the handshake budgets; a.mu is held.
func (a *admission) unpend(c *conn) {
	if !c.pending {
		return
	}
	c.pending = false
	delete(a.pending, c)
	if a.pendingIP[c.ip]--; a.pendingIP[c.ip] <= 0 {
		delete(a.pendingIP, c.ip)
	}
}

// Why a session got no slot.
const (
	capFull    = "full"
	capAddress = "full for this address"
)

// startSession moves c from the handshake budget to a session slot. It
// returns "" with a slot, or which cap turned it away.
func (a *admission) startSession(c *conn) string {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.unpend(c)
	if _, ok := a.conns[c]; !ok || c.slot {
		return capFull // closed meanwhile, or a second start
	}
	switch {
	case a.slots >= a.maxSessions:
		return capFull
	case a.slotsIP[c.ip] >= a.maxPerIP:
		return capAddress
	}
	a.slots++
	a.slotsIP[c.ip]++
	c.slot = true
	return ""
}

func (a *admission) release(c *conn) {
	a.mu.Lock()
	defer a.mu.Unlock()
	c.released = true
	if _, ok := a.conns[c]; !ok {
		return
	}
	delete(a.conns, c)
	a.unpend(c)
	if c.slot {
		a.slots--
		if a.slotsIP[c.ip]--; a.slotsIP[c.ip] <= 0 {
			delete(a.slotsIP, c.ip)
		}
	}
}

// counts is the number of open connections, pending handshakes and
// sessions holding a slot, for tests.
func (a *admission) counts() (open, pending, slots int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return len(a.conns), len(a.pending), a.slots
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
	a        *admission
	remote   net.Addr // the client: the peer, or a trusted balancer's PROXY header source
	ip       string   // the address key for the per-address caps
	accepted time.Time
	// Guarded by a.mu: released, so that a connection closed before admit
	// ran is not counted; pending and slot, the budgets it holds.
	released bool
	pending  bool
	slot     bool

	banner   atomic.Bool  // the client's version line has arrived
	started  atomic.Bool  // a session has begun: the handshake timer is moot
	running  atomic.Bool  // an app is running in it
	channels atomic.Int32 // open session channels
	width    atomic.Int32 // the session's window, clamped
	height   atomic.Int32
	sizes    *sizeBox      // window changes on their way to the program
	flooded  atomic.Bool   // disconnected for flooding requests
	timers   []*time.Timer // the banner deadline and handshake timeout
	once     sync.Once
}

// RemoteAddr is the client's address, which every cap, limiter and log line
// sees.
func (c *conn) RemoteAddr() net.Addr { return c.remote }

// Read notes the end of the client's version line, which gossh reads
// before anything else, byte by byte.
func (c *conn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if n > 0 && !c.banner.Load() && bytes.IndexByte(p[:n], '\n') >= 0 {
		c.banner.Store(true)
	}
	return n, err
}

func (c *conn) Close() error {
	err := c.Conn.Close()
	c.once.Do(func() {
		for _, t := range c.timers {
			t.Stop()
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

// acceptConn is wish's connection callback (ssh.WrapConn): it drops floods,
// puts the connection in the handshake budget and starts its deadlines.
func (s *Server) acceptConn(ctx ssh.Context, nc net.Conn) net.Conn {
	if s.isClosing() {
		return nil
	}
	nc, client, refusal, err := s.proxyConn(nc)
	if refusal != "" {
		kv := []any{"remote", client.String()}
		if err != nil {
			kv = append(kv, "err", err)
		}
		s.warns.warn("refused", refusal, kv...)
		return nil
	}
	if s.isClosing() { // Shutdown began while the header was on its way
		return nil
	}
	c := &conn{Conn: nc, a: s.limits, remote: client, ip: addrKey(client), accepted: time.Now(), sizes: newSizeBox()}
	remote := client.String()
	if err := s.floodLimiter.Allow(peer{addr: client}); err != nil {
		s.dropped(remote, "connection rate far over the limit")
		return nil
	}
	// The timers exist before the connection is registered, so that Close,
	// which Shutdown may call from now on, always sees them.
	c.timers = []*time.Timer{
		time.AfterFunc(s.cfg.BannerTimeout, func() {
			if !c.banner.Load() {
				s.dropped(remote, "no SSH banner")
				c.Close()
			}
		}),
		time.AfterFunc(s.cfg.HandshakeTimeout, func() {
			if !c.started.Load() {
				s.log.Info("refused", "remote", remote, "reason", "no session within the handshake timeout")
				s.metrics.refused("no session within the handshake timeout")
				c.Close()
			}
		}),
	}
	drop, victim, why := s.limits.admit(c)
	if victim != nil {
		s.dropped(victim.RemoteAddr().String(), why)
		victim.Close()
	}
	if drop != "" {
		for _, t := range c.timers {
			t.Stop()
		}
		s.dropped(remote, drop)
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

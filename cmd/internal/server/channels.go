package server

import (
	"fmt"
	"net"
	"strings"
	"sync"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/ssh"
	gossh "golang.org/x/crypto/ssh"
	"golang.org/x/time/rate"
)

// Requests on a session channel: a terminal sends one window-change per
// resize step, a few dozen a second while a window edge is dragged. A client
// far over that is not a terminal and is disconnected.
const (
	requestRate  = 50
	requestBurst = 200
	// forwardQueue holds the requests passed on to wish's session handler,
	// which answers each at once: room for a client's start-up burst (every
	// environment variable allowed, the PTY, the shell) and more, so that
	// only a client ignoring the flood limit could fill it.
	forwardQueue = maxEnvVars + 16
)

// handleSessionChannel runs wish's session handler on a filtered view of the
// channel's requests, one session per connection: the caps count
// connections, so a second session channel on one connection would slip past
// them.
func (s *Server) handleSessionChannel(srv *ssh.Server, sc *gossh.ServerConn, nc gossh.NewChannel, ctx ssh.Context) {
	c := connOf(ctx)
	if c == nil {
		// acceptConn registers every connection it lets through.
		_ = nc.Reject(gossh.ConnectionFailed, "dcx: internal error")
		return
	}
	if c.channels.Add(1) > 1 {
		c.channels.Add(-1)
		s.refusedLog(ctx, "second session on one connection")
		_ = nc.Reject(gossh.Prohibited, "dcx runs one session per connection; open a new connection")
		return
	}
	f := &filteredChannel{NewChannel: nc, s: s, c: c, ctx: ctx, limit: rate.NewLimiter(requestRate, requestBurst)}
	ssh.DefaultSessionHandler(srv, sc, f, ctx)
	// The channel is closed: nothing more happens on this connection, so it
	// goes now and frees its slot, rather than whenever the client closes it.
	c.channels.Add(-1)
	_ = sc.Close()
}

// refuseChannel rejects every other channel type: port forwarding
// (direct-tcpip, direct-streamlocal) and anything else a client may try.
func (s *Server) refuseChannel(_ *ssh.Server, _ *gossh.ServerConn, nc gossh.NewChannel, ctx ssh.Context) {
	what, msg := "channel "+clip(nc.ChannelType()), "dcx offers terminal sessions only"
	switch nc.ChannelType() {
	case "direct-tcpip", "direct-streamlocal@openssh.com":
		what, msg = "local port forwarding", "dcx does not forward ports"
	}
	s.refusedLog(ctx, what)
	_ = nc.Reject(gossh.Prohibited, msg)
}

// refuseForward answers remote port forwarding requests. The global request
// reply has no room for a message; OpenSSH prints its own warning.
func (s *Server) refuseForward(ctx ssh.Context, _ *ssh.Server, req *gossh.Request) (bool, []byte) {
	if !strings.HasPrefix(req.Type, "cancel-") {
		s.refusedLog(ctx, "remote port forwarding")
	}
	return false, nil
}

func (s *Server) refusedLog(ctx ssh.Context, reason string) {
	s.log.Info("refused", "remote", remoteOf(ctx), "user", clip(ctx.User()), "reason", reason)
	s.metrics.refused(reason)
}

func remoteOf(ctx ssh.Context) string {
	if a := ctx.RemoteAddr(); a != nil {
		return a.String()
	}
	return ""
}

// filteredChannel is a session channel whose requests pass through filter
// before wish's session handler sees them.
type filteredChannel struct {
	gossh.NewChannel
	s     *Server
	c     *conn
	ctx   ssh.Context
	limit *rate.Limiter
}

func (f *filteredChannel) Accept() (gossh.Channel, <-chan *gossh.Request, error) {
	ch, in, err := f.NewChannel.Accept()
	if err != nil {
		return nil, nil, err
	}
	out := make(chan *gossh.Request, forwardQueue)
	go f.filter(ch, in, out)
	return ch, out, nil
}

// filter clamps window sizes before anything allocates by them, bounds
// environment requests, and refuses subsystems (SFTP and the rest), agent and
// X11 forwarding with a line on stderr, since their replies carry no message.
//
// It never waits for the session: gossh's connection loop hands it every
// request of the channel and stops reading the connection (window
// adjustments included) while it waits. So window changes go to the
// session's one-slot mailbox (conn.sizes) instead of wish, which would pass
// each one to the program and wait while the program waits for its output to
// drain; and a client flooding requests is disconnected.
func (f *filteredChannel) filter(ch gossh.Channel, in <-chan *gossh.Request, out chan<- *gossh.Request) {
	defer close(out)
	envs, envRefused, pty := 0, false, false
	for req := range in {
		if !f.limit.Allow() {
			f.flooded(ch)
			for range in {
				// The connection is closing; what is left goes unanswered.
			}
			return
		}
		switch req.Type {
		case "pty-req":
			p, ok := clampPty(req.Payload)
			if !ok {
				f.s.refusedLog(f.ctx, "malformed pty request")
				_ = req.Reply(false, nil)
				continue
			}
			req.Payload = gossh.Marshal(p)
			if !pty {
				f.c.width.Store(int32(p.Columns))
				f.c.height.Store(int32(p.Rows))
			}
			pty = true
		case "window-change":
			var w windowMsg
			if !pty || gossh.Unmarshal(req.Payload, &w) != nil {
				_ = req.Reply(false, nil)
				continue
			}
			// Zero means unknown: keep the size we have.
			w.Columns = clampDim(w.Columns, MaxWidth, uint32(f.c.width.Load()))
			w.Rows = clampDim(w.Rows, MaxHeight, uint32(f.c.height.Load()))
			f.c.width.Store(int32(w.Columns))
			f.c.height.Store(int32(w.Rows))
			f.c.sizes.put(int(w.Columns), int(w.Rows))
			_ = req.Reply(true, nil)
			continue
		case "env":
			var kv struct{ Key, Value string }
			if envs >= maxEnvVars || gossh.Unmarshal(req.Payload, &kv) != nil ||
				len(kv.Key) > maxEnvKey || len(kv.Value) > maxEnvValue {
				if !envRefused {
					envRefused = true
					f.s.refusedLog(f.ctx, "environment over its bound")
				}
				_ = req.Reply(false, nil)
				continue
			}
			envs++
		case "subsystem":
			var name struct{ Value string }
			_ = gossh.Unmarshal(req.Payload, &name)
			f.refuseSubsystem(ch, req, clip(name.Value))
			continue
		case "x11-req":
			f.refuse(ch, req, "X11 forwarding", "dcx: X11 forwarding refused; dcx draws in your terminal")
			continue
		case "auth-agent-req@openssh.com":
			f.refuse(ch, req, "agent forwarding", "dcx: agent forwarding refused; dcx never needs your keys")
			continue
		}
		select {
		case out <- req:
		default:
			_ = req.Reply(false, nil)
		}
	}
}

// flooded disconnects a client over the request rate, with a line on stderr
// if the client still reads it within a second.
func (f *filteredChannel) flooded(ch gossh.Channel) {
	f.c.flooded.Store(true)
	f.s.refusedLog(f.ctx, "request flood")
	go func() {
		t := time.AfterFunc(time.Second, func() { f.c.Close() })
		defer t.Stop()
		_, _ = fmt.Fprint(ch.Stderr(), "dcx: too many requests from your client; closing the connection\r\n")
		f.c.Close()
	}()
}

// sizeBox is a one-slot mailbox of window sizes: put replaces the size the
// program has not taken yet, so a flood of resizes holds one size and never
// waits for the program.
type sizeBox struct {
	mu    sync.Mutex
	size  tea.WindowSizeMsg
	full  bool
	ready chan struct{} // holds a token while full
}

func newSizeBox() *sizeBox { return &sizeBox{ready: make(chan struct{}, 1)} }

func (b *sizeBox) put(w, h int) {
	b.mu.Lock()
	b.size, b.full = tea.WindowSizeMsg{Width: w, Height: h}, true
	b.mu.Unlock()
	select {
	case b.ready <- struct{}{}:
	default: // a token is waiting already
	}
}

func (b *sizeBox) take() (tea.WindowSizeMsg, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	full := b.full
	b.full = false
	return b.size, full
}

func (f *filteredChannel) refuse(ch gossh.Channel, req *gossh.Request, what, msg string) {
	f.s.refusedLog(f.ctx, what)
	_, _ = fmt.Fprint(ch.Stderr(), msg+"\r\n")
	_ = req.Reply(false, nil)
}

// refuseSubsystem accepts the request and then says no on stderr, with exit
// status 1: OpenSSH's sftp and scp end at once on a failed subsystem
// request ("subsystem request failed on channel 0") without printing what
// the server wrote before it, while an accepted one shows the line and then
// "Connection closed".
func (f *filteredChannel) refuseSubsystem(ch gossh.Channel, req *gossh.Request, name string) {
	f.s.refusedLog(f.ctx, "subsystem "+name)
	_ = req.Reply(true, nil)
	msg := fmt.Sprintf("dcx: %q is not offered here, only the terminal app: %s\r\n", name, connectHint(f.c))
	// Off the request path: a client that does not read could hold the write.
	go func() {
		_, _ = fmt.Fprint(ch.Stderr(), msg)
		_, _ = ch.SendRequest("exit-status", false, gossh.Marshal(struct{ Status uint32 }{1}))
		_ = ch.Close()
	}()
}

// ptyMsg and windowMsg are the payloads of RFC 4254 6.2 and 6.7.
type ptyMsg struct {
	Term                         string
	Columns, Rows, Width, Height uint32
	Modes                        string
}

type windowMsg struct {
	Columns, Rows, Width, Height uint32
}

const maxPixels = 1 << 14

func clampPty(payload []byte) (ptyMsg, bool) {
	var p ptyMsg
	if gossh.Unmarshal(payload, &p) != nil || len(p.Term) > maxTermLen {
		return p, false
	}
	p.Columns = clampDim(p.Columns, MaxWidth, defaultWidth)
	p.Rows = clampDim(p.Rows, MaxHeight, defaultHeight)
	p.Width, p.Height = min(p.Width, maxPixels), min(p.Height, maxPixels)
	return p, true
}

func clampDim(v, limit, unknown uint32) uint32 {
	if v == 0 {
		return unknown
	}
	return min(v, limit)
}

// connectHint is how to reach the app: the port is the one this connection
// came in on.
func connectHint(c *conn) string {
	if a, ok := c.LocalAddr().(*net.TCPAddr); ok && a.Port != 22 {
		return fmt.Sprintf("ssh -t -p %d HOST", a.Port)
	}
	return "ssh -t HOST"
}

package server

import (
	"errors"
	"fmt"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/ssh"
	"github.com/charmbracelet/wish"
	"github.com/charmbracelet/wish/bubbletea"
	"github.com/muesli/termenv"
)

// Why a session ended, when the server ended it.
var (
	errShutdown   = errors.New("server shutting down")
	errIdle       = errors.New("idle timeout")
	errMaxSession = errors.New("max session time")
)

// quitGrace is how long a program asked to quit may take before its
// connection is cut (a client that stopped reading blocks its writes).
const quitGrace = 5 * time.Second

// middleware is the handler chain, outermost first (wish composes the list
// the other way round, hence the reversal).
func (s *Server) middleware() []wish.Middleware {
	chain := []wish.Middleware{
		s.lifecycle,
		s.rateLimit,
		s.checkCaps,
		s.requireTerminal,
		// Ascii is the lowest profile floor: the client's own profile stands.
		bubbletea.MiddlewareWithProgramHandler(s.program, termenv.Ascii),
	}
	for i, j := 0, len(chain)-1; i < j; i, j = i+1, j-1 {
		chain[i], chain[j] = chain[j], chain[i]
	}
	return chain
}

// session is one SSH session as the server's handlers see it: wish's session
// with its input watched (for the idle timeout) and the state that decides
// how it ends. Its Read is in termquery.go.
type session struct {
	ssh.Session
	srv       *Server
	c         *conn
	start     time.Time
	lastInput atomic.Int64 // unix nanoseconds
	// keyAt is when a key reached the app (unix nanoseconds) that no frame
	// has answered yet, or 0: the key → frame latency metric.
	keyAt atomic.Int64

	stop     chan struct{} // closed by end
	stopOnce sync.Once
	done     chan struct{} // closed when the handlers have returned

	mu       sync.Mutex
	cause    error  // set by end: why the server ended the session
	reason   string // set by refuse
	message  string // the line the client is told at the end
	panicVal any
	stack    []byte
	started  bool // the app ran

	// The session's input once the terminal query has run (termquery.go):
	// in is fed by the pump, left is read but not yet given out.
	in    chan chunk
	inMu  sync.Mutex
	left  []byte
	inErr error
}

// end asks the session to finish, for cause; the first cause wins.
func (ss *session) end(cause error) {
	ss.mu.Lock()
	if ss.cause == nil {
		ss.cause = cause
	}
	ss.mu.Unlock()
	ss.stopOnce.Do(func() { close(ss.stop) })
}

func (ss *session) stopped() bool {
	select {
	case <-ss.stop:
		return true
	default:
		return false
	}
}

// refuse ends the session before the app with a one-line message.
func (ss *session) refuse(reason, message string) {
	ss.mu.Lock()
	ss.reason, ss.message = reason, message
	ss.mu.Unlock()
	ss.srv.log.Info("refused", "remote", ss.RemoteAddr().String(), "user", clip(ss.User()), "reason", reason)
	ss.srv.metrics.refused(reason)
}

func (ss *session) crashed(val any, stack []byte) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if ss.panicVal == nil {
		ss.panicVal, ss.stack = val, stack
	}
}

// lifecycle wraps every session: it registers it for Shutdown, catches a
// panic in the handlers, and at the end tells the client why (one line) and
// logs the end. wish's recover middleware is not used because it can neither
// tell the client nor say which session panicked.
func (s *Server) lifecycle(next ssh.Handler) ssh.Handler {
	return func(raw ssh.Session) {
		c := connOf(raw.Context())
		if c == nil {
			wish.Fatalln(raw, "dcx: internal error")
			return
		}
		c.started.Store(true)
		ss := &session{Session: raw, srv: s, c: c, start: time.Now(), stop: make(chan struct{}), done: make(chan struct{})}
		ss.lastInput.Store(ss.start.UnixNano())
		if !s.track(ss, true) {
			ss.end(errShutdown)
		}
		defer s.track(ss, false)
		func() {
			defer func() {
				if r := recover(); r != nil {
					ss.crashed(r, debug.Stack())
				}
			}()
			next(ss)
		}()
		close(ss.done)
		s.finish(ss)
		// One session per connection: it has nothing left to do. The
		// channel handler closes it as soon as the client closes the
		// channel; this is for a client that never does.
		time.AfterFunc(quitGrace, func() { c.Close() })
	}
}

// finish tells the client how the session ended and logs it.
func (s *Server) finish(ss *session) {
	ss.mu.Lock()
	cause, reason, message, started := ss.cause, ss.reason, ss.message, ss.started
	panicVal, stack := ss.panicVal, ss.stack
	ss.mu.Unlock()

	code := 1
	switch {
	case panicVal != nil:
		reason = "panic"
		message = "dcx: sorry, something went wrong and this session had to end. Reconnect to start again."
		s.log.Error("session panic", "remote", ss.RemoteAddr().String(), "user", clip(ss.User()),
			"panic", fmt.Sprint(panicVal), "stack", string(stack))
	case errors.Is(cause, errShutdown):
		reason = cause.Error()
		message = "dcx: the server is going down; try again in a minute."
	case errors.Is(cause, errIdle):
		reason = cause.Error()
		message = fmt.Sprintf("dcx: closed after %s without input.", s.cfg.IdleTimeout)
	case errors.Is(cause, errMaxSession):
		reason = cause.Error()
		message = fmt.Sprintf("dcx: sessions last at most %s; reconnect to go on.", s.cfg.MaxSession)
	case ss.c.flooded.Load():
		reason = "request flood" // told and logged by the channel filter
	case reason != "":
		// refused; logged when refused
	case ss.Context().Err() != nil:
		reason = "client disconnected"
	default:
		reason, code = "quit", 0
	}
	if message != "" {
		_, _ = fmt.Fprint(ss.Stderr(), message+"\n")
	}
	if started {
		// Before the exit status, after which the client may scrape.
		s.metrics.sessionsOpen.Dec()
	}
	_ = ss.Exit(code)
	if started || panicVal != nil {
		s.log.Info("session end", "remote", ss.RemoteAddr().String(), "user", clip(ss.User()),
			"term", termOf(ss), "width", ss.c.width.Load(), "height", ss.c.height.Load(),
			"duration", time.Since(ss.start).Round(time.Millisecond), "reason", reason)
	}
}

func termOf(s ssh.Session) string {
	pty, _, ok := s.Pty()
	if !ok {
		return ""
	}
	return clip(pty.Term)
}

// rateLimit refuses an address opening sessions faster than --rate-per-ip,
// with wish's limiter but a message of our own (wish's middleware would
// end the session without a log line or a newline).
func (s *Server) rateLimit(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		ss := sess.(*session)
		if err := s.sessionLimiter.Allow(ss); err != nil {
			ss.refuse("connection rate limit", "dcx: too many connections from your address; try again in a minute.")
			return
		}
		next(sess)
	}
}

// checkCaps gives the session its slot, or turns it away over the session
// caps, saying which, and everyone once shutdown has begun.
func (s *Server) checkCaps(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		ss := sess.(*session)
		if ss.stopped() {
			return // finish says why
		}
		switch s.limits.startSession(ss.c) {
		case capFull:
			ss.refuse("full", "dcx is full, try again in a minute")
			return
		case capAddress:
			ss.refuse("full for this address", fmt.Sprintf(
				"dcx: your address has the most sessions it may have open at once (%d); close one or try again later", s.cfg.MaxSessionsPerIP))
			return
		}
		next(sess)
	}
}

// requireTerminal refuses sessions without a PTY: command execution
// (ssh host cmd) and shells without a terminal.
func (s *Server) requireTerminal(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		ss := sess.(*session)
		if _, _, ok := sess.Pty(); !ok {
			what := "no pty"
			if sess.RawCommand() != "" {
				what = "command without a pty"
			}
			ss.refuse(what, "dcx is a terminal app and runs no commands; connect with: "+connectHint(ss.c)+
				" (with -t, a command is taken as a search query)")
			return
		}
		if len(sess.RawCommand()) > maxQueryLen {
			ss.refuse("query too long", fmt.Sprintf("dcx: the query is longer than %d bytes.", maxQueryLen))
			return
		}
		next(sess)
	}
}

// program builds the session's own renderer, model and program. Returning nil
// skips the app (wish's middleware then calls the rest of the chain).
func (s *Server) program(sess ssh.Session) *tea.Program {
	ss := sess.(*session)
	// The renderer asks the client's terminal for its background colour, so
	// a light terminal gets the light palette, and takes the colour profile
	// from the client's TERM and environment.
	r := ss.makeRenderer()
	query := strings.TrimSpace(sess.RawCommand())
	m, err := s.cfg.NewModel(sess, r, query)
	if err != nil {
		msg := err.Error()
		if i := strings.IndexByte(msg, '\n'); i >= 0 {
			msg = msg[:i]
		}
		// The error may quote the query, which stays out of the log.
		ss.refuse("cannot start the app", "dcx: "+msg)
		return nil
	}
	if ss.stopped() {
		return nil
	}
	g := &guard{inner: m, ss: ss, sized: make(chan struct{})}
	opts := append(bubbletea.MakeOptions(sess),
		tea.WithAltScreen(),
		tea.WithMouseCellMotion(),
		// The process's SIGINT/SIGTERM belong to the server, not to each
		// session's program.
		tea.WithoutSignalHandler(),
	)
	p := tea.NewProgram(g, opts...)
	g.quit = p.Quit

	ss.mu.Lock()
	ss.started = true
	ss.mu.Unlock()
	ss.c.running.Store(true)
	s.metrics.sessionsTotal.Inc()
	s.metrics.sessionsOpen.Inc()
	s.log.Info("session start", "remote", ss.RemoteAddr().String(), "user", clip(ss.User()),
		"term", termOf(ss), "width", ss.c.width.Load(), "height", ss.c.height.Load(),
		"query", query != "", "session", shortID(ss.Context().SessionID()))
	go ss.watch(p)
	go ss.forwardSizes(p, g.sized)
	return p
}

// forwardSizes passes the latest window size from the mailbox to the
// program. It starts after the program has had the PTY's own size (which
// wish sends), so that an earlier resize is not overtaken by it, and returns
// when the handlers have. Only this goroutine waits for a busy program.
func (ss *session) forwardSizes(p *tea.Program, sized <-chan struct{}) {
	select {
	case <-sized:
	case <-ss.done:
		return
	}
	for {
		select {
		case <-ss.done:
			return
		case <-ss.c.sizes.ready:
			if m, ok := ss.c.sizes.take(); ok {
				p.Send(m) // returns once the program has ended
			}
		}
	}
}

func shortID(id string) string {
	if len(id) > 8 {
		return id[:8]
	}
	return id
}

// watch ends the program for idle and overlong sessions and on shutdown. It
// returns when the handlers have.
func (ss *session) watch(p *tea.Program) {
	gone := ss.done
	cfg := ss.srv.cfg
	maxT := time.NewTimer(cfg.MaxSession)
	idleT := time.NewTimer(cfg.IdleTimeout)
	defer maxT.Stop()
	defer idleT.Stop()
	for {
		select {
		case <-gone:
			return
		case <-ss.stop:
		case <-maxT.C:
			ss.end(errMaxSession)
		case <-idleT.C:
			since := time.Since(time.Unix(0, ss.lastInput.Load()))
			if since < cfg.IdleTimeout {
				idleT.Reset(cfg.IdleTimeout - since)
				continue
			}
			ss.end(errIdle)
		}
		go p.Quit()
		select {
		case <-gone:
		case <-time.After(quitGrace):
			ss.c.Close()
		}
		return
	}
}

// guard runs the session's model so that a panic in it (in Init, Update,
// View or a command) ends only this session: bubbletea's own recovery would
// print the stack on the server's stdout and says nothing to the client.
type guard struct {
	inner   tea.Model
	ss      *session
	quit    func()
	crashed bool
	sized   chan struct{} // closed at the first window size
	hasSize bool
	// For the key → frame latency: the key this Update started timing (0
	// if none), and the last view, to tell whether the key changed it.
	keyTimed int64
	lastView string
}

// panicMsg carries a command's panic back to the event loop.
type panicMsg struct {
	val   any
	stack []byte
}

func (g *guard) crash(val any, stack []byte) {
	g.crashed = true
	g.ss.crashed(val, stack)
}

func (g *guard) Init() (cmd tea.Cmd) {
	defer func() {
		if r := recover(); r != nil {
			g.crash(r, debug.Stack())
			cmd = tea.Quit
		}
	}()
	return g.wrap(g.inner.Init())
}

func (g *guard) Update(msg tea.Msg) (m tea.Model, cmd tea.Cmd) {
	if g.crashed {
		return g, tea.Quit
	}
	if p, ok := msg.(panicMsg); ok {
		g.crash(p.val, p.stack)
		return g, tea.Quit
	}
	if _, ok := msg.(tea.KeyMsg); ok {
		g.timeKey()
	}
	if _, ok := msg.(tea.WindowSizeMsg); ok && !g.hasSize {
		g.hasSize = true
		close(g.sized)
	}
	defer func() {
		if r := recover(); r != nil {
			g.crash(r, debug.Stack())
			m, cmd = g, tea.Quit
		}
	}()
	inner, c := g.inner.Update(msg)
	g.inner = inner
	return g, g.wrap(c)
}

func (g *guard) View() (v string) {
	if g.crashed {
		return ""
	}
	defer func() {
		if r := recover(); r != nil {
			g.crash(r, debug.Stack())
			v = ""
			// View cannot return a command; Quit must not block the event
			// loop that is running View.
			go g.quit()
		}
	}()
	v = g.inner.View()
	g.viewed(v)
	return v
}

// timeKey starts timing a key unless an earlier one is still waiting for
// its frame: the measure is from the oldest unanswered key.
func (g *guard) timeKey() {
	now := time.Now().UnixNano()
	if g.ss.keyAt.CompareAndSwap(0, now) {
		g.keyTimed = now
	}
}

// viewed drops the timing of a key that left the view as it was: the
// renderer writes no frame for it, and the next frame (a search result, a
// later key) would count the time the visitor spent reading.
func (g *guard) viewed(v string) {
	if g.keyTimed != 0 {
		if v == g.lastView {
			g.ss.keyAt.CompareAndSwap(g.keyTimed, 0)
		}
		g.keyTimed = 0
	}
	g.lastView = v
}

// wrap makes a command report its panic as a message, and does the same for
// the commands of a batch it returns.
func (g *guard) wrap(cmd tea.Cmd) tea.Cmd {
	if cmd == nil {
		return nil
	}
	return func() (msg tea.Msg) {
		defer func() {
			if r := recover(); r != nil {
				msg = panicMsg{val: r, stack: debug.Stack()}
			}
		}()
		msg = cmd()
		if b, ok := msg.(tea.BatchMsg); ok {
			for i := range b {
				b[i] = g.wrap(b[i])
			}
		}
		return msg
	}
}

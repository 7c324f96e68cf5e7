// Package server serves the dcx app over SSH with wish: one bubbletea program
// and model per session over one shared, read-only dataset, anonymous by
// default, with every channel, request and forwarding that the app does not
// need refused, and caps, rate limits and timeouts against abuse.
package server

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"strings"
	"sync"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/log"
	"github.com/charmbracelet/ssh"
	"github.com/charmbracelet/wish"
	"github.com/charmbracelet/wish/ratelimiter"
	gossh "golang.org/x/crypto/ssh"
	"golang.org/x/time/rate"
)

// Defaults for the zero values of Config.
const (
	DefaultListen           = "127.0.0.1:23234"
	DefaultMaxSessions      = 200
	DefaultMaxSessionsPerIP = 10
	DefaultRatePerIP        = 1.0
	DefaultIdleTimeout      = 15 * time.Minute
	DefaultMaxSession       = 2 * time.Hour
	// The handshake timeout also covers authentication, where a user may be
	// typing the passphrase of a key when --authorized-keys is on.
	DefaultHandshakeTimeout = 30 * time.Second
	// A client sends its version line as soon as it connects; a few seconds
	// cover a slow network, and a silent socket goes after that.
	DefaultBannerTimeout = 5 * time.Second
	// Handshakes take tens of milliseconds: these many at once are a burst
	// of visitors far beyond the session caps' pace.
	DefaultMaxHandshakes      = 128
	DefaultMaxHandshakesPerIP = 4
)

// Window and request bounds. Sizes arrive as unbounded 32-bit numbers and
// everything downstream (renderer buffers, layouts) allocates by them.
const (
	MaxWidth  = 500
	MaxHeight = 200
	// A zero dimension means "unknown" (RFC 4254 6.2); use a classic terminal.
	defaultWidth  = 80
	defaultHeight = 24

	maxTermLen   = 64
	maxEnvVars   = 32
	maxEnvKey    = 64
	maxEnvValue  = 1024
	maxQueryLen  = 512
	maxLoggedLen = 64
)

// NewModelFunc builds the model of one session. r is the session's own
// renderer (the client's colour profile and background); query is the command
// the client sent with its PTY (ssh -t host 'country:KR'), or "".
type NewModelFunc func(s ssh.Session, r *lipgloss.Renderer, query string) (tea.Model, error)

// Config configures a Server. Zero values take the defaults above.
type Config struct {
	Listen             string  // TCP address; DefaultListen if ""
	HostKeyPath        string  // ed25519 host key, created if missing; DefaultHostKeyPath() if ""
	MaxSessions        int     // sessions at once, all addresses
	MaxSessionsPerIP   int     // sessions at once from one address (an IPv6 /64 counts as one)
	RatePerIP          float64 // new connections per second and address
	Burst              int     // connections an address may open at once; 10 or 5×RatePerIP if 0
	IdleTimeout        time.Duration
	MaxSession         time.Duration
	HandshakeTimeout   time.Duration // from accepting a connection to its session starting
	BannerTimeout      time.Duration // from accepting a connection to the client's version line
	MaxHandshakes      int           // connections at once whose session has not started, all addresses
	MaxHandshakesPerIP int           // the same from one address
	AuthorizedKeysPath string        // if set, only these public keys may connect
	Metrics            string        // TCP address to serve /metrics on; off if ""
	DatasetRecords     int           // records in the dataset, for the metrics
	Version            string        // announced as SSH-2.0-dcx_<Version>
	Logger             *log.Logger   // log.Default() if nil
	NewModel           NewModelFunc  // required
	// ProxyProtocol reads a PROXY protocol (v1 or v2) header from the peers
	// in ProxyFrom, which must send one, and refuses one from anyone else.
	ProxyProtocol bool
	ProxyFrom     []netip.Prefix // the balancers trusted to send the header
}

func (c Config) withDefaults() (Config, error) {
	if c.NewModel == nil {
		return c, errors.New("server: Config.NewModel is required")
	}
	if c.Listen == "" {
		c.Listen = DefaultListen
	}
	if c.HostKeyPath == "" {
		p, err := DefaultHostKeyPath()
		if err != nil {
			return c, err
		}
		c.HostKeyPath = p
	}
	type bound struct {
		name string
		bad  bool
	}
	for _, b := range []bound{
		{"max sessions", c.MaxSessions < 0},
		{"max sessions per IP", c.MaxSessionsPerIP < 0},
		{"rate per IP", c.RatePerIP < 0},
		{"burst", c.Burst < 0},
		{"idle timeout", c.IdleTimeout < 0},
		{"max session", c.MaxSession < 0},
		{"handshake timeout", c.HandshakeTimeout < 0},
		{"banner timeout", c.BannerTimeout < 0},
		{"max handshakes", c.MaxHandshakes < 0},
		{"max handshakes per IP", c.MaxHandshakesPerIP < 0},
	} {
		if b.bad {
			return c, fmt.Errorf("server: %s must not be negative", b.name)
		}
	}
	if c.ProxyProtocol && len(c.ProxyFrom) == 0 {
		return c, errors.New("server: the PROXY protocol needs the balancers to trust (--proxy-from)")
	}
	if !c.ProxyProtocol && len(c.ProxyFrom) > 0 {
		return c, errors.New("server: --proxy-from is set but the PROXY protocol is off (--proxy-protocol)")
	}
	if c.MaxSessions == 0 {
		c.MaxSessions = DefaultMaxSessions
	}
	if c.MaxSessionsPerIP == 0 {
		c.MaxSessionsPerIP = DefaultMaxSessionsPerIP
	}
	if c.RatePerIP == 0 {
		c.RatePerIP = DefaultRatePerIP
	}
	if c.Burst == 0 {
		c.Burst = max(10, int(5*c.RatePerIP+0.5))
	}
	if c.IdleTimeout == 0 {
		c.IdleTimeout = DefaultIdleTimeout
	}
	if c.MaxSession == 0 {
		c.MaxSession = DefaultMaxSession
	}
	if c.HandshakeTimeout == 0 {
		c.HandshakeTimeout = DefaultHandshakeTimeout
	}
	if c.BannerTimeout == 0 {
		c.BannerTimeout = DefaultBannerTimeout
	}
	if c.MaxHandshakes == 0 {
		c.MaxHandshakes = DefaultMaxHandshakes
	}
	if c.MaxHandshakesPerIP == 0 {
		c.MaxHandshakesPerIP = DefaultMaxHandshakesPerIP
	}
	if c.Version == "" {
		c.Version = "dev"
	}
	if c.Logger == nil {
		c.Logger = log.Default()
	}
	return c, nil
}

// Server is the dcx SSH server. Its zero value is not usable; call New.
type Server struct {
	cfg    Config
	log    *log.Logger
	ssh    *ssh.Server
	limits *admission
	warns  *warnLimiter // the per-connection WARN lines

	metrics    *metrics
	metricsSrv *metricsServer // nil unless Config.Metrics is set

	// sessionLimiter refuses, with a message, a visitor opening connections
	// faster than --rate-per-ip; floodLimiter, at four times that, drops a
	// flood before its handshake costs anything.
	sessionLimiter ratelimiter.RateLimiter
	floodLimiter   ratelimiter.RateLimiter

	mu       sync.Mutex
	closing  bool
	sessions map[*session]struct{}
}

// New checks cfg, loads or creates the host key and builds the server; it
// does not listen yet.
func New(cfg Config) (*Server, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	hostKey, err := LoadOrCreateHostKey(cfg.HostKeyPath)
	if err != nil {
		return nil, err
	}
	s := &Server{
		cfg:      cfg,
		log:      cfg.Logger,
		limits:   newAdmission(cfg.MaxSessions, cfg.MaxSessionsPerIP, cfg.MaxHandshakes, cfg.MaxHandshakesPerIP),
		sessions: map[*session]struct{}{},
		warns:    newWarnLimiter(cfg.Logger, warnEvery),
		// The limiters keep one entry per recent address; the LRU bound keeps a
		// scan from many addresses from growing them without end.
		sessionLimiter: ratelimiter.NewRateLimiter(rate.Limit(cfg.RatePerIP), cfg.Burst, 4096),
		floodLimiter:   ratelimiter.NewRateLimiter(rate.Limit(4*cfg.RatePerIP), 4*cfg.Burst, 4096),
	}

	opts := []ssh.Option{
		wish.WithAddress(cfg.Listen),
		wish.WithVersion(sshVersion(cfg.Version)),
		ssh.HostKeyPEM(hostKey),
		// wish's connection deadlines are the backstop: the session watchdog
		// (session.go) ends idle and overlong sessions first, with a message,
		// and these close whatever is left a little later.
		wish.WithIdleTimeout(cfg.IdleTimeout + backstopGrace),
		wish.WithMaxTimeout(cfg.MaxSession + backstopGrace),
		ssh.WrapConn(s.acceptConn),
		wish.WithMiddleware(s.middleware()...),
		func(srv *ssh.Server) error {
			srv.ChannelHandlers = map[string]ssh.ChannelHandler{
				"session": s.handleSessionChannel,
				"default": s.refuseChannel,
			}
			srv.RequestHandlers = map[string]ssh.RequestHandler{
				"tcpip-forward":                          s.refuseForward,
				"cancel-tcpip-forward":                   s.refuseForward,
				"streamlocal-forward@openssh.com":        s.refuseForward,
				"cancel-streamlocal-forward@openssh.com": s.refuseForward,
			}
			// No subsystem handlers: the channel filter refuses them with a
			// message before they get here.
			srv.SubsystemHandlers = map[string]ssh.SubsystemHandler{}
			srv.ConnectionFailedCallback = s.connectionFailed
			return nil
		},
	}
	if cfg.AuthorizedKeysPath != "" {
		if err := checkAuthorizedKeys(cfg.AuthorizedKeysPath); err != nil {
			return nil, err
		}
		// wish re-reads the file on each attempt and compares the offered key
		// with each line; gossh only completes the login once the client has
		// proved it holds the private key, and nothing here trusts the key
		// beyond that check.
		opts = append(opts, wish.WithAuthorizedKeys(cfg.AuthorizedKeysPath))
	}
	srv, err := wish.NewServer(opts...)
	if err != nil {
		return nil, fmt.Errorf("server: %w", err)
	}
	s.ssh = srv
	s.metrics = newMetrics(s.limits, cfg.DatasetRecords)
	if cfg.Metrics != "" {
		// Listening here makes a bad address an error of New, before any
		// visitor is let in.
		if s.metricsSrv, err = newMetricsServer(cfg.Metrics, s.metrics); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// backstopGrace is how long after the session watchdog wish's connection
// deadlines fire.
const backstopGrace = 30 * time.Second

// sshVersion makes the software-version part of the identification string
// legal: RFC 4253 4.2 allows no spaces or '-' in it.
func sshVersion(v string) string {
	clean := strings.Map(func(r rune) rune {
		if r <= ' ' || r > '~' || r == '-' {
			return '_'
		}
		return r
	}, v)
	return "dcx_" + clean
}

// Serve accepts connections on l until Shutdown; it returns nil after a
// shutdown and the accept error otherwise.
func (s *Server) Serve(l net.Listener) error {
	if s.metricsSrv != nil {
		s.metricsSrv.serve(s)
	}
	err := s.ssh.Serve(l)
	if errors.Is(err, ssh.ErrServerClosed) {
		return nil
	}
	return err
}

// ListenAndServe listens on Config.Listen and serves.
func (s *Server) ListenAndServe() error {
	l, err := net.Listen("tcp", s.cfg.Listen)
	if err != nil {
		return fmt.Errorf("server: %w", err)
	}
	s.log.Info("listening", "addr", l.Addr().String(), "version", sshVersion(s.cfg.Version),
		"max-sessions", s.cfg.MaxSessions, "max-sessions-per-ip", s.cfg.MaxSessionsPerIP,
		"max-handshakes", s.cfg.MaxHandshakes, "max-handshakes-per-ip", s.cfg.MaxHandshakesPerIP,
		"auth", authMode(s.cfg.AuthorizedKeysPath), "proxy-protocol", proxyMode(s.cfg), "metrics", metricsMode(s.MetricsAddr()))
	return s.Serve(l)
}

func proxyMode(c Config) string {
	if !c.ProxyProtocol {
		return "off"
	}
	from := make([]string, len(c.ProxyFrom))
	for i, p := range c.ProxyFrom {
		from[i] = p.String()
	}
	return "from " + strings.Join(from, ",")
}

func metricsMode(a net.Addr) string {
	if a == nil {
		return "off"
	}
	return "http://" + a.String() + "/metrics"
}

func authMode(path string) string {
	if path == "" {
		return "anonymous"
	}
	return "authorized-keys " + path
}

// Shutdown stops accepting connections, tells every open session that the
// server is going down, waits for them to close and closes whatever is left
// when ctx ends. It returns ctx's error if it had to force connections shut.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	s.closing = true
	open := make([]*session, 0, len(s.sessions))
	for ss := range s.sessions {
		open = append(open, ss)
	}
	s.mu.Unlock()

	done := make(chan error, 1)
	go func() { done <- s.ssh.Shutdown(ctx) }() // closes the listeners first
	if s.metricsSrv != nil {
		// Scrapes take milliseconds; the endpoint goes with the server.
		go s.metricsSrv.shutdown(ctx)
	}
	for _, ss := range open {
		ss.end(errShutdown)
	}
	// Connections without a running app (mid-handshake, or reading a refusal)
	// have nothing to be told; they go now.
	s.limits.closeIdle()

	select {
	case err := <-done:
		if err == nil || errors.Is(err, ssh.ErrServerClosed) {
			return nil
		}
		s.ssh.Close()
		s.limits.closeAll()
		return err
	case <-ctx.Done():
		s.ssh.Close()
		s.limits.closeAll()
		return ctx.Err()
	}
}

func (s *Server) isClosing() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closing
}

// track registers a running app session so Shutdown can reach it; it
// reports false when the server is already going down.
func (s *Server) track(ss *session, add bool) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !add {
		delete(s.sessions, ss)
		return true
	}
	if s.closing {
		return false
	}
	s.sessions[ss] = struct{}{}
	return true
}

// connectionFailed logs connections that never got through the handshake.
// Failed logins are refusals; the rest (scanners, timeouts, resets) are noise
// kept at debug level.
func (s *Server) connectionFailed(conn net.Conn, err error) {
	if errors.Is(err, errUntrustedHeader) {
		s.warns.warn("refused", refuseUntrusted, "remote", conn.RemoteAddr().String())
		return
	}
	var authErr *gossh.ServerAuthError
	if errors.As(err, &authErr) {
		s.log.Info("refused", "remote", conn.RemoteAddr().String(), "reason", "not authorized")
		s.metrics.refused("not authorized")
		return
	}
	s.metrics.handshakeFailed.Inc()
	s.log.Debug("handshake failed", "remote", conn.RemoteAddr().String(), "err", err)
}

// dropped logs a connection closed before or during its handshake by the
// flood defences.
func (s *Server) dropped(remote, reason string) {
	s.warns.warn("dropped", reason, "remote", remote)
	s.metrics.refused(reason)
}

// checkAuthorizedKeys fails early on a missing, unreadable or malformed file;
// wish would otherwise turn each of those into a refused login at run time.
func checkAuthorizedKeys(path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("authorized keys: %w", err)
	}
	n := 0
	for i, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if _, _, _, _, err := gossh.ParseAuthorizedKey([]byte(line)); err != nil {
			return fmt.Errorf("authorized keys %s:%d: %w", path, i+1, err)
		}
		n++
	}
	if n == 0 {
		return fmt.Errorf("authorized keys %s: no keys in the file; nobody could connect", path)
	}
	return nil
}

// clip keeps client-chosen strings (user names, terminal names) short in logs.
func clip(s string) string {
	if len(s) > maxLoggedLen {
		return s[:maxLoggedLen] + "…"
	}
	return s
}

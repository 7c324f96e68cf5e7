package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/log"
	"github.com/charmbracelet/ssh"
	"github.com/dcx-explorer/dcx/cmd/internal/server"
	"github.com/dcx-explorer/dcx/search"
	"github.com/dcx-explorer/dcx/ui"
	"github.com/spf13/cobra"
)

// shutdownGrace is how long open sessions get to close after SIGINT or
// SIGTERM; the process is gone within 10 s of the signal.
const shutdownGrace = 8 * time.Second

func newServeCmd(e *env) *cobra.Command {
	var cfg server.Config
	var proxyFrom string
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the app over SSH",
		Long: `serve runs an SSH server that opens the dcx app for everyone who connects
with a terminal: ssh -p 23234 HOST. Each visitor gets a session of their own
over one shared, read-only copy of the dataset.

Access is anonymous unless --authorized-keys is given. Commands, port and
agent forwarding, X11 and subsystems (SFTP) are refused. A command sent with a
terminal (ssh -t HOST 'country:KR') opens the app with that search.

SIGINT or SIGTERM stops accepting connections, tells open sessions and exits
within 10 seconds. SIGHUP reloads --data: if the new dataset is valid, new
sessions get it and open ones keep theirs; if not, its problems are printed
and the previous one stays.`,
		Example: `  dcx serve                              # on 127.0.0.1:23234
  dcx serve --listen :23234              # on every interface
  dcx serve --authorized-keys ~/.ssh/authorized_keys
  dcx serve --listen :23234 --proxy-protocol --proxy-from 10.0.0.0/24   # behind a TCP balancer
  dcx serve --metrics 127.0.0.1:9100     # Prometheus metrics at /metrics`,
		Args: cobra.NoArgs,
		RunE: runE(func(cmd *cobra.Command, _ []string) error {
			from, err := server.ParseProxyFrom(proxyFrom)
			if err != nil {
				return usageErrorf("--%s", err)
			}
			cfg.ProxyFrom = from
			return runServe(cmd.Context(), e, cfg)
		}),
	}
	f := cmd.Flags()
	f.StringVar(&cfg.Listen, "listen", server.DefaultListen, "listen on `ADDR` (host:port; ':23234' for every interface)")
	f.StringVar(&cfg.HostKeyPath, "host-key", "", "ed25519 host key `PATH`, created if missing (default $XDG_DATA_HOME/dcx/ssh_host_ed25519_key)")
	f.IntVar(&cfg.MaxSessions, "max-sessions", server.DefaultMaxSessions, "at most `N` sessions at once")
	f.IntVar(&cfg.MaxSessionsPerIP, "max-sessions-per-ip", server.DefaultMaxSessionsPerIP, "at most `N` sessions at once from one address")
	f.Float64Var(&cfg.RatePerIP, "rate-per-ip", server.DefaultRatePerIP, "allow `R` new connections per second from one address, with a burst of max(10, 5×R)")
	f.DurationVar(&cfg.IdleTimeout, "idle-timeout", server.DefaultIdleTimeout, "end a session after `D` without input")
	f.DurationVar(&cfg.MaxSession, "max-session", server.DefaultMaxSession, "end any session after `D`")
	f.DurationVar(&cfg.HandshakeTimeout, "handshake-timeout", server.DefaultHandshakeTimeout, "drop a connection whose session has not started after `D`")
	f.DurationVar(&cfg.BannerTimeout, "banner-timeout", server.DefaultBannerTimeout, "drop a connection whose client has not sent its SSH version line after `D`")
	f.IntVar(&cfg.MaxHandshakes, "max-handshakes", server.DefaultMaxHandshakes, "at most `N` connections at once whose session has not started")
	f.IntVar(&cfg.MaxHandshakesPerIP, "max-handshakes-per-ip", server.DefaultMaxHandshakesPerIP, "at most `N` connections at once from one address whose session has not started")
	f.StringVar(&cfg.AuthorizedKeysPath, "authorized-keys", "", "let in only the public keys in `PATH` (authorized_keys format)")
	f.BoolVar(&cfg.ProxyProtocol, "proxy-protocol", false, "read the client's address from a PROXY protocol (v1 or v2) header sent by the balancers in --proxy-from")
	f.StringVar(&proxyFrom, "proxy-from", "", "the load balancers trusted to send a PROXY header: `CIDR,...` (addresses or prefixes); they must send one, and anyone else sending one is refused")
	f.StringVar(&cfg.Metrics, "metrics", "", "serve Prometheus metrics on http://`ADDR`/metrics (host:port, e.g. 127.0.0.1:9100; off if empty)")
	return cmd
}

func runServe(ctx context.Context, e *env, cfg server.Config) error {
	for name, v := range map[string]float64{
		"--max-sessions":          float64(cfg.MaxSessions),
		"--max-sessions-per-ip":   float64(cfg.MaxSessionsPerIP),
		"--rate-per-ip":           cfg.RatePerIP,
		"--idle-timeout":          float64(cfg.IdleTimeout),
		"--max-session":           float64(cfg.MaxSession),
		"--handshake-timeout":     float64(cfg.HandshakeTimeout),
		"--banner-timeout":        float64(cfg.BannerTimeout),
		"--max-handshakes":        float64(cfg.MaxHandshakes),
		"--max-handshakes-per-ip": float64(cfg.MaxHandshakesPerIP),
	} {
		if v <= 0 {
			return usageErrorf("%s must be positive", name)
		}
	}
	if cfg.ProxyProtocol != (len(cfg.ProxyFrom) > 0) {
		return usageErrorf("--proxy-protocol and --proxy-from go together: name the balancers trusted to send the header")
	}
	ds, err := e.dataset()
	if err != nil {
		return err
	}
	// One engine for the whole server: every session searches the same
	// read-only dataset with a searcher of its own.
	engine := search.NewEngine(ds)
	settleMemory(engine, nil)
	live := newLiveCatalog(ui.NewCatalog(engine))
	logger := log.NewWithOptions(e.stderr, log.Options{ReportTimestamp: true, Prefix: "dcx"})
	cfg.Logger = logger
	cfg.Version = buildVersion()
	cfg.NewModel = sessionModel(live.get)
	cfg.DatasetRecords = ds.Len()
	srv, err := server.New(cfg)
	if err != nil {
		return err
	}
	live.swapped = func(gen int64, records int) { srv.SetDataset(uint64(gen), records) }

	if ctx == nil {
		ctx = context.Background()
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	// SIGHUP reloads --data, beside the sessions: a reload that takes
	// seconds (a large file) never holds up the accept loop.
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	go func() {
		for {
			select {
			case <-hup:
				live.reload(e, logger)
			case <-ctx.Done():
				return
			}
		}
	}()
	served := make(chan error, 1)
	go func() { served <- srv.ListenAndServe() }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	stop() // a second signal kills the process the usual way
	logger.Info("shutting down", "grace", shutdownGrace)
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	select {
	case err := <-served:
		return err
	case <-time.After(time.Second):
		return nil
	}
}

// sessionModel makes each SSH session's app over the catalog current when
// the session starts (catalog is liveCatalog.get): sessions share the
// dataset's tabs and orders, never their own state.
func sessionModel(catalog func() *ui.Catalog) func(ssh.Session, *lipgloss.Renderer, string) (tea.Model, error) {
	return func(_ ssh.Session, r *lipgloss.Renderer, query string) (tea.Model, error) {
		m, err := ui.New(catalog(), ui.Options{Renderer: r, Query: query})
		// The visitor typed a search, not a --query flag: say so in their words.
		var oe *ui.OptionError
		if errors.As(err, &oe) {
			return nil, fmt.Errorf("the search %q: %s", oe.Value, oe.Msg)
		}
		return m, err
	}
}

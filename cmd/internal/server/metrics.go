package server

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	vm "github.com/VictoriaMetrics/metrics"
)

// metrics are the server's Prometheus metrics, in a set of its own so that
// servers (and tests) side by side do not share counters. Every label value
// is one of the server's own fixed strings: nothing a visitor sent or is
// (addresses, users, keys, queries, terminal names) becomes a label, and
// each series exists from the start.
type metrics struct {
	set             *vm.Set
	sessionsOpen    *vm.Gauge
	sessionsTotal   *vm.Counter
	refusals        map[string]*vm.Counter // by label value
	handshakeFailed *vm.Counter
	keyLatency      *vm.PrometheusHistogram
	datasetGen      *vm.Gauge
	datasetRecords  *vm.Gauge
}

// refusalLabels maps the reasons the server logs for a refusal or a dropped
// connection to the values of the reason label.
var refusalLabels = map[string]string{
	// Sessions turned away before the app (session.go).
	capFull:                 "full",
	capAddress:              "full_for_address",
	"connection rate limit": "rate_limit",
	"no pty":                "no_pty",
	"command without a pty": "command",
	"query too long":        "query_too_long",
	"cannot start the app":  "app_start_failed",
	// Logins and handshakes (server.go, limits.go).
	"not authorized": "not_authorized",
	"no session within the handshake timeout": "handshake_timeout",
	// Connections dropped by the flood defences before their handshake.
	"connection rate far over the limit": "connection_flood",
	"no SSH banner":                      "no_banner",
	dropSilent:                           "silent_handshake",
	dropAddress:                          "handshakes_per_address",
	dropFull:                             "handshakes_full",
	dropOpen:                             "open_connections",
	// Channels and requests (channels.go).
	"second session on one connection": "second_session",
	"local port forwarding":            "local_forwarding",
	"remote port forwarding":           "remote_forwarding",
	"malformed pty request":            "malformed_pty",
	"environment over its bound":       "environment",
	"request flood":                    "request_flood",
	"X11 forwarding":                   "x11_forwarding",
	"agent forwarding":                 "agent_forwarding",
}

// Reasons logged with what the client named after them ("subsystem sftp",
// "channel foo"): the label keeps only the kind.
var refusalPrefixes = map[string]string{
	"subsystem ": "subsystem",
	"channel ":   "channel_type",
}

// refusalOther is the label of a reason missing from the tables above, so
// that a new log reason can never leak into the metrics.
const refusalOther = "other"

func refusalLabel(reason string) string {
	if l, ok := refusalLabels[reason]; ok {
		return l
	}
	for p, l := range refusalPrefixes {
		if strings.HasPrefix(reason, p) {
			return l
		}
	}
	return refusalOther
}

// keyLatencyBuckets span a frame of the renderer (1/60 s) on a near client to
// a second on a loaded server, in seconds.
var keyLatencyBuckets = []float64{0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5}

func newMetrics(limits *admission, records int) *metrics {
	// The text format's TYPE lines (histogram, counter, gauge), which the
	// library leaves out by default; the meaning of each metric is in the
	// README.
	vm.ExposeMetadata(true)
	set := vm.NewSet()
	m := &metrics{
		set:             set,
		sessionsOpen:    set.NewGauge("dcx_sessions_open", nil),
		sessionsTotal:   set.NewCounter("dcx_sessions_total"),
		refusals:        map[string]*vm.Counter{},
		handshakeFailed: set.NewCounter("dcx_handshake_failures_total"),
		keyLatency:      set.NewPrometheusHistogramExt("dcx_key_to_frame_seconds", keyLatencyBuckets),
		datasetGen:      set.NewGauge("dcx_dataset_generation", nil),
		datasetRecords:  set.NewGauge("dcx_dataset_records", nil),
	}
	set.NewGauge("dcx_handshakes_pending", func() float64 {
		_, pending, _ := limits.counts()
		return float64(pending)
	})
	// Every reason shows from the start, at 0, so that rates over them work
	// before the first refusal.
	labels := []string{refusalOther}
	for _, l := range refusalLabels {
		labels = append(labels, l)
	}
	for _, l := range refusalPrefixes {
		labels = append(labels, l)
	}
	for _, l := range labels {
		if m.refusals[l] == nil {
			m.refusals[l] = set.NewCounter(`dcx_refusals_total{reason="` + l + `"}`)
		}
	}
	m.datasetGen.Set(1)
	m.datasetRecords.Set(float64(records))
	return m
}

func (m *metrics) refused(reason string) { m.refusals[refusalLabel(reason)].Inc() }

// write is the exposition of a scrape: the server's metrics, then the Go
// runtime's (go_*) and the process's (process_*: CPU, memory, open files).
func (m *metrics) write(w io.Writer) {
	m.set.WritePrometheus(w)
	vm.WriteGoMetrics(w)
	vm.WriteProcMetrics(w)
	vm.WriteFDMetrics(w)
}

// SetDataset sets the dataset gauges: its generation (1 for the dataset the
// server started with) and its record count.
func (s *Server) SetDataset(generation uint64, records int) {
	s.metrics.datasetGen.Set(float64(generation))
	s.metrics.datasetRecords.Set(float64(records))
}

// metricsServer serves /metrics over HTTP on its own listener.
type metricsServer struct {
	l    net.Listener
	http *http.Server
	once sync.Once
}

// Bounds of the metrics endpoint: a scrape takes milliseconds, and the
// endpoint should not become a way to hold the server's sockets or CPU.
const (
	metricsHeaderTimeout = 5 * time.Second
	metricsTimeout       = 10 * time.Second
	metricsInFlight      = 4
)

func newMetricsServer(addr string, m *metrics) (*metricsServer, error) {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("server: metrics address %s: %w", addr, err)
	}
	mux := http.NewServeMux()
	mux.Handle("/metrics", http.TimeoutHandler(scrapeHandler(m.write), metricsTimeout, "scrape timed out\n"))
	return &metricsServer{l: l, http: &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: metricsHeaderTimeout,
		ReadTimeout:       metricsTimeout,
		WriteTimeout:      metricsTimeout,
		IdleTimeout:       time.Minute,
	}}, nil
}

// scrapeHandler answers a scrape with what write writes (metrics.write),
// metricsInFlight at most at once: one more is told to come back (503)
// rather than queued.
func scrapeHandler(write func(io.Writer)) http.Handler {
	slots := make(chan struct{}, metricsInFlight)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "use GET", http.StatusMethodNotAllowed)
			return
		}
		select {
		case slots <- struct{}{}:
			defer func() { <-slots }()
		default:
			http.Error(w, "too many scrapes at once", http.StatusServiceUnavailable)
			return
		}
		var b bytes.Buffer
		write(&b)
		w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
		_, _ = w.Write(b.Bytes())
	})
}

// serve starts serving once, in the background.
func (ms *metricsServer) serve(s *Server) {
	ms.once.Do(func() {
		go func() {
			if err := ms.http.Serve(ms.l); err != nil && !errors.Is(err, http.ErrServerClosed) {
				s.log.Error("metrics server", "addr", ms.l.Addr().String(), "err", err)
			}
		}()
	})
}

// shutdown stops the endpoint, and closes its listener even if it never
// served.
func (ms *metricsServer) shutdown(ctx context.Context) {
	ms.once.Do(func() {}) // no serving from now on
	_ = ms.http.Shutdown(ctx)
	_ = ms.l.Close()
}

// MetricsAddr is the address /metrics is served on, or nil when
// Config.Metrics is off.
func (s *Server) MetricsAddr() net.Addr {
	if s.metricsSrv == nil {
		return nil
	}
	return s.metricsSrv.l.Addr()
}

// Write ends a pending key's latency measure: the session's program
// writes its frames through the session (wish's emulated PTY).
func (ss *session) Write(p []byte) (int, error) {
	if t := ss.keyAt.Load(); t != 0 && ss.keyAt.CompareAndSwap(t, 0) {
		ss.srv.metrics.keyLatency.Update(time.Since(time.Unix(0, t)).Seconds())
	}
	return ss.Session.Write(p)
}

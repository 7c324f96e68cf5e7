package server

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics are the server's Prometheus metrics, in a registry of its own so
// that servers (and tests) side by side do not share counters. Every label
// value is one of the server's own fixed strings: nothing a visitor sent or
// is (addresses, users, keys, queries, terminal names) becomes a label.
type metrics struct {
	reg              *prometheus.Registry
	sessionsOpen     prometheus.Gauge
	sessionsTotal    prometheus.Counter
	refusals         *prometheus.CounterVec
	handshakeFailed  prometheus.Counter
	keyLatency       prometheus.Histogram
	datasetGen       prometheus.Gauge
	datasetRecords   prometheus.Gauge
	pendingHandshake prometheus.GaugeFunc
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
	m := &metrics{
		reg: prometheus.NewRegistry(),
		sessionsOpen: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "dcx_sessions_open", Help: "Sessions with the app running.",
		}),
		sessionsTotal: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "dcx_sessions_total", Help: "Sessions whose app started.",
		}),
		refusals: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "dcx_refusals_total", Help: "Connections, sessions, channels and requests refused or dropped, by reason.",
		}, []string{"reason"}),
		handshakeFailed: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "dcx_handshake_failures_total",
			Help: "SSH handshakes that failed other than by a refused login: timeouts, resets, protocol errors, connections closed by the flood defences.",
		}),
		keyLatency: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "dcx_key_to_frame_seconds",
			Help:    "Time from a key reaching a session's app to the next frame written to the client.",
			Buckets: keyLatencyBuckets,
		}),
		datasetGen: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "dcx_dataset_generation", Help: "Generation of the dataset new sessions get: 1 for the one loaded at start.",
		}),
		datasetRecords: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "dcx_dataset_records", Help: "Records in the dataset new sessions get.",
		}),
	}
	m.pendingHandshake = prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "dcx_handshakes_pending", Help: "Connections whose session has not started yet.",
	}, func() float64 {
		_, pending, _ := limits.counts()
		return float64(pending)
	})
	// Every reason shows from the start, at 0, so that rates over them work
	// before the first refusal.
	for _, l := range refusalLabels {
		m.refusals.WithLabelValues(l)
	}
	for _, l := range refusalPrefixes {
		m.refusals.WithLabelValues(l)
	}
	m.refusals.WithLabelValues(refusalOther)
	m.datasetGen.Set(1)
	m.datasetRecords.Set(float64(records))
	m.reg.MustRegister(m.sessionsOpen, m.sessionsTotal, m.refusals, m.handshakeFailed,
		m.keyLatency, m.datasetGen, m.datasetRecords, m.pendingHandshake,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

func (m *metrics) refused(reason string) { m.refusals.WithLabelValues(refusalLabel(reason)).Inc() }

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

func newMetricsServer(addr string, reg *prometheus.Registry) (*metricsServer, error) {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("server: metrics address %s: %w", addr, err)
	}
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{
		MaxRequestsInFlight: metricsInFlight,
		Timeout:             metricsTimeout,
	}))
	return &metricsServer{l: l, http: &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: metricsHeaderTimeout,
		ReadTimeout:       metricsTimeout,
		WriteTimeout:      metricsTimeout,
		IdleTimeout:       time.Minute,
	}}, nil
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
		ss.srv.metrics.keyLatency.Observe(time.Since(time.Unix(0, t)).Seconds())
	}
	return ss.Session.Write(p)
}

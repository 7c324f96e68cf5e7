package server

import (
	"bufio"
	"io"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// scrape fetches /metrics over HTTP.
func scrape(t testing.TB, ts *testServer) string {
	t.Helper()
	a := ts.MetricsAddr()
	if a == nil {
		t.Fatal("metrics are off")
	}
	c := http.Client{Timeout: waitTime}
	resp, err := c.Get("http://" + a.String() + "/metrics")
	if err != nil {
		t.Fatalf("scrape: %v", err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("scrape: %s %v", resp.Status, err)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
		t.Errorf("Content-Type %q, want the text format", ct)
	}
	return string(b)
}

// sample is the value of the sample named exactly series (name and labels
// as the text format prints them), or -1 if there is none.
func sample(body, series string) float64 {
	sc := bufio.NewScanner(strings.NewReader(body))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		name, val, ok := strings.Cut(sc.Text(), " ")
		if ok && name == series {
			v, err := strconv.ParseFloat(val, 64)
			if err == nil {
				return v
			}
		}
	}
	return -1
}

// waitMetrics scrapes until every series has its wanted value (or at least
// it, for counters that other goroutines may move on), or ends the test.
func waitMetrics(t testing.TB, ts *testServer, want map[string]float64) string {
	t.Helper()
	deadline := time.Now().Add(waitTime)
	for {
		body := scrape(t, ts)
		var bad []string
		for series, v := range want {
			if got := sample(body, series); got != v {
				bad = append(bad, series+"="+strconv.FormatFloat(got, 'g', -1, 64))
			}
		}
		if len(bad) == 0 {
			return body
		}
		if time.Now().After(deadline) {
			t.Fatalf("metrics never reached %v; off: %v\n%s", want, bad, body)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestMetrics runs a session, a refusal and a failed handshake against a
// server with metrics on, and reads them back over HTTP: the counters move,
// and nothing the visitors sent or are shows up.
func TestMetrics(t *testing.T) {
	t.Parallel()
	ts := startServer(t, Config{Metrics: "127.0.0.1:0", DatasetRecords: 42})

	before := waitMetrics(t, ts, map[string]float64{
		"dcx_sessions_open":                           0,
		"dcx_sessions_total":                          0,
		`dcx_refusals_total{reason="command"}`:        0,
		"dcx_handshake_failures_total":                0,
		"dcx_key_to_frame_seconds_count":              0,
		"dcx_dataset_generation":                      1,
		"dcx_dataset_records":                         42,
		`dcx_refusals_total{reason="rate_limit"}`:     0,
		`dcx_refusals_total{reason="subsystem"}`:      0,
		`dcx_refusals_total{reason="not_authorized"}`: 0,
	})
	for _, runtime := range []string{"go_goroutines ", "go_memstats_heap_alloc_bytes ", "process_open_fds "} {
		if !strings.Contains(before, "\n"+runtime) {
			t.Errorf("no %q in the metrics", runtime)
		}
	}

	// A session from an address of its own, with a query and a user name
	// that must stay out of the metrics.
	const visitorIP, user, query = "127.0.0.37", "metrics-visitor-name", "metrics-secret-query"
	tt := openTerm(t, ts.addr, termOpts{clientOpts: clientOpts{localIP: visitorIP, user: user}, cmd: query})
	tt.waitFor(0, "keys=0")
	waitMetrics(t, ts, map[string]float64{"dcx_sessions_open": 1, "dcx_sessions_total": 1})
	m := tt.mark()
	tt.send("x")
	tt.waitFor(m, "keys=1")
	waitMetrics(t, ts, map[string]float64{"dcx_key_to_frame_seconds_count": 1})
	tt.send("q")
	if err := tt.wait(); exitStatus(err) != 0 {
		t.Fatalf("session ended with %v", err)
	}

	// A refusal: a command without a terminal.
	c, err := dial(ts.addr, clientOpts{localIP: visitorIP, user: user})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	sess := mustSession(t, c)
	if err := sess.Run(query); err == nil {
		t.Fatal("a command without a PTY ran")
	}

	// A failed handshake: not SSH at all.
	nc, err := (&net.Dialer{Timeout: waitTime, LocalAddr: &net.TCPAddr{IP: net.ParseIP(visitorIP)}}).Dial("tcp", ts.addr)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.WriteString(nc, "GET / HTTP/1.0\r\n\r\n")
	nc.Close()

	body := waitMetrics(t, ts, map[string]float64{
		"dcx_sessions_open":                    0,
		"dcx_sessions_total":                   1,
		`dcx_refusals_total{reason="command"}`: 1,
		"dcx_handshake_failures_total":         1,
	})
	for _, secret := range []string{visitorIP, user, query} {
		if strings.Contains(body, secret) {
			t.Errorf("the metrics contain %q", secret)
		}
	}
	// Every reason label is one of the server's own.
	for _, m := range regexp.MustCompile(`reason="([^"]*)"`).FindAllStringSubmatch(body, -1) {
		if !knownRefusalLabel(m[1]) {
			t.Errorf("reason label %q is not one of the server's", m[1])
		}
	}
}

func knownRefusalLabel(l string) bool {
	if l == refusalOther {
		return true
	}
	for _, v := range refusalLabels {
		if v == l {
			return true
		}
	}
	for _, v := range refusalPrefixes {
		if v == l {
			return true
		}
	}
	return false
}

// TestRefusalLabelFixed: reasons that carry what a client named keep only
// their kind, and a reason the tables do not know becomes "other".
func TestRefusalLabelFixed(t *testing.T) {
	t.Parallel()
	for reason, want := range map[string]string{
		"subsystem sftp":              "subsystem",
		"subsystem \x1b]52;c;x\a":     "subsystem",
		"channel evil-channel-type":   "channel_type",
		"full":                        "full",
		dropSilent:                    "silent_handshake",
		"some reason nobody wrote up": refusalOther,
		"192.0.2.1:4242":              refusalOther,
	} {
		if got := refusalLabel(reason); got != want {
			t.Errorf("refusalLabel(%q) = %q, want %q", reason, got, want)
		}
	}
	valid := regexp.MustCompile(`^[a-z0-9_]+$`)
	for reason, l := range refusalLabels {
		if !valid.MatchString(l) {
			t.Errorf("label %q of %q is not snake_case", l, reason)
		}
	}
}

// TestMetricsOff: without Config.Metrics there is no endpoint.
func TestMetricsOff(t *testing.T) {
	t.Parallel()
	ts := startServer(t, Config{})
	// A session first: the server is serving when the test ends it.
	tt := openTerm(t, ts.addr, termOpts{})
	tt.waitFor(0, "keys=0")
	if a := ts.MetricsAddr(); a != nil {
		t.Fatalf("metrics on %s without Config.Metrics", a)
	}
}

// TestKeyTimingDroppedWithoutChange: a key that leaves the view as it was
// gets no frame, so it is not timed (a later frame would count the time the
// visitor spent reading); one that changes the view stays timed until the
// frame is written.
func TestKeyTimingDroppedWithoutChange(t *testing.T) {
	t.Parallel()
	g := &guard{ss: &session{}}
	g.viewed("screen")
	g.timeKey()
	g.viewed("screen")
	if g.ss.keyAt.Load() != 0 {
		t.Error("a key that changed nothing is still timed")
	}
	g.timeKey()
	g.viewed("screen after the key")
	if g.ss.keyAt.Load() == 0 {
		t.Error("a key that changed the view is not timed")
	}
	first := g.ss.keyAt.Load()
	g.timeKey() // a second key before the frame: the first one's time stands
	g.viewed("screen after the key")
	if got := g.ss.keyAt.Load(); got != first {
		t.Errorf("a second key changed the pending time (%d to %d)", first, got)
	}
}

// TestExposition reads the metrics as a scrape writes them: each family
// typed, every refusal reason at 0 from the start, the latency histogram
// with its buckets, the runtime and process families after them.
func TestExposition(t *testing.T) {
	t.Parallel()
	m := newMetrics(&admission{}, 7)
	m.keyLatency.Update(0.003)
	m.refused("subsystem sftp")
	var b strings.Builder
	m.write(&b)
	body := b.String()
	for _, want := range []string{
		"# TYPE dcx_sessions_open gauge\n", "# TYPE dcx_sessions_total counter\n",
		"# TYPE dcx_refusals_total counter\n", "# TYPE dcx_key_to_frame_seconds histogram\n",
		"\ndcx_dataset_records 7\n", "\ndcx_handshakes_pending 0\n",
		`dcx_refusals_total{reason="subsystem"} 1` + "\n",
		`dcx_key_to_frame_seconds_bucket{le="0.0025"} 0` + "\n",
		`dcx_key_to_frame_seconds_bucket{le="0.005"} 1` + "\n",
		`dcx_key_to_frame_seconds_bucket{le="+Inf"} 1` + "\n",
		"\ndcx_key_to_frame_seconds_count 1\n",
		"\ngo_goroutines ", "\nprocess_resident_memory_bytes ", "\nprocess_open_fds ",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the exposition lacks %q", want)
		}
	}
	if n := strings.Count(body, "dcx_key_to_frame_seconds_bucket{"); n != len(keyLatencyBuckets)+1 {
		t.Errorf("%d latency buckets, want %d and +Inf", n, len(keyLatencyBuckets))
	}
	for _, l := range append(slices.Collect(maps.Values(refusalLabels)), refusalOther, "channel_type") {
		if sample(body, `dcx_refusals_total{reason="`+l+`"}`) < 0 {
			t.Errorf("no series for reason %q", l)
		}
	}
}

// TestScrapesBounded: metricsInFlight scrapes run at once, one more is
// refused with 503 at once rather than queued, and a method other than GET
// or HEAD is refused.
func TestScrapesBounded(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	started := make(chan struct{}, metricsInFlight)
	h := scrapeHandler(func(w io.Writer) {
		started <- struct{}{}
		<-release
		io.WriteString(w, "x 1\n")
	})
	codes := make(chan int, metricsInFlight)
	for range metricsInFlight {
		go func() {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
			codes <- rec.Code
		}()
	}
	for range metricsInFlight {
		<-started
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if rec.Code != http.StatusServiceUnavailable {
		t.Errorf("scrape %d of %d at once: %d, want 503", metricsInFlight+1, metricsInFlight, rec.Code)
	}
	close(release)
	for range metricsInFlight {
		if c := <-codes; c != http.StatusOK {
			t.Errorf("a scrape within the bound: %d", c)
		}
	}
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/metrics", nil))
	if rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST: %d, want 405", rec.Code)
	}
}

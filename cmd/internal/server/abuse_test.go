package server

import (
	"bufio"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

// silentSocket connects from localIP and never says a word. It returns once
// the server has judged it: it either sent its version line (the connection
// was let through to the handshake) or hung up.
func silentSocket(t testing.TB, addr, localIP string) net.Conn {
	t.Helper()
	d := net.Dialer{Timeout: waitTime, LocalAddr: &net.TCPAddr{IP: net.ParseIP(localIP)}}
	c, err := d.Dial("tcp", addr)
	if err != nil {
		t.Fatalf("dial from %s: %v", localIP, err)
	}
	t.Cleanup(func() { c.Close() })
	_ = c.SetReadDeadline(time.Now().Add(waitTime))
	_, _ = bufio.NewReader(c).ReadString('\n')
	_ = c.SetReadDeadline(time.Time{})
	return c
}

// floodAddr is the i-th attacking loopback address, 127.0.0.2 onwards.
func floodAddr(i int) string { return fmt.Sprintf("127.0.0.%d", 2+i) }

// The audit's lock-out: 200 sockets that never send a banner, 10 from each
// of 20 addresses, with the banner deadline far away so that only the
// handshake budgets stand between them and the visitors. A visitor from a
// 21st address, one from an attacking address (the same NAT) and one
// arriving while the flood goes on all get the app.
func TestSilentSocketsDoNotLockVisitorsOut(t *testing.T) {
	ts := startServer(t, Config{BannerTimeout: waitTime, HandshakeTimeout: waitTime})
	const addrs, perAddr = 20, 10
	for i := 0; i < addrs*perAddr; i++ {
		silentSocket(t, ts.addr, floodAddr(i%addrs))
	}

	other := openTerm(t, ts.addr, termOpts{clientOpts: clientOpts{localIP: floodAddr(addrs)}})
	if err := waitForEither(other, "dcx-test", "dcx"); err != nil {
		t.Fatalf("a visitor from a 21st address: %v", err)
	}
	sameNAT := openTerm(t, ts.addr, termOpts{clientOpts: clientOpts{localIP: floodAddr(0)}})
	if err := waitForEither(sameNAT, "dcx-test", "dcx"); err != nil {
		t.Fatalf("a visitor from an attacking address: %v", err)
	}

	// Another round of the flood while a visitor connects.
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; i < addrs*perAddr/2; i++ {
			silentSocket(t, ts.addr, floodAddr(1+i%(addrs-1)))
		}
	}()
	during := openTerm(t, ts.addr, termOpts{clientOpts: clientOpts{localIP: floodAddr(addrs + 1)}})
	if err := waitForEither(during, "dcx-test", "dcx"); err != nil {
		t.Fatalf("a visitor during the flood: %v", err)
	}
	wg.Wait()
}

// When the global handshake budget is full, the address holding the most
// pending handshakes gives one up to a newcomer from elsewhere.
func TestHandshakeBudgetMakesRoomForANewAddress(t *testing.T) {
	ts := startServer(t, Config{MaxHandshakes: 4, MaxHandshakesPerIP: 2, BannerTimeout: waitTime, HandshakeTimeout: waitTime})
	for i := 0; i < 4; i++ {
		silentSocket(t, ts.addr, floodAddr(i%2))
	}
	tt := openTerm(t, ts.addr, termOpts{clientOpts: clientOpts{localIP: floodAddr(2)}})
	if err := waitForEither(tt, "dcx-test", "dcx"); err != nil {
		t.Fatal(err)
	}
	ts.waitLog(t, "dropped", "reason=\"handshake budget full\"")
}

// An address at its handshake budget loses its oldest silent connection to
// a new one; once every one of them has sent its banner, a new one is
// dropped before the handshake instead.
func TestHandshakesPerAddressAreBounded(t *testing.T) {
	ts := startServer(t, Config{MaxHandshakesPerIP: 2, BannerTimeout: waitTime, HandshakeTimeout: waitTime})
	first := silentSocket(t, ts.addr, "127.0.0.1")
	second := silentSocket(t, ts.addr, "127.0.0.1")
	third := silentSocket(t, ts.addr, "127.0.0.1")
	if !closedByServer(first) {
		t.Error("the oldest silent connection was kept")
	}
	ts.waitLog(t, "dropped", "reason=\"silent while its address waits\"")

	for _, c := range []net.Conn{second, third} {
		if _, err := c.Write([]byte("SSH-2.0-test\r\n")); err != nil {
			t.Fatal(err)
		}
	}
	// The banners must have been read before the next connection is judged;
	// the server answers a banner with its key exchange offer.
	for _, c := range []net.Conn{second, third} {
		_ = c.SetReadDeadline(time.Now().Add(waitTime))
		if _, err := c.Read(make([]byte, 1)); err != nil {
			t.Fatalf("no key exchange after the banner: %v", err)
		}
	}
	fourth := silentSocket(t, ts.addr, "127.0.0.1")
	if !closedByServer(fourth) {
		t.Error("a connection over the address's handshake budget was let through")
	}
	ts.waitLog(t, "dropped", "reason=\"too many handshakes from one address\"")
}

// closedByServer reports whether the server hung up on c (rather than
// keeping it open until the read deadline).
func closedByServer(c net.Conn) bool {
	_ = c.SetReadDeadline(time.Now().Add(waitTime))
	buf := make([]byte, 4096)
	for {
		if _, err := c.Read(buf); err != nil {
			ne, ok := err.(net.Error)
			return !ok || !ne.Timeout()
		}
	}
}

// A client that opens the TCP connection but never sends its version line
// is closed at the banner deadline, long before the handshake timeout.
func TestSilentConnectionIsClosedAtTheBannerDeadline(t *testing.T) {
	ts := startServer(t, Config{BannerTimeout: 100 * time.Millisecond, HandshakeTimeout: time.Hour})
	c := silentSocket(t, ts.addr, "127.0.0.1")
	if !closedByServer(c) {
		t.Fatal("the server kept a silent connection open")
	}
	ts.waitLog(t, "dropped", "reason=\"no SSH banner\"")
	if s := ts.logs.String(); strings.Contains(s, "handshake timeout") {
		t.Errorf("closed by the handshake timeout, not the banner deadline:\n%s", s)
	}
}

// windowChange is the payload of a window-change request (RFC 4254 6.7).
func windowChange(w, h int) []byte {
	return gossh.Marshal(windowMsg{Columns: uint32(w), Rows: uint32(h)})
}

// The audit's deadlock: a client that does not read its output (so the
// session's writes stop at the channel window) sends window changes. The
// server must keep answering on the connection, and once the client hangs
// up, end the session and free the connection.
func TestWindowChangesToAStalledSessionDoNotBlock(t *testing.T) {
	ts := startServer(t, Config{})
	client, err := dial(ts.addr, clientOpts{})
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	sess, err := client.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	// Never read: the server's first frame fills the channel window.
	if _, err := sess.StdoutPipe(); err != nil {
		t.Fatal(err)
	}
	if err := sess.RequestPty("xterm-256color", MaxHeight, MaxWidth, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	if err := sess.Start("fill"); err != nil {
		t.Fatal(err)
	}
	ts.waitLog(t, "session start")
	for i := 0; i < 100; i++ {
		if _, err := sess.SendRequest("window-change", false, windowChange(MaxWidth-i%2, MaxHeight)); err != nil {
			t.Fatalf("window change %d: %v", i, err)
		}
	}
	// A global request is answered by the connection's own loop, which a
	// blocked request path stops.
	answered := make(chan error, 1)
	go func() {
		_, _, err := client.SendRequest("keepalive@openssh.com", true, nil)
		answered <- err
	}()
	select {
	case err := <-answered:
		if err != nil {
			t.Fatalf("keepalive: %v", err)
		}
	case <-time.After(waitTime):
		t.Fatal("the connection stopped answering after the window changes")
	}

	client.Close()
	ts.waitLog(t, "session end", "reason=\"client disconnected\"")
	waitDrained(t, ts)
}

// waitDrained waits for the server to hold no connection at all.
func waitDrained(t testing.TB, ts *testServer) {
	t.Helper()
	deadline := time.Now().Add(waitTime)
	for {
		open, pending, slots := ts.limits.counts()
		if open == 0 && pending == 0 && slots == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("still held: %d connections, %d pending, %d slots", open, pending, slots)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// A burst of resizes (a window edge dragged) ends at the last size.
func TestResizeBurstEndsAtTheLastSize(t *testing.T) {
	ts := startServer(t, Config{})
	tt := openTerm(t, ts.addr, termOpts{})
	tt.waitFor(0, "size=80x24")
	for i := 0; i < 100; i++ {
		if _, err := tt.sess.SendRequest("window-change", false, windowChange(100+i, 30+i%10)); err != nil {
			t.Fatal(err)
		}
	}
	mark := tt.mark()
	tt.resize(123, 45)
	tt.waitFor(mark, "size=123x45")
	tt.send("q")
	if err := tt.wait(); err != nil {
		t.Fatal(err)
	}
}

// A client sending requests far faster than any terminal resizes is told
// so and disconnected.
func TestRequestFloodIsDisconnected(t *testing.T) {
	ts := startServer(t, Config{})
	tt := openTerm(t, ts.addr, termOpts{})
	tt.waitFor(0, "dcx-test")
	for i := 0; i < 2000; i++ {
		if _, err := tt.sess.SendRequest("window-change", false, windowChange(MaxWidth-i%2, MaxHeight)); err != nil {
			break // disconnected
		}
	}
	tt.wait()
	if !strings.Contains(tt.stderr(), "dcx: too many requests") {
		t.Errorf("stderr %q", tt.stderr())
	}
	ts.waitLog(t, "refused", "reason=\"request flood\"")
	ts.waitLog(t, "session end", "reason=\"request flood\"")
	waitDrained(t, ts)
}

// A terminal that never answers the start-up queries gets its first screen
// after the query's bound (with the dark palette), and keeps the keys typed
// meanwhile and afterwards.
func TestUnansweredTerminalQueriesDoNotHoldTheFirstScreen(t *testing.T) {
	ts := startServer(t, Config{})
	tt := openTerm(t, ts.addr, termOpts{silent: true})
	tt.send("/ab")
	tt.waitFor(0, "dark=true")
	tt.send("c")
	tt.waitFor(0, "typed=abc|")
}

// A burst from one address is refused for what it is, the connection rate
// or the address's session cap; never "full" while the server has room.
func TestBurstFromOneAddressIsToldTheTrueReason(t *testing.T) {
	// The handshake budget has room for the whole burst.
	ts := startServer(t, Config{MaxHandshakesPerIP: 64})
	const n = 30
	results := make(chan string, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tt, err := tryOpenTerm(t, ts.addr, termOpts{})
			if err != nil {
				results <- "error: " + err.Error()
				return
			}
			if waitForEither(tt, "dcx-test", "dcx") == nil {
				results <- "app"
				return
			}
			results <- tt.stderr()
		}()
	}
	wg.Wait()
	close(results)
	apps := 0
	for r := range results {
		switch {
		case r == "app":
			apps++
		case strings.Contains(r, "too many connections from your address"),
			strings.Contains(r, "your address has the most sessions"):
		default:
			t.Errorf("refused with %q", r)
		}
	}
	if apps == 0 {
		t.Error("nobody got the app")
	}
}

// One line per dropped connection would flood the log: the first of a
// reason is written, the rest are counted in a line at the end of a second.
func TestDropLinesAreRateLimited(t *testing.T) {
	ts := startServer(t, Config{MaxHandshakesPerIP: 1, BannerTimeout: waitTime, HandshakeTimeout: waitTime})
	const n = 30 // each one after the first pushes out its predecessor
	for i := 0; i < n; i++ {
		silentSocket(t, ts.addr, "127.0.0.1")
	}
	deadline := time.Now().Add(waitTime)
	for {
		lines, total := 0, 0
		for _, line := range strings.Split(ts.logs.String(), "\n") {
			if !strings.Contains(line, "reason=\""+dropSilent+"\"") {
				continue
			}
			if _, more, ok := strings.Cut(line, "more="); ok {
				var m int
				fmt.Sscanf(more, "%d", &m)
				total += m
			} else {
				lines++
				total++
			}
		}
		if total == n-1 {
			if lines > 10 {
				t.Errorf("%d lines for %d dropped connections", lines, n-1)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the log accounts for %d of %d dropped connections:\n%s", total, n-1, ts.logs.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

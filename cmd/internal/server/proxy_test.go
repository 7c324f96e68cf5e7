package server

import (
	"bufio"
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/pires/go-proxyproto"
)

// proxyHeader is the header a balancer would send for a client at src
// ("203.0.113.7:40000") connecting to the balancer's port 23234.
func proxyHeader(t testing.TB, version byte, src string) []byte {
	t.Helper()
	return proxyHeaderTo(t, version, src, 23234)
}

// proxyHeaderTo is the same for the balancer's port port.
func proxyHeaderTo(t testing.TB, version byte, src string, port int) []byte {
	t.Helper()
	sa, err := net.ResolveTCPAddr("tcp", src)
	if err != nil {
		t.Fatal(err)
	}
	dst := &net.TCPAddr{IP: net.ParseIP("192.0.2.1"), Port: port}
	if sa.IP.To4() == nil {
		dst.IP = net.ParseIP("2001:db8::1")
	}
	b, err := proxyproto.HeaderProxyFromAddrs(version, sa, dst).Format()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// behindBalancer runs a server that trusts 127.0.0.1 as its balancer.
func behindBalancer(t testing.TB, cfg Config) *testServer {
	cfg.ProxyProtocol = true
	cfg.ProxyFrom = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}
	return startServer(t, cfg)
}

// viaBalancer is a visitor at src whose connection comes through the
// balancer at 127.0.0.1 with a PROXY header of version v.
func viaBalancer(t testing.TB, v byte, src string) termOpts {
	return termOpts{clientOpts: clientOpts{localIP: "127.0.0.1", preface: proxyHeader(t, v, src)}}
}

func TestProxyHeaderGivesTheClientAddress(t *testing.T) {
	ts := behindBalancer(t, Config{MaxSessionsPerIP: 1})

	// v1 from 203.0.113.7: the session log names the client, not the balancer.
	a := openTerm(t, ts.addr, viaBalancer(t, 1, "203.0.113.7:40000"))
	a.waitFor(0, "dcx-test")
	ts.waitLog(t, "session start", "remote=203.0.113.7:40000")

	// v2 from the same client: the per-address cap counts 203.0.113.7, so
	// a second session from it is refused although the balancer has one.
	same := openTerm(t, ts.addr, viaBalancer(t, 2, "203.0.113.7:40001"))
	same.waitStderr("your address has the most sessions it may have open at once (1)")
	ts.waitLog(t, "refused", "remote=203.0.113.7:40001", "reason=\"full for this address\"")

	// Other clients behind the same balancer, over IPv4 and IPv6, have
	// their own counts.
	other := openTerm(t, ts.addr, viaBalancer(t, 2, "198.51.100.9:50000"))
	other.waitFor(0, "dcx-test")
	ts.waitLog(t, "session start", "remote=198.51.100.9:50000")
	v6 := openTerm(t, ts.addr, viaBalancer(t, 2, "[2001:db8:42::7]:50001"))
	v6.waitFor(0, "dcx-test")
	ts.waitLog(t, "session start", "remote=[2001:db8:42::7]:50001")
}

func TestProxyHeaderFromAnUntrustedPeerIsRefused(t *testing.T) {
	ts := behindBalancer(t, Config{})
	for _, v := range []byte{1, 2} {
		o := viaBalancer(t, v, "203.0.113.7:40000")
		o.localIP = "127.0.0.2" // not the balancer
		if c, err := dial(ts.addr, o.clientOpts); err == nil {
			c.Close()
			t.Fatalf("v%d header from an untrusted peer: the handshake succeeded", v)
		}
	}
	ts.waitLog(t, "refused", "remote=127.0.0.2:", "reason=\"PROXY header from a peer not in --proxy-from\"")
	if strings.Contains(ts.logs.String(), "203.0.113.7") {
		t.Errorf("an untrusted header's address reached the log:\n%s", ts.logs.String())
	}
	// The same peer connecting directly, without a header, is a visitor.
	direct := openTerm(t, ts.addr, termOpts{clientOpts: clientOpts{localIP: "127.0.0.2"}})
	direct.waitFor(0, "dcx-test")
	ts.waitLog(t, "session start", "remote=127.0.0.2:")
}

func TestTrustedBalancerWithoutAHeaderIsRefused(t *testing.T) {
	ts := behindBalancer(t, Config{})
	if c, err := dial(ts.addr, clientOpts{localIP: "127.0.0.1"}); err == nil {
		c.Close()
		t.Fatal("a balancer's connection without a header got through the handshake")
	}
	ts.waitLog(t, "refused", "remote=127.0.0.1:", "reason=\"no PROXY header from a trusted balancer\"")

	bad := clientOpts{localIP: "127.0.0.1", preface: []byte("PROXY TCP4 not-an-address 192.0.2.1 40000 23234\r\n")}
	if c, err := dial(ts.addr, bad); err == nil {
		c.Close()
		t.Fatal("a malformed header got through the handshake")
	}
	ts.waitLog(t, "refused", "remote=127.0.0.1:", "reason=\"bad PROXY header from a trusted balancer\"")
}

func TestProxyProtocolConfig(t *testing.T) {
	for _, c := range []Config{
		{ProxyProtocol: true},
		{ProxyFrom: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}},
	} {
		c.NewModel = newTestModel
		c.HostKeyPath = "unused"
		if _, err := c.withDefaults(); err == nil {
			t.Errorf("%+v: no error", c)
		}
	}
	got, err := ParseProxyFrom("10.0.0.0/8, 192.0.2.7,2001:db8::/32,::ffff:10.1.2.3")
	if err != nil {
		t.Fatal(err)
	}
	want := "[10.0.0.0/8 192.0.2.7/32 2001:db8::/32 10.1.2.3/32]"
	if fmtPrefixes(got) != want {
		t.Errorf("ParseProxyFrom = %s, want %s", fmtPrefixes(got), want)
	}
	if _, err := ParseProxyFrom("10.0.0.0/33"); err == nil {
		t.Error("10.0.0.0/33: no error")
	}
}

func fmtPrefixes(ps []netip.Prefix) string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = p.String()
	}
	return "[" + strings.Join(s, " ") + "]"
}

func TestRateLimitCountsTheHeaderAddress(t *testing.T) {
	// One connection, then one every 1000 s, per client address.
	ts := behindBalancer(t, Config{RatePerIP: 0.001, Burst: 1})
	first := openTerm(t, ts.addr, viaBalancer(t, 2, "203.0.113.7:40000"))
	first.waitFor(0, "dcx-test")
	again := openTerm(t, ts.addr, viaBalancer(t, 2, "203.0.113.7:40001"))
	again.waitStderr("too many connections from your address")
	ts.waitLog(t, "refused", "remote=203.0.113.7:40001", "reason=\"connection rate limit\"")
	// Another client through the same balancer is not held back by it.
	other := openTerm(t, ts.addr, viaBalancer(t, 1, "198.51.100.9:50000"))
	other.waitFor(0, "dcx-test")
}

func TestConnectHintNamesTheBalancersPort(t *testing.T) {
	// The visitor connected to the balancer, so the hint names its port,
	// which the header carries, and not the replica's.
	ts := behindBalancer(t, Config{})
	for _, tc := range []struct {
		port int
		hint string
	}{{2222, "ssh -t -p 2222 HOST"}, {22, "ssh -t HOST"}} {
		o := clientOpts{localIP: "127.0.0.1", preface: proxyHeaderTo(t, 2, "203.0.113.7:40000", tc.port)}
		c, err := dial(ts.addr, o)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		out, _ := mustSession(t, c).CombinedOutput("true")
		if !strings.Contains(string(out), "connect with: "+tc.hint+" ") {
			t.Errorf("balancer port %d: %q does not say %q", tc.port, out, tc.hint)
		}
	}
}

// silentBehindBalancer is a client at src whose balancer sends the header
// and then nothing; it returns once the server has sent its version line or
// hung up.
func silentBehindBalancer(t testing.TB, addr, src string) net.Conn {
	t.Helper()
	d := net.Dialer{Timeout: waitTime, LocalAddr: &net.TCPAddr{IP: net.ParseIP("127.0.0.1")}}
	c, err := d.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if _, err := c.Write(proxyHeader(t, 2, src)); err != nil {
		t.Fatal(err)
	}
	_ = c.SetReadDeadline(time.Now().Add(waitTime))
	_, _ = bufio.NewReader(c).ReadString('\n')
	_ = c.SetReadDeadline(time.Time{})
	return c
}

func TestHandshakeBudgetCountsTheHeaderAddress(t *testing.T) {
	ts := behindBalancer(t, Config{MaxHandshakesPerIP: 1, BannerTimeout: waitTime, HandshakeTimeout: waitTime})
	first := silentBehindBalancer(t, ts.addr, "203.0.113.7:40000")
	silentBehindBalancer(t, ts.addr, "203.0.113.7:40001")
	if !closedByServer(first) {
		t.Error("203.0.113.7 kept two pending handshakes with a budget of one")
	}
	ts.waitLog(t, "dropped", "remote=203.0.113.7:40000", "reason=\"silent while its address waits\"")
	// The balancer's other clients have budgets of their own.
	other := openTerm(t, ts.addr, viaBalancer(t, 1, "198.51.100.9:50000"))
	other.waitFor(0, "dcx-test")
}

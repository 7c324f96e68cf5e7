package server

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"

	"github.com/pires/go-proxyproto"
)

// ParseProxyFrom reads --proxy-from: addresses or CIDR prefixes separated
// by commas. A bare address is its own /32 or /128.
func ParseProxyFrom(list string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(list, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if p, err := netip.ParsePrefix(f); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(f)
		if err != nil {
			return nil, fmt.Errorf("proxy-from: %q is neither an address nor a CIDR prefix", f)
		}
		a = a.Unmap()
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	return out, nil
}

// trustedBalancer reports whether the TCP peer addr is one of the balancers
// allowed to send a PROXY header.
func (s *Server) trustedBalancer(addr net.Addr) bool {
	ta, ok := addr.(*net.TCPAddr)
	if !ok {
		return false
	}
	ip, ok := netip.AddrFromSlice(ta.IP)
	if !ok {
		return false
	}
	ip = ip.Unmap()
	for _, p := range s.cfg.ProxyFrom {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// Why a connection was refused by the PROXY protocol checks.
const (
	refuseNoHeader  = "no PROXY header from a trusted balancer"
	refuseBadHeader = "bad PROXY header from a trusted balancer"
	refuseUntrusted = "PROXY header from a peer not in --proxy-from"
)

// errUntrustedHeader is what the first read of an untrusted peer's
// connection returns when it starts with a PROXY header.
var errUntrustedHeader = errors.New("server: " + refuseUntrusted)

// proxyConn applies the PROXY protocol to a freshly accepted connection.
// It returns the connection to use and the client's address, or a reason
// to refuse it (with the error behind it, if any).
//
// A trusted balancer sends its header as soon as it connects, so it is
// read here, within the banner timeout, before the address is counted
// anywhere. Any other peer is a client connecting directly: its first bytes
// are checked for a header only when the SSH handshake first reads, so that
// a silent socket still waits inside the handshake budget and not here.
func (s *Server) proxyConn(nc net.Conn) (net.Conn, net.Addr, string, error) {
	if !s.cfg.ProxyProtocol {
		return nc, nc.RemoteAddr(), "", nil
	}
	peer := nc.RemoteAddr()
	if !s.trustedBalancer(peer) {
		return &untrustedConn{Conn: proxyproto.NewConn(nc, proxyproto.WithPolicy(proxyproto.REJECT))}, peer, "", nil
	}
	pc := proxyproto.NewConn(nc,
		proxyproto.WithPolicy(proxyproto.REQUIRE),
		proxyproto.SetReadHeaderTimeout(s.cfg.BannerTimeout))
	h := pc.ProxyHeader() // reads the header, or fails to
	if h == nil {
		// The zero-length read returns the error the header read stored; it
		// reads nothing from the connection.
		_, err := pc.Read(nil)
		if err == nil || errors.Is(err, proxyproto.ErrNoProxyProtocol) {
			return nil, peer, refuseNoHeader, nil
		}
		return nil, peer, refuseBadHeader, err
	}
	return pc, clientAddr(h, peer), "", nil
}

// clientAddr is the header's source address. A LOCAL header (a balancer's
// own health check) and one without a TCP source (v1 UNKNOWN, a Unix
// socket client) have no client: the balancer's own address stands in.
func clientAddr(h *proxyproto.Header, peer net.Addr) net.Addr {
	if h.Command.IsLocal() {
		return peer
	}
	if ta, ok := h.SourceAddr.(*net.TCPAddr); ok && ta.IP != nil && !ta.IP.IsUnspecified() {
		return ta
	}
	return peer
}

// untrustedConn turns the library's "superfluous header" error into one that
// says which peer setting refused it.
type untrustedConn struct {
	*proxyproto.Conn
}

func (u *untrustedConn) Read(p []byte) (int, error) {
	n, err := u.Conn.Read(p)
	if errors.Is(err, proxyproto.ErrSuperfluousProxyHeader) {
		return n, errUntrustedHeader
	}
	return n, err
}

// RemoteAddr is the peer's own address: the policy never uses a header from
// it, and the library's RemoteAddr would block until the client speaks.
func (u *untrustedConn) RemoteAddr() net.Addr { return u.Conn.Raw().RemoteAddr() }

// LocalAddr is the same for the local side.
func (u *untrustedConn) LocalAddr() net.Addr { return u.Conn.Raw().LocalAddr() }

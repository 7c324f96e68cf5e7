package server

import (
	"bufio"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/ssh"
	gossh "golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/agent"
)

func TestSessionShowsAppAndRespondsToSearchResizeAndQuit(t *testing.T) {
	ts := startServer(t, Config{})
	tt := openTerm(t, ts.addr, termOpts{})
	tt.waitFor(0, "dcx-test query=\"\"")
	tt.waitFor(0, "size=80x24")

	m := tt.mark()
	tt.send("/")
	tt.send("kr seoul")
	tt.send("\r")
	tt.waitFor(m, "typed=kr seoul|")

	m = tt.mark()
	tt.resize(132, 43)
	tt.waitFor(m, "size=132x43")

	tt.send("q")
	if err := tt.wait(); err != nil {
		t.Fatalf("q should end the session cleanly, got %v (stderr %q)", err, tt.stderr())
	}
	line := ts.waitLog(t, "session end", "reason=quit")
	for _, want := range []string{"remote=127.0.0.1:", "user=visitor", "term=xterm-256color", "width=132", "height=43", "duration="} {
		if !strings.Contains(line, want) {
			t.Errorf("session end log %q lacks %q", line, want)
		}
	}
	start := ts.waitLog(t, "session start")
	if !containsAll(start, []string{"width=80", "height=24", "term=xterm-256color", "query=false"}) {
		t.Errorf("session start log %q lacks the session's fields", start)
	}
	// Keystrokes never reach the log.
	if strings.Contains(ts.logs.String(), "seoul") {
		t.Errorf("typed text leaked into the log:\n%s", ts.logs.String())
	}
}

func TestCommandWithPTYOpensTheAppWithThatQuery(t *testing.T) {
	ts := startServer(t, Config{})
	tt := openTerm(t, ts.addr, termOpts{cmd: "country:KR mw>=100"})
	tt.waitFor(0, `query="country:KR mw>=100"`)
	tt.send("q")
	if err := tt.wait(); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(ts.logs.String(), "country:KR") {
		t.Errorf("the query leaked into the log:\n%s", ts.logs.String())
	}

	// A query the model rejects ends the session with the model's error.
	bad := openTerm(t, ts.addr, termOpts{cmd: "bad:"})
	if st := exitStatus(bad.wait()); st != 1 {
		t.Errorf("exit status %d, want 1", st)
	}
	if !strings.Contains(bad.stderr(), `dcx: bad query: unknown field "bad"`) {
		t.Errorf("stderr %q lacks the model's error", bad.stderr())
	}
	ts.waitLog(t, "refused", `reason="cannot start the app"`)
	if strings.Contains(ts.logs.String(), "unknown field") {
		t.Errorf("the model's error, which may quote the query, leaked into the log:\n%s", ts.logs.String())
	}
}

func TestSessionsAreIndependent(t *testing.T) {
	ts := startServer(t, Config{})
	a := openTerm(t, ts.addr, termOpts{width: 100, height: 30})
	b := openTerm(t, ts.addr, termOpts{width: 60, height: 20})
	a.waitFor(0, "size=100x30")
	b.waitFor(0, "size=60x20")

	bm := b.mark()
	a.send("/alpha\r")
	a.waitFor(0, "typed=alpha|")
	a.resize(120, 40)
	a.waitFor(0, "size=120x40")

	b.send("/beta\r")
	b.waitFor(bm, "typed=beta|")
	if s := b.screen(0); strings.Contains(s, "alpha") || strings.Contains(s, "120x40") {
		t.Errorf("typing and resizing in one session showed in the other:\n%s", s)
	}
	if s := a.screen(0); strings.Contains(s, "beta") {
		t.Errorf("session b's typing showed in a:\n%s", s)
	}
	a.send("q")
	if err := a.wait(); err != nil {
		t.Fatal(err)
	}
	// b lives on after a quits.
	bm = b.mark()
	b.send("/gamma\r")
	b.waitFor(bm, "typed=gamma|")
}

func TestColoursFollowTheClient(t *testing.T) {
	ts := startServer(t, Config{})
	cases := []struct {
		name       string
		o          termOpts
		want       string
		colourSeen bool
	}{
		{"dark 256-colour", termOpts{term: "xterm-256color", background: "rgb:0000/0000/0000"}, "dark=true profile=1", true},
		{"light 256-colour", termOpts{term: "xterm-256color", background: "rgb:ffff/ffff/ffff"}, "dark=false profile=1", true},
		{"no colour", termOpts{term: "dumb"}, "profile=3", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tt := openTerm(t, ts.addr, c.o)
			tt.waitFor(0, c.want)
			if got := strings.Contains(tt.raw(), "\x1b[38;"); got != c.colourSeen {
				t.Errorf("colour escape in output = %v, want %v:\n%q", got, c.colourSeen, tt.raw())
			}
			tt.send("q")
			if err := tt.wait(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestWindowSizesAreClamped(t *testing.T) {
	ts := startServer(t, Config{})
	tt := openTerm(t, ts.addr, termOpts{width: 1 << 30, height: 1 << 30})
	tt.waitFor(0, fmt.Sprintf("size=%dx%d", MaxWidth, MaxHeight))

	m := tt.mark()
	tt.resize(90, 1<<31-1)
	tt.waitFor(m, fmt.Sprintf("size=90x%d", MaxHeight))

	// Zero means unknown: the known size stays.
	m = tt.mark()
	if err := tt.sess.WindowChange(0, 70); err != nil {
		t.Fatal(err)
	}
	tt.waitFor(m, fmt.Sprintf("size=70x%d", MaxHeight))

	// A PTY request of zero size gets a classic terminal.
	zero := openTerm(t, ts.addr, termOpts{width: 0, height: 0})
	zero.waitFor(0, "size=80x24")
}

func TestRefusals(t *testing.T) {
	ts := startServer(t, Config{})
	port := ts.addr[strings.LastIndex(ts.addr, ":")+1:]
	hint := "ssh -t -p " + port + " HOST"

	t.Run("exec without a PTY", func(t *testing.T) {
		sess := mustSession(t, mustDial(t, ts.addr))
		out, err := sess.CombinedOutput("cat /etc/passwd")
		if st := exitStatus(err); st != 1 {
			t.Errorf("exit status %d, want 1", st)
		}
		if !strings.Contains(string(out), hint) || strings.Count(strings.TrimSpace(string(out)), "\n") != 0 {
			t.Errorf("want one line saying how to connect (%s), got %q", hint, out)
		}
		ts.waitLog(t, "refused", "reason=\"command without a pty\"")
	})

	t.Run("shell without a PTY", func(t *testing.T) {
		sess := mustSession(t, mustDial(t, ts.addr))
		var stderr strings.Builder
		sess.Stderr = &stderr
		if err := sess.Shell(); err != nil {
			t.Fatal(err)
		}
		if st := exitStatus(sess.Wait()); st != 1 {
			t.Errorf("exit status %d, want 1", st)
		}
		if !strings.Contains(stderr.String(), hint) {
			t.Errorf("stderr %q does not say how to connect", stderr.String())
		}
	})

	t.Run("subsystems", func(t *testing.T) {
		for _, name := range []string{"sftp", "netconf"} {
			c := mustDial(t, ts.addr)
			sess := mustSession(t, c)
			stdout, _ := sess.StdoutPipe()
			stderr, _ := sess.StderrPipe()
			// Accepted, so that OpenSSH prints the line before it ends
			// (it ends at once, silently, on a failed request).
			if err := sess.RequestSubsystem(name); err != nil {
				t.Errorf("subsystem %s: %v", name, err)
			}
			line, _ := bufio.NewReader(stderr).ReadString('\n')
			if !strings.Contains(line, `"`+name+`" is not offered`) || !strings.Contains(line, hint) {
				t.Errorf("subsystem %s: stderr line %q", name, line)
			}
			// Then the server closes the channel.
			if b, err := io.ReadAll(stdout); err != nil || len(b) > 0 {
				t.Errorf("subsystem %s: stdout %q, %v", name, b, err)
			}
			ts.waitLog(t, "refused", "reason=\"subsystem "+name+"\"")
			c.Close()
		}
	})

	t.Run("local port forwarding", func(t *testing.T) {
		c := mustDial(t, ts.addr)
		// The target is this test's own listener, so nothing else is ever
		// contacted even if forwarding worked.
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
		conn, err := c.Dial("tcp", l.Addr().String())
		if err == nil {
			conn.Close()
			t.Fatal("direct-tcpip channel was opened")
		}
		if !strings.Contains(err.Error(), "administratively prohibited") || !strings.Contains(err.Error(), "dcx does not forward ports") {
			t.Errorf("error %q", err)
		}
		ts.waitLog(t, "refused", "reason=\"local port forwarding\"")
	})

	t.Run("remote port forwarding", func(t *testing.T) {
		c := mustDial(t, ts.addr)
		l, err := c.Listen("tcp", "127.0.0.1:0")
		if err == nil {
			l.Close()
			t.Fatal("tcpip-forward was accepted")
		}
		ts.waitLog(t, "refused", "reason=\"remote port forwarding\"")
	})

	t.Run("agent and X11 forwarding", func(t *testing.T) {
		sess := mustSession(t, mustDial(t, ts.addr))
		stderr, _ := sess.StderrPipe()
		if err := agent.RequestAgentForwarding(sess); err == nil {
			t.Error("agent forwarding was accepted")
		}
		x11 := struct {
			SingleConnection         bool
			AuthProtocol, AuthCookie string
			ScreenNumber             uint32
		}{false, "MIT-MAGIC-COOKIE-1", "00", 0}
		if ok, err := sess.SendRequest("x11-req", true, gossh.Marshal(x11)); ok || err != nil {
			t.Errorf("x11-req: ok=%v err=%v, want refused", ok, err)
		}
		rd := bufio.NewReader(stderr)
		for _, want := range []string{"agent forwarding refused", "X11 forwarding refused"} {
			line, _ := rd.ReadString('\n')
			if !strings.Contains(line, want) {
				t.Errorf("stderr line %q lacks %q", line, want)
			}
		}
		ts.waitLog(t, "refused", "reason=\"agent forwarding\"")
		ts.waitLog(t, "refused", "reason=\"X11 forwarding\"")
	})

	t.Run("environment is bounded", func(t *testing.T) {
		sess := mustSession(t, mustDial(t, ts.addr))
		if err := sess.Setenv("LANG", strings.Repeat("x", maxEnvValue+1)); err == nil {
			t.Error("an oversized variable was accepted")
		}
		accepted := 0
		for i := 0; i < maxEnvVars+5; i++ {
			if sess.Setenv(fmt.Sprintf("V%d", i), "1") == nil {
				accepted++
			}
		}
		if accepted != maxEnvVars {
			t.Errorf("accepted %d variables, want %d", accepted, maxEnvVars)
		}
		ts.waitLog(t, "refused", "reason=\"environment over its bound\"")
	})

	t.Run("one session per connection", func(t *testing.T) {
		c := mustDial(t, ts.addr)
		first := mustSession(t, c)
		defer first.Close()
		if _, err := c.NewSession(); err == nil || !strings.Contains(err.Error(), "one session per connection") {
			t.Errorf("second session channel: %v", err)
		}
	})
}

func TestSessionCapAndRelease(t *testing.T) {
	ts := startServer(t, Config{MaxSessions: 2})
	a := openTerm(t, ts.addr, termOpts{})
	b := openTerm(t, ts.addr, termOpts{})
	a.waitFor(0, "dcx-test")
	b.waitFor(0, "dcx-test")

	over := openTerm(t, ts.addr, termOpts{})
	if st := exitStatus(over.wait()); st != 1 {
		t.Errorf("exit status %d, want 1", st)
	}
	if got := strings.TrimSpace(over.stderr()); got != "dcx is full, try again in a minute" {
		t.Errorf("over the cap: stderr %q", got)
	}
	if strings.Contains(over.screen(0), "dcx-test") {
		t.Error("a visitor over the cap got the app")
	}
	ts.waitLog(t, "refused", "reason=full")

	a.send("q")
	if err := a.wait(); err != nil {
		t.Fatal(err)
	}
	// The slot comes back when a's connection closes, which the server does
	// itself right after the session; retry briefly for that moment.
	deadline := time.Now().Add(waitTime)
	for {
		c := openTerm(t, ts.addr, termOpts{})
		err := waitForEither(c, "dcx-test", "dcx is full")
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no slot came back after a session ended")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// waitForEither reports nil if the terminal shows the app, an error if the
// session was refused with refusal.
func waitForEither(tt *testTerm, app, refusal string) error {
	deadline := time.Now().Add(waitTime)
	for time.Now().Before(deadline) {
		if strings.Contains(tt.screen(0), app) {
			return nil
		}
		if strings.Contains(tt.stderr(), refusal) {
			return fmt.Errorf("refused: %s", tt.stderr())
		}
		time.Sleep(5 * time.Millisecond)
	}
	return fmt.Errorf("neither %q nor %q", app, refusal)
}

func TestSessionCapPerAddress(t *testing.T) {
	ts := startServer(t, Config{MaxSessionsPerIP: 1})
	a := openTerm(t, ts.addr, termOpts{clientOpts: clientOpts{localIP: "127.0.0.1"}})
	a.waitFor(0, "dcx-test")
	same := openTerm(t, ts.addr, termOpts{clientOpts: clientOpts{localIP: "127.0.0.1"}})
	same.waitStderr("dcx: your address has the most sessions it may have open at once (1); close one or try again later")
	ts.waitLog(t, "refused", "reason=\"full for this address\"")
	// Another address has its own count.
	other := openTerm(t, ts.addr, termOpts{clientOpts: clientOpts{localIP: "127.0.0.2"}})
	other.waitFor(0, "dcx-test")
}

func TestConnectionRateLimit(t *testing.T) {
	// Two connections at once, then one every 1000 s: the third is refused.
	ts := startServer(t, Config{RatePerIP: 0.001, Burst: 2})
	for i := 0; i < 2; i++ {
		tt := openTerm(t, ts.addr, termOpts{})
		tt.waitFor(0, "dcx-test")
	}
	tt := openTerm(t, ts.addr, termOpts{})
	tt.waitStderr("dcx: too many connections from your address; try again in a minute.")
	if st := exitStatus(tt.wait()); st != 1 {
		t.Errorf("exit status %d, want 1", st)
	}
	ts.waitLog(t, "refused", "reason=\"connection rate limit\"")
}

func TestVersionBannerAndHandshakeTimeout(t *testing.T) {
	ts := startServer(t, Config{Version: "v1.2.3-rc1", HandshakeTimeout: 200 * time.Millisecond})
	c, err := net.DialTimeout("tcp", ts.addr, waitTime)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_ = c.SetReadDeadline(time.Now().Add(waitTime))
	rd := bufio.NewReader(c)
	line, err := rd.ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.TrimSpace(line); got != "SSH-2.0-dcx_v1.2.3_rc1" {
		t.Errorf("version line %q", got)
	}
	// Say nothing: the server hangs up well before our read deadline.
	start := time.Now()
	for {
		if _, err := rd.ReadByte(); err != nil {
			if ne, ok := err.(net.Error); ok && ne.Timeout() {
				t.Fatal("the server kept a silent connection open")
			}
			break
		}
	}
	if d := time.Since(start); d > waitTime/2 {
		t.Errorf("silent connection closed after %v", d)
	}
	ts.waitLog(t, "refused", "handshake timeout")
}

func TestIdleAndMaxSessionTimeouts(t *testing.T) {
	t.Run("idle", func(t *testing.T) {
		ts := startServer(t, Config{IdleTimeout: 300 * time.Millisecond})
		tt := openTerm(t, ts.addr, termOpts{})
		tt.waitFor(0, "dcx-test")
		tt.wait()
		if !strings.Contains(tt.stderr(), "dcx: closed after 300ms without input.") {
			t.Errorf("stderr %q", tt.stderr())
		}
		ts.waitLog(t, "session end", "reason=\"idle timeout\"")
	})
	t.Run("typing keeps a session alive", func(t *testing.T) {
		ts := startServer(t, Config{IdleTimeout: 400 * time.Millisecond})
		tt := openTerm(t, ts.addr, termOpts{})
		tt.waitFor(0, "dcx-test")
		tt.send("/")
		for i := 0; i < 8; i++ {
			time.Sleep(100 * time.Millisecond)
			tt.send("x")
		}
		tt.waitFor(0, "typed=xxxxxxxx|")
		tt.send("\rq")
		if err := tt.wait(); err != nil {
			t.Fatalf("session ended with %v, stderr %q", err, tt.stderr())
		}
	})
	t.Run("max session", func(t *testing.T) {
		ts := startServer(t, Config{MaxSession: 300 * time.Millisecond})
		tt := openTerm(t, ts.addr, termOpts{})
		tt.waitFor(0, "dcx-test")
		tt.wait()
		if !strings.Contains(tt.stderr(), "dcx: sessions last at most 300ms; reconnect to go on.") {
			t.Errorf("stderr %q", tt.stderr())
		}
		ts.waitLog(t, "session end", "reason=\"max session time\"")
	})
}

func TestPanicEndsOnlyItsSession(t *testing.T) {
	for _, key := range []string{"!", "@"} {
		t.Run("key "+key, func(t *testing.T) {
			ts := startServer(t, Config{})
			calm := openTerm(t, ts.addr, termOpts{})
			calm.waitFor(0, "dcx-test")
			doomed := openTerm(t, ts.addr, termOpts{})
			doomed.waitFor(0, "dcx-test")

			doomed.send(key)
			if st := exitStatus(doomed.wait()); st != 1 {
				t.Errorf("exit status %d, want 1", st)
			}
			if !strings.Contains(doomed.stderr(), "dcx: sorry, something went wrong") {
				t.Errorf("no apology: stderr %q", doomed.stderr())
			}
			line := ts.waitLog(t, "session panic", "boom")
			if !strings.Contains(line, "goroutine") || !strings.Contains(line, "testModel") {
				t.Errorf("panic log lacks the stack: %s", line)
			}
			ts.waitLog(t, "session end", "reason=panic")

			m := calm.mark()
			calm.send("/still here\r")
			calm.waitFor(m, "typed=still here|")
			fresh := openTerm(t, ts.addr, termOpts{})
			fresh.waitFor(0, "dcx-test")
		})
	}
	t.Run("in the model factory", func(t *testing.T) {
		ts := startServer(t, Config{NewModel: func(s ssh.Session, _ *lipgloss.Renderer, q string) (tea.Model, error) {
			if q == "explode" {
				panic("factory boom")
			}
			return newTestModel(s, nil, q)
		}})
		tt := openTerm(t, ts.addr, termOpts{cmd: "explode"})
		tt.wait()
		if !strings.Contains(tt.stderr(), "dcx: sorry") {
			t.Errorf("stderr %q", tt.stderr())
		}
		ts.waitLog(t, "session panic", "factory boom", "goroutine")
	})
}

func TestShutdownTellsAndClosesSessions(t *testing.T) {
	ts := startServer(t, Config{})
	var terms []*testTerm
	for i := 0; i < 3; i++ {
		tt := openTerm(t, ts.addr, termOpts{})
		tt.waitFor(0, "dcx-test")
		terms = append(terms, tt)
	}
	// A connection that never handshakes does not hold the shutdown up.
	silent, err := net.DialTimeout("tcp", ts.addr, waitTime)
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	start := time.Now()
	if err := ts.Shutdown(ctx); err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	t.Logf("shutdown with 3 sessions took %v", time.Since(start))
	for i, tt := range terms {
		tt.wait()
		if !strings.Contains(tt.stderr(), "dcx: the server is going down") {
			t.Errorf("session %d was not told: stderr %q", i, tt.stderr())
		}
	}
	select {
	case err := <-ts.done:
		if err != nil {
			t.Errorf("Serve returned %v after Shutdown", err)
		}
		ts.done <- err // for the cleanup
	case <-time.After(waitTime):
		t.Fatal("Serve did not return")
	}
	if c, err := net.DialTimeout("tcp", ts.addr, time.Second); err == nil {
		c.Close()
		t.Error("the server still accepts connections")
	}
}

func TestAuthorizedKeys(t *testing.T) {
	newSigner := func() gossh.Signer {
		_, priv, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		s, err := gossh.NewSignerFromKey(priv)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	allowed, stranger := newSigner(), newSigner()
	path := filepath.Join(t.TempDir(), "authorized_keys")
	if err := os.WriteFile(path, append([]byte("# visitors\n"), gossh.MarshalAuthorizedKey(allowed.PublicKey())...), 0o600); err != nil {
		t.Fatal(err)
	}
	ts := startServer(t, Config{AuthorizedKeysPath: path})

	tt := openTerm(t, ts.addr, termOpts{clientOpts: clientOpts{signer: allowed}})
	tt.waitFor(0, "dcx-test")

	if c, err := dial(ts.addr, clientOpts{signer: stranger}); err == nil {
		c.Close()
		t.Error("a key not in the file got in")
	}
	if c, err := dial(ts.addr, clientOpts{}); err == nil {
		c.Close()
		t.Error("a client without a key got in")
	}
	// Offering the allowed public key without its private half (signing with
	// another key) must not get in: authorization rests on the proof.
	if c, err := dial(ts.addr, clientOpts{signer: impostor{pub: allowed.PublicKey(), Signer: stranger}}); err == nil {
		c.Close()
		t.Error("an impostor offering an allowed public key got in")
	}
	ts.waitLog(t, "refused", "reason=\"not authorized\"")

	for _, bad := range []string{"ssh-ed25519 notbase64!\n", "# only comments\n"} {
		p := filepath.Join(t.TempDir(), "keys")
		if err := os.WriteFile(p, []byte(bad), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := New(Config{AuthorizedKeysPath: p, HostKeyPath: filepath.Join(t.TempDir(), "k"), NewModel: newTestModel}); err == nil || !strings.Contains(err.Error(), p) {
			t.Errorf("authorized keys %q: error %v, want one naming the file", bad, err)
		}
	}
}

// impostor presents one public key and signs with another key.
type impostor struct {
	gossh.Signer
	pub gossh.PublicKey
}

func (i impostor) PublicKey() gossh.PublicKey { return i.pub }

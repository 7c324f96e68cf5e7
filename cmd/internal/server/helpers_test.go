package server

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/log"
	"github.com/charmbracelet/ssh"
	"github.com/charmbracelet/x/ansi"
	gossh "golang.org/x/crypto/ssh"
)

// waitTime bounds every wait in these tests; a healthy run takes a fraction.
const waitTime = 10 * time.Second

// syncBuffer is a log sink the server's goroutines may write while a test
// reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

type testServer struct {
	*Server
	addr string
	logs *syncBuffer
	done chan error
}

// startServer runs a server on 127.0.0.1:0 with the test model unless cfg
// names another, and shuts it down when the test ends.
func startServer(t testing.TB, cfg Config) *testServer {
	t.Helper()
	if cfg.HostKeyPath == "" {
		cfg.HostKeyPath = filepath.Join(t.TempDir(), "host_key")
	}
	if cfg.NewModel == nil {
		cfg.NewModel = newTestModel
	}
	if cfg.Version == "" {
		cfg.Version = "test"
	}
	logs := &syncBuffer{}
	if cfg.Logger == nil {
		cfg.Logger = log.NewWithOptions(logs, log.Options{Level: log.InfoLevel, Formatter: log.LogfmtFormatter})
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ts := &testServer{Server: s, addr: l.Addr().String(), logs: logs, done: make(chan error, 1)}
	go func() { ts.done <- s.Serve(l) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), waitTime)
		defer cancel()
		_ = s.Shutdown(ctx)
		select {
		case <-ts.done:
		case <-time.After(waitTime):
			t.Error("Serve did not return after Shutdown")
		}
	})
	return ts
}

// waitLog waits for the server's log to contain every one of parts on one line.
func (ts *testServer) waitLog(t testing.TB, parts ...string) string {
	t.Helper()
	deadline := time.Now().Add(waitTime)
	for {
		for _, line := range strings.Split(ts.logs.String(), "\n") {
			if containsAll(line, parts) {
				return line
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no log line with %q in:\n%s", parts, ts.logs.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func containsAll(s string, parts []string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}

// clientOpts describes a test visitor.
type clientOpts struct {
	user    string
	localIP string // source address, e.g. 127.0.0.2 to be another visitor
	signer  gossh.Signer
	preface []byte // written before the SSH handshake (a PROXY header)
}

// mustDial connects anonymously or ends the test; the connection is closed
// when the test ends.
func mustDial(t testing.TB, addr string) *gossh.Client {
	t.Helper()
	c, err := dial(addr, clientOpts{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// mustSession opens a session on c or ends the test.
func mustSession(t testing.TB, c *gossh.Client) *gossh.Session {
	t.Helper()
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	return sess
}

func dial(addr string, o clientOpts) (*gossh.Client, error) {
	d := net.Dialer{Timeout: waitTime}
	if o.localIP != "" {
		d.LocalAddr = &net.TCPAddr{IP: net.ParseIP(o.localIP)}
	}
	nc, err := d.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	if len(o.preface) > 0 {
		if _, err := nc.Write(o.preface); err != nil {
			nc.Close()
			return nil, err
		}
	}
	cfg := &gossh.ClientConfig{
		User:            o.user,
		HostKeyCallback: gossh.InsecureIgnoreHostKey(), // the tests check the host key on their own
		Timeout:         waitTime,
	}
	if cfg.User == "" {
		cfg.User = "visitor"
	}
	if o.signer != nil {
		cfg.Auth = []gossh.AuthMethod{gossh.PublicKeys(o.signer)}
	}
	_ = nc.SetDeadline(time.Now().Add(waitTime))
	c, chans, reqs, err := gossh.NewClientConn(nc, addr, cfg)
	if err != nil {
		nc.Close()
		return nil, err
	}
	_ = nc.SetDeadline(time.Time{})
	return gossh.NewClient(c, chans, reqs), nil
}

// termOpts describes a visitor's terminal.
type termOpts struct {
	clientOpts
	term          string // TERM; xterm-256color if ""
	width, height int    // 80x24 if 0
	cmd           string // sent with the PTY (a query)
	// background is what the terminal answers to the background colour
	// query, as rgb:RRRR/GGGG/BBBB; a dark one if "".
	background string
	silent     bool // never answers the terminal queries
}

// testTerm is a visitor's terminal: it records what the server draws and
// answers the terminal queries that wish's renderer sends, as a real
// terminal does.
type testTerm struct {
	t      testing.TB
	client *gossh.Client
	sess   *gossh.Session
	stdin  io.WriteCloser
	bg     string
	silent bool

	mu       sync.Mutex
	out      []byte
	errOut   []byte
	answered int
	exited   chan error
}

func openTerm(t testing.TB, addr string, o termOpts) *testTerm {
	t.Helper()
	tt, err := tryOpenTerm(t, addr, o)
	if err != nil {
		t.Fatal(err)
	}
	return tt
}

func tryOpenTerm(t testing.TB, addr string, o termOpts) (*testTerm, error) {
	client, err := dial(addr, o.clientOpts)
	if err != nil {
		return nil, fmt.Errorf("dial: %w", err)
	}
	t.Cleanup(func() { client.Close() })
	sess, err := client.NewSession()
	if err != nil {
		return nil, fmt.Errorf("new session: %w", err)
	}
	tt := &testTerm{t: t, client: client, sess: sess, bg: o.background, silent: o.silent, exited: make(chan error, 1)}
	if tt.bg == "" {
		tt.bg = "rgb:1010/1010/1010"
	}
	stdout, _ := sess.StdoutPipe()
	stderr, _ := sess.StderrPipe()
	tt.stdin, _ = sess.StdinPipe()
	if o.term == "" {
		o.term = "xterm-256color"
	}
	if o.width == 0 {
		o.width, o.height = 80, 24
	}
	if err := sess.RequestPty(o.term, o.height, o.width, gossh.TerminalModes{}); err != nil {
		return nil, fmt.Errorf("pty: %w", err)
	}
	if o.cmd != "" {
		err = sess.Start(o.cmd)
	} else {
		err = sess.Shell()
	}
	if err != nil {
		return nil, fmt.Errorf("start: %w", err)
	}
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); tt.read(stdout, false) }()
	go func() { defer wg.Done(); tt.read(stderr, true) }()
	go func() {
		err := sess.Wait()
		wg.Wait()
		tt.exited <- err
	}()
	return tt, nil
}

func (tt *testTerm) read(r io.Reader, isErr bool) {
	buf := make([]byte, 32<<10)
	for {
		n, err := r.Read(buf)
		if n > 0 {
			tt.mu.Lock()
			if isErr {
				tt.errOut = append(tt.errOut, buf[:n]...)
			} else {
				tt.out = append(tt.out, buf[:n]...)
				// wish's renderer asks for the background colour and then the
				// device attributes (which every terminal answers) in one write.
				if q := bytes.Count(tt.out, []byte(ansi.RequestPrimaryDeviceAttributes)); q > tt.answered && !tt.silent {
					tt.answered = q
					fmt.Fprintf(tt.stdin, "\x1b]11;%s\x07\x1b[?62;22c", tt.bg)
				}
			}
			tt.mu.Unlock()
		}
		if err != nil {
			return
		}
	}
}

// screen is everything drawn since mark, without escape sequences.
func (tt *testTerm) screen(mark int) string {
	tt.mu.Lock()
	defer tt.mu.Unlock()
	return ansi.Strip(string(tt.out[mark:]))
}

func (tt *testTerm) raw() string {
	tt.mu.Lock()
	defer tt.mu.Unlock()
	return string(tt.out)
}

func (tt *testTerm) stderr() string {
	tt.mu.Lock()
	defer tt.mu.Unlock()
	return string(tt.errOut)
}

// mark is a position in the output; waitFor looks only after it.
func (tt *testTerm) mark() int {
	tt.mu.Lock()
	defer tt.mu.Unlock()
	return len(tt.out)
}

func (tt *testTerm) waitFor(mark int, want string) {
	tt.t.Helper()
	deadline := time.Now().Add(waitTime)
	for !strings.Contains(tt.screen(mark), want) {
		if time.Now().After(deadline) {
			tt.t.Fatalf("screen never showed %q; it showed:\n%s\nstderr: %s", want, tt.screen(mark), tt.stderr())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func (tt *testTerm) waitStderr(want string) {
	tt.t.Helper()
	deadline := time.Now().Add(waitTime)
	for !strings.Contains(tt.stderr(), want) {
		if time.Now().After(deadline) {
			tt.t.Fatalf("stderr never showed %q; it showed: %q", want, tt.stderr())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func (tt *testTerm) send(s string) {
	tt.t.Helper()
	if _, err := io.WriteString(tt.stdin, s); err != nil {
		tt.t.Fatalf("send %q: %v", s, err)
	}
}

func (tt *testTerm) resize(w, h int) {
	tt.t.Helper()
	if err := tt.sess.WindowChange(h, w); err != nil {
		tt.t.Fatalf("window change: %v", err)
	}
}

// wait returns the session's exit error once it has ended.
func (tt *testTerm) wait() error {
	tt.t.Helper()
	select {
	case err := <-tt.exited:
		return err
	case <-time.After(waitTime):
		tt.t.Fatalf("session did not end; screen:\n%s", tt.screen(0))
		return nil
	}
}

func (tt *testTerm) close() { tt.client.Close() }

// exitStatus is the remote exit status of a session's end (0 for nil).
func exitStatus(err error) int {
	var ee *gossh.ExitError
	if errors.As(err, &ee) {
		return ee.ExitStatus()
	}
	if err != nil {
		return -1
	}
	return 0
}

// testModel stands in for the dcx app: it shows the query it was opened
// with, the text typed after '/', the window size and what the renderer knows
// about the client; q quits, '!' panics in Update and '@' in a command.
type testModel struct {
	r         *lipgloss.Renderer
	query     string
	typed     string
	searching bool
	w, h      int
	keys      int // every key changes the screen, for the load benchmark
}

func newTestModel(_ ssh.Session, r *lipgloss.Renderer, query string) (tea.Model, error) {
	if query == "bad:" {
		return nil, errors.New("bad query: unknown field \"bad\"")
	}
	return &testModel{r: r, query: query}, nil
}

func (m *testModel) Init() tea.Cmd { return nil }

type panicCmdMsg struct{}

func (m *testModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.w, m.h = msg.Width, msg.Height
	case tea.KeyMsg:
		m.keys++
		switch msg.Type {
		case tea.KeyEnter, tea.KeyEsc:
			m.searching = false
		case tea.KeySpace:
			if m.searching {
				m.typed += " "
			}
		case tea.KeyRunes:
			// Keys typed quickly arrive as one message; take them one by one.
			for _, r := range msg.Runes {
				if m.searching {
					m.typed += string(r)
					continue
				}
				switch r {
				case '/':
					m.searching, m.typed = true, ""
				case 'q':
					return m, tea.Quit
				case '!':
					panic("test model: boom in Update")
				case '@':
					return m, func() tea.Msg { panic("test model: boom in a command") }
				}
			}
		}
	}
	return m, nil
}

func (m *testModel) View() string {
	if m.query == "fill" {
		return fillView(m.w, m.h, m.keys)
	}
	red := m.r.NewStyle().Foreground(lipgloss.Color("#ff0000")).Render("red")
	return fmt.Sprintf("dcx-test query=%q\ntyped=%s|\nsize=%dx%d\ndark=%t profile=%d %s\nkeys=%d\n",
		m.query, m.typed, m.w, m.h, m.r.HasDarkBackground(), m.r.ColorProfile(), red, m.keys)
}

// fillView is over 2 MB a frame, more than an SSH channel's window, so one
// frame to a client that does not read fills it. Most of it is the payload
// of a title sequence (OSC 2), which the renderer measures quickly.
func fillView(w, h, seed int) string {
	if w == 0 || h == 0 {
		w, h = MaxWidth, MaxHeight
	}
	pad := strings.Repeat("x", (3<<20)/h)
	var b strings.Builder
	for y := 0; y < h; y++ {
		fmt.Fprintf(&b, "\x1b]2;%s\a%d %dx%d\n", pad, seed, w, y)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

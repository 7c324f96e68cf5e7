package server

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/log"
	"github.com/charmbracelet/ssh"
	"github.com/charmbracelet/x/ansi"
	"github.com/dcx-explorer/dcx/data"
	"github.com/dcx-explorer/dcx/search"
	"github.com/dcx-explorer/dcx/ui"
	gossh "golang.org/x/crypto/ssh"
)

// The load benchmark runs the server in a child process (this test binary,
// re-executed with loadServerEnv set) so that the memory it reports is the
// server's alone, not the clients'.
const loadServerEnv = "DCX_LOAD_SERVER"

func TestMain(m *testing.M) {
	if which := os.Getenv(loadServerEnv); which != "" {
		os.Exit(runLoadServer(which))
	}
	os.Exit(m.Run())
}

// BenchmarkSessions drives N concurrent sessions over loopback against the
// real app and against the small test model. Each session connects from its
// own loopback address, waits for the first screen, then (after the idle
// memory is taken) opens the search, types a query, applies it and moves
// through the results, one key every keyInterval. Run it once:
//
//	go test -run '^$' -bench BenchmarkSessions -benchtime 1x ./cmd/internal/server
func BenchmarkSessions(b *testing.B) {
	for _, which := range []string{"ui", "testmodel"} {
		for _, n := range []int{100, 500} {
			b.Run(fmt.Sprintf("%s/N=%d", which, n), func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					runLoad(b, which, n)
				}
			})
		}
	}
}

const (
	keyInterval = 200 * time.Millisecond // a brisk typist, in every session at once
	keyTimeout  = 5 * time.Second
)

// loadKeys are what each session types: they all change the screen, so each
// has an update to wait for.
var loadKeys = []string{"j", "j", "k", "/", "c", "l", "o", "u", "d", "\r", "j", "k", "j", "k", "/", "\x7f", "\x7f", "\x7f", "\r", "j", "k"}

func runLoad(b *testing.B, which string, n int) {
	raiseFileLimit(b, 4*n+256)
	srv := startLoadServer(b, which)
	base := srv.mem(b)

	terms := make([]*loadTerm, n)
	var wg sync.WaitGroup
	sem := make(chan struct{}, 32) // handshakes in flight
	errs := make(chan error, n)
	start := time.Now()
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			t, err := openLoadTerm(i, srv.addr, fmt.Sprintf("127.0.%d.%d", 1+i/250, 1+i%250))
			if err != nil {
				errs <- err
				return
			}
			terms[i] = t
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		b.Fatalf("opening sessions: %v", err)
	}
	b.Cleanup(func() {
		for _, t := range terms {
			t.close()
		}
	})
	connectTime := time.Since(start)
	time.Sleep(time.Second) // let the first frames settle
	held := 0
	for _, t := range terms {
		if t.alive() {
			held++
		}
	}
	cpuBefore := srv.cpu(b)
	time.Sleep(2 * time.Second)
	idleCPU := (srv.cpu(b) - cpuBefore) / 2 // fraction of one core
	idle := srv.mem(b)

	var mu sync.Mutex
	var lat []time.Duration
	timeouts := 0
	for _, t := range terms {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Spread the sessions over one key interval.
			time.Sleep(time.Duration(rnd(t.id)) % keyInterval)
			mine, lost := t.typeKeys(loadKeys)
			mu.Lock()
			lat = append(lat, mine...)
			timeouts += lost
			mu.Unlock()
		}()
	}
	wg.Wait()
	slices.Sort(lat)

	perHeap := float64(idle.heap-base.heap) / float64(n)
	perRSS := float64(idle.rss-base.rss) / float64(n)
	b.ReportMetric(float64(held), "sessions-held")
	b.ReportMetric(perHeap/1024, "KiB-heap+stack/session")
	b.ReportMetric(perRSS/1024, "KiB-rss/session")
	b.ReportMetric(idleCPU*100, "idle-cpu-%")
	b.ReportMetric(ms(percentile(lat, 50)), "p50-ms")
	b.ReportMetric(ms(percentile(lat, 99)), "p99-ms")
	b.ReportMetric(float64(timeouts), "keys-without-update")
	b.Logf("%s N=%d: held %d, connect %v, heap+stack %.0f KiB/session, RSS %.0f KiB/session, idle CPU %.1f%%, %d keys p50 %.1f ms p99 %.1f ms max %.1f ms, %d keys without an update",
		which, n, held, connectTime.Round(time.Millisecond), perHeap/1024, perRSS/1024, idleCPU*100,
		len(lat), ms(percentile(lat, 50)), ms(percentile(lat, 99)), ms(percentile(lat, 100)), timeouts)
	if held != n {
		b.Errorf("held %d of %d sessions", held, n)
	}
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func percentile(d []time.Duration, p int) time.Duration {
	if len(d) == 0 {
		return 0
	}
	i := (len(d)*p+99)/100 - 1
	return d[max(0, min(i, len(d)-1))]
}

// rnd is a fixed scramble of i, to spread start times without shared state.
func rnd(i int) int64 { return int64(uint32(i) * 2654435761) }

func raiseFileLimit(tb testing.TB, want int) {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		tb.Fatal(err)
	}
	if lim.Cur >= uint64(want) {
		return
	}
	lim.Cur = min(uint64(want), lim.Max)
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil || lim.Cur < uint64(want) {
		tb.Skipf("cannot raise the open file limit to %d (hard limit %d): %v", want, lim.Max, err)
	}
}

// loadServer is the child process.
type loadServer struct {
	cmd  *exec.Cmd
	addr string
	in   io.Writer
	out  *bufio.Reader
}

type memStats struct{ heap, rss uint64 }

func startLoadServer(b *testing.B, which string) *loadServer {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), loadServerEnv+"="+which, "DCX_LOAD_DIR="+b.TempDir())
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	s := &loadServer{cmd: cmd, in: in, out: bufio.NewReader(out)}
	b.Cleanup(func() {
		in.Close() // the child shuts down when its stdin closes
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			cmd.Process.Kill()
			<-done
		}
	})
	line, err := s.out.ReadString('\n')
	if err != nil {
		b.Fatalf("load server: %v", err)
	}
	s.addr = strings.TrimSpace(line)
	return s
}

func (s *loadServer) ask(b *testing.B, q string) []string {
	fmt.Fprintln(s.in, q)
	line, err := s.out.ReadString('\n')
	if err != nil {
		b.Fatalf("load server %s: %v", q, err)
	}
	return strings.Fields(line)
}

func (s *loadServer) mem(b *testing.B) memStats {
	f := s.ask(b, "mem")
	heap, _ := strconv.ParseUint(f[0], 10, 64)
	rss, _ := strconv.ParseUint(f[1], 10, 64)
	return memStats{heap, rss}
}

// cpu is the child's CPU time in seconds.
func (s *loadServer) cpu(b *testing.B) float64 {
	v, _ := strconv.ParseFloat(s.ask(b, "cpu")[0], 64)
	return v
}

// runLoadServer is the child: it serves on 127.0.0.1:0, prints the address,
// answers "mem" and "cpu" on stdin, and shuts down when stdin closes.
func runLoadServer(which string) int {
	var lim syscall.Rlimit
	if syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim) == nil {
		lim.Cur = lim.Max
		_ = syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim)
	}
	newModel := NewModelFunc(newTestModel)
	if which == "ui" {
		ds, err := data.Embedded()
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		cat := ui.NewCatalog(search.NewEngine(ds))
		newModel = func(_ ssh.Session, r *lipgloss.Renderer, q string) (tea.Model, error) {
			return ui.New(cat, ui.Options{Renderer: r, Query: q})
		}
	}
	// Default limits, except room for every session: each load session
	// comes from its own loopback address, so the per-address cap, rate and
	// flood limits are the real ones.
	s, err := New(Config{
		HostKeyPath: filepath.Join(os.Getenv("DCX_LOAD_DIR"), "host_key"),
		MaxSessions: 1000,
		Logger:      log.New(io.Discard),
		NewModel:    newModel,
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	go s.Serve(l)
	fmt.Println(l.Addr().String())
	sc := bufio.NewScanner(os.Stdin)
	for sc.Scan() {
		switch sc.Text() {
		case "mem":
			runtime.GC()
			debug.FreeOSMemory()
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			fmt.Println(m.HeapInuse+m.StackInuse, rssBytes())
		case "cpu":
			var ru syscall.Rusage
			_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
			t := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
			fmt.Println(t.Seconds())
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_ = s.Shutdown(ctx)
	return 0
}

func rssBytes() uint64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			kb, _ := strconv.ParseUint(f[1], 10, 64)
			return kb * 1024
		}
	}
	return 0
}

// loadTerm is a lean visitor for the load: it keeps no screen, only when
// output last arrived.
type loadTerm struct {
	id      int
	client  *gossh.Client
	stdin   io.Writer
	updates chan time.Time
	mu      sync.Mutex
	dead    bool
}

func openLoadTerm(id int, addr, localIP string) (*loadTerm, error) {
	client, err := dial(addr, clientOpts{localIP: localIP})
	if err != nil {
		return nil, err
	}
	sess, err := client.NewSession()
	if err != nil {
		client.Close()
		return nil, err
	}
	stdout, _ := sess.StdoutPipe()
	stdin, _ := sess.StdinPipe()
	if err := sess.RequestPty("xterm-256color", 30, 100, gossh.TerminalModes{}); err != nil {
		client.Close()
		return nil, err
	}
	if err := sess.Shell(); err != nil {
		client.Close()
		return nil, err
	}
	t := &loadTerm{id: id, client: client, stdin: stdin, updates: make(chan time.Time, 256)}
	first := make(chan struct{})
	go t.read(stdout, first)
	select {
	case <-first:
	case <-time.After(30 * time.Second):
		client.Close()
		return nil, fmt.Errorf("%s: no first screen", localIP)
	}
	return t, nil
}

func (t *loadTerm) read(r io.Reader, first chan struct{}) {
	buf := make([]byte, 32<<10)
	answered, drawn := false, false
	for {
		n, err := r.Read(buf)
		if n > 0 {
			now := time.Now()
			chunk := buf[:n]
			if !answered && bytes.Contains(chunk, []byte(ansi.RequestPrimaryDeviceAttributes)) {
				answered = true
				fmt.Fprint(t.stdin, "\x1b]11;rgb:1010/1010/1010\x07\x1b[?62;22c")
			} else if answered && !drawn {
				drawn = true
				close(first)
			} else if drawn {
				select {
				case t.updates <- now:
				default:
				}
			}
		}
		if err != nil {
			t.mu.Lock()
			t.dead = true
			t.mu.Unlock()
			return
		}
	}
}

func (t *loadTerm) alive() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return !t.dead
}

// typeKeys sends keys one interval apart and returns, for each, the time to
// the first output after it; keys with no output within keyTimeout are
// counted as lost.
func (t *loadTerm) typeKeys(keys []string) (lat []time.Duration, lost int) {
	for _, k := range keys {
		// Drop updates still arriving for the previous key.
		for drained := false; !drained; {
			select {
			case <-t.updates:
			default:
				drained = true
			}
		}
		sent := time.Now()
		if _, err := io.WriteString(t.stdin, k); err != nil {
			return lat, lost + 1
		}
		select {
		case at := <-t.updates:
			lat = append(lat, at.Sub(sent))
			if os.Getenv("DCX_LOAD_DEBUG") != "" && at.Sub(sent) > 100*time.Millisecond {
				fmt.Fprintf(os.Stderr, "slow key %q: %v\n", k, at.Sub(sent))
			}
		case <-time.After(keyTimeout):
			lost++
			if os.Getenv("DCX_LOAD_DEBUG") != "" {
				fmt.Fprintf(os.Stderr, "lost key %q\n", k)
			}
		}
		time.Sleep(keyInterval)
	}
	return lat, lost
}

func (t *loadTerm) close() {
	if t != nil {
		t.client.Close()
	}
}

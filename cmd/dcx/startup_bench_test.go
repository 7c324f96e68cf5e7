package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
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

	"github.com/creack/pty"
	"github.com/dcx-explorer/dcx/data"
	"github.com/dcx-explorer/dcx/data/synth"
	"github.com/dcx-explorer/dcx/search"
)

// BenchmarkStartup measures what a user waits for before dcx is usable:
// the first frame of the app on the embedded dataset (a real process on a
// pseudo-terminal), and loading a 1,000,000-record file as --data does.
//
//	go test ./cmd/dcx -run '^$' -bench 'BenchmarkStartup/embedded' -benchtime 20x
//	DCX_BENCH_MILLION=1 go test ./cmd/dcx -run '^$' -bench 'BenchmarkStartup/million' -benchtime 1x -timeout 30m
//
// Benchmarks never run under plain `go test`, and million also needs
// DCX_BENCH_MILLION=1, so nothing here slows the test suite.
func BenchmarkStartup(b *testing.B) {
	b.Run("embedded", benchFirstFrame)
	b.Run("million", benchLoadMillion)
}

// The first frame is drawn when the tab bar is: "Announcements" is the
// first tab's label at 100 columns and appears nowhere before the frame.
// The switch to the alternate screen is written as soon as bubbletea
// starts, so it marks the end of dcx's own start-up work.
const (
	firstFrameMarker = "Announcements"
	altScreenMarker  = "\x1b[?1049h"
	benchCols        = 100
	benchRows        = 30
	// Bounds on every wait, so that a hung app fails the benchmark instead
	// of hanging it; none of them is near what a healthy run takes.
	firstFrameTimeout = 10 * time.Second
	quitGrace         = 2 * time.Second
)

// terminalReplies are the answers an xterm gives to the queries dcx sends
// at start-up. lipgloss (through termenv) asks for the background colour,
// OSC 11, followed by a cursor position report, DSR 6, and blocks reading
// the terminal until both replies arrive or termenv.OSCTimeout (5 s)
// passes. dcx asks once, before bubbletea takes the terminal: the app's own
// renderer on stdout resolves its AdaptiveColors (bubbletea's init asked
// too, for lipgloss's default renderer, until cmd/internal/teaquiet: 4
// queries/op became 2). A real terminal answers within a millisecond, so
// answering here measures what a user sees; without the replies the first
// frame comes after the timeout, 5 s.
var terminalReplies = []struct{ query, reply string }{
	{"\x1b]11;?", "\x1b]11;rgb:0000/0000/0000\x1b\\"},
	{"\x1b[6n", fmt.Sprintf("\x1b[%d;1R", benchRows)},
}

// benchFirstFrame times, per iteration, a fresh dcx process from exec to
// its first frame on a 100x30 pseudo-terminal with TERM=xterm-256color.
// The time includes fork and exec, the Go runtime and package
// initialisation,
// parsing, validating and indexing the embedded dataset, building the
// engine and the UI model, entering raw mode and the alternate screen,
// rendering the first View and the pty carrying it to this process, plus
// the round trips of the terminal queries answered by terminalReplies.
// It excludes building the binary, opening the pty and shutting the app
// down. ms/op is the mean; p50-ms and max-ms show the spread, which on a
// busy 2-core machine is mostly scheduling. altscreen-ms (mean) is the part
// before bubbletea takes the terminal; the rest is mostly bubbletea's
// renderer, which flushes the first View on its first 60 fps tick, 16.7 ms
// after the program starts.
func benchFirstFrame(b *testing.B) {
	bin := filepath.Join(b.TempDir(), "dcx")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	env := benchEnv()

	var (
		per     []time.Duration
		toAlt   time.Duration
		queries int
	)
	for b.Loop() {
		b.StopTimer()
		ptmx, tty, err := pty.Open()
		if err != nil {
			b.Skipf("no pseudo-terminal here: %v", err)
		}
		if err := pty.Setsize(ptmx, &pty.Winsize{Rows: benchRows, Cols: benchCols}); err != nil {
			ptmx.Close()
			tty.Close()
			b.Fatal(err)
		}
		cmd := exec.Command(bin)
		cmd.Env = env
		cmd.Stdin, cmd.Stdout, cmd.Stderr = tty, tty, tty
		// A session of its own with the pty as controlling terminal makes
		// dcx the terminal's foreground process, as under a shell; termenv
		// skips its queries for a background process.
		cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
		term := newFakeTerminal(ptmx, firstFrameMarker, altScreenMarker)

		b.StartTimer()
		start := time.Now()
		if err := cmd.Start(); err != nil {
			b.StopTimer()
			ptmx.Close()
			tty.Close()
			b.Fatalf("starting dcx: %v", err)
		}
		ok := term.waitFor(firstFrameMarker, firstFrameTimeout)
		b.StopTimer()

		// Only the child keeps the tty open now, so the reader sees EOF
		// once dcx is gone.
		tty.Close()
		exitErr := stopApp(cmd, ptmx)
		term.close()
		if !ok {
			b.Fatalf("no first frame within %v; output so far:\n%q", firstFrameTimeout, term.output())
		}
		if exitErr != nil {
			b.Fatalf("%v; output:\n%q", exitErr, term.output())
		}
		per = append(per, term.seenAt(firstFrameMarker).Sub(start))
		toAlt += term.seenAt(altScreenMarker).Sub(start)
		queries += term.answered()
		b.StartTimer()
	}
	b.StopTimer()
	if len(per) == 0 {
		return
	}
	slices.Sort(per)
	var sum time.Duration
	for _, d := range per {
		sum += d
	}
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	b.ReportMetric(ms(sum)/float64(len(per)), "ms/op")
	b.ReportMetric(ms(per[len(per)/2]), "p50-ms")
	b.ReportMetric(ms(per[len(per)-1]), "max-ms")
	b.ReportMetric(ms(toAlt)/float64(len(per)), "altscreen-ms")
	b.ReportMetric(float64(queries)/float64(len(per)), "queries/op")
}

// benchEnv is this process's environment with a fixed terminal type, so
// that the colour profile (ANSI256) does not depend on who runs the
// benchmark.
func benchEnv() []string {
	env := []string{"TERM=xterm-256color"}
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		switch name {
		case "TERM", "COLORTERM", "COLORFGBG", "NO_COLOR", "CLICOLOR_FORCE":
			continue
		}
		env = append(env, kv)
	}
	return env
}

// stopApp ends dcx the way a user does, with q, and kills it if it is still
// there after quitGrace. The error says if the app did not quit on q or
// exited with a failure.
func stopApp(cmd *exec.Cmd, ptmx *os.File) error {
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	_, _ = ptmx.Write([]byte("q"))
	select {
	case err := <-done:
		if err != nil {
			return fmt.Errorf("dcx exited with %v after q", err)
		}
		return nil
	case <-time.After(quitGrace):
	}
	_ = cmd.Process.Kill()
	select {
	case <-done:
	case <-time.After(quitGrace):
		// SIGKILL cannot be ignored; this is only reached if the kernel is
		// stuck, and Wait's goroutine ends with the process anyway.
	}
	return errors.New("dcx did not quit within " + quitGrace.String() + " of q and was killed")
}

// fakeTerminal reads what dcx writes to the pty and answers its queries
// the way an xterm would, in the order they were sent (termenv expects the
// OSC reply before the cursor report). It notes when each watched string
// first arrives, as the reader sees it, so that the waiting goroutine's
// wake-up latency is not part of the figure.
type fakeTerminal struct {
	ptmx    *os.File
	mu      sync.Mutex
	out     bytes.Buffer
	scanned int // bytes of out already searched for queries
	replies int
	seen    map[string]time.Time // watched string -> first arrival, zero until then
	wake    chan struct{}        // signalled after every read
	done    chan struct{}        // closed when the reader ends
}

func newFakeTerminal(ptmx *os.File, watch ...string) *fakeTerminal {
	t := &fakeTerminal{
		ptmx: ptmx,
		seen: make(map[string]time.Time, len(watch)),
		wake: make(chan struct{}, 1),
		done: make(chan struct{}),
	}
	for _, s := range watch {
		t.seen[s] = time.Time{}
	}
	go t.read()
	return t
}

func (t *fakeTerminal) read() {
	defer close(t.done)
	buf := make([]byte, 32<<10)
	for {
		n, err := t.ptmx.Read(buf)
		if n > 0 {
			now := time.Now()
			t.mu.Lock()
			t.out.Write(buf[:n])
			for s, at := range t.seen {
				if at.IsZero() && bytes.Contains(t.out.Bytes(), []byte(s)) {
					t.seen[s] = now
				}
			}
			reply := t.pendingReplies()
			t.mu.Unlock()
			if reply != "" {
				_, _ = t.ptmx.Write([]byte(reply))
			}
			select {
			case t.wake <- struct{}{}:
			default:
			}
		}
		if err != nil {
			// EIO once the last holder of the tty side is gone, or the
			// master was closed.
			return
		}
	}
}

// pendingReplies returns the replies to queries that arrived since the last
// call, in order. A query cut in two by a read is found on the next call
// because the scan stops short of a possible partial query.
func (t *fakeTerminal) pendingReplies() string {
	var reply strings.Builder
	buf := t.out.Bytes()
	for {
		at, which := -1, -1
		for i, r := range terminalReplies {
			if j := bytes.Index(buf[t.scanned:], []byte(r.query)); j >= 0 && (at < 0 || j < at) {
				at, which = j, i
			}
		}
		if which < 0 {
			break
		}
		reply.WriteString(terminalReplies[which].reply)
		t.replies++
		t.scanned += at + len(terminalReplies[which].query)
	}
	const keep = 8 // longer than any query, shorter than any frame
	if len(buf)-keep > t.scanned {
		t.scanned = len(buf) - keep
	}
	return reply.String()
}

// seenAt returns when the watched string s first arrived, or the zero time.
func (t *fakeTerminal) seenAt(s string) time.Time {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.seen[s]
}

// waitFor reports whether the watched string s arrived within timeout.
func (t *fakeTerminal) waitFor(s string, timeout time.Duration) bool {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		if !t.seenAt(s).IsZero() {
			return true
		}
		select {
		case <-t.wake:
		case <-t.done:
			return !t.seenAt(s).IsZero()
		case <-deadline.C:
			return false
		}
	}
}

// close waits briefly for the reader to drain the app's last output, then
// closes the master, which also ends a reader that is still blocked.
func (t *fakeTerminal) close() {
	select {
	case <-t.done:
	case <-time.After(quitGrace):
	}
	t.ptmx.Close()
	<-t.done
}

func (t *fakeTerminal) output() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.out.String()
}

func (t *fakeTerminal) answered() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.replies
}

// benchLoadMillion times what `dcx --data FILE` does before drawing with a
// 1,000,000-record file: data.Load (decode, validate, build) and
// search.NewEngine; load-ms and engine-ms split ms/op between the two, and
// scan-ms, read-ms and check-ms split load-ms by the stages data.Progress
// reports (the counting pass, decoding, then the id index, relations and
// validation), read every millisecond.
// heap-MB is the live heap holding the dataset and the
// engine after a GC; peak-rss-MB is the process's resident high-water mark
// (VmHWM), reset after the file is written where the kernel allows it, so
// it covers loading, including the garbage a load leaves for the GC.
func benchLoadMillion(b *testing.B) {
	if testing.Short() {
		b.Skip("writes ~700 MB; skipped in -short mode")
	}
	if os.Getenv("DCX_BENCH_MILLION") != "1" {
		b.Skip("writes ~700 MB and takes minutes; set DCX_BENCH_MILLION=1 to run it")
	}
	const n = 1_000_000
	path := filepath.Join(b.TempDir(), "million.json")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	if err := synth.Write(w, n, 1); err != nil {
		f.Close()
		b.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(st.Size())
	runtime.GC()
	hwmReset := resetPeakRSS() == nil

	var (
		heap, rss        uint64
		records          int
		loading, engines time.Duration
		stages           [data.StageDone]time.Duration
	)
	for b.Loop() {
		start := time.Now()
		prog := new(data.Progress)
		entered, stop := followStages(prog)
		ds, err := data.Options{Progress: prog}.Load(path)
		if err != nil {
			b.Fatalf("loading %s: %v", path, err)
		}
		loaded := time.Now()
		stop()
		// A stage ends where the next one seen begins (one shorter than
		// the polling goes unseen), the last where Load returned.
		for st := data.StageScanning; st < data.StageDone; st++ {
			if entered[st].IsZero() {
				continue
			}
			end := loaded
			for next := st + 1; next < data.StageDone; next++ {
				if !entered[next].IsZero() {
					end = entered[next]
					break
				}
			}
			stages[st] += end.Sub(entered[st])
		}
		e := search.NewEngine(ds)
		loading += loaded.Sub(start)
		engines += time.Since(loaded)
		b.StopTimer()
		var ms runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&ms)
		heap = ms.HeapAlloc
		// What the app holds once settled: settleMemory's collection
		// target and the loading garbage handed back.
		if old := settle(); old >= 0 {
			if r, err := procStatus("VmRSS:"); err == nil {
				rss = r
			}
			debug.SetGCPercent(old)
		}
		records = ds.Len()
		runtime.KeepAlive(e)
		runtime.KeepAlive(ds)
		ds, e = nil, nil
		runtime.GC()
		b.StartTimer()
	}
	b.StopTimer()
	if records < n {
		b.Fatalf("loaded %d records, want at least %d", records, n)
	}
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 / float64(b.N) }
	b.ReportMetric(ms(loading+engines), "ms/op")
	// The app draws its first frame after load-ms; the index is prepared in
	// the background (search.StartEngine) and search waits for it.
	b.ReportMetric(ms(loading), "load-ms")
	b.ReportMetric(ms(stages[data.StageScanning]), "scan-ms")
	b.ReportMetric(ms(stages[data.StageReading]), "read-ms")
	b.ReportMetric(ms(stages[data.StageChecking]), "check-ms")
	b.ReportMetric(ms(engines), "engine-ms")
	b.ReportMetric(float64(heap)/(1<<20), "heap-MB")
	if rss > 0 {
		b.ReportMetric(float64(rss)/(1<<20), "rss-MB")
	}
	if hwm, err := peakRSS(); err == nil {
		b.ReportMetric(float64(hwm)/(1<<20), "peak-rss-MB")
	} else {
		b.Logf("peak RSS not reported: %v", err)
	}
	if !hwmReset {
		b.Logf("could not reset the peak RSS; peak-rss-MB includes writing the file")
	}
}

// followStages notes, every millisecond until stop is called, when each
// stage of a load is first seen; stop returns once nothing more is noted.
func followStages(p *data.Progress) (entered *[data.StageDone + 1]time.Time, stop func()) {
	entered = new([data.StageDone + 1]time.Time)
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			if st, _, _ := p.Snapshot(); entered[st].IsZero() {
				entered[st] = time.Now()
			}
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	return entered, func() { close(done); <-finished }
}

// resetPeakRSS sets VmHWM back to the current RSS (Linux 4.0+), so that the
// peak measured afterwards is the load's, not the file writer's.
func resetPeakRSS() error {
	return os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
}

// peakRSS returns VmHWM from /proc/self/status in bytes.
func peakRSS() (uint64, error) { return procStatus("VmHWM:") }

// procStatus reads a size in kB from /proc/self/status (Linux), in bytes.
func procStatus(field string) (uint64, error) {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(status), "\n") {
		rest, ok := strings.CutPrefix(line, field)
		if !ok {
			continue
		}
		kb, err := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
		if err != nil {
			return 0, fmt.Errorf("%s %q: %w", field, rest, err)
		}
		return kb << 10, nil
	}
	return 0, errors.New("no " + field + " in /proc/self/status")
}

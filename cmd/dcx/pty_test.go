package main

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/creack/pty"
)

// TestAppOnTerminal runs the app on a pseudo-terminal, in-process: it must
// switch to the alternate screen, enable the mouse, draw the requested tab,
// and exit 0 when the user presses q.
func TestAppOnTerminal(t *testing.T) {
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal here: %v", err)
	}
	defer ptmx.Close()
	defer tty.Close()
	if err := pty.Setsize(ptmx, &pty.Winsize{Rows: 30, Cols: 100}); err != nil {
		t.Fatal(err)
	}

	// The status line names the tab once its table is drawn; the tab's
	// first row depends on its order, this does not.
	want := "Facilities 1 of"

	screen := readPTY(ptmx)
	seen := func(s string) bool {
		return strings.Contains(strings.ToLower(screen()), strings.ToLower(s))
	}

	done := make(chan int, 1)
	var stderr bytes.Buffer
	go func() { done <- run([]string{"--tab", "facilities"}, tty, tty, &stderr) }()

	deadline := time.After(20 * time.Second)
	// Styles put escape codes between the words of the status line.
	for !strings.Contains(ansi.Strip(screen()), want) {
		select {
		case <-deadline:
			t.Fatalf("the app never drew the facilities tab; screen so far:\n%q", screen())
		case <-time.After(20 * time.Millisecond):
		}
	}
	for _, seq := range []string{"\x1b[?1049h", "\x1b[?1002h", "\x1b[?1006h"} {
		if !seen(seq) {
			t.Errorf("the app did not send %q (alternate screen, mouse cell motion)", seq)
		}
	}
	if _, err := io.WriteString(ptmx, "q"); err != nil {
		t.Fatal(err)
	}
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("exit %d, stderr:\n%s", code, stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the app did not quit on q")
	}
}

// readPTY copies what the program writes to the terminal into a buffer, in
// the background, until the pseudo-terminal closes; the function returned
// gives what arrived so far.
func readPTY(ptmx io.Reader) func() string {
	var (
		mu  sync.Mutex
		out bytes.Buffer
	)
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := ptmx.Read(buf)
			mu.Lock()
			out.Write(buf[:n])
			mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	return func() string {
		mu.Lock()
		defer mu.Unlock()
		return out.String()
	}
}

// TestNoTerminalQueryAtStart runs `dcx --help` in a new process on a
// pseudo-terminal that never answers: the output must be the help alone.
// Bubble Tea v1 queries the terminal's background from its package init,
// which left an OSC 11 query and a cursor position request in the output of
// every command and, with nothing answering, waited five seconds first (see
// cmd/internal/teaquiet). The child is this test binary, which links the
// same packages in the same order as dcx.
func TestNoTerminalQueryAtStart(t *testing.T) {
	if os.Getenv("DCX_TEST_CHILD") == "help" {
		os.Exit(run([]string{"--help"}, os.Stdin, os.Stdout, os.Stderr))
	}
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal here: %v", err)
	}
	defer ptmx.Close()
	cmd := exec.Command(os.Args[0], "-test.run=^TestNoTerminalQueryAtStart$")
	// termenv asks nothing of a terminal when CI is set or TERM names a
	// multiplexer: the child gets a plain terminal's environment.
	env := []string{"DCX_TEST_CHILD=help", "TERM=xterm-256color"}
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); k != "CI" && k != "TERM" && k != "NO_COLOR" {
			env = append(env, kv)
		}
	}
	cmd.Env = env
	cmd.Stdin, cmd.Stdout, cmd.Stderr = tty, tty, tty
	// Its own session with the terminal as its controlling one, in the
	// foreground, as a shell would start it: termenv only queries then.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true}
	out := readPTY(ptmx)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	tty.Close()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("dcx --help: %v\n%q", err, out())
		}
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("dcx --help did not end; output so far %q", out())
	}
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(out(), "Usage:") && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	got := out()
	if !strings.Contains(got, "Usage:") {
		t.Fatalf("no help in the output: %q", got)
	}
	if i := strings.IndexByte(got, '\x1b'); i >= 0 {
		t.Errorf("escape codes before or in the help (a terminal query?): %q", got[max(0, i-10):min(len(got), i+30)])
	}
}

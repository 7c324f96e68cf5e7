package main

import (
	"bytes"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"

	"github.com/dcx-explorer/dcx/data"
	"github.com/dcx-explorer/dcx/model"
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

	ds, err := data.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	want := firstWord(t, ds, model.KindFacility)

	screen := readPTY(ptmx)
	seen := func(s string) bool {
		return strings.Contains(strings.ToLower(screen()), strings.ToLower(s))
	}

	done := make(chan int, 1)
	var stderr bytes.Buffer
	go func() { done <- run([]string{"--tab", "facilities"}, tty, tty, &stderr) }()

	deadline := time.After(20 * time.Second)
	for !seen(want) {
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

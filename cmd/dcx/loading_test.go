package main

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"
)

// TestLoadingNote loads "slowly" with stderr on a pseudo-terminal: the note
// names the file and its size, and is erased when the load ends; on a
// writer that is not a terminal nothing is written.
func TestLoadingNote(t *testing.T) {
	defer func(d, k time.Duration) { loadingDelay, loadingTick = d, k }(loadingDelay, loadingTick)
	loadingDelay, loadingTick = 0, 5*time.Millisecond

	path := filepath.Join(t.TempDir(), "mine.json")
	if err := os.WriteFile(path, bytes.Repeat([]byte(" "), 2_500_000), 0o644); err != nil {
		t.Fatal(err)
	}

	var buf bytes.Buffer
	if v, err := withLoadingNote(&buf, path, func() (int, error) { time.Sleep(30 * time.Millisecond); return 7, nil }); v != 7 || err != nil || buf.Len() != 0 {
		t.Fatalf("not a terminal: got %d, %v and output %q; want 7, nil and nothing", v, err, buf.String())
	}

	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal here: %v", err)
	}
	defer ptmx.Close()
	defer tty.Close()
	out := readPTY(ptmx)
	seen := func(s string) bool { return strings.Contains(out(), s) }
	want := "loading mine.json (2 MB)"
	boom := errors.New("boom")
	_, err = withLoadingNote(tty, path, func() (int, error) {
		for deadline := time.Now().Add(5 * time.Second); !seen(want) && time.Now().Before(deadline); {
			time.Sleep(5 * time.Millisecond)
		}
		return 0, boom
	})
	if err != boom {
		t.Fatalf("error %v, want the load's own", err)
	}
	for deadline := time.Now().Add(5 * time.Second); !seen("\r\x1b[K") && time.Now().Before(deadline); {
		time.Sleep(5 * time.Millisecond)
	}
	got := out()
	if !strings.Contains(got, want) || !strings.HasSuffix(got, "\r\x1b[K") {
		t.Fatalf("terminal output %q: want %q while loading, then the line erased", got, want)
	}
}

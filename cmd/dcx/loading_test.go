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

	"github.com/dcx-explorer/dcx/data"
)

// fakeProgress reports a fixed stage.
type fakeProgress struct {
	stage       data.Stage
	done, total int64
}

func (f fakeProgress) Snapshot() (data.Stage, int64, int64) { return f.stage, f.done, f.total }

// TestLoadingNote loads "slowly" with stderr on a pseudo-terminal: the note
// names the file, its size and the load's stage, and is erased when the
// load ends; on a writer that is not a terminal nothing is written.
func TestLoadingNote(t *testing.T) {
	defer func(d, k time.Duration) { loadingDelay, loadingTick = d, k }(loadingDelay, loadingTick)
	loadingDelay, loadingTick = 0, 5*time.Millisecond

	path := filepath.Join(t.TempDir(), "mine.json")
	if err := os.WriteFile(path, bytes.Repeat([]byte(" "), 2_500_000), 0o644); err != nil {
		t.Fatal(err)
	}

	var buf bytes.Buffer
	reading := fakeProgress{data.StageReading, 1_075_000, 2_500_000}
	if v, err := withLoadingNote(&buf, path, reading, func() (int, error) { time.Sleep(30 * time.Millisecond); return 7, nil }); v != 7 || err != nil || buf.Len() != 0 {
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
	want := "loading mine.json (2 MB) · reading 43% · "
	boom := errors.New("boom")
	_, err = withLoadingNote(tty, path, reading, func() (int, error) {
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

// The note's stage: a percentage while bytes are read and the size is known
// (never 100 before the stage is over), the stage alone otherwise.
func TestStageNote(t *testing.T) {
	for _, c := range []struct {
		p    fakeProgress
		want string
	}{
		{fakeProgress{data.StageStarting, 0, 0}, ""},
		{fakeProgress{data.StageScanning, 0, 1000}, " · scanning 0%"},
		{fakeProgress{data.StageScanning, 999, 1000}, " · scanning 99%"},
		{fakeProgress{data.StageReading, 430, 1000}, " · reading 43%"},
		{fakeProgress{data.StageReading, 1000, 1000}, " · reading 99%"},
		{fakeProgress{data.StageReading, 1300, 1000}, " · reading 99%"},
		{fakeProgress{data.StageReading, 5000, 0}, " · reading"},
		{fakeProgress{data.StageChecking, 0, 1000}, " · checking"},
		{fakeProgress{data.StageDone, 0, 1000}, ""},
	} {
		if got := stageNote(c.p); got != c.want {
			t.Errorf("%+v: %q, want %q", c.p, got, c.want)
		}
	}
}

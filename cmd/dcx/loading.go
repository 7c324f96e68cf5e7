package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/charmbracelet/bubbles/spinner"
	"github.com/charmbracelet/x/term"

	"github.com/dcx-explorer/dcx/data"
)

// A large --data file takes seconds to read (about 6 s at a million
// records, see README "Performance"), before the app can draw anything. On
// a terminal, stderr then shows how far the load has got, one line
// rewritten in place and erased when the load ends:
//
//	⣾ loading mine.json (706 MB) · reading 43% · 3.2 s
//
// Loads shorter than loadingDelay show nothing. Variables so that tests can
// shorten them.
var (
	loadingDelay = 300 * time.Millisecond
	loadingTick  = 100 * time.Millisecond
)

// progress is what the note follows: a *data.Progress the load updates.
type progress interface {
	Snapshot() (stage data.Stage, done, total int64)
}

// withLoadingNote runs load, showing the note on w while it runs when w is
// a terminal, with the stage prog reports.
func withLoadingNote[T any](w io.Writer, path string, prog progress, load func() (T, error)) (T, error) {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(f.Fd()) {
		return load()
	}
	what := data.Escape(filepath.Base(path))
	if st, err := os.Stat(path); err == nil && st.Mode().IsRegular() {
		what += " (" + humanBytes(st.Size()) + ")"
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		start := time.Now()
		tick := time.NewTicker(loadingTick)
		defer tick.Stop()
		frames := spinner.Dot.Frames
		shown := false
		for i := 0; ; i++ {
			select {
			case <-done:
				if shown {
					fmt.Fprint(f, "\r\x1b[K")
				}
				return
			case <-tick.C:
				if elapsed := time.Since(start); elapsed >= loadingDelay {
					shown = true
					fmt.Fprintf(f, "\r%s loading %s%s · %.1f s\x1b[K", strings.TrimSpace(frames[i%len(frames)]), what, stageNote(prog), elapsed.Seconds())
				}
			}
		}
	}()
	v, err := load()
	close(done)
	wg.Wait()
	return v, err
}

// stageNote is what the note says of the load's stage: " · reading 43%",
// " · checking"; nothing before the load has started or once it is done.
func stageNote(p progress) string {
	stage, done, total := p.Snapshot()
	switch stage {
	case data.StageScanning, data.StageReading:
		if total <= 0 {
			return " · " + stage.String()
		}
		// A stage is not over until the loader says so: its bytes can all
		// be read while the last records are still being decoded.
		pct := min(done*100/total, 99)
		return fmt.Sprintf(" · %s %d%%", stage, pct)
	case data.StageChecking:
		return " · " + stage.String()
	}
	return ""
}

// humanBytes writes a size in decimal units, as the README gives them.
func humanBytes(n int64) string {
	switch {
	case n >= 1e9:
		return fmt.Sprintf("%.1f GB", float64(n)/1e9)
	case n >= 1e6:
		return fmt.Sprintf("%d MB", n/1e6)
	case n >= 1e3:
		return fmt.Sprintf("%d KB", n/1e3)
	}
	return fmt.Sprintf("%d B", n)
}

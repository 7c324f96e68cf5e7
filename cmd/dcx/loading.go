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
)

// A large --data file takes seconds to read (7–8 s at a million records,
// see README "Performance"), before the app can draw anything. On a
// terminal, stderr then shows what is going on, one line rewritten in
// place and erased when the load ends:
//
//	⣾ loading mine.json (706 MB) · 3.2 s
//
// Loads shorter than loadingDelay show nothing. Variables so that tests can
// shorten them.
var (
	loadingDelay = 300 * time.Millisecond
	loadingTick  = 100 * time.Millisecond
)

// withLoadingNote runs load, showing the note on w while it runs when w is
// a terminal.
func withLoadingNote[T any](w io.Writer, path string, load func() (T, error)) (T, error) {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(f.Fd()) {
		return load()
	}
	what := filepath.Base(path)
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
					fmt.Fprintf(f, "\r%s loading %s · %.1f s\x1b[K", strings.TrimSpace(frames[i%len(frames)]), what, elapsed.Seconds())
				}
			}
		}
	}()
	v, err := load()
	close(done)
	wg.Wait()
	return v, err
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

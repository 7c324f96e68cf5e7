package server

import (
	"sync"
	"time"

	"github.com/charmbracelet/log"
)

// warnEvery is the quiet period of a WARN line: a flood of dropped
// connections would otherwise write a line each (160 in 29 ms).
const warnEvery = time.Second

// warnLimiter writes the first WARN line of a reason at once and holds back
// the others of that reason for a quiet period, at the end of which one line
// says how many there were ("more"). A flood thus costs one line a second
// per reason. Reasons are a fixed set of strings, so its maps stay small.
type warnLimiter struct {
	log   *log.Logger
	every time.Duration

	mu    sync.Mutex
	quiet map[string]int // reasons in their quiet period: lines held back
}

func newWarnLimiter(l *log.Logger, every time.Duration) *warnLimiter {
	return &warnLimiter{log: l, every: every, quiet: map[string]int{}}
}

// warn logs msg for reason with the key-value pairs kv, or counts it.
func (w *warnLimiter) warn(msg, reason string, kv ...any) {
	w.mu.Lock()
	if _, ok := w.quiet[reason]; ok {
		w.quiet[reason]++
		w.mu.Unlock()
		return
	}
	w.quiet[reason] = 0
	w.mu.Unlock()
	w.log.Warn(msg, append(kv, "reason", reason)...)
	w.arm(msg, reason)
}

// arm ends reason's quiet period after w.every, with a line for the lines
// held back; if there were some, a new quiet period starts.
func (w *warnLimiter) arm(msg, reason string) {
	time.AfterFunc(w.every, func() {
		w.mu.Lock()
		n := w.quiet[reason]
		if n == 0 {
			delete(w.quiet, reason)
		} else {
			w.quiet[reason] = 0
		}
		w.mu.Unlock()
		if n > 0 {
			w.log.Warn(msg, "reason", reason, "more", n, "within", w.every)
			w.arm(msg, reason)
		}
	})
}

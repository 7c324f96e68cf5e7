package main

import (
	"runtime/debug"
	"testing"
)

// gcSettings reads the collector's target and soft limit without changing
// them.
func gcSettings() (percent int, limit int64) {
	percent = debug.SetGCPercent(100)
	debug.SetGCPercent(percent)
	return percent, debug.SetMemoryLimit(-1)
}

// TestQuietStart: the collector is off with a 64 MB soft limit until
// restore, which puts back what was there, once however often it is
// called; an explicit GOGC or GOMEMLIMIT leaves the collector alone.
// Not parallel: the settings are the process's.
func TestQuietStart(t *testing.T) {
	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	percent, limit := gcSettings()
	restore := quietStart()
	if p, l := gcSettings(); p != -1 || l != quietStartLimit {
		restore()
		t.Fatalf("during start-up: GOGC %d, limit %d; want -1 (off), %d", p, l, quietStartLimit)
	}
	restore()
	if p, l := gcSettings(); p != percent || l != limit {
		t.Fatalf("after restore: GOGC %d, limit %d; want %d, %d", p, l, percent, limit)
	}
	debug.SetGCPercent(150)
	restore() // a second call must not undo what came after the first
	if p, _ := gcSettings(); p != 150 {
		t.Errorf("a second restore set GOGC to %d", p)
	}
	debug.SetGCPercent(percent)

	for _, env := range []string{"GOGC", "GOMEMLIMIT"} {
		t.Run(env, func(t *testing.T) {
			t.Setenv(env, "200")
			restore := quietStart()
			defer restore()
			if p, l := gcSettings(); p != percent || l != limit {
				t.Errorf("with %s set: GOGC %d, limit %d; want them untouched (%d, %d)", env, p, l, percent, limit)
			}
		})
	}
}

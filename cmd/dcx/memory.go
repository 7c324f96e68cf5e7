package main

import (
	"os"
	"runtime"
	"runtime/debug"

	"github.com/dcx-explorer/dcx/search"
)

// largeHeap is the live heap from which dcx tunes the garbage collector for
// the dataset it holds (a few hundred thousand records and up).
const largeHeap = 256 << 20

// settleMemory runs once the engine is ready. A large dataset and its
// index are read-only for the rest of the run, yet with the default GOGC the
// heap may grow to twice their size before a collection, and the garbage
// of loading stays resident until the scavenger gets to it: at a million
// records that is about 2 GB resident for 1 GB of data. A target of 25 %
// above the live heap keeps the process near what it really holds (the
// app's own garbage, a few megabytes a keystroke, still leaves room for
// dozens of searches between collections), and FreeOSMemory hands the
// loading garbage back at once. An explicit GOGC or GOMEMLIMIT is obeyed
// instead; small datasets are left alone.
func settleMemory(e *search.Engine) {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	go func() {
		e.Wait()
		settle()
	}()
}

// settle is settleMemory's work, done at once; it returns the GOGC it
// replaced, or -1 when it left a small heap alone.
func settle() int {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	if ms.HeapAlloc < largeHeap {
		return -1
	}
	old := debug.SetGCPercent(25)
	debug.FreeOSMemory()
	return old
}

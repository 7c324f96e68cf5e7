package main

import (
	"os"
	"runtime"
	"runtime/debug"
	"sync"

	"github.com/dcx-explorer/dcx/search"
)

// largeHeap is the live heap from which dcx tunes the garbage collector for
// the dataset it holds (a few hundred thousand records and up).
const largeHeap = 256 << 20

// quietStartLimit is the soft memory limit while the collector is off at
// start-up (quietStart): far above what starting on the embedded dataset
// takes, and a bound should the index never be prepared.
const quietStartLimit = 64 << 20

// quietStart turns the garbage collector off while dcx starts on the
// embedded dataset, and returns what turns it back on (settleMemory calls
// it once the index is ready). Starting allocates under 10 MB, the dataset
// and the index most of it; with the default target the first collections
// come every few megabytes, in the middle of decoding and of the first
// frame, and each takes one of a two-core machine's cores for a while
// (BenchmarkStartup: 2 to 3 ms of the first frame). An explicit GOGC or
// GOMEMLIMIT is obeyed instead, and a --data file, which may hold a
// million records, is never read with the collector off.
//
// Calling restore more than once is fine: the app calls it when it ends
// too, in case the index was never prepared.
func quietStart() (restore func()) {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	gc := debug.SetGCPercent(-1)
	limit := debug.SetMemoryLimit(quietStartLimit)
	return sync.OnceFunc(func() {
		debug.SetGCPercent(gc)
		debug.SetMemoryLimit(limit)
	})
}

// settleMemory runs once the engine is ready, after restore (quietStart's,
// or nil). A large dataset and its index are read-only for the rest of the
// run, yet with the default GOGC the heap may grow to twice their size
// before a collection, and the garbage of loading stays resident until the
// scavenger gets to it: at a million records that is about 2 GB resident
// for 1 GB of data. A target of 25 % above the live heap keeps the process
// near what it really holds (the app's own garbage, a few megabytes a
// keystroke, still leaves room for dozens of searches between
// collections), and FreeOSMemory hands the loading garbage back at once. An
// explicit GOGC or GOMEMLIMIT is obeyed instead; small datasets are left
// alone.
func settleMemory(e *search.Engine, restore func()) {
	go func() {
		<-e.Prepared()
		if restore != nil {
			restore()
		}
		if os.Getenv("GOGC") == "" && os.Getenv("GOMEMLIMIT") == "" {
			settle()
		}
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

package search

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// parallel runs fn(0..tasks-1) on up to GOMAXPROCS goroutines. One task runs
// inline: most keystrokes on small data need no goroutine at all.
func parallel(tasks int, fn func(task int)) {
	workers := min(runtime.GOMAXPROCS(0), tasks)
	if workers <= 1 {
		for t := 0; t < tasks; t++ {
			fn(t)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	wg.Add(workers)
	for w := 0; w < workers; w++ {
		go func() {
			defer wg.Done()
			for {
				t := int(next.Add(1) - 1)
				if t >= tasks {
					return
				}
				fn(t)
			}
		}()
	}
	wg.Wait()
}

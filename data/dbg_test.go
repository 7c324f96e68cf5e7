package data

import (
	"bufio"
	"fmt"
	"os"
	"runtime"
	"testing"
	"time"

	"github.com/dcx-explorer/dcx/data/synth"
)

func TestDbgGen(t *testing.T) {
	f, _ := os.Create("/tmp/dcxd/million.json")
	w := bufio.NewWriter(f)
	if err := synth.Write(w, 1000000, 1); err != nil {
		t.Fatal(err)
	}
	w.Flush()
	f.Close()
}

func TestDbgLoad(t *testing.T) {
	start := time.Now()
	ds, err := Load("/tmp/dcxd/million.json")
	el := time.Since(start)
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	fmt.Println(el, err != nil, ds.Len(), ms.HeapAlloc>>20, "MB heap; total alloc", ms.TotalAlloc>>20)
	if err != nil {
		fmt.Println(err.Error()[:2000])
	}
}
